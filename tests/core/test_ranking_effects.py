"""One focused test per ranking rule (issue #4; rules.md sections E–H, "Ranking precedence").

Each test compares two cases that differ only in the rule's input, and checks that the regimens
the rule names move in the stated direction, carry the rule id, and that nothing else moves.
The base case is ``factory.relapsed_case``: relapse 340 days after melphalan-prednisone, fit,
standard risk, no comorbidity.
"""

from __future__ import annotations

import pytest

from .factory import (
    caution_rules,
    containing,
    lab,
    line,
    make_case,
    ranks,
    reason_rules,
    relapsed_case,
    run,
    scores,
    serum,
    suggestion,
)

STEROIDS = ("dexamethasone", "prednisone", "methylprednisolone")
INTENSIVE = {"DT-PACE", "HD-MEL", "VMPC", "CEVAD", "DCEP"}


def conventional(a):
    return {s.regimen for s in a.suggestions if any(r.rule == "OPT-CONVENTIONAL" for r in s.reasons)}


def with_any(a, *drugs):
    return {s.regimen for s in a.suggestions if any(d in s.drugs for d in drugs)}


def assert_below_all(a, group, others):
    """Every regimen of ``group`` ranks after every regimen of ``others``."""
    r = ranks(a)
    assert group and others
    assert min(r[g] for g in group) > max(r[o] for o in others), {g: r[g] for g in group}


def assert_not_raised(before, after, group):
    rb, ra = ranks(before), ranks(after)
    for g in group:
        assert ra[g] >= rb[g], (g, rb[g], ra[g])


def assert_not_lowered(before, after, group):
    rb, ra = ranks(before), ranks(after)
    for g in group:
        assert ra[g] <= rb[g], (g, rb[g], ra[g])


def assert_unchanged_scores(before, after, group):
    sb, sa = scores(before), scores(after)
    for g in group:
        assert sa[g] == sb[g], g


def assert_conventional_last(a):
    conv = conventional(a)
    novel = {s.regimen for s in a.suggestions} - conv
    assert conv == {"HD-MEL", "HD-MP", "HD-DEX", "VAD", "VMPC", "CEVAD", "DCEP"} - {e.regimen for e in a.excluded}
    assert_below_all(a, conv, novel)


@pytest.fixture(scope="module")
def base():
    return run(relapsed_case())


def test_base_case(base):
    assert base.status.category == "relapsed"
    assert base.risk.overall == "standard" and base.goal.fit is True
    assert base.excluded == []
    assert_conventional_last(base)
    assert 1 <= base.suggestions[0].n_drugs <= 2


def test_ties_break_by_fewer_drugs_then_id(base):
    for x, y in zip(base.suggestions, base.suggestions[1:]):
        if x.score == y.score:
            assert (x.n_drugs, x.regimen) < (y.n_drugs, y.regimen)
        else:
            assert [-v for v in x.score] < [-v for v in y.score]


# ---- COMORB-VTE-IMID / COMORB-VTE-BORT -----------------------------------------------------------

@pytest.mark.parametrize("flag", ["recent_thrombosis", "hypercoagulable"])
def test_thrombosis_puts_imid_regimens_below_all_other_novel_ones(base, flag):
    a = run(relapsed_case(comorbidities={flag: True}))
    imid = with_any(a, "thalidomide", "lenalidomide")
    others = {s.regimen for s in a.suggestions} - imid - conventional(a)
    assert_below_all(a, imid, others)
    # COMORB-VTE-BORT (level 3) may reorder the IMiD regimens that also hold bortezomib among themselves.
    assert_not_raised(base, a, imid - set(containing(a, "bortezomib")))
    for regimen in imid:
        assert "COMORB-VTE-IMID" in reason_rules(a, regimen)
        assert "COMORB-VTE-IMID" in caution_rules(a, regimen)
    for regimen in containing(a, "bortezomib"):
        assert "COMORB-VTE-BORT" in reason_rules(a, regimen)
    assert_conventional_last(a)


