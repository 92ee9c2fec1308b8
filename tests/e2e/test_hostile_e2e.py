"""A hostile case in real Chromium (issue #13): on every page, in English and Chinese, no script
runs, no element or image from case text appears, and the browser asks no host but this one."""

from __future__ import annotations

import json
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from tests.hostile.corpus import hostile

from .helpers import idle

pytestmark = pytest.mark.e2e

PAYLOAD = ('<img src=x onerror="window.__pwned=1"><iframe srcdoc="<script>parent.__pwned=1</script>">'
           '![t](http://example.invalid/p.png)[x](javascript:window.__pwned=1)\u202e')
ACTIVE_FROM_CASE = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('iframe[srcdoc], object, embed, svg[onload], img[onerror]'))
    bad.push(el.outerHTML.slice(0, 120));
  for (const el of document.querySelectorAll('img[src*="example.invalid"], a[href*="example.invalid"], a[href^="javascript:"]'))
    bad.push((el.closest('[data-testid]')||{}).outerHTML?.slice(0, 400) || el.outerHTML.slice(0, 120));
  return bad;
}"""


def upload(page: Page, data: dict) -> None:
    sidebar = page.locator("[data-testid=stSidebar]")
    uploader = sidebar.locator("input[type=file]")
    if uploader.count() == 0:
        sidebar.locator("[data-testid=stExpander] summary").first.click()
    sidebar.locator("input[type=file]").set_input_files(
        files=[{"name": "hostile.json", "mimeType": "application/json", "buffer": json.dumps(data).encode()}])
    idle(page)


def visit_every_page(page: Page, where: str) -> None:
    links = page.locator("[data-testid=stSidebarNav] a")
    for i in range(links.count()):
        links.nth(i).click()
        idle(page)
        expect(page.locator("[data-testid=stException]")).to_have_count(0)
        assert page.evaluate("() => window.__pwned === undefined"), (where, i)
        assert page.evaluate(ACTIVE_FROM_CASE) == [], (where, i)


def test_a_hostile_case_stays_text_on_every_page_in_both_languages(page: Page, app_url: str, screenshots):
    dialogs: list[str] = []
    foreign: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: foreign.append(r.url)
            if urlparse(r.url).hostname not in ("127.0.0.1", "localhost") and not r.url.startswith("data:") else None)
    page.goto(app_url)
    idle(page)
    upload(page, hostile(PAYLOAD))
    expect(page.locator("[data-testid=stSidebar]").get_by_text("Loaded")).to_be_visible(timeout=30_000)
    visit_every_page(page, "en")
    page.locator("[data-testid=stSidebarNav] a").nth(4).click()  # the tumor board
    idle(page)
    page.screenshot(path=str(screenshots / "hostile-board-en.png"), full_page=True)
    # Switch to Chinese through the language selector, then the same walk.
    page.locator("[data-testid=stSidebar]").get_by_text("简体中文").click()  # the language radio
    idle(page)
    visit_every_page(page, "zh")
    page.locator("[data-testid=stSidebarNav] a").nth(4).click()
    idle(page)
    page.screenshot(path=str(screenshots / "hostile-board-zh.png"), full_page=True)
    assert dialogs == [] and foreign == []
    assert page.evaluate("() => window.__pwned === undefined")
