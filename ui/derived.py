"""The session's case as the core's model, and what the pages compute from it (issue #16).

Pages never parse a case themselves (no ``json.loads``, no ``parse_case``) nor read another
module's session keys: they ask here. Each function reads the one case of ``ui.state`` and calls
``mmlogic``; the costly ones are cached on the case's canonical JSON.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import streamlit as st

from mmlogic import Assessment, Case, CaseInvalid, CaseProblem, assess, parse_case
from mmlogic.replay import Milestone, milestones, replay_dates
from mmlogic.whatif import what_would_change

from . import state

__all__ = ["assess_on", "case_problems", "current_case", "replay", "valid_case", "what_if"]


def current_case() -> Case | None:
    """The session's case, validated (None while it is invalid)."""
    try:
        return parse_case(state.case())
    except CaseInvalid:
        return None


def valid_case() -> Case | None:
    """The case the assessment on view was made from: the current one, or while it is invalid
    the last valid one (what ``state.evaluate()`` shows as stale); None if there is none."""
    case = current_case()
    if case is not None:
        return case
    last = state.last_valid_json()
    return parse_case(json.loads(last)) if last else None


def case_problems(data: dict[str, Any]) -> tuple[CaseProblem, ...]:
    """The problems of ``data`` as a case (empty: valid) — to check an edit before committing it."""
    try:
        parse_case(data)
    except CaseInvalid as invalid:
        return tuple(invalid.problems)
    return ()


@st.cache_data(max_entries=32, show_spinner=False)
def _replay(case_json: str) -> tuple[list[date], list[Milestone]]:
    case = parse_case(json.loads(case_json))
    return replay_dates(case), milestones(case)


@st.cache_data(max_entries=256, show_spinner=False)
def _assess_on(case_json: str, when: date) -> Assessment:
    return assess(parse_case(json.loads(case_json)), as_of=when)


@st.cache_data(max_entries=64, show_spinner=False)
def _whatif(case_json: str, on: date):
    return what_would_change(parse_case(json.loads(case_json)), on=on)


def replay() -> tuple[list[date], list[Milestone]]:
    """The dates a replay of the (valid) current case steps through, and its milestones."""
    return _replay(state.canonical_json(state.case()))


def assess_on(when: date) -> Assessment:
    """The current (valid) case assessed as it stood on ``when``."""
    return _assess_on(state.canonical_json(state.case()), when)


def what_if(on: date):
    """What would change the answer for the current (valid) case on ``on`` (mmlogic.whatif)."""
    return _whatif(state.canonical_json(state.case()), on)
