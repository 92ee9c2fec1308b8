"""Risk (section E), goal (GOAL-FIT / GOAL-FRAIL with ASSUME-FIT) and sequence (SEQ-NCCN, SEQ-EU,
SEQ-NOVEL) of rules.md."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest

from mmlogic.goals import months_between
from mmlogic.thresholds import (
    ALBUMIN_LOW_G_L,
    BETA2M_HIGH_MG_L,
    DAYS_PER_MONTH,
    FIT_AGE_BELOW,
    FIT_MAX_ECOG,
    SENSITIVE_REMISSION_MONTHS,
)

from .factory import BASE, day, lab, line, make_case, run, serum

# ---- cytogenetics ------------------------------------------------------------------------------

CYTO_ROWS = [
    (["t(4;14)"], "high", "CYTO-HIGH"),
    (["del(17p)"], "high", "CYTO-HIGH"),
    (["del(13q)"], "high", "CYTO-HIGH"),
    (["monosomy 13"], "high", "CYTO-HIGH"),
    (["hypodiploid"], "high", "CYTO-HIGH"),
    (["hyperdiploid", "del(17p)"], "high", "CYTO-HIGH"),
    (["t(11;14)", "t(4;14)"], "high", "CYTO-HIGH"),
    (["hyperdiploid"], "standard", "CYTO-STANDARD"),
    (["t(11;14)"], "standard", "CYTO-STANDARD"),
    (["hyperdiploid", "gain(1q)"], "standard", "CYTO-STANDARD"),
    (["normal"], "intermediate", "CYTO-INTERMEDIATE"),
    (["gain(1q)"], "intermediate", "CYTO-INTERMEDIATE"),
    (["t(14;16)"], "intermediate", "CYTO-INTERMEDIATE"),
    ([], "intermediate", "CYTO-INTERMEDIATE"),
]


@pytest.mark.parametrize(("findings", "expected", "rule"), CYTO_ROWS, ids=[",".join(r[0]) or "none" for r in CYTO_ROWS])
def test_cytogenetic_risk(findings, expected, rule):
    a = run(make_case(cytogenetics=findings, as_of=0))
    assert a.risk.cytogenetic == expected
    assert rule in a.risk.rules
    assert ("ASSUME-CYTO-OTHER" in a.risk.rules) is (expected == "intermediate")
    assert ("adverse_cytogenetics" in a.risk.features) is (expected == "high")


def test_not_tested_is_unknown():
    a = run(make_case(disease={"cytogenetics": {"tested": False, "findings": []}}, as_of=0))
    assert a.risk.cytogenetic == "unknown"
    assert not {"CYTO-HIGH", "CYTO-STANDARD", "CYTO-INTERMEDIATE"} & set(a.risk.rules)


# ---- RISK-HIGH-FEATURES -------------------------------------------------------------------------

FEATURE_ROWS = [
    ("b2m at 5.5", [lab(0, "beta2_microglobulin", BETA2M_HIGH_MG_L)], ["raised_beta2_microglobulin"]),
    ("b2m below", [lab(0, "beta2_microglobulin", BETA2M_HIGH_MG_L - 0.1)], []),
    ("albumin at 35", [lab(0, "albumin", ALBUMIN_LOW_G_L)], []),
    ("albumin below", [lab(0, "albumin", ALBUMIN_LOW_G_L - 0.1)], ["low_albumin"]),
    ("albumin 3.4 g/dL", [lab(0, "albumin", 3.4, "g/dL")], ["low_albumin"]),
    ("latest b2m counts", [lab(0, "beta2_microglobulin", 8.0), lab(5, "beta2_microglobulin", 3.0)], []),
]


@pytest.mark.parametrize(("labs", "features"), [r[1:] for r in FEATURE_ROWS], ids=[r[0] for r in FEATURE_ROWS])
def test_iss_features(labs, features):
    a = run(make_case(labs=labs, as_of=10))
    assert a.risk.features == features
    assert a.risk.overall == ("high" if features else "standard")
    assert "ASSUME-ISS" in a.risk.rules


@pytest.mark.parametrize("flag", ["extensive_bone_disease", "plasma_cell_leukemia", "extramedullary_plasmacytoma"])
def test_disease_features_make_high_risk(flag):
    a = run(make_case(disease={flag: True}, as_of=0))
    assert a.risk.features == [flag] and a.risk.overall == "high"


def test_no_feature_is_standard():
    a = run(make_case(as_of=0))
    assert a.risk.features == [] and a.risk.overall == "standard"
    assert "RISK-HIGH-FEATURES" in a.risk.rules


def test_refractory_status_is_a_poor_current_response():
    rows = [(-5, 40.0), (60, 10.0), (120, 5.0), (200, 12.0), (220, 14.0)]
    a = run(make_case(labs=serum(rows), lines=[line("Vd", 0)], as_of=230))
    assert a.status.category == "relapsed_refractory"
    assert "poor_current_response" in a.risk.features and a.risk.overall == "high"


# ---- goal ---------------------------------------------------------------------------------------

FIT_ROWS = [
    (FIT_AGE_BELOW - 1, FIT_MAX_ECOG, True),
    (FIT_AGE_BELOW, FIT_MAX_ECOG, False),
    (FIT_AGE_BELOW - 1, FIT_MAX_ECOG + 1, False),
    (40, 0, True),
]


@pytest.mark.parametrize(("age", "ecog", "fit"), FIT_ROWS, ids=[f"age{a}-ecog{e}" for a, e, _ in FIT_ROWS])
def test_assume_fit_default(age, ecog, fit):
    a = run(make_case(patient={"age": age, "ecog": ecog}, as_of=0))
    assert a.goal.fit is fit
    assert a.goal.fit_source == "default"
    assert a.goal.aim == ("deep_response" if fit else "palliative")
    assert a.goal.rules == ["GOAL-FIT" if fit else "GOAL-FRAIL", "ASSUME-FIT"]
    assert "ASSUME-FIT" in a.assumptions


@pytest.mark.parametrize(("entered", "age", "ecog"), [(True, 80, 3), (False, 40, 0)])
def test_entered_fitness_overrides_the_default(entered, age, ecog):
    a = run(make_case(patient={"age": age, "ecog": ecog, "fit_for_intensive_therapy": entered}, as_of=0))
    assert a.goal.fit is entered and a.goal.fit_source == "entered"
    assert "ASSUME-FIT" not in a.goal.rules


# ---- sequence: remission length and school --------------------------------------------------------

# Vd days 0–150: PR on day 60 (40 → 10 g/L), nadir 5 g/L (still PR); progression at day 60 + r.
RESPONSE_DAY = 60
SIX_MONTHS_DAYS = SENSITIVE_REMISSION_MONTHS * DAYS_PER_MONTH  # 182.625


def remission_case(remission_days, school=None, regimen="Vd"):
    p = RESPONSE_DAY + remission_days
    rows = [(-5, 40.0), (RESPONSE_DAY, 10.0), (120, 5.0), (p, 12.0), (p + 20, 14.0)]
    return make_case(labs=serum(rows), lines=[line(regimen, 0, 150)], as_of=p + 30, school=school)


def test_six_months_is_182_6_days():
    assert SIX_MONTHS_DAYS == pytest.approx(182.625)
    assert months_between(BASE, BASE + timedelta(days=182)) == pytest.approx(182 / DAYS_PER_MONTH)
    assert months_between(BASE, BASE + timedelta(days=182)) < SENSITIVE_REMISSION_MONTHS < months_between(
        BASE, BASE + timedelta(days=183))


@pytest.mark.parametrize(("days", "sensitive"), [
    (math.floor(SIX_MONTHS_DAYS), False),
    (math.ceil(SIX_MONTHS_DAYS), True),
    (400, True),
    (100, False),
], ids=["182 days", "183 days", "400 days", "100 days"])
def test_nccn_sensitivity_boundary(days, sensitive):
    a = run(remission_case(days))
    assert a.relapse.date.isoformat() == day(RESPONSE_DAY + days)
    assert a.sequence.remission_from == "response_date"
    assert a.sequence.remission_months == round(days / DAYS_PER_MONTH, 2)
    assert a.sequence.sensitive is sensitive
    assert a.sequence.may_repeat_previous is sensitive
    assert a.sequence.previous_regimen == "Vd"
    excluded = {e.regimen: e.rules for e in a.excluded}
    if sensitive:
        assert "Vd" not in excluded
        vd = next(s for s in a.suggestions if s.regimen == "Vd")
        assert any(r.rule == "SEQ-NCCN" and r.effect == "+" for r in vd.reasons)
    else:
        assert "SEQ-NCCN" in excluded["Vd"]
        assert "short_previous_response" in a.risk.features


@pytest.mark.parametrize("days", [100, 183, 1000])
def test_european_school_never_repeats(days):
    a = run(remission_case(days, school="european"))
    assert a.sequence.school == "european"
    assert "SEQ-EU" in a.sequence.rules
    assert a.sequence.may_repeat_previous is False
    assert "SEQ-EU" in {e.regimen: e.rules for e in a.excluded}["Vd"]
    assert "Vd" not in [s.regimen for s in a.suggestions]


def test_previous_regimen_without_novel_agent_is_not_repeated():
    a = run(remission_case(400, regimen="VAD"))
    assert a.sequence.sensitive is True and a.sequence.may_repeat_previous is False
    assert "SEQ-NOVEL" in {e.regimen: e.rules for e in a.excluded}["VAD"]


def test_remission_falls_back_to_the_end_date():
    a = run(make_case(labs=[], lines=[line("Vd", 0, 150, best_response="PR", progression_date=400)], as_of=410))
    assert a.sequence.remission_from == "end_date"
    assert a.sequence.remission_months == round(250 / DAYS_PER_MONTH, 2)


def test_no_relapse_has_no_remission():
    a = run(make_case(labs=serum([(-5, 40.0), (60, 10.0)]), lines=[line("Vd", 0, 150)], as_of=200))
    assert a.sequence.sensitive is None and a.sequence.remission_months is None
    assert a.sequence.rules == ["SEQ-NCCN"]
