"""Cytogenetic and overall risk (rules.md section E).

- CYTO-HIGH / CYTO-STANDARD / CYTO-INTERMEDIATE (with ASSUME-CYTO-OTHER): any high-risk
  lesion makes the cytogenetics high; otherwise a standard-risk lesion makes it standard;
  anything else tested is intermediate; not tested is unknown.
- RISK-HIGH-FEATURES (with ASSUME-ISS): any aggressive feature makes the disease high risk.
"""

from __future__ import annotations

from .assessment import CytogeneticRisk, Risk, StatusCategory
from .case import Case
from .observations import Observations
from .rules import evaluates
from .thresholds import ALBUMIN_LOW_G_L, BETA2M_HIGH_MG_L, SENSITIVE_REMISSION_MONTHS, TOLERANCE

HIGH_RISK_LESIONS = frozenset({"hypodiploid", "t(4;14)", "del(17p)", "del(17)", "del(13q)", "del(13)", "monosomy 13"})
STANDARD_RISK_LESIONS = frozenset({"hyperdiploid", "t(11;14)"})


def normalised_findings(case: Case) -> set[str]:
    out = set()
    for f in case.disease.cytogenetics.findings:
        text = f.strip().lower()
        out.add(text if text == "monosomy 13" else text.replace(" ", ""))
    return out


@evaluates("CYTO-HIGH", "CYTO-STANDARD", "CYTO-INTERMEDIATE")
def cytogenetic_risk(case: Case) -> tuple[CytogeneticRisk, list[str]]:
    if not case.disease.cytogenetics.tested:
        return CytogeneticRisk.UNKNOWN, []
    findings = normalised_findings(case)
    if findings & HIGH_RISK_LESIONS:
        return CytogeneticRisk.HIGH, ["CYTO-HIGH"]
    if findings & STANDARD_RISK_LESIONS:
        return CytogeneticRisk.STANDARD, ["CYTO-STANDARD"]
    return CytogeneticRisk.INTERMEDIATE, ["CYTO-INTERMEDIATE", "ASSUME-CYTO-OTHER"]


@evaluates("RISK-HIGH-FEATURES")
def overall_risk(case: Case, obs: Observations, status: StatusCategory,
                 remission_months: float | None) -> Risk:
    cyto, rules = cytogenetic_risk(case)
    disease = case.disease
    features = [name for name, present in (
        ("extensive_bone_disease", disease.extensive_bone_disease),
        ("plasma_cell_leukemia", disease.plasma_cell_leukemia),
        # An event marked extramedullary counts from its date (catalog 1.1; obs holds events ≤ as_of).
        ("extramedullary_plasmacytoma", disease.extramedullary_plasmacytoma
         or any(e.extramedullary for e in obs.events)),
    ) if present]
    uses_iss = False
    b2m = obs.series("beta2_microglobulin").last_on_or_before(obs.as_of)
    if b2m is not None and b2m.value >= BETA2M_HIGH_MG_L - TOLERANCE:
        features.append("raised_beta2_microglobulin")
        uses_iss = True
    albumin = obs.series("albumin").last_on_or_before(obs.as_of)
    if albumin is not None and albumin.value < ALBUMIN_LOW_G_L - TOLERANCE:
        features.append("low_albumin")
        uses_iss = True
    if cyto == CytogeneticRisk.HIGH:
        features.append("adverse_cytogenetics")
    if remission_months is not None and remission_months < SENSITIVE_REMISSION_MONTHS - TOLERANCE:
        features.append("short_previous_response")
    if status in (StatusCategory.PRIMARY_REFRACTORY, StatusCategory.RELAPSED_REFRACTORY):
        features.append("poor_current_response")
    rules = [*rules, "RISK-HIGH-FEATURES"] + (["ASSUME-ISS"] if uses_iss or b2m or albumin else [])
    return Risk(cytogenetic=cyto, overall="high" if features else "standard", features=features, rules=rules)
