"""Data-quality warnings: valid values that look like a unit mix-up or a typing slip.

These are not clinical thresholds: they flag values implausible in the unit given (a
calcium of 10 "mmol/L" is almost surely mg/dL), so the clinician checks the entry. Each
warning names the field path, as a validation error would.
"""

from __future__ import annotations

from typing import Final

from .assessment import Text
from .case import Case
from .units import Analyte, canonical_unit, to_canonical

# (analyte, low, high) in the canonical unit: outside this range a value is implausible and
# the likely cause is the unit named in the hint.
PLAUSIBLE: Final[dict[Analyte, tuple[float, float, str]]] = {
    Analyte.SERUM_M_PROTEIN: (0.0, 150.0, "g/dL entered as g/L?"),
    Analyte.CALCIUM: (1.0, 5.0, "mg/dL entered as mmol/L (or the reverse)?"),
    Analyte.HEMOGLOBIN: (30.0, 250.0, "g/dL entered as g/L?"),
    Analyte.CREATININE: (15.0, 2500.0, "mg/dL entered as µmol/L?"),
    Analyte.ALBUMIN: (10.0, 70.0, "g/dL entered as g/L?"),
    Analyte.BETA2_MICROGLOBULIN: (0.0, 100.0, "mg/dL instead of mg/L?"),
    Analyte.MARROW_PLASMA_CELLS: (0.0, 100.0, "a percentage above 100?"),
}


def same_day_duplicates(case: Case) -> list[Text]:
    """Two different values of one analyte on one date: both are used, lower first."""
    seen: dict[tuple[str, object], int] = {}
    out = []
    for i, lab in enumerate(case.labs):
        key = (lab.analyte.value, lab.date)
        if key in seen and case.labs[seen[key]].value != lab.value:
            j = seen[key]
            out.append(Text(
                en=f"labs[{j}] and labs[{i}]: two {lab.analyte.value} values on {lab.date.isoformat()} — "
                   "both are used, the lower first; check for a duplicate entry",
                zh=f"labs[{j}]与labs[{i}]:{lab.date.isoformat()}有两个{lab.analyte.value}数值,均已采用"
                   "(较低者在前),请核对是否重复录入",
            ))
        seen.setdefault(key, i)
    return out


def suspicious_values(case: Case) -> list[Text]:
    out = []
    for i, lab in enumerate(case.labs):
        limits = PLAUSIBLE.get(lab.analyte)
        if limits is None or isinstance(lab.value, str):
            continue
        low, high, hint = limits
        value = to_canonical(lab.analyte, lab.value, lab.unit)
        if value < low or value > high:
            unit = canonical_unit(lab.analyte)
            out.append(Text(
                en=f"labs[{i}].value: {lab.analyte.value} {lab.value:g} {lab.unit} is outside the plausible "
                   f"range {low:g}–{high:g} {unit} — {hint}",
                zh=f"labs[{i}].value:{lab.analyte.value} {lab.value:g} {lab.unit} 超出合理范围"
                   f"{low:g}–{high:g} {unit},请核对单位",
            ))
    return out
