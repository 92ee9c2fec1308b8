"""IMS/IMWG 2025 high-risk definition (dossier A8), the contemporary pack's risk.

Prognostic context shown beside the seed's risk, never a regimen gate (dossier R25). Criteria the
case cannot show (clone fraction of del(17p), TP53 mutation, del(1p32) when not recorded) are
reported as not assessable rather than assumed absent.
"""

from __future__ import annotations

from .assessment import HighRisk2025, Text
from .case import Case
from .observations import Observations
from .risk import normalised_findings
from .rules import evaluates
from .thresholds import HR2025_B2M_MG_L, HR2025_DEL17P_CLONE_PCT, HR2025_NORMAL_CREATININE_MG_DL
from .units import CREATININE_UMOL_L_PER_MG_DL

__all__ = ["high_risk_2025"]

_TRANSLOCATIONS = {"t(4;14)", "t(14;16)", "t(14;20)"}
_ONE_Q = {"gain(1q)", "amp(1q)", "1q+"}
_DEL1P = {"del(1p32)", "del(1p)"}


@evaluates("CP-HIGH-RISK-2025")
def high_risk_2025(case: Case, obs: Observations) -> HighRisk2025:
    """When the contemporary definition is asked, Then the disease is high risk if any of: del(17p)
    above the clone fraction or TP53 mutation; t(4;14)/t(14;16)/t(14;20) with 1q+ or del(1p32);
    del(1p32) with 1q+ or biallelic del(1p32); β2M at or above its threshold with normal creatinine
    (CP-HIGH-RISK-2025)."""
    met: list[Text] = []
    unknown: list[Text] = []
    findings = normalised_findings(case)
    tested = case.disease.cytogenetics.tested
    if "tp53mutation" in findings or "tp53" in findings:
        met.append(Text(en="TP53 mutation", zh="TP53突变"))
    elif "del(17p)" in findings:
        unknown.append(Text(en=f"del(17p) recorded: its clone fraction (>{HR2025_DEL17P_CLONE_PCT:g}%) is not recorded",
                            zh=f"已记录del(17p):其克隆比例(>{HR2025_DEL17P_CLONE_PCT:g}%)未记录"))
    one_q = bool(findings & _ONE_Q)
    del1p = bool(findings & _DEL1P)
    if findings & _TRANSLOCATIONS and (one_q or del1p):
        met.append(Text(en="high-risk translocation with 1q+ or del(1p32)", zh="高危易位合并1q+或del(1p32)"))
    if "biallelicdel(1p32)" in findings or (del1p and one_q):
        met.append(Text(en="del(1p32) with 1q+, or biallelic del(1p32)", zh="del(1p32)合并1q+,或双等位基因del(1p32)"))
    if tested and not del1p and (one_q or findings & _TRANSLOCATIONS) and not met:
        unknown.append(Text(en="del(1p32) not recorded (not in the seed's cytogenetic list)",
                            zh="未记录del(1p32)(不在种子包的细胞遗传学列表中)"))
    b2m = obs.series("beta2_microglobulin").last_on_or_before(obs.as_of)
    creatinine = obs.series("creatinine").last_on_or_before(obs.as_of)
    if b2m is not None and b2m.value >= HR2025_B2M_MG_L:
        normal = HR2025_NORMAL_CREATININE_MG_DL * CREATININE_UMOL_L_PER_MG_DL
        if creatinine is None:
            unknown.append(Text(en="β2-microglobulin high, creatinine unknown", zh="β2微球蛋白升高,肌酐未知"))
        elif creatinine.value < normal:
            met.append(Text(en=f"β2-microglobulin ≥{HR2025_B2M_MG_L:g} mg/L with normal creatinine",
                            zh=f"β2微球蛋白≥{HR2025_B2M_MG_L:g} mg/L且肌酐正常"))
    if met:
        high: bool | None = True
    elif not tested or unknown:
        high = None
    else:
        high = False
    if not tested:
        unknown.append(Text(en="cytogenetics not tested", zh="未行细胞遗传学检查"))
    return HighRisk2025(high_risk=high, criteria_met=met, not_assessable=unknown, rules=["CP-HIGH-RISK-2025"])
