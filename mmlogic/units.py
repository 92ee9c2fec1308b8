"""Analytes, their accepted units and the conversion to one canonical unit each.

Conversion happens once, at the boundary (``to_canonical``), so every rule compares in the
canonical unit (rules.md preamble; case-format.md analyte table). Each factor is a named
constant with its source line in rules.md.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class Analyte(StrEnum):
    SERUM_M_PROTEIN = "serum_m_protein"
    URINE_M_PROTEIN = "urine_m_protein"
    FLC_KAPPA = "flc_kappa"
    FLC_LAMBDA = "flc_lambda"
    SERUM_IFE = "serum_ife"
    URINE_IFE = "urine_ife"
    CALCIUM = "calcium"
    HEMOGLOBIN = "hemoglobin"
    CREATININE = "creatinine"
    BETA2_MICROGLOBULIN = "beta2_microglobulin"
    ALBUMIN = "albumin"
    MARROW_PLASMA_CELLS = "marrow_plasma_cells"


# rules.md: "M-protein g/dL × 10 = g/L" (also haemoglobin and albumin).
G_PER_DL_TO_G_PER_L: Final = 10.0
# rules.md: "FLC mg/dL × 10 = mg/L".
MG_PER_DL_TO_MG_PER_L: Final = 10.0
# rules.md: "urine g/24h × 1000 = mg/24h".
G_TO_MG: Final = 1000.0
# rules.md: "calcium mg/dL ÷ 4.008 = mmol/L".
CALCIUM_MG_PER_DL_PER_MMOL_L: Final = 4.008
# rules.md: "creatinine mg/dL × 88.4 = µmol/L".
CREATININE_UMOL_L_PER_MG_DL: Final = 88.4

QUALITATIVE: Final = frozenset({Analyte.SERUM_IFE, Analyte.URINE_IFE})
QUALITATIVE_VALUES: Final = ("positive", "negative")

# analyte -> {unit as written: factor to the canonical unit}; the first unit is canonical.
UNITS: Final[dict[Analyte, dict[str, float]]] = {
    Analyte.SERUM_M_PROTEIN: {"g/L": 1.0, "g/dL": G_PER_DL_TO_G_PER_L},
    Analyte.URINE_M_PROTEIN: {"mg/24h": 1.0, "g/24h": G_TO_MG},
    Analyte.FLC_KAPPA: {"mg/L": 1.0, "mg/dL": MG_PER_DL_TO_MG_PER_L},
    Analyte.FLC_LAMBDA: {"mg/L": 1.0, "mg/dL": MG_PER_DL_TO_MG_PER_L},
    Analyte.SERUM_IFE: {},
    Analyte.URINE_IFE: {},
    Analyte.CALCIUM: {"mmol/L": 1.0, "mg/dL": 1.0 / CALCIUM_MG_PER_DL_PER_MMOL_L},
    Analyte.HEMOGLOBIN: {"g/L": 1.0, "g/dL": G_PER_DL_TO_G_PER_L},
    Analyte.CREATININE: {"umol/L": 1.0, "µmol/L": 1.0, "mg/dL": CREATININE_UMOL_L_PER_MG_DL},
    Analyte.BETA2_MICROGLOBULIN: {"mg/L": 1.0},
    Analyte.ALBUMIN: {"g/L": 1.0, "g/dL": G_PER_DL_TO_G_PER_L},
    Analyte.MARROW_PLASMA_CELLS: {"%": 1.0},
}

# Display systems for the app: SI is the canonical unit; US is the conventional one.
US_UNITS: Final[dict[Analyte, str]] = {
    Analyte.SERUM_M_PROTEIN: "g/dL",
    Analyte.URINE_M_PROTEIN: "g/24h",
    Analyte.FLC_KAPPA: "mg/dL",
    Analyte.FLC_LAMBDA: "mg/dL",
    Analyte.CALCIUM: "mg/dL",
    Analyte.HEMOGLOBIN: "g/dL",
    Analyte.CREATININE: "mg/dL",
    Analyte.BETA2_MICROGLOBULIN: "mg/L",
    Analyte.ALBUMIN: "g/dL",
    Analyte.MARROW_PLASMA_CELLS: "%",
}


def canonical_unit(analyte: Analyte) -> str | None:
    """The unit every rule compares in, or None for a qualitative analyte."""
    units = UNITS[analyte]
    return next(iter(units)) if units else None


def accepted_units(analyte: Analyte) -> tuple[str, ...]:
    return tuple(UNITS[analyte])


def to_canonical(analyte: Analyte, value: float, unit: str) -> float:
    """Convert a numeric value to the analyte's canonical unit (KeyError for a unit it lacks)."""
    return value * UNITS[analyte][unit]


def from_canonical(analyte: Analyte, value: float, unit: str) -> float:
    """Convert a canonical value to ``unit`` (for display and entry in US units)."""
    return value / UNITS[analyte][unit]


def display_unit(analyte: Analyte, system: str) -> str | None:
    """The unit to show in ``system`` ('si' or 'us')."""
    if analyte in QUALITATIVE:
        return None
    return US_UNITS[analyte] if system == "us" else canonical_unit(analyte)