def test_anticoagulation_keeps_imid_regimens_with_a_caution(base):
    a = run(relapsed_case(comorbidities={"recent_thrombosis": True, "on_anticoagulation": True}))
    imid = with_any(a, "thalidomide", "lenalidomide")
    bort = set(containing(a, "bortezomib"))
    sb, sa = scores(base), scores(a)
    for regimen in imid:
        assert "COMORB-VTE-IMID" not in reason_rules(a, regimen)
        cautions = [c.text.en for c in suggestion(a, regimen).cautions if c.rule == "COMORB-VTE-IMID"]
        assert cautions == ["recent thrombosis or hypercoagulable state: use only with continued anticoagulation"]
        if regimen not in bort:
            assert sa[regimen] == sb[regimen]
    # Apart from COMORB-VTE-BORT raising bortezomib regimens, the order is the base order.
    order = [s.regimen for s in a.suggestions if s.regimen not in bort]
    assert order == [s.regimen for s in base.suggestions if s.regimen not in bort]


# ---- COMORB-RENAL / COMORB-LEN-CRCL -------------------------------------------------------------

def renal_case(creatinine, unit="mg/dL", weight=70, **comorb):
    return relapsed_case(labs=serum([(-5, 30.0), (60, 12.0), (120, 6.0), (180, 5.0), (400, 10.5), (430, 12.0)])
                         + [lab(440, "creatinine", creatinine, unit, myeloma_related=False)],
                         patient={"weight_kg": weight}, comorbidities=comorb)


def test_renal_impairment_raises_bortezomib_regimens():
    normal, impaired = run(renal_case(1.0)), run(renal_case(1.6))
    assert normal.renal.impaired is False and impaired.renal.impaired is True
    bort = containing(impaired, "bortezomib")
    sn, si = scores(normal), scores(impaired)
    for regimen in bort:
        assert "COMORB-RENAL" in reason_rules(impaired, regimen)
        assert si[regimen][2] == sn[regimen][2] + 1
    assert_not_lowered(normal, impaired, bort)
    assert any(ranks(impaired)[r] < ranks(normal)[r] for r in bort)
    assert_unchanged_scores(normal, impaired, {s.regimen for s in impaired.suggestions} - set(bort))


@pytest.mark.parametrize(("creatinine", "unit", "weight", "dialysis", "crcl", "label"), [
    (1.6, "mg/dL", 70, False, 48.6, "lenalidomide 10 mg daily"),
    (176.8, "umol/L", 54, False, 30.0, "lenalidomide 10 mg daily"),
    (176.8, "umol/L", 53.9, False, 29.9, "lenalidomide 15 mg every 48 h"),
    (3.0, "mg/dL", 70, False, 25.9, "lenalidomide 15 mg every 48 h"),
    (3.0, "mg/dL", 70, True, 25.9, "lenalidomide 5 mg daily"),
], ids=["48.6", "30.0", "29.9", "25.9", "dialysis"])
def test_len_crcl_caution_tiers(creatinine, unit, weight, dialysis, crcl, label):
    a = run(renal_case(creatinine, unit, weight, on_dialysis=dialysis))
    assert a.renal.creatinine_clearance_ml_min == crcl
    for regimen in containing(a, "lenalidomide"):
        texts = [c.text.en for c in suggestion(a, regimen).cautions if c.rule == "COMORB-LEN-CRCL"]
        assert len(texts) == 1 and label in texts[0]
        if not dialysis:
            assert f"{crcl:g} mL/min" in texts[0]
    normal = run(renal_case(1.0))
    assert not any("COMORB-LEN-CRCL" in caution_rules(normal, r) for r in containing(normal, "lenalidomide"))


def test_len_crcl_caution_does_not_change_the_rank():
    normal, impaired = run(renal_case(1.0)), run(renal_case(1.6))
    len_only = set(containing(impaired, "lenalidomide")) - set(containing(impaired, "bortezomib"))
    assert_unchanged_scores(normal, impaired, len_only)


# ---- neuropathy ---------------------------------------------------------------------------------

def test_neuropathy_grade_1_prefers_lenalidomide_and_cautions_bortezomib(base):
    a = run(relapsed_case(comorbidities={"peripheral_neuropathy_grade": 1}))
    lenalidomide = containing(a, "lenalidomide")
    for regimen in lenalidomide:
        assert "COMORB-NEURO-LEN" in reason_rules(a, regimen)
        assert scores(a)[regimen][2] == scores(base)[regimen][2] + 1
    assert_not_lowered(base, a, lenalidomide)
    for regimen in containing(a, "bortezomib"):
        assert "COMORB-NEURO-BORT" in caution_rules(a, regimen)
        assert "COMORB-NEURO-BORT" not in reason_rules(a, regimen)
    assert all(scores(a)[r][0] == scores(base)[r][0] for r in scores(a))


