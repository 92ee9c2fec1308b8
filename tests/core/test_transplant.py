"""Transplant options (TX-ASCT1, TX-ASCT2, TX-ALLO; GOAL-FRAIL) and renal function (ASSUME-CRCL)."""

from __future__ import annotations

import pytest

from mmlogic.case import Sex
from mmlogic.renal import cockcroft_gault
from mmlogic.thresholds import ASCT2_MIN_TTP_MONTHS_EUROPEAN, ASCT2_MIN_TTP_MONTHS_NCCN, DAYS_PER_MONTH

from .factory import asct, lab, line, make_case, run, serum

ASCT_DAY = 170
# Vd days 0–150 (PR), autologous transplant on day 170, nadir 5 g/L.
RESPONDING = [(-5, 40.0), (60, 10.0), (120, 5.0)]


def after_asct(ttp_days, school=None, **kw):
    p = ASCT_DAY + ttp_days
    return make_case(labs=serum(RESPONDING + [(p, 12.0), (p + 20, 14.0)]), lines=[line("Vd", 0, 150)],
                     transplants=[asct(ASCT_DAY)], as_of=p + 30, school=school, **kw)


def _days(months):
    return months * DAYS_PER_MONTH


@pytest.mark.parametrize(("school", "days", "expected"), [
    ("nccn", int(_days(ASCT2_MIN_TTP_MONTHS_NCCN)), "not_suggested"),        # 365 days = 11.99 months
    ("nccn", int(_days(ASCT2_MIN_TTP_MONTHS_NCCN)) + 1, "suggested"),        # 366 days = 12.02 months
    ("european", int(_days(ASCT2_MIN_TTP_MONTHS_NCCN)) + 1, "not_suggested"),
    ("european", int(_days(ASCT2_MIN_TTP_MONTHS_EUROPEAN)), "not_suggested"),  # 730 days = 23.98
    ("european", int(_days(ASCT2_MIN_TTP_MONTHS_EUROPEAN)) + 1, "suggested"),  # 731 days = 24.02
])
def test_second_asct_ttp(school, days, expected):
    a = run(after_asct(days, school=school))
    assert a.status.category == "relapsed"
    assert a.transplant.ttp_after_asct_months == round(days / DAYS_PER_MONTH, 2)
    assert a.transplant.second_asct == expected
    assert a.transplant.first_asct == "not_applicable"
    assert "TX-ASCT2" in a.transplant.rules


def test_first_asct_for_a_fit_patient_without_one():
    p = 400
    a = run(make_case(labs=serum(RESPONDING + [(p, 12.0), (p + 20, 14.0)]), lines=[line("Vd", 0, 150)], as_of=p + 30))
    assert a.goal.fit is True and a.status.category == "relapsed"
    assert a.transplant.first_asct == "suggested"
    assert a.transplant.second_asct == "not_applicable"
    assert "TX-ASCT1" in a.transplant.rules


def test_no_transplant_question_without_relapse():
    a = run(make_case(labs=serum(RESPONDING), lines=[line("Vd", 0, 150)], as_of=200))
    assert a.transplant.first_asct == "not_applicable"
    assert a.transplant.allogeneic == "not_suggested"


def test_frail_patient_gets_no_transplant():
    a = run(after_asct(800, patient={"fit_for_intensive_therapy": False}, cytogenetics=["t(4;14)"]))
    assert a.goal.fit is False
    assert a.transplant.second_asct == "not_suggested"
    assert a.transplant.allogeneic == "not_suggested"
    assert "GOAL-FRAIL" in a.transplant.rules
    b = run(make_case(labs=serum(RESPONDING + [(400, 12.0), (420, 14.0)]), lines=[line("Vd", 0, 150)], as_of=430,
                      patient={"ecog": 2}))
    assert b.transplant.first_asct == "not_suggested"


@pytest.mark.parametrize(("findings", "expected"), [(["t(4;14)"], "trial_only"), (["hyperdiploid"], "not_suggested")])
def test_allogeneic_only_in_a_trial_for_high_risk(findings, expected):
    a = run(after_asct(800, cytogenetics=findings))
    assert a.risk.overall == ("high" if expected == "trial_only" else "standard")
    assert a.transplant.allogeneic == expected
    assert "TX-ALLO" in a.transplant.rules


def test_transplants_are_never_suggestions():
    a = run(after_asct(800))
    assert not {"ASCT2", "ALLO"} & {s.regimen for s in a.suggestions}


# ---- Cockcroft-Gault (ASSUME-CRCL) ---------------------------------------------------------------

def test_cockcroft_gault_hand_computed():
    # (140 − 60) × 70 / (72 × 1.0 mg/dL) = 77.78 mL/min; × 0.85 for a woman = 66.11.
    assert cockcroft_gault(60, 70, Sex.MALE, 88.4) == pytest.approx(5600 / 72)
    assert cockcroft_gault(60, 70, Sex.FEMALE, 88.4) == pytest.approx(5600 / 72 * 0.85)
    # 2.0 mg/dL, 80 years, 50 kg: 60 × 50 / 144 = 20.83.
    assert cockcroft_gault(80, 50, Sex.MALE, 176.8) == pytest.approx(3000 / 144)


@pytest.mark.parametrize(("sex", "creat", "unit", "expected", "impaired"), [
    ("male", 1.0, "mg/dL", 77.8, False),
    ("female", 1.0, "mg/dL", 66.1, False),
    ("male", 1.6, "mg/dL", 48.6, True),
    ("male", 141.44, "umol/L", 48.6, True),
])
def test_crcl_in_the_assessment(sex, creat, unit, expected, impaired):
    a = run(make_case(labs=[lab(0, "creatinine", creat, unit)], patient={"sex": sex}, as_of=10))
    assert a.renal.creatinine_clearance_ml_min == expected
    assert a.renal.impaired is impaired and a.renal.source == "cockcroft_gault"
    assert "ASSUME-CRCL" in a.assumptions


def test_entered_renal_flag_decides_and_unknown_without_data():
    a = run(make_case(labs=[lab(0, "creatinine", 1.0, "mg/dL")], comorbidities={"renal_impairment": True}, as_of=10))
    assert a.renal.impaired is True and a.renal.source == "entered" and a.renal.creatinine_clearance_ml_min == 77.8
    b = run(make_case(as_of=10))
    assert b.renal.impaired is None and b.renal.source == "unknown"
    assert "ASSUME-RENAL-UNKNOWN" in b.assumptions


def test_subnormal_creatinine_does_not_crash():
    a = run(make_case(labs=[lab(0, "creatinine", 5e-324)], as_of=10))
    assert a.renal.source in ("cockcroft_gault", "unknown")
