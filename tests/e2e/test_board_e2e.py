"""Tumor board in headless Chromium: the projector view and the printed report, both languages.

Screenshots go to artifacts/screenshots (board-*.png) and artifacts/report (report-*.pdf and
page PNGs by pdftoppm) to be looked at. The report is opened from a file with every network
request refused, printed to PDF on A4 and on Letter, and must fit on one or two pages.
"""

from __future__ import annotations

import json
import re
from datetime import date
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from mmlogic import assess, parse_case
from ui.report import build_report

from .conftest import ROOT
from .helpers import idle

pytestmark = pytest.mark.e2e
REPORTS = ROOT / "artifacts" / "report"
PRINTED = date(2026, 1, 2)


def _board(page: Page, title: str) -> None:
    page.locator("[data-testid=stSidebarNav]").get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("ex-01", timeout=30_000)
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)
    idle(page)


def test_board_view_on_a_projector_in_both_languages(page: Page, app_url: str, screenshots):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(app_url)
    idle(page)
    _board(page, "Tumor board")
    expect(page.locator(".board-oneline")).to_contain_text("58-year-old woman")
    expect(page.locator(".board-value").filter(has_text="Treat now")).to_be_visible()
    page.screenshot(path=str(screenshots / "board-en.png"), full_page=True)
    page.screenshot(path=str(screenshots / "board-en-first-screen.png"))
    page.set_viewport_size({"width": 1920, "height": 2100})  # the whole board (Streamlit scrolls inside)
    idle(page)
    page.screenshot(path=str(screenshots / "board-en-whole.png"))
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.locator("[data-testid=stSidebar]").get_by_text("简体中文").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("MDT", timeout=30_000)
    idle(page)
    expect(page.locator(".board-oneline")).to_contain_text("58岁女性")
    page.screenshot(path=str(screenshots / "board-zh.png"), full_page=True)
    page.screenshot(path=str(screenshots / "board-zh-first-screen.png"))
    page.set_viewport_size({"width": 1920, "height": 2100})
    idle(page)
    page.screenshot(path=str(screenshots / "board-zh-whole.png"))


def _case(name: str, decision: bool = False):
    path = ROOT / "cases" / f"{name}.json"
    data = json.loads(path.read_text("utf-8"))
    if decision:
        data["board_decisions"] = [{"date": "2024-07-10", "regimen": "Rd", "attendees": ["AB", "CD"],
                                    "rationale": "oral therapy preferred; bortezomib retreatment discussed"}]
    return parse_case(data)


def _pages(pdf: Path) -> int:
    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        return int(re.search(r"^Pages:\s+(\d+)", out, re.MULTILINE).group(1))
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", ["ex-01", "ex-05", "ex-04"])
def test_report_prints_on_one_or_two_pages_without_network(page: Page, name, lang):
    REPORTS.mkdir(parents=True, exist_ok=True)
    case = _case(name, decision=name == "ex-01")
    html = build_report(case, assess(case), lang, printed=PRINTED)
    source = REPORTS / f"report-{name}-{lang}.html"
    source.write_text(html, "utf-8")
    requests: list[str] = []

    def refuse(route):
        requests.append(route.request.url)
        route.abort()

    page.route(re.compile(r"^(?!file:).*"), refuse)
    page.goto(source.as_uri())
    expect(page.locator("svg").first).to_be_visible()
    assert requests == []
    page.emulate_media(media="print")
    for paper in ("A4", "Letter"):
        pdf = REPORTS / f"report-{name}-{lang}-{paper}.pdf"
        page.pdf(path=str(pdf), format=paper, print_background=True)
        pages = _pages(pdf)
        assert 1 <= pages <= 2, (name, lang, paper, pages)
        if shutil.which("pdftotext"):  # the @page footer is printed: page n of N and the printed date
            text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                                  check=True).stdout
            page_of = {"en": f"Page {pages} of {pages}", "zh": f"第 {pages} 页,共 {pages} 页"}[lang]
            assert page_of in text and PRINTED.isoformat() in text, (name, lang, paper, text[-400:])
        if shutil.which("pdftoppm") and paper == "A4":
            subprocess.run(["pdftoppm", "-png", "-r", "70", str(pdf), str(REPORTS / f"report-{name}-{lang}")],
                           check=True)