def test_neuropathy_grade_2_ranks_bortezomib_and_thalidomide_down(base):
    a = run(relapsed_case(comorbidities={"peripheral_neuropathy_grade": 2}))
    neurotoxic = with_any(a, "bortezomib", "thalidomide")
    others = {s.regimen for s in a.suggestions} - neurotoxic - conventional(a)
    assert_below_all(a, neurotoxic, others)
    assert_not_raised(base, a, neurotoxic)
    for regimen in neurotoxic:
        assert "COMORB-NEURO-BORT" in reason_rules(a, regimen)
    for regimen in containing(a, "bortezomib"):
        assert "COMORB-NEURO-BORT" in caution_rules(a, regimen)
    assert "lenalidomide" in a.suggestions[0].drugs
    assert_conventional_last(a)


# ---- hepatic, cytogenetics ----------------------------------------------------------------------

def test_hepatic_impairment_prefers_lenalidomide(base):
    a = run(relapsed_case(comorbidities={"hepatic_impairment": True}))
    lenalidomide = containing(a, "lenalidomide")
    for regimen in lenalidomide:
        assert "COMORB-HEPATIC" in reason_rules(a, regimen)
    assert_not_lowered(base, a, lenalidomide)
    assert_unchanged_scores(base, a, {s.regimen for s in a.suggestions} - set(lenalidomide))
    assert "lenalidomide" in a.suggestions[0].drugs


@pytest.mark.parametrize(("lesion", "drug", "rule"), [
    ("t(4;14)", "bortezomib", "CYTO-BORT"),
    ("del(13q)", "bortezomib", "CYTO-BORT"),
    ("del(17p)", "lenalidomide", "CYTO-LEN"),
])
def test_cytogenetic_preferences(lesion, drug, rule):
    # Both cases are high risk (hypodiploid), so only the named lesion differs.
    before = run(relapsed_case(cytogenetics=["hypodiploid"]))
    after = run(relapsed_case(cytogenetics=["hypodiploid", lesion]))
    assert before.risk.overall == after.risk.overall == "high"
    group = containing(after, drug)
    for regimen in group:
        assert rule in reason_rules(after, regimen)
        assert scores(after)[regimen][2] == scores(before)[regimen][2] + 1
    assert_not_lowered(before, after, group)
    assert_unchanged_scores(before, after, {s.regimen for s in after.suggestions} - set(group))
    assert drug in after.suggestions[0].drugs


def test_preferences_add_up_within_a_level():
    a = run(relapsed_case(cytogenetics=["hypodiploid", "t(4;14)"], comorbidities={"renal_impairment": True}))
    for regimen in containing(a, "bortezomib"):
        assert scores(a)[regimen][2] == 2


# ---- steroid intolerance, age --------------------------------------------------------------------

def test_steroid_intolerance(base):
    a = run(relapsed_case(patient={"steroid_intolerant": True}))
    steroid = with_any(a, *STEROIDS)
    for regimen in steroid:
        assert "STEROID-INTOL" in reason_rules(a, regimen)
    assert_not_raised(base, a, steroid)
    others = {s.regimen for s in a.suggestions} - steroid - conventional(a)
    assert_below_all(a, steroid - conventional(a), others)
    assert ranks(a)["R"] <= ranks(base)["R"] and ranks(a)["T"] <= ranks(base)["T"]
    assert not set(a.suggestions[0].drugs) & set(STEROIDS)


def test_steroid_intolerance_lifts_monotherapy_above_steroid_triplets():
    # High risk: the 3–4-drug steroid regimens lead; with steroid intolerance T and R overtake them.
    before = run(relapsed_case(cytogenetics=["hypodiploid"]))
    after = run(relapsed_case(cytogenetics=["hypodiploid"], patient={"steroid_intolerant": True}))
    for mono in ("T", "R"):
        assert ranks(after)[mono] < ranks(before)[mono]
    steroid = with_any(after, *STEROIDS) - conventional(after)
    assert max(ranks(after)[m] for m in ("T", "R")) < min(ranks(after)[r] for r in steroid)


