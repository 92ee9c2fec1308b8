"""Browser: the seed suggestions and the contemporary options side by side, in English and Chinese
(issue 15). Screenshots go to artifacts/screenshots/ (git-ignored)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .helpers import goto_page, idle, load_example

pytestmark = pytest.mark.e2e


def test_side_by_side_in_both_languages(page: Page, app_url: str, screenshots: Path):
    page.goto(app_url)
    idle(page)
    load_example(page, "ex-04")
    sidebar = page.locator("[data-testid=stSidebar]")
    sidebar.get_by_text("Contemporary (2015–2025)").click()
    idle(page)
    goto_page(page, "Assessment")
    expect(page.get_by_role("heading", name="Seed pack: ranked suggestions")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("heading", name="Contemporary pack: evidence options")).to_be_visible()
    expect(page.get_by_text("Evidence summary, not a recommendation; check the current label and guideline.").first
           ).to_be_visible()
    # both columns sit next to each other
    seed = page.get_by_role("heading", name="Seed pack: ranked suggestions").bounding_box()
    cp = page.get_by_role("heading", name="Contemporary pack: evidence options").bounding_box()
    assert seed and cp and cp["x"] > seed["x"] + 200 and abs(cp["y"] - seed["y"]) < 40
    page.screenshot(path=str(screenshots / "contemporary-side-by-side-en.png"), full_page=True)

    sidebar.get_by_text("简体中文").click()
    expect(page.get_by_role("heading", name="当代证据包:证据选项")).to_be_visible(timeout=30_000)
    idle(page)
    expect(page.get_by_role("heading", name="种子包:排序建议")).to_be_visible()
    expect(page.get_by_text("证据摘要,并非治疗推荐;请核对现行说明书与指南。").first).to_be_visible()
    page.screenshot(path=str(screenshots / "contemporary-side-by-side-zh.png"), full_page=True)
