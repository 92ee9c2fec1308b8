"""Which pack answers, and the parts of the assessment it adds (issue 15).

Both packs get ``exposure`` (decision axes); the contemporary pack adds ``evidence_options`` and the
IMS/IMWG 2025 risk. The seed's ``suggestions`` are computed either way, so the two can be shown
side by side.
"""

from __future__ import annotations

from typing import Any

from .assessment import Caution, Renal
from .case import Case, Pack
from .contemporary import Patient, evidence_options, pack_info, seed_pack_info
from .exposure import decision_axes
from .history import History
from .observations import Observations
from .risk import normalised_findings
from .risk2025 import high_risk_2025
from .rules import rule

PACK_NOTES = ("CP-RETREAT", "CP-MELFLUFEN")

__all__ = ["pack_parts"]


def pack_parts(case: Case, obs: Observations, history: History, renal: Renal, rules_version: str,
               pack: str | None = None, jurisdiction: str | None = None) -> dict[str, Any]:
    chosen = Pack(pack) if pack else case.settings.pack
    where = jurisdiction if jurisdiction else (case.settings.jurisdiction.value if case.settings.jurisdiction else None)
    exposure = decision_axes(history)
    parts: dict[str, Any] = {"exposure": exposure, "jurisdiction": where}
    if chosen is Pack.SEED:
        parts["pack"] = seed_pack_info(rules_version)
        return parts
    patient = Patient(
        exposure=exposure,
        last_line_refractory=bool(history.lines) and history.lines[-1].refractory,
        findings=frozenset(normalised_findings(case)),
        ecog=case.patient.ecog,
        renal=renal,
        on_dialysis=case.comorbidities.on_dialysis,
    )
    parts["pack"] = pack_info()
    parts["evidence_options"] = evidence_options(patient, where)
    parts["high_risk_2025"] = high_risk_2025(case, obs)
    # Pack-wide knowledge beside the options: retreatment principle (R4), melflufen not listed (R21).
    parts["pack_notes"] = [Caution(rule=r, text=rule(r).explanation) for r in PACK_NOTES]
    return parts
