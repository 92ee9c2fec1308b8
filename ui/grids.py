"""The app's editable grids in one place, so ``app.py`` can apply a pending grid edit to the case
BEFORE the sidebar's live summary is drawn (the summary then reaches the browser first, ahead of
the page). The pages call the same ``sync`` again; it is idempotent (an edit already in the case
is not applied twice).

Labs have two grids over the same stored rows (issue #14): one row per visit (the default; columns
per analyte, ``ui/visits.py``) and one row per value (the long grid). ``LAB_VIEW`` in the session
says which is shown."""

from __future__ import annotations

from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from . import history, labs, state, tables, visits

LAB_VIEW = "labs_view"  # session key: "visits" (default) | "values"


def lab_view() -> str:
    return "values" if st.session_state.get(LAB_VIEW) == "values" else "visits"


def long_lab_model(system: str) -> tables.GridModel:
    return tables.long_model(section="labs", prefix="labs", columns=labs.COLUMNS,
                             shown=partial(labs.shown, system=system), store=partial(labs.store, system=system),
                             token=f"{state.lang()}|{system}|values")


def visit_frame(rows: list[dict[str, Any]], system: str) -> pd.DataFrame:
    table = visits.visit_table(rows, system)
    frame = pd.DataFrame(list(table.rows), columns=list(visits.COLUMNS))
    for name in visits.COLUMNS:
        frame[name] = frame[name].astype("boolean" if name == visits.RELATED else "object")
    return frame


def visit_model(system: str) -> tables.GridModel:
    def apply(base: list[dict[str, Any]], delta: dict[str, Any] | None) -> list[dict[str, Any]] | None:
        return visits.apply_visits(base, visits.visit_table(base, system), delta, system)

    return tables.GridModel("labs", "labs_visits", f"{state.lang()}|{system}|visits",
                            partial(visit_frame, system=system), apply, (visits.DATE,))


def sync_all() -> None:
    system = state.units()
    tables.sync_model(visit_model(system))
    tables.sync_model(long_lab_model(system))
    for section, prefix, columns in (("therapy_lines", "patient_lines", history.LINE_COLUMNS),
                                     ("transplants", "patient_tx", history.TRANSPLANT_COLUMNS),
                                     ("events", "patient_events", history.EVENT_COLUMNS)):
        tables.sync(section=section, prefix=prefix, shown=history.shown, store=history.store(columns),
                    columns=columns)
