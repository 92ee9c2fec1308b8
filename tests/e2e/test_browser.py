"""End-to-end in headless Chromium: load an example, edit a lab in the grid, watch the top
suggestion change, switch language, screenshot every page in both languages."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .helpers import edit_grid_cell, goto_page, idle, load_example, summary, top_suggestion

pytestmark = pytest.mark.e2e
PAGES_EN = ("Patient & history", "Labs", "Trends", "Assessment")
PAGES_ZH = ("患者与病史", "化验", "趋势", "评估")


def shoot(page: Page, screenshots, name: str) -> None:
    idle(page)
    page.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)


def test_edit_lab_changes_top_suggestion_then_chinese(page: Page, app_url: str, screenshots):
    page.goto(app_url)
    idle(page)
    expect(page.get_by_role("heading", name="Patient & history", level=1)).to_be_visible()
    expect(summary(page)).to_contain_text("Relapsed")  # ex-01 is loaded at start
    load_example(page, "ex-02")

    goto_page(page, "Labs")
    expect(top_suggestion(page)).to_contain_text("Rd")
    grid = page.locator("[data-testid=stDataFrame]").first
    edit_grid_cell(page, grid, row=7, column=1, text="1.15")  # one row per visit: serum M 11.5 g/L -> 1.15 g/L
    idle(page)
    expect(summary(page)).to_contain_text("No relapse")
    expect(top_suggestion(page)).to_contain_text("V-PLD")
    expect(top_suggestion(page)).not_to_contain_text("Rd —")

    for i, title in enumerate(PAGES_EN):
        goto_page(page, title)
        if title == "Trends":
            expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)
        shoot(page, screenshots, f"en-{i + 1}-{title.split()[0].lower()}")
    # the grid edit survived the round trip
    goto_page(page, "Labs")
    expect(page.locator("[data-testid=stDataFrame]").first).to_be_visible()

    page.locator("[data-testid=stSidebar]").get_by_text("简体中文").click()
    expect(page.get_by_role("heading", name="化验", level=1)).to_be_visible()
    expect(summary(page)).to_contain_text("未复发")
    for i, title in enumerate(PAGES_ZH):
        goto_page(page, title)
        if title == "趋势":
            expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)
        shoot(page, screenshots, f"zh-{i + 1}-{('patient', 'labs', 'trends', 'assessment')[i]}")
    expect(page.get_by_text("决策支持")).to_be_visible()


def test_bad_lab_value_is_flagged_and_kept(page: Page, app_url: str, screenshots):
    page.goto(app_url)
    idle(page)
    goto_page(page, "Labs")
    before = top_suggestion(page).inner_text()
    grid = page.locator("[data-testid=stDataFrame]").first
    edit_grid_cell(page, grid, row=2, column=1, text="abc")  # one row per visit: serum M of 2023-04-15
    idle(page)
    expect(page.get_by_text("2023-04-15 · Serum M-protein: value: expected a number")).to_be_visible()
    expect(page.get_by_text("Out of date: the case has 1 problem", exact=False)).to_be_visible()
    expect(summary(page)).to_contain_text("out of date")
    expect(top_suggestion(page)).to_have_text(before)  # last valid assessment stays visible
    shoot(page, screenshots, "en-labs-bad-row")
