"""The one case of a session, and the live assessment derived from it.

State API (small on purpose; the case library hooks autosave into ``commit_case``):

- ``init()``                     once per run, from ``app.py``: ex-01 loaded at the first run.
- ``case() -> dict``             the current case as JSON-ready data, in canonical units. It may be
                                 *invalid* (a row the clinician is still correcting); treat it as
                                 read-only.
- ``commit_case(data, reason)``  THE one function through which every change of the case goes:
                                 stores a copy, bumps ``case_rev``, tells the ``on_commit`` listeners.
- ``load_case(data, reason)``    replace the whole case (example, upload, library): labs converted
                                 to canonical units, page widgets re-seeded, the previous case's
                                 last valid assessment forgotten, then ``commit_case``.
- ``new_patient()``              a blank case (``blank_case``) loaded: nothing of the previous one.
- ``unsaved_edits() -> bool``    the case differs from what was loaded or last saved.
- ``set_field(path, value)``     convenience: commit a copy with one field changed.
- ``evaluate() -> Evaluation``   the assessment of the current case (cached on its canonical JSON),
                                 or, while the case is invalid, the last valid assessment marked
                                 ``stale`` together with the problems (field path, message).
- ``t(key, **values)``           a message of ``ui.i18n`` in the session language.
- ``lang()``, ``units()``        the session's display choices ('en'|'zh', 'si'|'us').

Session keys: ``case`` (dict), ``case_rev`` (int), ``last_valid_json`` (str | None; cleared when a
case is loaded), ``loaded_json`` (the case as loaded: ``unsaved_edits``), ``_page``/``_visit`` (the
page of the last run and a counter of page visits: grids rebuild on a new visit) and the
sidebar widget keys ``side_lang``, ``side_units_<lang>`` (the units themselves: ``units()``). Page widget keys carry their page prefix
(``patient_…``, ``labs_…``, ``trends_…``, ``assess_…``).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import streamlit as st

from mmlogic import CaseInvalid, assess, parse_case
from mmlogic.assessment import Assessment
from mmlogic.units import QUALITATIVE, UNITS, Analyte, canonical_unit, to_canonical

from .i18n import tr

ROOT = Path(__file__).resolve().parent.parent
CASES_DIR = ROOT / "cases"
DEFAULT_CASE = "ex-01"
# Widgets whose value mirrors the case: cleared when a whole case is loaded, then re-seeded.
CASE_WIDGET_PREFIXES = ("patient_", "side_case_")


def example_paths() -> list[Path]:
    return sorted(p for p in CASES_DIR.glob("ex-*.json") if not p.name.endswith(".expected.json"))


def read_example(name: str) -> dict[str, Any]:
    return json.loads((CASES_DIR / f"{name}.json").read_text("utf-8"))


def canonical_json(data: dict[str, Any]) -> str:
    """The cache key of a case: its content, keys sorted, no whitespace."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def to_canonical_units(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``data`` with each numeric lab in its analyte's canonical unit.

    Rows the core would reject (unknown analyte or unit, a non-number) are left as written so
    they stay visible for correction.
    """
    out = copy.deepcopy(data)
    labs = out.get("labs")
    if not isinstance(labs, list):
        return out
    for row in labs:
        if not isinstance(row, dict):
            continue
        try:
            analyte = Analyte(row.get("analyte"))
        except ValueError:
            continue
        if analyte in QUALITATIVE:
            continue
        value, unit = row.get("value"), row.get("unit")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or unit not in UNITS[analyte]:
            continue
        row["value"] = _tidy(to_canonical(analyte, float(value), unit))
        row["unit"] = canonical_unit(analyte)
    return out


def _tidy(value: float) -> float:
    """Drop float noise from a conversion (0.30000000000000004 -> 0.3), keeping 12 digits."""
    return float(f"{value:.12g}")


# -- session -----------------------------------------------------------------------------


def init() -> None:
    """Initialise the session once (idempotent): the default example, language, units."""
    if "case" not in st.session_state:
        st.session_state["case"] = to_canonical_units(read_example(DEFAULT_CASE))
        st.session_state["case_rev"] = 0
        st.session_state["last_valid_json"] = None
        st.session_state["loaded_json"] = canonical_json(st.session_state["case"])
    st.session_state.setdefault("side_lang", _browser_language())
    st.session_state.setdefault("units", "si")


def _browser_language() -> str:
    try:
        locale = st.context.locale or ""
    except Exception:  # no browser context (AppTest, bare mode)
        locale = ""
    return "zh" if locale.lower().startswith("zh") else "en"


def note_page(path: str) -> None:
    """Called by ``app.py`` with the page of this run: entering another page starts a new visit
    (a grid drawn in an earlier visit is rebuilt; its browser editor is gone)."""
    if st.session_state.get("_page") != path:
        st.session_state["_page"] = path
        st.session_state["_visit"] = int(st.session_state.get("_visit", 0)) + 1


def visit() -> int:
    return int(st.session_state.get("_visit", 0))


def case() -> dict[str, Any]:
    return st.session_state["case"]


def rev() -> int:
    return st.session_state["case_rev"]


def last_valid_json() -> str | None:
    """Canonical JSON of this session's last valid case (None: none yet); see ``ui.derived``."""
    return st.session_state.get("last_valid_json")


