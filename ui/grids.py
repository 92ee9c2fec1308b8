"""The app's editable grids in one place, so ``app.py`` can apply a pending grid edit to the case
BEFORE the sidebar's live summary is drawn (the summary then reaches the browser first, ahead of
the page). The pages call the same ``sync`` again; it is idempotent (a synced edit bumps the case
revision, so the next editor key has no pending delta)."""

from __future__ import annotations

from functools import partial

from . import history, labs, state, tables


def sync_all() -> None:
    system = state.units()
    tables.sync(section="labs", prefix="labs", shown=partial(labs.shown, system=system),
                store=partial(labs.store, system=system))
    for section, prefix, columns in (("therapy_lines", "patient_lines", history.LINE_COLUMNS),
                                     ("transplants", "patient_tx", history.TRANSPLANT_COLUMNS),
                                     ("events", "patient_events", history.EVENT_COLUMNS)):
        tables.sync(section=section, prefix=prefix, shown=history.shown, store=history.store(columns))
