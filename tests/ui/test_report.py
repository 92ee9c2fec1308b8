"""The printable report (ui/report.py): complete, self-contained, in both languages."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from mmlogic import RULES_VERSION, assess, parse_case, registry
from ui.report import build_report, first_sentence, primary_marker

ROOT = Path(__file__).resolve().parents[2]
CASES = sorted(p for p in (ROOT / "cases").glob("ex-*.json") if ".expected" not in p.name)
CASES += sorted((ROOT / "cases" / "teaching").glob("*.json"))
NETWORK = re.compile(r"https?:|//cdn|\bsrc\s*=|@import|url\(|<link|<script|xmlns", re.IGNORECASE)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)

    def handle_data(self, data):
        self.parts.append(data)


def _parse(html: str) -> _Text:
    p = _Text()
    p.feed(html)
    return p


def _load(path: Path):
    case = parse_case(json.loads(path.read_text("utf-8")))
    return case, assess(case)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_report_carries_case_date_version_every_cited_rule_and_the_disclaimer(path, lang):
    case, a = _load(path)
    html = build_report(case, a, lang)
    text = " ".join(_parse(html).parts)
    assert case.case_id in text and a.as_of.isoformat() in text and RULES_VERSION in text
    rules = registry()
    for rule_id in a.cited_rules():
        assert rule_id in text, rule_id
        if rule_id in rules:
            rule = rules[rule_id]
            line = rule.title.get(lang) if rule.is_assumption else first_sentence(rule.explanation.get(lang))
            assert line in html.replace("&#x27;", "'").replace(
                "&quot;", '"').replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"), rule_id
    marker = "决策支持" if lang == "zh" else "Decision support"
    assert marker in text
    if lang == "zh":
        assert "疾病状态" in text and "规则版本" in text


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_report_is_self_contained(path):
    case, a = _load(path)
    for lang in ("en", "zh"):
        html = build_report(case, a, lang)
        assert not NETWORK.search(html), NETWORK.search(html)
        parsed = _parse(html)
        assert "script" not in parsed.tags and "img" not in parsed.tags and "link" not in parsed.tags
        if primary_marker(a) is not None:
            assert "<svg" in html and "<path" in html
        assert "@page" in html and "@media print" in html


def test_report_shows_board_decisions_next_to_the_ranking():
    data = json.loads((ROOT / "cases" / "ex-01.json").read_text("utf-8"))
    data["board_decisions"] = [{"date": "2024-07-10", "regimen": "Rd", "rationale": "patient prefers oral therapy",
                                "attendees": ["AB", "CD"]}]
    case = parse_case(data)
    a = assess(case)
    html = build_report(case, a, "en")
    assert "patient prefers oral therapy" in html and "AB, CD" in html
    rank = next(s.rank for s in a.suggestions if s.regimen == "Rd")
    assert f"rank {rank}" in html and a.suggestions[0].regimen in html


def test_first_sentence_cuts_at_the_first_full_stop():
    assert first_sentence("Alpha beta. Gamma delta.") == "Alpha beta."
    assert first_sentence("复发的定义。其次是说明。") == "复发的定义。"
    assert first_sentence("No full stop") == "No full stop"


def test_first_sentence_never_cuts_inside_brackets():
    from ui.report import first_sentence

    zh = "检出亚二倍体、t(4;14)、del(17p)中任一项,归入高危组。其余为中危。"
    assert first_sentence(zh) == "检出亚二倍体、t(4;14)、del(17p)中任一项,归入高危组。"
    en = "Bortezomib offsets t(4;14); it is preferred. Second sentence."
    assert first_sentence(en).startswith("Bortezomib offsets t(4;14)")
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_names_the_pack_and_its_options_with_the_disclaimer(lang):
    case, a = _load(ROOT / "cases" / "teaching" / "tc-10.json")
    text = " ".join(_parse(build_report(case, a, lang)).parts)
    assert "contemporary-2025.1" in text and "2026-03" in text
    disclaimer = "证据摘要,并非治疗推荐" if lang == "zh" else "Evidence summary, not a recommendation"
    assert text.count(disclaimer) == sum(1 for o in a.evidence_options if o.group in (1, 2))
    seed_case, seed_a = _load(ROOT / "cases" / "ex-01.json")
    assert "seed-" in " ".join(_parse(build_report(seed_case, seed_a, lang)).parts)