@pytest.mark.parametrize(("age", "expected"), [(74, False), (75, True), (82, True)])
def test_age_75_favours_rd(base, age, expected):
    a = run(relapsed_case(patient={"age": age, "fit_for_intensive_therapy": True}))
    assert ("AGE-75-RD" in reason_rules(a, "Rd")) is expected
    assert all("AGE-75-RD" not in reason_rules(a, s.regimen) for s in a.suggestions if s.regimen != "Rd")
    if expected:
        assert ranks(a)["Rd"] < ranks(base)["Rd"]


# ---- prior thalidomide (IMID-CROSS) ---------------------------------------------------------------

def test_prior_thalidomide_cautions_lenalidomide_regimens():
    before = run(relapsed_case(lines=[line("Cd", 0, 180, drugs=["cyclophosphamide", "dexamethasone"])]))
    after = run(relapsed_case(lines=[line("CTd", 0, 180)]))
    for regimen in containing(after, "lenalidomide"):
        assert "IMID-CROSS" in caution_rules(after, regimen)
        assert "IMID-CROSS" not in caution_rules(before, regimen)
    assert_unchanged_scores(before, after, containing(after, "lenalidomide"))
    assert not any("IMID-CROSS" in caution_rules(after, r) for r in
                   {s.regimen for s in after.suggestions} - set(containing(after, "lenalidomide")))


# ---- refractory drug (SEQ-REFRACTORY-DRUG) --------------------------------------------------------

def refractory_case(line_end):
    """Rd from day 0; PR on day 60; progression on day 400 (remission 340 days in both cases)."""
    return make_case(labs=serum([(-5, 30.0), (60, 12.0), (120, 6.0), (180, 5.0), (400, 10.5), (430, 12.0)]),
                     lines=[line("Rd", 0, line_end)], as_of=450, cytogenetics=["hypodiploid"])


def test_refractory_drug_ranks_its_regimens_down():
    before, after = run(refractory_case(150)), run(refractory_case(350))
    assert before.lines[0].refractory is False and after.lines[0].refractory is True
    assert after.status.refractory_drugs == ["lenalidomide"]
    assert before.sequence.remission_months == after.sequence.remission_months
    # Catalog 1.1: thalidomide carries lenalidomide's refractoriness (ASSUME-IMID-CLASS).
    group = set(containing(after, "lenalidomide")) | set(containing(after, "thalidomide"))
    for regimen in group:
        assert "SEQ-REFRACTORY-DRUG" in reason_rules(after, regimen)
    # Below every regimen with no rank-down of its own at level 1 (melphalan regimens are ranked down
    # by ASSUME-HARVEST here: a fit patient with no transplant and no stored stem cells).
    others = {s.regimen for s in after.suggestions if s.score[0] == 0}
    assert_below_all(after, group, others)
    # Catalog 1.1 (SEQ-NCCN): the refractory previous regimen is not repeated, whatever the remission.
    assert before.sequence.may_repeat_previous is True and after.sequence.may_repeat_previous is False
    assert [(e.regimen, "DEF-DRUG-REFRACTORY" in e.rules) for e in after.excluded] == [("Rd", True)]
    common = [s.regimen for s in before.suggestions if s.regimen in ranks(after)]
    order_before = {r: i for i, r in enumerate(common)}
    order_after = {r: i for i, r in enumerate(sorted(common, key=ranks(after).get))}
    for regimen in group - {"Rd"}:
        assert order_after[regimen] >= order_before[regimen], regimen
    assert not {"lenalidomide", "thalidomide"} & set(after.suggestions[0].drugs)


# ---- PI-RETREAT ---------------------------------------------------------------------------------

def retreat_case(as_of):
    # Vd days 0–150; progression on day 300; as_of − 150 is the bortezomib-free interval.
    return make_case(labs=serum([(-5, 40.0), (60, 10.0), (120, 5.0), (300, 12.0), (320, 14.0)]),
                     lines=[line("Vd", 0, 150)], as_of=as_of)


