"""Display precision per analyte and unit: the one table of decimals used wherever a lab value is
shown (grids, tables, figures' hover, the printed report). Stored values are never rounded.

Issue #14: calcium 2.45 mmol/L showed as "9.8196 mg/dL" in US units. The decimals below follow
the precision laboratories report in (a display convention, not a clinical threshold): a value
shown with them round-trips to the same display after conversion back to canonical units.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

# (analyte, unit) -> decimals shown. Units not listed fall back to FALLBACK significant digits.
DECIMALS: Final[Mapping[tuple[str, str], int]] = MappingProxyType({
    ("serum_m_protein", "g/L"): 1,
    ("serum_m_protein", "g/dL"): 2,
    ("urine_m_protein", "mg/24h"): 0,
    ("urine_m_protein", "g/24h"): 3,
    ("flc_kappa", "mg/L"): 1,
    ("flc_kappa", "mg/dL"): 2,
    ("flc_lambda", "mg/L"): 1,
    ("flc_lambda", "mg/dL"): 2,
    ("dflc", "mg/L"): 1,
    ("dflc", "mg/dL"): 2,
    ("involved_flc", "mg/L"): 1,
    ("involved_flc", "mg/dL"): 2,
    ("calcium", "mmol/L"): 2,
    ("calcium", "mg/dL"): 1,
    ("hemoglobin", "g/L"): 0,
    ("hemoglobin", "g/dL"): 1,
    ("creatinine", "umol/L"): 0,
    ("creatinine", "µmol/L"): 0,
    ("creatinine", "mg/dL"): 2,
    ("beta2_microglobulin", "mg/L"): 1,
    ("albumin", "g/L"): 0,
    ("albumin", "g/dL"): 1,
    ("marrow_plasma_cells", "%"): 0,
})
FALLBACK_SIGNIFICANT: Final = 4


def decimals(analyte: str, unit: str | None) -> int | None:
    """Decimals for ``analyte`` in ``unit``; None when the table has no entry."""
    return DECIMALS.get((analyte, unit or ""))


def fmt(analyte: str, value: float, unit: str | None) -> str:
    """``value`` (already in ``unit``) as shown: fixed decimals from the table, else 4 significant
    digits. Never '-0' and no trailing noise such as 9.8196."""
    places = decimals(analyte, unit)
    if places is None:
        text = f"{value:.{FALLBACK_SIGNIFICANT}g}"
    else:
        text = f"{value:.{places}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    return text


def d3_format(analyte: str, unit: str | None) -> str:
    """The same precision as a d3 format for Plotly hover texts (``%{y:<this>}``)."""
    places = decimals(analyte, unit)
    return f".{FALLBACK_SIGNIFICANT}g" if places is None else f".{places}f"
