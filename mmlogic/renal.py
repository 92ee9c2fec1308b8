"""Renal function for the comorbidity rules (COMORB-RENAL, COMORB-LEN-CRCL; ASSUME-CRCL).

Creatinine clearance by Cockcroft-Gault from age, actual weight, sex and the latest
creatinine on or before the assessment date; the clinician's flag, when set, decides renal
impairment. Without creatinine or weight and without the flag, renal function is unknown
(ASSUME-RENAL-UNKNOWN).
"""

from __future__ import annotations

import math

from .assessment import Renal
from .case import Case, Sex
from .observations import Observations
from .thresholds import RENAL_IMPAIRMENT_CRCL_BELOW
from .units import CREATININE_UMOL_L_PER_MG_DL

# Cockcroft-Gault: (140 − age) × weight / (72 × creatinine mg/dL), × 0.85 for women.
CG_AGE_FROM = 140
CG_DIVISOR = 72
CG_FEMALE_FACTOR = 0.85


def cockcroft_gault(age: int, weight_kg: float, sex: Sex, creatinine_umol_l: float) -> float | None:
    """Creatinine clearance in mL/min, or None when the creatinine is too small to divide by."""
    creatinine_mg_dl = creatinine_umol_l / CREATININE_UMOL_L_PER_MG_DL
    if creatinine_mg_dl <= 0:
        return None
    clearance = (CG_AGE_FROM - age) * weight_kg / (CG_DIVISOR * creatinine_mg_dl)
    clearance *= CG_FEMALE_FACTOR if sex == Sex.FEMALE else 1.0
    return clearance if math.isfinite(clearance) else None


# COMORB-RENAL (bortezomib preferred in renal impairment) is evaluated by ranking._preferences;
# this function measures the impairment it reads.
def renal_function(case: Case, obs: Observations) -> Renal:
    creatinine = obs.series("creatinine").last_on_or_before(obs.as_of)
    clearance = None
    if creatinine is not None and case.patient.weight_kg:
        clearance = cockcroft_gault(case.patient.age, case.patient.weight_kg, case.patient.sex, creatinine.value)
        clearance = None if clearance is None else round(clearance, 1)
    flag = case.comorbidities.renal_impairment
    if flag is not None:
        return Renal(creatinine_clearance_ml_min=clearance, impaired=flag, source="entered")
    if clearance is None:
        return Renal(creatinine_clearance_ml_min=None, impaired=None, source="unknown")
    return Renal(creatinine_clearance_ml_min=clearance, impaired=clearance < RENAL_IMPAIRMENT_CRCL_BELOW,
                 source="cockcroft_gault")
