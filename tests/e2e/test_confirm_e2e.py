"""Catalog 1.1 in a real browser: a single qualifying value makes `confirm` lead the live summary
and the Assessment page, in English and Chinese (screenshots in artifacts/screenshots)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .helpers import goto_page, idle, summary

pytestmark = pytest.mark.e2e


def test_confirm_leads_the_summary_and_the_assessment_page(page: Page, app_url: str, screenshots):
    page.goto(app_url)
    idle(page)
    goto_page(page, "Teaching")
    page.locator(".st-key-teach_load_tc-08 button").click()
    idle(page)
    goto_page(page, "Assessment")
    lead = "Possible progression — repeat the test: Serum M-protein 10.5 g/L on 2022-05-01"
    expect(page.locator("[data-testid=stAlert]").filter(has_text=lead)).to_be_visible()
    expect(summary(page)).to_contain_text("a value of 9 g/L or more on a later date confirms it")
    expect(page.get_by_text("Followed markers").first).to_be_visible()
    page.screenshot(path=str(screenshots / "confirm-assessment-en.png"), full_page=True)
    page.locator("[data-testid=stSidebar]").get_by_text("简体中文").click()
    expect(page.get_by_role("heading", name="评估", level=1)).to_be_visible(timeout=30_000)
    idle(page)
    expect(page.locator("[data-testid=stAlert]").filter(has_text="可能进展——请复查")).to_be_visible()
    expect(summary(page)).to_contain_text("后续日期数值≥9 g/L即可确认")
    page.screenshot(path=str(screenshots / "confirm-assessment-zh.png"), full_page=True)


def test_confirm_leads_the_board(page: Page, app_url: str, screenshots):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(app_url)
    idle(page)
    goto_page(page, "Teaching")
    page.locator(".st-key-teach_load_tc-08 button").click()
    idle(page)
    page.locator("[data-testid=stSidebarNav]").get_by_role("link", name="Tumor board", exact=True).click()
    idle(page)
    expect(page.locator(".board-value").first).to_have_text("Confirm", timeout=30_000)
    expect(page.get_by_text("a value of 9 g/L or more on a later date confirms it").first).to_be_visible()
    expect(page.get_by_text("Followed markers").first).to_be_visible()
    page.screenshot(path=str(screenshots / "confirm-board-en.png"))
