"""Lab rows: display in SI or US units, storage in canonical units, CSV import with a per-row report.

Plain functions (no widgets): the labs page wires them to the grid. Validation is the core's
(``mmlogic.case.Lab``); conversion is ``mmlogic.units``; nothing clinical is decided here.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Any


from mmlogic.errors import CaseInvalid
from mmlogic.intake import read_long_csv
from mmlogic.units import QUALITATIVE, UNITS, Analyte, canonical_unit, display_unit, from_canonical, to_canonical

from . import display as precision
from .tables import Col, cell_to_field, clean

ANALYTES: tuple[str, ...] = tuple(a.value for a in Analyte)
ALL_UNITS: tuple[str, ...] = tuple(dict.fromkeys(u for units in UNITS.values() for u in units))

COLUMNS: tuple[Col, ...] = (
    Col("date", "date", "col.date", required=True),
    Col("analyte", "select", "col.analyte", options=ANALYTES, required=True),
    Col("value", "text", "col.value", required=True),
    Col("unit", "select", "col.unit", options=ALL_UNITS),
    Col("myeloma_related", "bool", "col.myeloma_related"),
)
_BY_NAME = MappingProxyType({c.name: c for c in COLUMNS})


def _analyte(value: Any) -> Analyte | None:
    try:
        return Analyte(value)
    except ValueError:
        return None


def _number(text: Any) -> Any:
    """'1.5' or '1,5' -> 1.5; anything else is returned as typed (the core names the problem)."""
    if isinstance(text, bool) or text is None:
        return text
    if isinstance(text, (int, float)):
        return float(text)
    stripped = str(text).strip()
    try:
        return float(stripped.replace(",", ".")) if stripped else None
    except ValueError:
        return stripped


def _show_number(value: float, analyte: Analyte | None = None, unit: str | None = None) -> str:
    """Display precision from the one table (ui/display.py); stored values are never rounded."""
    return precision.fmt(analyte.value if analyte is not None else "", value, unit)


def _exact(value: float) -> str:
    """A stored value as entered (25 -> '25', 1.25 -> '1.25'): 12 significant digits, no noise."""
    return f"{value:.12g}"


def shown(row: dict[str, Any], system: str) -> dict[str, Any]:
    """A stored (canonical) lab row as displayed in ``system`` ('si' or 'us')."""
    out = dict(row)
    analyte = _analyte(row.get("analyte"))
    value, unit = row.get("value"), row.get("unit")
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    if analyte is not None and analyte not in QUALITATIVE and numeric and unit in UNITS[analyte]:
        target = display_unit(analyte, system) or unit
        if target == unit:  # no conversion: every digit stored is a digit someone entered — never hidden
            out["value"] = _exact(float(value))
        else:  # converted: the table's decimals hide conversion noise (9.8196 mg/dL -> 9.8)
            out["value"] = _show_number(from_canonical(analyte, to_canonical(analyte, float(value), unit), target),
                                        analyte, target)
        out["unit"] = target
    elif numeric:
        out["value"] = _show_number(float(value))
    out.setdefault("myeloma_related", True)
    if out.get("myeloma_related") is None:
        out["myeloma_related"] = True
    return out


def store(display: dict[str, Any], old: dict[str, Any] | None, system: str) -> dict[str, Any]:
    """A displayed row (as edited) -> the stored row: canonical unit when the row is valid."""
    row = {name: cell_to_field(col, display.get(name)) for name, col in _BY_NAME.items()}
    analyte = _analyte(row["analyte"])
    if row["myeloma_related"] is None:
        row["myeloma_related"] = True
    if analyte in QUALITATIVE:
        value = clean(display.get("value"))
        row["value"] = value.strip().lower() if isinstance(value, str) else value
        row["unit"] = row["unit"] or None
        return _unchanged_or(row, old)
    shown_value = (display.get("value"), display.get("unit"))
    row["value"] = _number(row["value"])
    if analyte is not None and row["unit"] is None:
        row["unit"] = display_unit(analyte, system)  # entry in the chosen unit system
    value = row["value"]
    if analyte is not None and isinstance(value, float) and row["unit"] in UNITS[analyte]:
        row["value"] = float(f"{to_canonical(analyte, value, row['unit']):.12g}")
        row["unit"] = canonical_unit(analyte)
    return _unchanged_or(row, old, shown_value, system)


def _unchanged_or(row: dict[str, Any], old: dict[str, Any] | None, shown_value: tuple[Any, Any] | None = None,
                  system: str = "si") -> dict[str, Any]:
    """Keep the stored row when the edit is only display rounding of the same value."""
    if old is None:
        return row
    before = shown(old, system)
    if shown_value is not None and isinstance(old.get("value"), (int, float)) and row.get("analyte") == old.get("analyte") \
            and str(shown_value[0]).strip() == before.get("value") and shown_value[1] == before.get("unit"):
        # the value cell was not changed (it still shows the stored value at display precision):
        # keep the stored value exactly, whatever else changed in the row
        kept = {**row, "value": old["value"], "unit": old.get("unit")}
        return dict(old) if all(kept.get(k) == old.get(k) for k in ("date", "analyte", "myeloma_related")) else kept
    same_other = all(row.get(k) == old.get(k) for k in ("date", "analyte", "unit", "myeloma_related"))
    a, b = row.get("value"), old.get("value")
    if same_other and isinstance(a, float) and isinstance(b, (int, float)) and abs(a - b) <= 1e-6 * max(1.0, abs(b)):
        return dict(old)
    return row


# -- CSV import ----------------------------------------------------------------------------

REQUIRED_CSV = ("date", "analyte", "value", "unit")


@dataclass(frozen=True)
class CsvRow:
    line: int  # line number in the CSV (header = 1)
    raw: dict[str, str]
    row: dict[str, Any] | None  # stored (canonical) row when accepted
    problems: tuple[str, ...]


class CsvUnreadable(ValueError):
    pass


def parse_csv(text: str | bytes, system: str, lang: str = "en") -> list[CsvRow]:
    """Read lab rows from CSV through the core's intake (``mmlogic.intake.read_long_csv``: one reader,
    one size and row limit for every way in); each row accepted (stored canonical) or rejected with
    its reasons in ``lang``. A file refused whole raises ``CsvUnreadable`` with its problems."""
    try:
        table = read_long_csv(text, "CSV")
    except CaseInvalid as error:
        raise CsvUnreadable("; ".join(p.text(lang) for p in error.problems)) from None
    out: list[CsvRow] = []
    for item in table.rows:
        if item.lab is None:
            out.append(CsvRow(item.line, item.raw, None, tuple(p.text(lang) for p in item.problems)))
            continue
        lab = {**item.lab, "myeloma_related": item.lab.get("myeloma_related", True)}
        stored = store(lab, None, system)
        for key in ("below_detection", "detection_limit"):
            if key in item.lab:
                stored[key] = item.lab[key]
        out.append(CsvRow(item.line, item.raw, stored, ()))
    return out
