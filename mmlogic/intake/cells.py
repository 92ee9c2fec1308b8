"""One table cell as a lab value: a number, a below-detection result, a qualitative result, or a
reason it is not a value. Also the names of analytes as laboratory exports write them.

Numbers are bounded (``MAX_NUMBER_CHARS``) before conversion; a formula (``=…``) is text and is
never evaluated. Below-detection strings follow ASSUME-BELOW-DETECTION.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime

from ..limits import MAX_CELL_CHARS, MAX_NUMBER_CHARS
from ..units import QUALITATIVE, UNITS, Analyte

__all__ = ["CellValue", "analyte_of", "date_of", "read_value", "unit_of"]

_NUM = r"[0-9]+(?:[.,][0-9]+)?"
_BELOW = (
    re.compile(rf"^(?:<|＜|≤|<=|less than)\s*(?P<n>{_NUM})$", re.I),
    re.compile(rf"^(?P<n>{_NUM})\s*(?:이하|미만|以下|以内)$"),
    re.compile(rf"^(?:低于|小于|少于)\s*(?P<n>{_NUM})$"),
)
_NOT_DETECTED = {
    "nd", "n.d.", "n/d", "not detected", "undetectable", "none detected", "absent", "neg", "negative",
    "未检出", "未檢出", "未见", "阴性", "陰性", "음성", "검출안됨", "검출 안됨", "불검출", "미검출", "-",
}
_POSITIVE = {"positive", "pos", "detected", "present", "阳性", "陽性", "检出", "양성", "검출", "+"}
_FLAGS = {"h", "l", "hh", "ll", "↑", "↓", "*", "n", "a", "high", "low", "偏高", "偏低"}


@dataclass(frozen=True, slots=True)
class CellValue:
    """What a cell holds: ``value`` (float, 'positive'/'negative') or ``None`` with a reason."""

    value: float | str | None = None
    below_detection: bool = False
    detection_limit: float | None = None
    empty: bool = False
    flag: bool = False  # an H/L marker, not a value
    en: str = ""
    zh: str = ""


def _number(text: str) -> float | None:
    text = text.replace(",", ".") if text.count(",") == 1 and "." not in text else text.replace(",", "")
    if len(text) > MAX_NUMBER_CHARS:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def read_value(cell: object, analyte: Analyte | None) -> CellValue:
    """Read one cell for ``analyte`` (None: unknown yet)."""
    if cell is None:
        return CellValue(empty=True)
    if isinstance(cell, bool):
        return CellValue(en="expected a number, got true/false", zh="应为数字,实际为真/假值")
    if isinstance(cell, (int, float)):
        if not math.isfinite(float(cell)) or abs(cell) > 1e15:
            return CellValue(en="expected a finite number", zh="应为有限数字")
        if analyte in QUALITATIVE:
            return CellValue(en="expected positive or negative for an immunofixation", zh="免疫固定电泳结果应为阳性或阴性")
        return CellValue(value=float(cell))
    text = str(cell)
    if len(text) > MAX_CELL_CHARS:
        return CellValue(en=f"expected a cell of at most {MAX_CELL_CHARS} characters ({len(text):,} here)",
                         zh=f"单元格最多 {MAX_CELL_CHARS} 个字符(此处 {len(text):,} 个)")
    text = " ".join(text.split())
    if not text:
        return CellValue(empty=True)
    if text.startswith("="):
        return CellValue(en="a formula is kept as text and never evaluated", zh="公式按文本保留,不会被计算")
    lowered = text.casefold()
    if lowered in _FLAGS:
        return CellValue(flag=True)
    if analyte in QUALITATIVE:
        if lowered in _NOT_DETECTED or any(p.match(text) for p in _BELOW):
            return CellValue(value="negative", below_detection=False)
        if lowered in _POSITIVE or lowered.startswith(("positive", "阳性", "igg", "iga", "igm", "kappa", "lambda")):
            return CellValue(value="positive")
        return CellValue(en="expected positive or negative for an immunofixation", zh="免疫固定电泳结果应为阳性或阴性")
    if lowered in _NOT_DETECTED:
        return CellValue(value=0.0, below_detection=True)
    for pattern in _BELOW:
        match = pattern.match(text)
        if match:
            limit = _number(match.group("n"))
            if limit is None:
                break
            return CellValue(value=0.0, below_detection=True, detection_limit=limit)
    if len(text) > MAX_NUMBER_CHARS:
        return CellValue(en=f"expected a number of at most {MAX_NUMBER_CHARS} characters",
                         zh=f"数字最多 {MAX_NUMBER_CHARS} 个字符")
    value = _number(text.rstrip(" HL↑↓*"))
    if value is None:
        return CellValue(en="expected a number", zh="应为数字")
    if value < 0:
        return CellValue(en="expected a value of 0 or more", zh="数值应不小于 0")
    return CellValue(value=value)


# Row labels as hospital exports and spreadsheets write them (en, zh, ko), lower-cased.
_NAMES: dict[Analyte, tuple[str, ...]] = {
    Analyte.SERUM_M_PROTEIN: ("serum_m_protein", "m-protein", "m protein", "m-spike", "m spike", "serum m-protein",
                              "spep m-spike", "monoclonal protein", "paraprotein", "m蛋白", "血清m蛋白", "单克隆蛋白",
                              "m단백", "33358-3"),
    Analyte.URINE_M_PROTEIN: ("urine_m_protein", "urine m-protein", "upep m-spike", "24h urine m-protein",
                              "尿m蛋白", "소변 m단백"),
    Analyte.FLC_KAPPA: ("flc_kappa", "kappa", "free kappa", "kappa flc", "free light chain kappa", "flc kappa", "kappa free light chain", "κ", "κ游离轻链",
                        "游离κ轻链", "游离轻链κ", "kappa 유리경쇄", "36916-5"),
    Analyte.FLC_LAMBDA: ("flc_lambda", "lambda", "free lambda", "lambda flc", "free light chain lambda", "flc lambda", "lambda free light chain", "λ",
                         "λ游离轻链", "游离λ轻链", "游离轻链λ", "lambda 유리경쇄", "33944-0"),
    Analyte.SERUM_IFE: ("serum_ife", "ife", "serum ife", "immunofixation", "serum immunofixation", "免疫固定电泳",
                        "血清免疫固定电泳", "면역고정전기영동"),
    Analyte.URINE_IFE: ("urine_ife", "urine ife", "urine immunofixation", "尿免疫固定电泳"),
    Analyte.CALCIUM: ("calcium", "ca", "serum calcium", "钙", "血钙", "칼슘", "17861-6"),
    Analyte.HEMOGLOBIN: ("hemoglobin", "haemoglobin", "hb", "hgb", "血红蛋白", "혈색소", "헤모글로빈", "718-7"),
    Analyte.CREATININE: ("creatinine", "cr", "crea", "serum creatinine", "肌酐", "血肌酐", "크레아티닌", "2160-0"),
    Analyte.BETA2_MICROGLOBULIN: ("beta2_microglobulin", "β2-microglobulin", "beta-2 microglobulin", "b2m", "β2m",
                                  "beta2-microglobulin", "β2微球蛋白", "β2-微球蛋白", "베타2 마이크로글로불린", "1952-1"),
    Analyte.ALBUMIN: ("albumin", "alb", "serum albumin", "白蛋白", "血清白蛋白", "알부민", "1751-7"),
    Analyte.MARROW_PLASMA_CELLS: ("marrow_plasma_cells", "bone marrow plasma cells", "marrow plasma cells",
                                  "骨髓浆细胞", "骨髓浆细胞比例"),
}
_BY_NAME = {name.casefold(): analyte for analyte, names in _NAMES.items() for name in names}
#: Rows the case has no place for because the app computes them (κ/λ ratio).
COMPUTED_NAMES = frozenset({"flc ratio", "kappa/lambda", "κ/λ", "kappa/lambda ratio", "κ/λ比值", "flc_ratio",
                            "free light chain ratio", "κ/λ ratio", "kappa/lambda ratio", "flc kappa/lambda", "48378-4"})
_UNIT_IN_LABEL = re.compile(r"^(?P<name>.*?)\s*[\(\[（](?P<unit>[^)\]）]*)[\)\]）]\s*$")


def analyte_of(label: str) -> tuple[Analyte | None, str | None]:
    """(analyte, unit written in the label) of a row label such as 'Hemoglobin (g/dL)'."""
    text = " ".join(str(label).split())
    unit = None
    match = _UNIT_IN_LABEL.match(text)
    if match and match.group("name"):
        text, unit = match.group("name"), match.group("unit").strip() or None
    return _BY_NAME.get(text.casefold()), unit


# UCUM codes and common spellings of a unit the case format already accepts, with the same meaning
# (factor 1). Conversion between different units is mmlogic.units' alone.
_SAME_UNIT = {"g/dl": "g/dL", "mg/dl": "mg/dL", "g/l": "g/L", "mg/l": "mg/L", "mmol/l": "mmol/L",
              "umol/l": "umol/L", "µmol/l": "µmol/L", "μmol/l": "µmol/L", "ug/ml": "mg/L", "µg/ml": "mg/L",
              "mg/(24.h)": "mg/24h", "mg/24 h": "mg/24h", "g/(24.h)": "g/24h", "g/24 h": "g/24h", "%": "%"}


def unit_of(analyte: Analyte, unit: str | None) -> tuple[str | None, bool]:
    """(unit as the case format writes it, accepted?) for ``analyte``."""
    accepted = UNITS[analyte]
    if not accepted:
        return None, unit in (None, "", "1", "{result}")
    if unit is None or not str(unit).strip():
        return None, False
    text = str(unit).strip()
    if text in accepted:
        return text, True
    same = _SAME_UNIT.get(text.casefold())
    return (same, True) if same in accepted else (text, False)


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S",
                 "%Y-%m-%dT%H:%M:%S", "%Y/%m/%d %H:%M")


def date_of(cell: object) -> date | None:
    """A header cell as a date (xlsx date, or ISO-like text with the year first); None otherwise."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if not isinstance(cell, str) or len(cell) > 40:
        return None
    text = cell.strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None
