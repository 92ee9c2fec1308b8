"""Every clinical threshold the rules apply, one named constant each.

The rule functions compare against these names and the explanation texts of the rule
registry (``rules_catalog.toml``) quote them through ``{NAME}`` placeholders, so a number
is written exactly once. Values come from ``docs/spec/rules.md`` (the rule catalog of the
source review); the ``ASSUME-…`` ids mark the ones the source does not settle.
"""

from __future__ import annotations

from typing import Final

# Time (rules.md, "Months"): 1 month = 365.25/12 days everywhere.
DAYS_PER_MONTH: Final = 365.25 / 12
# Comparisons tolerate float noise so that exactly +5.0 g/L meets "≥ 5 g/L" (rules.md preamble).
TOLERANCE: Final = 1e-9

# A. Disease status — DEF-RR, DEF-DRUG-REFRACTORY: progression within 60 days of last dose.
REFRACTORY_WINDOW_DAYS: Final = 60

# B. IMWG response (RESP-*), as fractions of reduction from the line's baseline.
RESP_SERUM_VGPR_REDUCTION: Final = 0.90
RESP_SERUM_PR_REDUCTION: Final = 0.50
RESP_SERUM_MR_REDUCTION: Final = 0.25
RESP_URINE_VGPR_MAX_MG: Final = 100.0
RESP_URINE_PR_REDUCTION: Final = 0.90
RESP_URINE_PR_MAX_MG: Final = 200.0
RESP_URINE_MR_REDUCTION: Final = 0.50
RESP_DFLC_VGPR_REDUCTION: Final = 0.90
RESP_DFLC_PR_REDUCTION: Final = 0.50
RESP_CR_MARROW_PC_MAX_PCT: Final = 5.0

# Measurable disease (IMWG, rules.md section B).
MEASURABLE_SERUM_M_G_L: Final = 10.0
MEASURABLE_URINE_M_MG_24H: Final = 200.0
MEASURABLE_INVOLVED_FLC_MG_L: Final = 100.0
FLC_RATIO_NORMAL_LOW: Final = 0.26
FLC_RATIO_NORMAL_HIGH: Final = 1.65

# C. Biochemical relapse (BIO-SERUM, BIO-URINE, BIO-FLC).
BIO_SERUM_RISE_FRACTION: Final = 0.25
BIO_SERUM_RISE_G_L: Final = 5.0
BIO_URINE_RISE_FRACTION: Final = 0.25
BIO_URINE_RISE_MG_24H: Final = 200.0
BIO_FLC_RISE_FRACTION: Final = 0.25  # strictly greater than (">25 %")
BIO_FLC_RISE_MG_L: Final = 100.0  # strictly greater than (">10 mg/dL")

# C. Clinical relapse (CLIN-*).
CLIN_LESION_GROWTH_PCT: Final = 50.0
CLIN_LESION_GROWTH_CM: Final = 1.0
CLIN_CALCIUM_ABOVE_MMOL_L: Final = 2.875  # strictly above, applied in mmol/L
CLIN_HB_FALL_G_L: Final = 20.0
CLIN_CREATININE_UMOL_L: Final = 176.8  # = 2.0 mg/dL; the seed's "177" is its rounding

# C/D. Timing and kinetics (TIMING-DOUBLING, KIN-DT).
RAPID_DOUBLING_MONTHS: Final = 2.0
RAPID_DOUBLING_DAYS: Final = RAPID_DOUBLING_MONTHS * DAYS_PER_MONTH
DT_PREFERRED_POINTS: Final = 3

# E. Risk (RISK-HIGH-FEATURES with ASSUME-ISS; RISK-INTENSITY).
BETA2M_HIGH_MG_L: Final = 5.5  # "≥"
ALBUMIN_LOW_G_L: Final = 35.0  # "<"
HIGH_RISK_MIN_DRUGS: Final = 3
HIGH_RISK_MAX_DRUGS: Final = 4
STANDARD_RISK_MIN_DRUGS: Final = 1
STANDARD_RISK_MAX_DRUGS: Final = 2
FRAIL_MAX_DRUGS: Final = 2

