"""The Labs page's one-row-per-visit grid in real Chromium (issue #14): the grid keeps its place
after a saved edit, dates typed the ways people type them, a block pasted from a spreadsheet, the
7-visit patient entered in under half the actions, and screenshots at three sizes in two languages.

What is stored is read from the case the app downloads (sidebar "Download case (JSON)"). Waiting is
on script runs (a MutationObserver counts finished runs), never on sleeps.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Locator, Page, expect

from .helpers import goto_page, idle, open_grid_cell

pytestmark = pytest.mark.e2e

EDITOR = "input.gdg-input, textarea.gdg-input"
HEADER = ROW = 35
KEYSTROKE_MS = 90  # how long a key is held down: keystrokes at a person's pace (input, not a wait)
# Counts script runs that finished: the state attribute going from 'running' to anything else (React
# may set 'running' again while running; that is not a finished run).
COUNT_RUNS = """() => { if (window.__runsDone !== undefined) return; window.__runsDone = 0;
  const app = document.querySelector('[data-testid=stApp]');
  let last = app.getAttribute('data-test-script-state');
  new MutationObserver(() => { const now = app.getAttribute('data-test-script-state');
      if (last === 'running' && now !== 'running') window.__runsDone++;
      last = now; })
    .observe(app, {attributes: true, attributeFilter: ['data-test-script-state']}); }"""


def runs(page: Page) -> int:
    page.evaluate(COUNT_RUNS)
    return page.evaluate("window.__runsDone")


def settle(page: Page, before: int) -> None:
    """Wait until a script run that started after ``before`` finished, then until the app is idle."""
    page.wait_for_function(f"window.__runsDone > {before}", timeout=30_000)
    idle(page)


def press_and_settle(page: Page, key: str) -> None:
    before = runs(page)
    page.keyboard.press(key)
    settle(page, before)


def stored_case(page: Page) -> dict:
    sidebar = page.locator("[data-testid=stSidebar]")
    button = sidebar.get_by_role("button", name="Download case (JSON)")
    if not button.is_visible():
        sidebar.locator("[data-testid=stExpander] summary").filter(has_text="load, upload, download").click()
    with page.expect_download() as download:
        button.click()
    return json.loads(open(download.value.path(), encoding="utf-8").read())


def visit_grid(page: Page) -> Locator:
    goto_page(page, "Labs")
    grid = page.locator("[data-testid=stDataFrame]").first
    expect(grid).to_be_visible()
    runs(page)
    return grid


def fill_open_editor(page: Page, text: str) -> None:
    """Type one cell. A person types straight into the selected cell; Playwright's synthetic keys can
    lose the first character on the canvas (streamlit-notes), so the test opens the editor with Enter."""
    editor = page.locator(EDITOR).first
    if not editor.is_visible():
        page.keyboard.press("Enter")
        expect(editor).to_be_visible()
    editor.fill(text)


def open_new_visit(page: Page, grid: Locator, row: int) -> None:
    """Click the grid's empty last row (it adds a visit and opens its date). A grid that was just
    drawn can swallow the first click (tests/e2e/helpers.py): retried, as open_grid_cell does."""
    editor = page.locator(EDITOR).first
    for _ in range(5):
        grid.click(position={"x": 60, "y": HEADER + row * ROW + ROW / 2})
        try:
            expect(editor).to_be_visible(timeout=2_000)
            return
        except AssertionError:
            page.keyboard.press("Escape")
    expect(editor).to_be_visible()


def start(page: Page, app_url: str) -> None:
    page.goto(app_url)
    idle(page)


def test_focus_and_selection_stay_after_each_saved_edit(page: Page, app_url: str):
    start(page, app_url)  # ex-01: serum M-protein 42, 15, 6, 3, 2.5, 4, 8, 11 g/L
    grid = visit_grid(page)
    shown = ["42", "15", "6", "3", "2.5", "4", "8", "11"]
    editor = open_grid_cell(page, grid, row=0, column=1)
    kept = 0
    for i in range(7):
        expect(editor).to_have_value(shown[i])
        editor.fill(str(50 + i))
        press_and_settle(page, "Enter")  # saved: the case changed, the app ran again
        page.keyboard.press("Enter")  # no click: the grid still holds the selection, one row down
        expect(editor).to_be_visible()
        kept += 1
    assert kept == 7
    expect(editor).to_have_value("11")
    page.keyboard.press("Escape")
    values = [lab["value"] for lab in stored_case(page)["labs"]]
    assert values == [50.0, 51.0, 52.0, 53.0, 54.0, 55.0, 56.0, 11.0]


def test_dates_typed_the_ways_people_do(page: Page, app_url: str):
    start(page, app_url)
    grid = visit_grid(page)
    main = page.locator("[data-testid=stMain]")
    open_new_visit(page, grid, row=8)
    fill_open_editor(page, "2024-08-01")  # ISO
    press_and_settle(page, "Tab")
    open_grid_cell(page, grid, row=8, column=1).fill("12")
    press_and_settle(page, "Enter")
    page.keyboard.press("Escape")
    assert stored_case(page)["labs"][-1] == {"date": "2024-08-01", "analyte": "serum_m_protein", "value": 12.0,
                                             "unit": "g/L", "myeloma_related": True}

    def retype_date(text: str) -> str:
        editor = open_grid_cell(page, grid, row=8, column=0)
        editor.fill(text)
        press_and_settle(page, "Enter")
        page.keyboard.press("Escape")
        return stored_case(page)["labs"][-1]["date"]

    assert retype_date("13/08/2024") == "2024-08-13"  # this browser's (en-GB) order, unambiguous
    expect(main.get_by_text("13/08/2024 → 2024-08-13")).to_be_visible()  # the reading is said
    assert retype_date("05/08/2024") == "05/08/2024"  # ambiguous: kept as typed, a problem
    expect(main.get_by_text("05/08/2024 · Serum M-protein: date: expected a date as YYYY-MM-DD")).to_be_visible()
    assert retype_date("0025-10-31") == "0025-10-31"  # a slip
    expect(main.get_by_text("0025-10-31 · Serum M-protein: date: expected a date from 1900 on")).to_be_visible()
    future = (date.today() + timedelta(days=40)).isoformat()
    assert retype_date(future) == future
    expect(main.get_by_text(f"{future} · Serum M-protein: date: a date on or before today")).to_be_visible()
    expect(page.locator(".st-key-side_summary")).to_contain_text("out of date")
    assert retype_date("2024-08-20") == "2024-08-20"
    expect(main.get_by_text("need attention")).to_have_count(0)


def test_paste_a_block_from_a_spreadsheet(page: Page, app_url: str):
    start(page, app_url)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_url)
    grid = visit_grid(page)
    open_grid_cell(page, grid, row=0, column=2)  # urine M of the first visit
    page.keyboard.press("Escape")  # the cell stays selected
    page.evaluate("navigator.clipboard.writeText('0.1\\t50\\t10\\n0.2\\t60\\t11')")  # 2 visits × urine M, κ, λ
    press_and_settle(page, "Control+v")
    pasted = [(lab["date"], lab["analyte"], lab["value"]) for lab in stored_case(page)["labs"]
              if lab["analyte"] != "serum_m_protein"]
    assert pasted == [("2022-12-15", "urine_m_protein", 0.1), ("2022-12-15", "flc_kappa", 50.0),
                      ("2022-12-15", "flc_lambda", 10.0), ("2023-02-15", "urine_m_protein", 0.2),
                      ("2023-02-15", "flc_kappa", 60.0), ("2023-02-15", "flc_lambda", 11.0)]


SEVEN = [("2024-01-10", "42", "800", "9.5"), ("2024-02-07", "15", "300", "9.1"), ("2024-03-06", "6", "120", "9.0"),
         ("2024-04-03", "3", "40", "8.8"), ("2024-05-01", "2.5", "30", "8.9"), ("2024-05-29", "4", "60", "9.2"),
         ("2024-06-26", "8", "150", "9.4")]


def test_seven_visits_take_under_half_the_actions(page: Page, app_url: str):
    """The issue's patient: 7 visits of M-protein, κ, λ and one calcium, ~190 actions in the long grid.

    An action is one click, one key press that moves or commits (Tab, Enter), or one cell typed
    (whatever its length). Counted as a person does it: typing into a selected cell starts editing."""
    start(page, app_url)
    page.locator("[data-testid=stSidebar]").get_by_role("button", name="New patient").click()
    idle(page)
    grid = visit_grid(page)
    actions = 0

    def click_trailing_row(visit: int) -> None:
        nonlocal actions
        open_new_visit(page, grid, row=visit)  # adds a visit, opens its date
        actions += 1

    def cell(text: str) -> None:
        nonlocal actions
        fill_open_editor(page, text)
        actions += 1

    def key(name: str, *, saves: bool = True) -> None:
        nonlocal actions
        press_and_settle(page, name) if saves else page.keyboard.press(name)
        actions += 1

    for visit, (day, m, kappa, lam) in enumerate(SEVEN):
        click_trailing_row(visit)
        cell(day)
        key("Tab")
        cell(m)
        key("Tab")
        key("Tab", saves=False)  # urine M: not measured
        cell(kappa)
        key("Tab")
        cell(lam)
        key("Enter")
    open_grid_cell(page, grid, row=6, column=7)  # calcium of the last visit: one click for a person
    actions += 1
    cell("2.41")
    key("Enter")

    assert actions == 73 and actions < 190 / 2
    labs = stored_case(page)["labs"]
    assert len(labs) == 22
    assert [(lab["date"], lab["analyte"]) for lab in labs[:3]] == [
        ("2024-01-10", "serum_m_protein"), ("2024-01-10", "flc_kappa"), ("2024-01-10", "flc_lambda")]
    assert labs[-1] == {"date": "2024-06-26", "analyte": "calcium", "value": 2.41, "unit": "mmol/L",
                        "myeloma_related": True}


VIEWPORTS = {"desktop": (1366, 900), "tablet": (1024, 768), "phone": (390, 844)}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_screenshots_of_the_labs_page(page: Page, app_url: str, screenshots, lang: str, size: str):
    """A fresh page at each size, so the sidebar starts as Streamlit sets it for that width."""
    width, height = VIEWPORTS[size]
    page.set_viewport_size({"width": width, "height": height})
    start(page, app_url)
    sidebar = page.locator("[data-testid=stSidebar]")
    expect(sidebar).to_have_attribute("data-collapsed", re.compile("^(true|false)$"))
    if sidebar.get_attribute("data-collapsed") == "true":  # narrow screens start with it closed
        page.locator("[data-testid=stExpandSidebarButton]").click()
        expect(sidebar).to_have_attribute("data-collapsed", "false")
    if lang == "zh":
        sidebar.get_by_text("简体中文").click()
        expect(page.get_by_role("heading", name="患者与病史", level=1)).to_be_visible()
        idle(page)
    goto_page(page, "化验" if lang == "zh" else "Labs")
    if width < 640:  # a phone: the page, not the sidebar over it
        sidebar.locator("[data-testid=stSidebarCollapseButton] button").first.click()
        expect(sidebar).to_have_attribute("data-collapsed", "true")
        expect(sidebar.get_by_text("Live summary").or_(sidebar.get_by_text("实时摘要"))).not_to_be_in_viewport()
    expect(page.locator("[data-testid=stDataFrame]").first).to_be_visible()
    idle(page)
    page.screenshot(path=str(screenshots / f"entry-labs-{lang}-{size}.png"), full_page=True)


def test_end_typed_right_after_start_is_kept(page: Page, app_url: str):
    """Issue #14: an End date typed right after Start was lost. A new therapy line typed cell after
    cell at typing pace — no waiting for the app between cells — is stored whole, as one line."""
    start(page, app_url)  # ex-01: one therapy line
    grid = page.locator("[data-testid=stDataFrame]").first  # Patient & history: the therapy lines
    expect(grid).to_be_visible()
    runs(page)
    open_new_visit(page, grid, row=1)  # the empty last row: a new line, its regimen open
    editor = page.locator(EDITOR).first
    editor.fill("DKd")
    keys = page.keyboard
    keys.press("Tab", delay=KEYSTROKE_MS)  # the therapy grid's columns: regimen, start, end, … (issue #14)
    for text in ("2025-01-10", "2025-06-30"):  # Start, then End at once
        keys.press("Enter", delay=KEYSTROKE_MS)  # a person just types; synthetic keys need the editor opened
        expect(editor).to_be_visible()
        editor.fill(text)
        before = runs(page)
        keys.press("Tab", delay=KEYSTROKE_MS)  # no waiting for the app between the two dates
    settle(page, before)  # only now: the run of the last edit
    lines = stored_case(page)["therapy_lines"]
    assert len(lines) == 2
    assert (lines[1]["regimen"], lines[1]["start"], lines[1]["end"]) == ("DKd", "2025-01-10", "2025-06-30")
