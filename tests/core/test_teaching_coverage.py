"""Every rule of docs/spec/rules.md (sections A–H, J and the new ids of K) is demonstrated by a gallery case.

Coverage is read from the assessments (``Assessment.cited_rules()``), never written by hand;
the CLASS-* family rules are cited through each suggestion's ``family``.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from mmlogic import assess, parse_case, registry
from ui.teaching import gallery, rule_cases

ROOT = Path(__file__).resolve().parents[2]
INDEX = ROOT / "cases" / "teaching" / "index.toml"


def _assessments():
    raw = tomllib.loads(INDEX.read_text("utf-8"))
    for entry in raw["case"]:
        data = json.loads((ROOT / "cases" / entry["path"]).read_text("utf-8"))
        yield entry["id"], assess(parse_case(data))


def test_gallery_holds_every_example_and_teaching_case_with_bilingual_objectives():
    ids = [g.id for g in gallery()]
    examples = sorted(p.stem for p in (ROOT / "cases").glob("ex-*.json") if ".expected" not in p.name)
    teaching = sorted(p.stem for p in (ROOT / "cases" / "teaching").glob("*.json"))
    assert sorted(ids) == sorted(examples + teaching)
    assert len(ids) == len(set(ids))
    for g in gallery():
        assert g.objective.en.strip() and g.objective.zh.strip(), g.id
        assert any("\u4e00" <= ch <= "\u9fff" for ch in g.objective.zh), g.id
        assert g.case().case_id == g.id


def test_cited_rules_cover_every_non_assumption_rule():
    cited: set[str] = set()
    for _, a in _assessments():
        cited |= a.cited_rules()
    # The seed catalog (sections A–K); the contemporary pack's CP-* rules: test_contemporary.py.
    rules = [r for r in registry().values() if not r.is_assumption and r.section != "CP"]
    assert {r.section for r in rules} == set("ABCDEFGHJK")
    missing = sorted(r.id for r in rules if r.id not in cited)
    assert missing == [], missing


def test_every_rule_links_to_a_gallery_case():
    links = rule_cases()
    for rule_id, rule in registry().items():
        if rule.is_assumption or rule.section == "CP":
            continue
        assert links.get(rule_id), rule_id


def test_teaching_cases_are_valid_and_say_what_they_teach():
    expected = {
        "tc-01": {"DEF-PRIMARY-REFRACTORY", "RESP-SD", "CYTO-INTERMEDIATE", "COMORB-HEPATIC"},
        "tc-02": {"RESP-CR", "BIO-REAPPEAR", "CYTO-LEN", "SEQ-EU"},
        "tc-03": {"RESP-MR", "BIO-URINE", "CLIN-CREAT", "STEROID-INTOL"},
        # catalog 1.1 (rules.md J, K)
        "tc-04": {"MARKER-LC", "MARKER-FOLLOWED", "BIO-FLC", "TIMING-DOUBLING"},
        "tc-05": {"BIO-FLC-ESCAPE", "MARKER-FOLLOWED", "ASSUME-LC-ESCAPE"},
        "tc-06": {"BIO-REAPPEAR"},
        "tc-07": {"KIN-DT-RECENT", "TIMING-DOUBLING", "BIO-SERUM"},
        "tc-08": {"WATCH-CONFIRM", "DATA-NOISE", "DATA-IMPLAUSIBLE", "RISK-HIGH-FEATURES"},
        "tc-09": {"TIMING-REFRACTORY", "BIO-SERUM"},
    }
    got = dict(_assessments())
    for case_id, rules in expected.items():
        assert rules <= got[case_id].cited_rules(), (case_id, rules - got[case_id].cited_rules())
    # What each 1.1 case teaches, beyond the ids it cites.
    assert got["tc-04"].timing.recommendation == "treat_now"
    assert [m.why for m in got["tc-04"].lines[0].followed_markers] == ["measurable", "light_chain_isotype"]
    assert got["tc-06"].relapse.biochemical
    assert got["tc-07"].kinetics.markers["serum_m_protein"].timing_window == "recent"
    assert got["tc-08"].timing.recommendation == "confirm" and not got["tc-08"].relapse.clinical
    assert any("pre-existing renal damage" in w.en for w in got["tc-08"].warnings)
    assert "extramedullary_plasmacytoma" in got["tc-08"].risk.features
    assert got["tc-09"].timing.detail.en == "progressing on current therapy — change therapy"