# F. Goals and sequence (GOAL-FIT with ASSUME-FIT; SEQ-NCCN).
FIT_MAX_ECOG: Final = 1
FIT_AGE_BELOW: Final = 70
SENSITIVE_REMISSION_MONTHS: Final = 6.0

# G. Comorbidities (COMORB-*; ASSUME-CRCL).
RENAL_IMPAIRMENT_CRCL_BELOW: Final = 60.0
LEN_CRCL_SEVERE_BELOW: Final = 30.0
NEUROPATHY_PREFER_LEN_GRADE: Final = 1
NEUROPATHY_RANK_DOWN_GRADE: Final = 2

# H. Options (TX-ASCT2, PI-RETREAT, AGE-75-RD).
ASCT2_MIN_TTP_MONTHS_NCCN: Final = 12.0  # "> 12 months"
ASCT2_MIN_TTP_MONTHS_EUROPEAN: Final = 24.0  # "> 24 months"
PI_RETREAT_MIN_TFI_MONTHS: Final = 6.0  # "> 6 months"
RD_PROVEN_AGE: Final = 75

# Contemporary pack, IMS/IMWG 2025 high-risk definition (CP-HIGH-RISK-2025, dossier A8).
HR2025_DEL17P_CLONE_PCT: Final = 20.0  # del(17p) in "> 20 %" of clonal cells
HR2025_B2M_MG_L: Final = 5.5  # β2-microglobulin "≥ 5.5 mg/L" ...
HR2025_NORMAL_CREATININE_MG_DL: Final = 1.2  # ... with creatinine "< 1.2 mg/dL"


def public_thresholds() -> dict[str, float]:
    """Every threshold by name, for explanation templates and the rule explorer."""
    return {k: v for k, v in globals().items() if k.isupper() and isinstance(v, (int, float))}


# Percentage forms of the fractions above, for the explanation texts only ("≥ 25 %", not
# "≥ 0.25"). Derived, never a new number: the rules compare against the fractions.
BIO_SERUM_RISE_PCT: Final = BIO_SERUM_RISE_FRACTION * 100
BIO_URINE_RISE_PCT: Final = BIO_URINE_RISE_FRACTION * 100
BIO_FLC_RISE_PCT: Final = BIO_FLC_RISE_FRACTION * 100
RESP_SERUM_VGPR_PCT: Final = RESP_SERUM_VGPR_REDUCTION * 100
RESP_SERUM_PR_PCT: Final = RESP_SERUM_PR_REDUCTION * 100
RESP_SERUM_MR_PCT: Final = RESP_SERUM_MR_REDUCTION * 100
RESP_URINE_PR_PCT: Final = RESP_URINE_PR_REDUCTION * 100
RESP_URINE_MR_PCT: Final = RESP_URINE_MR_REDUCTION * 100
RESP_DFLC_VGPR_PCT: Final = RESP_DFLC_VGPR_REDUCTION * 100
RESP_DFLC_PR_PCT: Final = RESP_DFLC_PR_REDUCTION * 100

# -- catalog 1.1 (rules.md sections J and K) --
# BIO-SERUM (IMWG 2016): from a nadir of ≥ 50 g/L a rise of ≥ 10 g/L is progression even below 25 %.
BIO_SERUM_HIGH_NADIR_G_L: Final = 50.0
BIO_SERUM_HIGH_NADIR_RISE_G_L: Final = 10.0
# CLIN-CREAT (K): a new level, or a rise of ≥ 2 mg/dL (176.8 µmol/L) above the lowest since the line began.
CLIN_CREATININE_RISE_UMOL_L: Final = 176.8
# KIN-DT-RECENT: the last three values of a rising phase of at least four points; r² below 0.8 is a poor fit.
KIN_RECENT_POINTS: Final = 3
KIN_RECENT_MIN_PHASE_POINTS: Final = 4
KIN_POOR_FIT_R2: Final = 0.8
# DATA-NOISE: consecutive visits alternating up and down by more than 25 %.
DATA_NOISE_SWING_FRACTION: Final = 0.25
DATA_NOISE_SWING_PCT: Final = DATA_NOISE_SWING_FRACTION * 100
# DATA-IMPLAUSIBLE: a ten-fold jump between neighbouring visits of the same marker (rules.md K, its example).
IMPLAUSIBLE_JUMP_FACTOR: Final = 10.0