def test_pi_retreat_after_six_months():
    short, long = run(retreat_case(150 + 182)), run(retreat_case(150 + 183))
    for regimen in containing(long, "bortezomib"):
        assert "PI-RETREAT" in reason_rules(long, regimen)
        assert "PI-RETREAT" not in caution_rules(long, regimen)
        assert "PI-RETREAT" not in reason_rules(short, regimen)
        assert "PI-RETREAT" in caution_rules(short, regimen)
    assert_not_lowered(short, long, containing(long, "bortezomib"))


def test_pi_retreat_caution_while_on_bortezomib():
    a = run(make_case(labs=serum([(-5, 40.0), (60, 10.0), (120, 5.0), (300, 12.0), (320, 14.0)]),
                      lines=[line("Vd", 0)], as_of=330))
    for regimen in containing(a, "bortezomib"):
        assert "PI-RETREAT" not in reason_rules(a, regimen)
        assert any(c.rule == "PI-RETREAT" and "on bortezomib now" in c.text.en for c in suggestion(a, regimen).cautions)


# ---- RISK-INTENSITY, GOAL-FRAIL -----------------------------------------------------------------

def test_high_risk_puts_three_to_four_drugs_first(base):
    a = run(relapsed_case(cytogenetics=["hypodiploid"]))
    assert a.risk.overall == "high"
    assert 3 <= a.suggestions[0].n_drugs <= 4
    assert 1 <= base.suggestions[0].n_drugs <= 2
    first_block = [s for s in a.suggestions if s.score[0] == 0]
    n_ok = [3 <= s.n_drugs <= 4 for s in first_block]
    assert n_ok == sorted(n_ok, reverse=True)  # every 3–4-drug regimen before any other
    assert "RISK-INTENSITY" in reason_rules(a, a.suggestions[0].regimen)


def test_frail_patient_gets_at_most_two_drugs_and_no_intensive_regimen():
    a = run(relapsed_case(patient={"fit_for_intensive_therapy": False}, cytogenetics=["hypodiploid"]))
    assert a.goal.aim == "palliative"
    assert a.suggestions[0].n_drugs <= 2
    assert "GOAL-FRAIL" in reason_rules(a, a.suggestions[0].regimen)
    excluded = {e.regimen: e.rules for e in a.excluded}
    assert set(excluded) == INTENSIVE
    assert all("GOAL-FRAIL" in rules for rules in excluded.values())
    assert not INTENSIVE & {s.regimen for s in a.suggestions}
    assert_conventional_last(a)


# ---- SEQ-NCCN / SEQ-EU exclusions ----------------------------------------------------------------

def short_remission(school=None):
    return make_case(labs=serum([(-5, 40.0), (60, 10.0), (120, 5.0), (200, 12.0), (220, 14.0)]),
                     lines=[line("VRd", 0, 100)], as_of=230, school=school)


def test_short_remission_excludes_the_previous_regimen_nccn():
    a = run(short_remission())
    assert a.sequence.sensitive is False
    assert {e.regimen: e.rules for e in a.excluded}["VRd"][0] == "SEQ-NCCN"


def test_european_school_excludes_the_previous_regimen():
    a = run(relapsed_case(lines=[line("Vd", 0, 180)], school="european"))
    assert a.sequence.sensitive is True
    assert {e.regimen: e.rules for e in a.excluded}["Vd"][0] == "SEQ-EU"
    b = run(relapsed_case(lines=[line("Vd", 0, 180)]))
    assert "Vd" in ranks(b) and "SEQ-NCCN" in reason_rules(b, "Vd")


# ---- OPT-CONVENTIONAL ---------------------------------------------------------------------------

@pytest.mark.parametrize("variant", [
    {}, {"comorbidities": {"recent_thrombosis": True}}, {"patient": {"steroid_intolerant": True}},
    {"comorbidities": {"peripheral_neuropathy_grade": 3}}, {"cytogenetics": ["hypodiploid"]},
    {"patient": {"fit_for_intensive_therapy": False}},
], ids=["base", "thrombosis", "steroid-intolerant", "neuropathy-3", "high-risk", "frail"])
def test_conventional_only_regimens_always_come_after_every_novel_one(variant):
    a = run(relapsed_case(**variant))
    assert_conventional_last(a)
    for regimen in conventional(a):
        assert "OPT-CONVENTIONAL" in reason_rules(a, regimen)