def lang() -> str:
    return st.session_state.get("side_lang", "en")


def units() -> str:
    """'si' or 'us'. Kept apart from the radio's own state: a radio whose option labels change
    with the language loses its selection, so the sidebar re-seeds it from here every run."""
    return st.session_state.get("units", "si")


def t(key: str, /, **values: object) -> str:
    return tr(key, lang(), **values)


def translator() -> Callable[..., str]:
    """``t`` bound to this run's language (one session-state read instead of one per message)."""
    language = lang()

    def bound(key: str, /, **values: object) -> str:
        return tr(key, language, **values)

    return bound


def labels(prefix: str, /, **overrides: str) -> Callable[[object], str]:
    """A ``format_func`` showing ``t(prefix + value)`` in the language of THIS run (bound now:
    AppTest calls format functions outside the script run, where the session is not readable)."""
    language = lang()

    def label(value: object) -> str:
        if str(value) in overrides:
            return overrides[str(value)]
        return tr(f"{prefix}{value}", language)

    return label


def commit_case(data: dict[str, Any], reason: str = "edit") -> None:
    """Store ``data`` as the session's case. Every change of the case goes through here."""
    st.session_state["case"] = copy.deepcopy(data)
    st.session_state["case_rev"] = st.session_state.get("case_rev", 0) + 1
    _after_commit(st.session_state["case"], reason)


CommitListener = Callable[[dict[str, Any], str], None]
# Wiring of code, filled once per process at import (never session data): who hears of a commit.
_COMMIT_LISTENERS: list[CommitListener] = []


def on_commit(listener: CommitListener) -> CommitListener:
    """Subscribe ``listener(data, reason)`` to every commit of the case (the case library's draft
    autosave, ``ui/library_session.py``, subscribes at its import). A listener must not raise
    or create widgets. Subscribing the same function again (a module reloaded) replaces it."""
    name = (listener.__module__, listener.__qualname__)
    _COMMIT_LISTENERS[:] = [f for f in _COMMIT_LISTENERS if (f.__module__, f.__qualname__) != name]
    _COMMIT_LISTENERS.append(listener)
    return listener


def _after_commit(data: dict[str, Any], reason: str) -> None:
    """Tell the subscribers (ui.state imports none of them: the dependency points one way)."""
    for listener in tuple(_COMMIT_LISTENERS):
        listener(data, reason)


def load_case(data: dict[str, Any], reason: str = "load") -> None:
    """Replace the whole case; widgets that mirror the case are re-seeded from it. The previous
    case's last valid assessment is forgotten: no conclusion of one patient is ever shown, even
    marked out of date, for another (issue #14)."""
    for key in list(st.session_state.keys()):
        if isinstance(key, str) and key.startswith(CASE_WIDGET_PREFIXES):
            del st.session_state[key]
    st.session_state["last_valid_json"] = None
    st.session_state.pop("_evaluation", None)
    converted = to_canonical_units(data)
    st.session_state["loaded_json"] = canonical_json(converted)
    commit_case(converted, reason)


def blank_case(case_id: str) -> dict[str, Any]:
    """A new patient: an id and nothing else (every field not yet entered)."""
    return {"schema_version": 1, "case_id": case_id, "label": None,
            "patient": {"age": None, "sex": None, "ecog": None},
            "labs": [], "events": [], "therapy_lines": [], "transplants": []}


def new_patient() -> None:
    """Replace the case by a blank one, unlinked from the case library (the autosave glue hears the
    reason "new" and unlinks: no import of it here, so no cycle)."""
    from casestore import new_case_id

    load_case(blank_case(new_case_id()), reason="new")
    st.session_state["loaded_json"] = canonical_json(case())


def unsaved_edits() -> bool:
    """True when the case differs from the one loaded and from the one last saved to the library."""
    now = canonical_json(case())
    saved = {st.session_state.get("loaded_json"), _saved_json()}
    return now not in saved


def _saved_json() -> str | None:
    saved = st.session_state.get("lib_saved_json")
    if not saved:
        return None
    try:
        return canonical_json(json.loads(saved))
    except ValueError:
        return None


def set_field(path: tuple[str | int, ...], value: Any) -> None:
    """Commit a copy of the case with the field at ``path`` (e.g. ('patient', 'age')) set."""
    data = copy.deepcopy(case())
    node: Any = data
    for part in path[:-1]:
        if isinstance(node, dict):
            node = node.setdefault(part, {})
        else:
            node = node[part]
    node[path[-1]] = value
    commit_case(data, reason=".".join(map(str, path)))


