"""Small locator helpers for Streamlit in Playwright (auto-waiting, no sleeps)."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"


def idle(page: Page) -> None:
    expect(page.locator(IDLE)).to_be_attached(timeout=30_000)
    expect(page.locator("[data-testid=stStatusWidget]")).to_have_count(0, timeout=30_000)


def goto_page(page: Page, title: str) -> None:
    page.locator("[data-testid=stSidebarNav]").get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible(timeout=30_000)
    idle(page)


def summary(page: Page) -> Locator:
    """The live summary box in the sidebar."""
    return page.locator(".st-key-side_summary")


def top_suggestion(page: Page) -> Locator:
    return summary(page).locator("li").first


def load_example(page: Page, case_id: str) -> None:
    sidebar = page.locator("[data-testid=stSidebar]")
    select = sidebar.locator("[data-testid=stSelectbox]").first
    if not select.is_visible():  # the case controls live in a collapsed expander
        sidebar.locator("[data-testid=stExpander] summary").filter(has_text="load, upload, download").click()
    expect(select).to_be_visible()
    option = page.get_by_role("option", name=case_id).first
    for _ in range(5):  # a click while the expander is still opening focuses the box without opening it
        select.click()
        try:
            expect(option).to_be_visible(timeout=2_000)
            break
        except AssertionError:
            page.keyboard.press("Escape")
    option.click()
    sidebar.get_by_role("button", name="Load example").click()
    expect(sidebar.get_by_text(f"Loaded {case_id}.")).to_be_visible(timeout=30_000)
    idle(page)


def open_grid_cell(page: Page, grid: Locator, row: int, column: int) -> Locator:
    """Select a cell of a glide data grid (click the row's first data cell, arrow right) and press
    Enter to open its overlay editor (streamlit-notes: typing straight into a cell can lose the
    first character). A grid that was just re-mounted can swallow the first click: retried."""
    header, row_height = 35, 35
    expect(grid).to_be_visible()
    editor = page.locator("input.gdg-input, textarea.gdg-input").first
    for _ in range(5):
        grid.click(position={"x": 60, "y": header + row_height * row + row_height / 2})
        # the arrows go to the grid only once it holds the focus (a just-mounted grid takes the
        # click late: arrows sent before would be lost and the edit land in the first column)
        page.wait_for_function("(g) => g.contains(document.activeElement)", arg=grid.element_handle(),
                               timeout=5_000)
        for _ in range(column):
            page.keyboard.press("ArrowRight")
        page.keyboard.press("Enter")
        try:
            expect(editor).to_be_visible(timeout=2_000)
            return editor
        except AssertionError:
            page.keyboard.press("Escape")
    expect(editor).to_be_visible()
    return editor


def edit_grid_cell(page: Page, grid: Locator, row: int, column: int, text: str) -> None:
    """Open the cell's editor, fill ``text``, press Enter (commits the edit)."""
    editor = open_grid_cell(page, grid, row, column)
    editor.fill(text)
    page.keyboard.press("Enter")
