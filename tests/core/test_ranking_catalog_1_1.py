"""Catalog 1.1 ranking and sequence revisions (rules.md K; issue #12, ranking part).

One focused test per effect, in the style of test_ranking_effects.py, then the clinical review's
failures as regression tests, then properties:
- DEF-DRUG-REFRACTORY across thalidomide ↔ lenalidomide (ASSUME-IMID-CLASS), ranked down by
  SEQ-REFRACTORY-DRUG and never called "not used before";
- STEROID-INTOL / IMID-THAL / IMID-LEN: a single agent ranks below its steroid doublet unless the
  patient is steroid-intolerant; Vd carries bortezomib's evidence;
- ASSUME-HARVEST: melphalan regimens rank down while a first ASCT is an option and no stem cells are stored;
- SEQ-NCCN / SEQ-EU: a refractory previous regimen is neither sensitive nor repeated; no response says so.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from mmlogic import CaseInvalid, assess, parse_case
from mmlogic.cross_resistance import class_refractory
from mmlogic.summary import render_text as summary_text
from ui.teaching import gallery_case

from .factory import asct, line, make_case, ranks, reason_rules, relapsed_case, run, serum, suggestion
from .strategies import cases

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MELPHALAN = {"MPT", "T-Md", "VMPT", "HD-MEL", "VMPC"}
PAIRS = (("T", "Td"), ("R", "Rd"), ("V", "Vd"))
# Serum M 30 → PR (12) → nadir 5 on day 180, then a confirmed rise on days 400 and 430.
RELAPSE = [(-5, 30.0), (60, 12.0), (120, 6.0), (180, 5.0), (400, 10.5), (430, 12.0)]


def texts(a, regimen):
    return [r.text.en for r in suggestion(a, regimen).reasons] + [r.text.zh for r in suggestion(a, regimen).reasons]


def on_therapy_case(regimen, drugs=None, **kw):
    """``regimen`` from day 0, still given at progression (day 400): refractory to it, remission 340 days."""
    return make_case(labs=serum(RELAPSE), lines=[line(regimen, 0, None, drugs=drugs)], as_of=450, **kw)


def off_therapy_case(regimen, drugs=None, **kw):
    """``regimen`` days 0–150, progression 250 days after its end: sensitive, remission 340 days."""
    return make_case(labs=serum(RELAPSE), lines=[line(regimen, 0, 150, drugs=drugs)], as_of=450, **kw)


# ---- DEF-DRUG-REFRACTORY across the IMiD class (ASSUME-IMID-CLASS) -------------------------------

def test_class_refractory_carries_between_thalidomide_and_lenalidomide_only():
    assert class_refractory(["lenalidomide"]) == {"thalidomide": "lenalidomide"}
    assert class_refractory(["thalidomide"]) == {"lenalidomide": "thalidomide"}
    assert class_refractory(["thalidomide", "lenalidomide"]) == {}
    # Other classes carry nothing in the seed pack.
    assert class_refractory(["bortezomib", "melphalan", "cyclophosphamide", "doxorubicin"]) == {}


@pytest.mark.parametrize(("regimen", "drug", "mate"), [("Rd", "lenalidomide", "thalidomide"),
                                                        ("Td", "thalidomide", "lenalidomide")])
def test_the_other_imid_is_refractory_by_class(regimen, drug, mate):
    a = run(on_therapy_case(regimen))
    assert a.status.refractory_drugs == [drug]
    assert "ASSUME-IMID-CLASS" in a.assumptions
    for s in a.suggestions:
        if mate in s.drugs:
            marks = [r for r in s.reasons if r.rule == "SEQ-REFRACTORY-DRUG" and "refractory (class)" in r.text.en]
            assert len(marks) == 1 and marks[0].effect == "-", s.regimen
            assert s.score[0] < 0
    # Without refractoriness nothing carries.
    sensitive = run(off_therapy_case(regimen))
    assert "ASSUME-IMID-CLASS" not in sensitive.assumptions


def test_a_class_refractory_drug_is_never_called_not_used_before():
    a = run(on_therapy_case("Rd"))
    for s in a.suggestions:
        for r in s.reasons:
            if "not used before" in r.text.en:
                assert "thalidomide" not in r.text.en.split("not used before")[1], (s.regimen, r.text.en)
                assert "沙利度胺" not in r.text.zh.split("未用过")[1], (s.regimen, r.text.zh)


def test_bortezomib_refractoriness_carries_to_no_other_drug():
    a = run(on_therapy_case("Vd"))
    assert a.status.refractory_drugs == ["bortezomib"]
    assert "ASSUME-IMID-CLASS" not in a.assumptions
    assert all("SEQ-REFRACTORY-DRUG" not in reason_rules(a, s.regimen) for s in a.suggestions
               if "bortezomib" not in s.drugs)


# ---- STEROID-INTOL / IMID-THAL / IMID-LEN: a single agent below its steroid doublet ------------------

@pytest.mark.parametrize(("single", "doublet"), PAIRS)
def test_single_agent_ranks_below_its_steroid_doublet(single, doublet):
    a = run(relapsed_case())
    r = ranks(a)
    assert r[single] > r[doublet]
    down = [x for x in suggestion(a, single).reasons if x.rule == "STEROID-INTOL"]
    assert len(down) == 1 and down[0].effect == "-" and doublet in down[0].text.en
    assert "STEROID-INTOL" not in reason_rules(a, doublet)


@pytest.mark.parametrize(("single", "doublet"), PAIRS)
def test_steroid_intolerant_patient_gets_the_single_agent_first(single, doublet):
    a = run(relapsed_case(patient={"steroid_intolerant": True}))
    assert ranks(a)[single] < ranks(a)[doublet]
    assert "STEROID-INTOL" in reason_rules(a, doublet) and "STEROID-INTOL" not in reason_rules(a, single)


def test_single_agent_stays_below_its_doublet_even_when_it_may_be_repeated():
    # R was the previous regimen, sensitive (340 days' remission): SEQ-NCCN may repeat it, and the
    # fewer-drugs tie-break must still not lift it above Rd.
    a = run(off_therapy_case("R"))
    assert a.sequence.may_repeat_previous is True and a.sequence.previous_regimen == "R"
    assert "SEQ-NCCN" in reason_rules(a, "R")
    assert ranks(a)["R"] > ranks(a)["Rd"]


def test_vd_carries_bortezomibs_evidence():
    first_relapse = run(relapsed_case())
    assert {"PI-BORT"} <= set(reason_rules(first_relapse, "Vd"))
    # Vd days 0–150, as_of 333 days: 6.0 months bortezomib-free → PI-RETREAT favours Vd like V.
    retreat = run(make_case(labs=serum([(-5, 40.0), (60, 10.0), (120, 5.0), (300, 12.0), (320, 14.0)]),
                            lines=[line("VRd", 0, 150)], as_of=150 + 183))
    assert "PI-RETREAT" in reason_rules(retreat, "Vd") and "PI-RETREAT" in reason_rules(retreat, "V")


# ---- ASSUME-HARVEST ------------------------------------------------------------------------------

def test_melphalan_ranks_down_while_a_first_transplant_is_an_option_and_no_cells_are_stored():
    a = run(relapsed_case())
    assert a.transplant.first_asct == "suggested"
    assert "ASSUME-HARVEST" in a.assumptions
    for s in a.suggestions:
        harvest = [r for r in s.reasons if r.rule == "ASSUME-HARVEST"]
        assert bool(harvest) == (s.regimen in MELPHALAN), s.regimen
    assert max(ranks(a)[m] for m in MELPHALAN - {"HD-MEL", "VMPC"}) > 0
    unharmed = {s.regimen for s in a.suggestions if s.score[0] == 0}
    assert min(ranks(a)[m] for m in MELPHALAN) > max(ranks(a)[u] for u in unharmed)


@pytest.mark.parametrize("change", [
    {"patient": {"stem_cells_stored": True}},                  # cells stored: nothing to protect
    {"transplants": [asct(200)]},                              # first ASCT done: TX-ASCT1 not applicable
    {"patient": {"fit_for_intensive_therapy": False}},         # frail: no transplant
])
def test_no_harvest_rank_down_without_a_harvest_to_protect(change):
    a = run(relapsed_case(**change))
    assert "ASSUME-HARVEST" not in a.assumptions
    assert not any("ASSUME-HARVEST" in reason_rules(a, s.regimen) for s in a.suggestions)


def test_stem_cells_not_known_counts_as_not_stored():
    unknown = run(relapsed_case(patient={"stem_cells_stored": None}))
    stored_no = run(relapsed_case(patient={"stem_cells_stored": False}))
    assert ranks(unknown) == ranks(stored_no)
    assert "ASSUME-HARVEST" in unknown.assumptions


def test_stem_cells_stored_must_be_a_yes_or_no():
    with pytest.raises(CaseInvalid) as err:
        parse_case(relapsed_case(patient={"stem_cells_stored": "sometimes"}))
    assert any("stem_cells_stored" in p.path for p in err.value.problems)


# ---- SEQ-NCCN / SEQ-EU -----------------------------------------------------------------------------

@pytest.mark.parametrize("school", ["nccn", "european"])
def test_refractory_previous_regimen_is_neither_sensitive_nor_repeated(school):
    a = run(on_therapy_case("VRd", school=school))
    s = a.sequence
    assert s.remission_months is not None and s.remission_months > 6  # a long remission, on therapy
    assert s.sensitive is False and s.may_repeat_previous is False and s.previous_refractory is True
    assert "DEF-DRUG-REFRACTORY" in s.rules
    assert "refractory" in s.detail.en and "耐药" in s.detail.zh
    assert "VRd" not in ranks(a)
    assert "may repeat previous no" in summary_text(a, "en")


def test_primary_refractory_says_no_response():
    # Vd days 0–120 with no response (30 → 29 → 31 → 37 → 40): primary refractory.
    a = run(make_case(labs=serum([(-5, 30.0), (30, 29.0), (60, 31.0), (100, 37.0), (120, 40.0)]),
                      lines=[line("Vd", 0, 120)], as_of=150))
    s = a.sequence
    assert s.no_response is True and s.sensitive is False and s.may_repeat_previous is False
    assert s.remission_months is None
    text = summary_text(a, "en")
    assert "no response" in text and "unknown months" not in text and "remission — months" not in text
    assert "无效" in summary_text(a, "zh")
    excluded = {e.regimen: e for e in a.excluded}
    if "Vd" in excluded:
        assert "no response" in excluded["Vd"].why.en and "unknown" not in excluded["Vd"].why.en


# ---- regressions: the clinical review's failures ------------------------------------------------------

def test_regression_thalidomide_after_lenalidomide_refractory_disease():
    """Was: thalidomide regimens ranked 2–5 with the reason "not used before"."""
    a = run(on_therapy_case("Rd"))
    assert not any("thalidomide" in s.drugs for s in a.suggestions[:5])
    for s in a.suggestions:
        if "thalidomide" in s.drugs:
            assert not any("thalidomide" in r.text.en.partition("not used before")[2] for r in s.reasons)
    clean = [s for s in a.suggestions if s.score[0] == 0]
    imid = [s for s in a.suggestions if {"thalidomide", "lenalidomide"} & set(s.drugs)]
    assert clean and imid and min(s.rank for s in imid) > max(s.rank for s in clean)


def test_regression_lenalidomide_alone_below_rd_in_a_steroid_tolerant_patient():
    """Was: lenalidomide alone outranked Rd (fewer drugs tie-break)."""
    a = run(relapsed_case(patient={"age": 78}))
    assert ranks(a)["R"] > ranks(a)["Rd"]


def test_regression_mpt_does_not_top_a_transplant_candidate():
    """Was: MPT topped the list of a transplant candidate."""
    a = run(relapsed_case())
    assert a.suggestions[0].regimen not in MELPHALAN
    assert "MPT" not in [s.regimen for s in a.suggestions[:5]]


def test_regression_refractory_regimen_is_not_shown_as_repeatable():
    """Was: "may repeat previous: yes" for a refractory regimen."""
    a = run(on_therapy_case("Rd"))
    assert a.sequence.may_repeat_previous is False
    assert "may repeat previous yes" not in summary_text(a, "en")


# ---- properties -------------------------------------------------------------------------------------

@FAST
@given(cases())
def test_regimens_with_refractory_or_class_refractory_drugs_never_outrank_clean_ones(data):
    a = run(data)
    refractory = set(a.status.refractory_drugs) | set(class_refractory(a.status.refractory_drugs))
    tainted = [s for s in a.suggestions if refractory & set(s.drugs)]
    clean = [s for s in a.suggestions if not refractory & set(s.drugs) and s.score[0] == 0]
    if tainted and clean:
        assert min(s.rank for s in tainted) > max(s.rank for s in clean)


@FAST
@given(cases())
def test_single_agent_never_above_its_steroid_doublet_unless_steroid_intolerant(data):
    a = run(data)
    r = ranks(a)
    for single, doublet in PAIRS:
        if single in r and doublet in r and not data["patient"]["steroid_intolerant"]:
            assert r[single] > r[doublet], (single, doublet)


# ---- teaching ---------------------------------------------------------------------------------------

def test_teaching_case_demonstrates_every_catalog_1_1_ranking_row():
    g = gallery_case("tc-imid-class")
    assert g is not None and "stem" in g.objective.en and "干细胞" in g.objective.zh
    a = assess(g.case())
    assert {"ASSUME-IMID-CLASS", "ASSUME-HARVEST", "STEROID-INTOL", "SEQ-REFRACTORY-DRUG",
            "DEF-DRUG-REFRACTORY", "SEQ-NCCN"} <= a.cited_rules()
    assert a.sequence.previous_refractory and not a.sequence.may_repeat_previous and a.sequence.sensitive is False
    r = ranks(a)
    assert r["T"] > r["Td"] and r["V"] > r["Vd"]
    assert any("refractory (class)" in x.text.en for x in suggestion(a, "Td").reasons)
    assert "ASSUME-HARVEST" in reason_rules(a, "MPT")
