"""Shared pieces of the bedside browser tests (tests/e2e/test_layout_e2e.py, test_a11y_e2e.py):
the pages and viewports, opening a page in a language, and the in-page measurements (JavaScript
evaluated by Playwright; every figure is read from the live DOM or Plotly's own layout)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, expect

from .conftest import ROOT
from .helpers import idle

SCREENS = ROOT / "artifacts" / "screens"
AXE_JS = ROOT / "tests" / "e2e" / "axe" / "node_modules" / "axe-core" / "axe.min.js"

# (name, URL path, has charts). The Patient page is the default page, served at "/".
PAGES = (
    ("patient", "", False),
    ("labs", "lab-results", False),
    ("trends", "trend-charts", True),
    ("assessment", "clinical-assessment", False),
    ("board", "tumor-board", True),
    ("teaching", "rule-teaching", False),
    ("library", "case-library", False),
)
DESKTOP, TABLET, PHONE = (1366, 900), (1024, 768), (390, 844)
VIEWPORTS = {"desktop": DESKTOP, "tablet": TABLET, "phone": PHONE}
LOCALES = {"en": "en-GB", "zh": "zh-CN"}  # the app takes its first language from the browser's locale


def context(browser: Browser, viewport: tuple[int, int], lang: str) -> BrowserContext:
    width, height = viewport
    touch = width < 1100  # tablet and phone are touch screens
    return browser.new_context(viewport={"width": width, "height": height}, locale=LOCALES[lang],
                               has_touch=touch, is_mobile=width < 500, device_scale_factor=1)


def open_page(page: Page, app_url: str, path: str, charts: bool) -> None:
    """Open a page by its URL (a new session: the default example case, the locale's language)."""
    page.goto(f"{app_url}/{path}")
    expect(page.get_by_role("heading", level=1).first).to_be_visible(timeout=30_000)
    idle(page)
    if charts:
        expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=30_000)
        idle(page)


def screenshot(page: Page, name: str) -> Path:
    """The viewport as the user sees it; on a phone, once the sidebar has slid away (after a tap on a
    page link it closes with an animation, which would otherwise be caught half-way over the page)."""
    page.wait_for_function("""() => {
        if (window.innerWidth >= 768) return true;
        const bar = document.querySelector('[data-testid=stSidebar]');
        return !bar || bar.getAttribute('aria-expanded') === 'true' || bar.getBoundingClientRect().right <= 1;
    }""", timeout=10_000)
    SCREENS.mkdir(parents=True, exist_ok=True)
    path = SCREENS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


# Every Plotly chart: each data panel's height in px (Plotly's own layout: axis domain × plot height)
# and the legend's box against the plot area's box, in page coordinates.
CHARTS_JS = """
() => [...document.querySelectorAll('.js-plotly-plot')].map((gd) => {
  const L = gd._fullLayout, size = L._size;
  const svg = gd.querySelector('.main-svg').getBoundingClientRect();
  const markAxes = new Set(gd.data.filter(t => t.meta && t.meta.role === 'mark').map(t => t.yaxis || 'y'));
  const panels = Object.keys(L).filter(k => /^yaxis\\d*$/.test(k)).map(k => {
    const id = 'y' + k.slice(5);
    const [d0, d1] = L[k].domain;
    return {axis: id, marks: markAxes.has(id), height: (d1 - d0) * size.h};
  });
  const legend = gd.querySelector('g.legend');
  const lb = legend ? legend.getBoundingClientRect() : null;
  return {
    chart: gd.getBoundingClientRect().height,
    plot: {top: svg.top + size.t, bottom: svg.top + size.t + size.h, left: svg.left + size.l,
           right: svg.left + size.l + size.w},
    legend: lb && {top: lb.top, bottom: lb.bottom, left: lb.left, right: lb.right, width: lb.width},
    svgRight: svg.right,
    panels,
  };
})
"""

