"""A language switch keeps every choice shown: radios whose option labels are translated.

Under one widget key the browser kept the old labels' selection — none — after a switch
(seen in a screenshot of the units radio); each such widget now has one key per language.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .helpers import idle

pytestmark = pytest.mark.e2e


def _checked(page: Page, group_label: str) -> int:
    return page.get_by_role("radiogroup", name=group_label).locator("input:checked").count()


def _checked_label(page: Page, group_label: str) -> str:
    return page.get_by_role("radiogroup", name=group_label).locator("label:has(input:checked)").inner_text()


def test_switching_language_keeps_units_school_and_fitness_selected(page: Page, app_url: str):
    page.goto(app_url)
    idle(page)
    expect(page.get_by_role("heading", name="Patient & history", level=1)).to_be_visible()
    sidebar = page.locator("[data-testid=stSidebar]")
    sidebar.get_by_text("简体中文").click()
    expect(page.get_by_role("heading", name="患者与病史", level=1)).to_be_visible(timeout=30_000)
    idle(page)
    assert _checked(page, "单位") == 1 and "国际单位" in _checked_label(page, "单位")
    assert _checked(page, "指南流派") == 1
    assert "默认" in _checked_label(page, "可耐受强化治疗")
    sidebar.get_by_text("欧洲").click()
    idle(page)
    sidebar.get_by_text("English").click()
    expect(page.get_by_role("heading", name="Patient & history", level=1)).to_be_visible(timeout=30_000)
    idle(page)
    assert _checked(page, "Units") == 1 and "SI" in _checked_label(page, "Units")
    assert "European" in _checked_label(page, "Guideline school")
