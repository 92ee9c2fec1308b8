"""The Assessment page's text blocks: rule ids expand to registry explanations; user text escaped."""

from __future__ import annotations

import json
from pathlib import Path

from mmlogic import assess, parse_case
from mmlogic.rules import registry
from ui import assessment_view as view
from ui import contemporary_view as cview
from ui import suggestions_view

ROOT = Path(__file__).resolve().parents[2]


def case(name="ex-01", **changes):
    data = json.loads((ROOT / "cases" / f"{name}.json").read_text())
    data.update(changes)
    return data


def test_every_cited_rule_is_shown_with_its_explanation():
    a = assess(parse_case(case()))
    left, right = view.sections(a, "en")
    text = "\n".join(left + right) + "\n".join(suggestions_view.markdown(s, "en") for s in a.suggestions)
    text += view.assumptions_block(a, "en") + view.excluded_block(a, "en")
    text += cview.exposure_block(a.exposure, "en")  # issue 15: shown in both packs
    for rule_id in a.cited_rules():
        assert rule_id in text, rule_id
    explanation = registry()["BIO-SERUM"].explanation.en
    assert view.e(explanation) in "\n".join(left)


def test_free_text_regimen_is_escaped():
    data = case("ex-04")
    data["therapy_lines"][1]["regimen"] = "<img src=x onerror=alert(1)> *len*"
    a = assess(parse_case(data))
    left, _ = view.sections(a, "en")
    blob = "\n".join(left)
    assert "<img" not in blob and "&lt;img" in blob and "*len*" not in blob


def test_chinese_blocks():
    a = assess(parse_case(case()))
    left, right = view.sections(a, "zh")
    assert "疾病状态" in left[0] and "规则" in left[0]


def test_contemporary_blocks_escape_case_text_and_carry_the_disclaimer():
    data = case("ex-04")
    data["therapy_lines"][1]["drugs"] = ["<script>alert(1)</script>", "lenalidomide"]
    data["settings"] = {"pack": "contemporary", "jurisdiction": "eu"}
    a = assess(parse_case(data))
    blob = cview.exposure_block(a.exposure, "en") + "".join(html for _, _, html in cview.group_blocks(a, "en"))
    assert "<script" not in blob and "&lt;script&gt;" in blob
    n_options = len(a.evidence_options)
    assert blob.count("Evidence summary, not a recommendation; check the current label and guideline.") == n_options
    assert "contemporary-2025.1" in cview.pack_caption(a, "zh")