# -- the assessment ------------------------------------------------------------------------


@dataclass(frozen=True)
class Evaluation:
    """What the pages show: an assessment (maybe stale) and the problems of the current case."""

    assessment: Assessment | None
    stale: bool
    problems: tuple[tuple[str, str], ...] = ()
    error: str | None = None
    rows: dict[str, dict[int, list[str]]] = field(default_factory=dict)
    # What is not yet entered while no assessment can be made (guidance, not errors): keys of
    # ``guide.field.*`` — 'patient.age', 'patient.sex', 'patient.ecog', 'therapy_line', 'values'.
    missing: tuple[str, ...] = ()

    def row_problems(self, section: str) -> dict[int, list[str]]:
        """{row index: [message, ...]} for ``section`` ('labs', 'therapy_lines', …)."""
        return self.rows.get(section, {})


@st.cache_resource(max_entries=64, show_spinner=False)  # immutable results: shared, never copied or pickled
def _assess_json(case_json: str, today: date | None = None) -> tuple[Assessment | None, tuple[tuple[str, str, str], ...], str | None]:
    """(assessment, problems as (field path, English, Chinese), defect) of a case's canonical JSON.

    ``today`` bounds the time window (rules.md K): a date after it is a problem naming its field.
    """
    try:
        case_obj = parse_case(json.loads(case_json))
    except CaseInvalid as invalid:
        return None, tuple((p.path, p.text("en"), p.text("zh")) for p in invalid.problems), None
    try:
        return assess(case_obj, today=today), (), None
    except CaseInvalid as invalid:
        return None, tuple((p.path, p.text("en"), p.text("zh")) for p in invalid.problems), None
    except Exception as error:  # a defect of the core must not show a traceback to a clinician
        return None, (), f"{type(error).__name__}: {error}"


def _index_rows(problems: tuple[tuple[str, str], ...]) -> dict[str, dict[int, list[str]]]:
    rows: dict[str, dict[int, list[str]]] = {}
    for path, message in problems:
        head, _, rest = path.partition("[")
        if rest and "]" in rest:
            index_text = rest.split("]", 1)[0]
            if index_text.isdigit():
                rows.setdefault(head, {}).setdefault(int(index_text), []).append(message)
    return rows


def evaluate() -> Evaluation:
    """The live assessment of the current case (cached: a rerun that changes nothing is free)."""
    key = canonical_json(case())
    language = lang()
    memo = st.session_state.get("_evaluation")
    if memo is not None and memo[0] == (key, language):  # same case earlier in this session: no unpickling
        return memo[1]
    evaluation = _evaluate(key, language)
    st.session_state["_evaluation"] = ((key, language), evaluation)
    return evaluation


#: Fields of a blank case that are "not yet entered" (guidance) rather than wrong (a problem).
GUIDED_FIELDS: tuple[str, ...] = ("patient.age", "patient.sex", "patient.ecog")
NOTHING_TO_ASSESS = "the case has no dated data"  # mmlogic.assess's message for a case without dates


def _not_entered(data: dict[str, Any], path: str) -> bool:
    node: Any = data
    for part in path.split("."):
        if not isinstance(node, dict) or node.get(part) is None:
            return True
        node = node[part]
    return False


def missing_minimum(data: dict[str, Any]) -> tuple[str, ...]:
    """What a case lacks before it can be assessed usefully: guided fields not yet entered, a
    therapy line, two dated lab values (the guidance of issue #14; not a clinical rule)."""
    missing = [path for path in GUIDED_FIELDS if _not_entered(data, path)]
    if not data.get("therapy_lines"):
        missing.append("therapy_line")
    dated = [r for r in (data.get("labs") or []) if isinstance(r, dict) and r.get("date") and r.get("value") is not None]
    if len(dated) < 2:
        missing.append("values")
    return tuple(missing)


def _evaluate(key: str, language: str) -> Evaluation:
    assessment, bilingual, error = _assess_json(key, date.today())  # the app passes today as data
    problems = tuple((path, zh if language == "zh" else en) for path, en, zh in bilingual)
    data = json.loads(key)
    missing = missing_minimum(data)
    if assessment is not None:  # guidance stays beside it until the minimum data exist
        st.session_state["last_valid_json"] = key
        return Evaluation(assessment, stale=False, missing=missing)
    if missing:  # not yet entered is guidance, not an error
        problems = tuple((path, message) for path, message in problems
                         if not (path in GUIDED_FIELDS and _not_entered(data, path)))
        if error is not None and NOTHING_TO_ASSESS in error:
            error = None
    last = st.session_state.get("last_valid_json")
    previous = _assess_json(last)[0] if last else None
    if previous is None and not problems and error is None:
        return Evaluation(None, stale=False, missing=missing)
    return Evaluation(previous, stale=True, problems=problems, error=error, rows=_index_rows(problems),
                      missing=missing if previous is None else ())
