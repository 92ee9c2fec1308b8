"""Synthetic cases of a given size for the benchmarks (deterministic, no randomness)."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

REGIMENS = ["VRd", "R", "Vd", "Rd", "VTd", "CTd", "V-PLD", "RCd", "VBd", "Td", "RAD", "VMPT"]


def synthetic_case(n_labs: int, n_lines: int, case_id: str = "bench") -> dict[str, Any]:
    """A case with ``n_labs`` labs (serum M, FLC pairs, calcium, Hb, creatinine) and ``n_lines`` lines."""
    start = date(2015, 1, 1)
    labs: list[dict[str, Any]] = []
    per_date = 6
    n_dates = max(1, n_labs // per_date)
    span_days = 30 * n_dates
    for i in range(n_dates):
        day = start + timedelta(days=30 * i)
        phase = (i * n_lines / n_dates) % 1.0
        m = 5.0 + 30.0 * abs(math.sin(math.pi * phase))
        labs += [
            {"date": day.isoformat(), "analyte": "serum_m_protein", "value": round(m, 2), "unit": "g/L"},
            {"date": day.isoformat(), "analyte": "flc_kappa", "value": round(10 * m, 1), "unit": "mg/L"},
            {"date": day.isoformat(), "analyte": "flc_lambda", "value": 9.0, "unit": "mg/L"},
            {"date": day.isoformat(), "analyte": "calcium", "value": 2.3, "unit": "mmol/L"},
            {"date": day.isoformat(), "analyte": "hemoglobin", "value": 120 - m, "unit": "g/L"},
            {"date": day.isoformat(), "analyte": "creatinine", "value": 90, "unit": "umol/L"},
        ]
    labs = labs[:n_labs]
    lines = []
    step = span_days // max(n_lines, 1)
    for k in range(n_lines):
        s = start + timedelta(days=5 + k * step)
        lines.append({"regimen": REGIMENS[k % len(REGIMENS)], "start": s.isoformat(),
                      "end": (s + timedelta(days=step // 2)).isoformat() if k < n_lines - 1 else None})
    return {
        "schema_version": 1, "case_id": case_id,
        "patient": {"age": 66, "sex": "male", "weight_kg": 72, "ecog": 1},
        "disease": {"isotype": "IgG kappa", "cytogenetics": {"tested": True, "findings": ["t(4;14)"]}},
        "comorbidities": {"peripheral_neuropathy_grade": 1},
        "labs": labs, "therapy_lines": lines, "transplants": [], "events": [],
        "settings": {"school": "nccn"},
    }