# Interactive elements and their boxes. Visually hidden native inputs of checkboxes and radios are
# left out (their label is the target); links inside running text are exempt (WCAG 2.5.8).
TARGETS_JS = """
() => {
  const sel = 'button, a[href], [role=button], [role=tab], [role=link], [role=checkbox], [role=radio],'
    + ' [role=switch], summary, select, input:not([type=hidden]), textarea, label[data-baseweb=checkbox],'
    + ' label[data-baseweb=radio]';
  // Primary actions: buttons of the app, tabs, expander headers, page links, the sidebar toggle.
  const primary = '[data-testid^=stBaseButton]:not([data-testid=stBaseButton-elementToolbar]),'
    + ' [data-testid=stDownloadButton] button, [data-testid=stTab],'
    + ' [data-testid=stExpander] summary, [data-testid=stSidebarNavLink], [data-testid=stExpandSidebarButton]';
  const out = [];
  for (const el of document.querySelectorAll(sel)) {
    // Left out: the folded sidebar (off screen), chart legends and the grid's canvas, the skip link
    // (1 px until focused), native inputs hidden under their label, the text box inside a select
    // (the select's whole box is the target).
    if (el.closest('[aria-hidden=true], [data-testid=stSidebar][data-collapsed=true], .js-plotly-plot .legend,'
                   + ' [data-testid=stSkipToContent]')) continue;
    if (el.matches('input[type=checkbox], input[type=radio], [data-baseweb=select] input')) continue;
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (r.width === 0 || r.height === 0 || style.visibility === 'hidden' || style.display === 'none') continue;
    const inline = el.matches('a') && !!el.closest('p, li, td, [data-testid=stCaptionContainer]')
      && !el.closest('[data-testid=stSidebarNav], [data-testid=stPageLink]');
    const name = (el.getAttribute('aria-label') || el.textContent || el.tagName).trim().slice(0, 40);
    out.push({tag: el.tagName, testid: el.getAttribute('data-testid')
                || el.closest('[data-testid]')?.getAttribute('data-testid'),
              name, width: Math.round(r.width * 10) / 10, height: Math.round(r.height * 10) / 10,
              inline, primary: el.matches(primary) || !!el.closest(primary)});
  }
  return out;
}
"""


def too_small(targets: list[dict], minimum: int = 24, primary_height: int = 44) -> list[dict]:
    """Targets under ``minimum`` px either way (inline text links exempt), primary actions under
    ``primary_height`` px high."""
    return [t for t in targets if (not t["inline"] and (t["width"] < minimum or t["height"] < minimum))
            or (t["primary"] and t["height"] < primary_height)]


def go(page: Page, index: int, charts: bool) -> None:
    """Go to the page at ``index`` of the sidebar navigation (a real click, same session; a fresh
    URL per page would start a new session each time). On a phone the sidebar is opened first and
    folded again after, as a user does."""
    import re

    link = page.locator("[data-testid=stSidebarNavLink]").nth(index)
    opener = page.locator("[data-testid=stExpandSidebarButton]")
    if page.locator("[data-testid=stSidebar][data-collapsed=true]").count() and opener.is_visible():
        opener.click()
        expect(page.locator("[data-testid=stSidebar]")).to_have_attribute("data-collapsed", "false")
    expect(link).to_be_visible()
    link.click()
    path = PAGES[index][1]
    expect(page).to_have_url(re.compile(rf"/{re.escape(path)}$" if path else r"/$"), timeout=30_000)
    expect(page.get_by_role("heading", level=1).first).to_be_visible(timeout=30_000)
    idle(page)
    closer = page.locator("[data-testid=stSidebarCollapseButton] button")
    if page.viewport_size["width"] < 768 and closer.is_visible():
        closer.click()
        expect(page.locator("[data-testid=stSidebar]")).to_have_attribute("data-collapsed", "true")
    if charts:
        expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=30_000)
        idle(page)
