"""SIGKILL of the app process serving a clinician, during saves through nginx: every save the UI
acknowledged ("Saved as revision N.") is in PostgreSQL with its content; the browser goes on
with the other process (still signed in)."""

from __future__ import annotations

import signal

import pytest
from playwright.sync_api import expect

from casestore import CaseStore
from tests.e2e.helpers import edit_grid_cell, goto_page, idle, load_example, top_suggestion

from .conftest import sign_in

pytestmark = [pytest.mark.deploy, pytest.mark.e2e]

LAB_ROW, VALUE_COLUMN = 7, 1  # one row per visit (the default lab grid): serum M of the 8th visit


def _save(page) -> int:
    """Press Save on the library page; return the acknowledged revision number."""
    goto_page(page, "Case library")
    page.get_by_role("button", name="Save to library").click()
    flash = page.get_by_text("Saved as revision")
    expect(flash).to_be_visible(timeout=30_000)
    return int(flash.inner_text().split("revision", 1)[1].strip(" .").split()[0].strip("."))


def _edit(page, value: str, top: str) -> None:
    """Edit the M-protein of row 7 and wait until the sidebar's top suggestion shows it landed."""
    goto_page(page, "Labs")
    edit_grid_cell(page, page.locator("[data-testid=stDataFrame]").first, LAB_ROW, VALUE_COLUMN, value)
    expect(top_suggestion(page)).to_contain_text(top + " ", timeout=30_000)
    idle(page)


def test_sigkill_during_saves_loses_nothing_acknowledged(trial, context):
    page = context.new_page()
    sign_in(page, trial, "alice")
    page.get_by_text("Signed in as alice@team-a.example").wait_for(timeout=30_000)
    idle(page)
    load_example(page, "ex-02")
    acknowledged: dict[int, str] = {}
    # each value flips the top suggestion (V-PLD <-> Rd), so each edit is seen to land
    for value, top in (("1.15", "V-PLD"), ("11.6", "Rd"), ("1.16", "V-PLD")):
        _edit(page, value, top)
        acknowledged[_save(page)] = value
    route = next(c["value"] for c in context.cookies() if c["name"] == "mmnav_route")
    victim = trial.app_for_route(route)
    port = int(victim.name.split("@")[1])
    # one more edit, then kill the process while its save is in flight (not acknowledged)
    _edit(page, "11.9", "Rd")
    goto_page(page, "Case library")
    page.get_by_role("button", name="Save to library").click()
    victim.stop(signal.SIGKILL)
    try:
        store = CaseStore.open(trial.database_url)
        try:
            (record,) = [r for r in store.list_cases() if r.case_id == "ex-02"]
            assert record.head_revision >= max(acknowledged)
            for number, value in acknowledged.items():
                labs = store.load(record.case_id, revision=number).case_json["labs"]
                assert float(value) in {lab["value"] for lab in labs}, (number, value)
        finally:
            store.close()
        # the browser carries on with the other process, still signed in
        page.goto(trial.url)
        page.get_by_text("Signed in as alice@team-a.example").wait_for(timeout=30_000)
        assert trial.app_for_route(route).name != victim.name
    finally:
        trial.start_app(port)  # the other tests get their two processes back
