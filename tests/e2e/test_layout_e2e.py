"""The bedside layout in headless Chromium (issue #14 item 4): every page at 1366×900 (desktop),
1024×768 (tablet, touch) and 390×844 (phone, touch), in English and Chinese.

Per page: a screenshot (artifacts/screens/, to be looked at); every chart keeps each data panel at
least ``figures.MIN_PANEL_PX`` high (a 120 px panel shows 4-5 labelled y ticks at 13 px; the board's
chart had been crushed to ~60 px on a tablet) and its legend below the plot area, inside the
chart's width; on the phone the pinned summary is visible above the fold (hidden on wider screens,
where the sidebar shows it); below 1,100 px the board shows its first conclusion above its chart;
every interactive element is at least 24×24 px (WCAG 2.2 AA 2.5.8; inline text links exempt) and
primary actions at least 44 px high. One server for the whole run (conftest's ``app_url``).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from ui.figures import MIN_PANEL_PX

from . import bedside
from .helpers import idle

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("device", ["desktop", "tablet", "phone"])
def test_every_page_is_legible_at_the_bedside(browser: Browser, app_url: str, device: str, lang: str):
    viewport = bedside.VIEWPORTS[device]
    ctx = bedside.context(browser, viewport, lang)
    page = ctx.new_page()
    try:
        page.goto(app_url)
        expect(page.get_by_role("heading", level=1).first).to_be_visible(timeout=30_000)
        idle(page)
        problems: list[str] = []
        for index, (name, _path, charts) in enumerate(bedside.PAGES):
            bedside.go(page, index, charts)
            bedside.screenshot(page, f"{name}-{device}-{lang}")
            # Charts: no crushed panel, the legend below the plot and within the chart.
            for chart in page.evaluate(bedside.CHARTS_JS) if charts else []:
                for panel in chart["panels"]:
                    if not panel["marks"] and panel["height"] < MIN_PANEL_PX:
                        problems.append(f"{name}: panel {panel['axis']} {panel['height']:.0f} px high")
                legend, plot = chart["legend"], chart["plot"]
                if legend and legend["top"] < plot["bottom"]:
                    problems.append(f"{name}: legend top {legend['top']:.0f} above the plot's bottom {plot['bottom']:.0f}")
                if legend and legend["right"] > chart["svgRight"] + 1:
                    problems.append(f"{name}: legend wider than the chart ({legend['right']:.0f} > {chart['svgRight']:.0f})")
            # The pinned summary: on the phone, visible and above the fold; elsewhere the sidebar's.
            pinned = page.locator(".st-key-pinned_summary")
            if name == "teaching":
                expect(pinned).to_have_count(0)  # hidden: it would give away the quiz's answers
            elif device == "phone":
                expect(pinned).to_be_visible()
                box = pinned.bounding_box()
                assert box is not None and box["y"] + box["height"] <= viewport[1], (name, box)
                expect(pinned).to_contain_text("VBd")
            else:
                expect(pinned).to_be_hidden()
            # The board below 1,100 px: conclusions first.
            if name == "board" and viewport[0] < 1100:
                first = page.locator(".board-value").first.bounding_box()
                chart_box = page.locator(".js-plotly-plot").first.bounding_box()
                assert first["y"] < chart_box["y"], (first, chart_box)
                top = page.locator(".st-key-board_top").bounding_box()
                assert top["y"] < chart_box["y"], (top, chart_box)
            for target in bedside.too_small(page.evaluate(bedside.TARGETS_JS)):
                problems.append(f"{name}: target {target['name']!r} ({target['testid']}) "
                                f"{target['width']}×{target['height']} px{' (primary)' if target['primary'] else ''}")
        assert problems == [], "\n".join(problems)
    finally:
        ctx.close()


def test_each_page_answers_at_its_documented_url(browser: Browser, app_url: str):
    """docs/app.md lists the URL paths; each opens its page. (A first request for a page's URL can
    still flash Streamlit's "Page not found" notice while it runs the page — its legacy multipage
    start, see docs/app.md's routing note — so only the page's heading is asserted.)"""
    ctx = bedside.context(browser, bedside.DESKTOP, "en")
    page = ctx.new_page()
    try:
        for _name, path, charts in bedside.PAGES:
            bedside.open_page(page, app_url, path, charts)
            expect(page.get_by_role("heading", level=1).first).not_to_contain_text("Page not found")
        page.goto(f"{app_url}/patient-history")
        idle(page)
        expect(page.get_by_text("Page not found")).to_be_visible()  # why the doc names "/" for it
    finally:
        ctx.close()
