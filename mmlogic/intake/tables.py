"""Labs from tables: the long CSV (one lab a row) and laboratory exports in wide format
(analytes as rows, visit dates as columns; csv or xlsx).

Limits are checked before anything is parsed: the file size, the unpacked size of an xlsx (a zip
bomb is refused before openpyxl opens it), the number of rows, the length of a cell. Formula
cells are text, never evaluated (openpyxl ``data_only=False``). Each row that cannot be a lab is
skipped with its reason; the rest is imported (the caller decides whether a skipped row refuses
the whole file).
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import ValidationError

from ..case import Lab, problems_from
from ..errors import CaseInvalid, CaseProblem
from ..limits import MAX_CELL_CHARS, MAX_INPUT_MB, MAX_LAB_ROWS, MAX_UNPACKED_BYTES
from ..units import QUALITATIVE, Analyte
from .cells import COMPUTED_NAMES, analyte_of, date_of, read_value, unit_of
from .jsonsafe import check_size, decode_text
from .problems import Skipped, problem, refuse

__all__ = ["LAB_COLUMNS", "LongCsv", "LongRow", "WideLabs", "read_long_csv", "read_wide", "rows_of_csv", "rows_of_xlsx"]

LAB_COLUMNS = ("date", "analyte", "value", "unit", "myeloma_related")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: Members of an xlsx (a zip); a real export has a dozen.
MAX_ZIP_MEMBERS = 1_000
_TRUE = {"true", "yes", "1", "y"}
_FALSE = {"false", "no", "0", "n"}
_UNIT_HEADERS = {"unit", "units", "单位", "單位", "단위", "einheit"}


def _too_many_rows(source: str, n: int) -> CaseInvalid:
    return CaseInvalid([problem(source, f"expected at most {MAX_LAB_ROWS:,} lab rows (this file has {n:,} or more)",
                                f"检验行数最多 {MAX_LAB_ROWS:,} 行(此文件有 {n:,} 行或更多)", has_got=False)])


def rows_of_csv(data: bytes | str, source: str) -> list[list[str]]:
    """The rows of a CSV (delimiter , ; or tab), after the size, encoding and row-count checks."""
    text = decode_text(data, source)
    check_size(text, source)
    text = text.lstrip("\ufeff")
    # Rows are counted before the CSV is parsed: 100,000 rows are refused in milliseconds.
    if text.count("\n") > MAX_LAB_ROWS + 1:
        lines = sum(1 for line in text.splitlines() if line.strip(" ,;\t"))
        if lines > MAX_LAB_ROWS + 1:
            raise _too_many_rows(source, lines - 1)
    first = next((line for line in text.splitlines() if line.strip()), "")
    try:
        dialect: Any = csv.Sniffer().sniff(first[:4000], delimiters=",;\t") if first else csv.excel
    except csv.Error:
        dialect = csv.excel
    try:
        return [row for row in csv.reader(io.StringIO(text), dialect=dialect)]
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            refuse(source, f"expected cells of at most {MAX_CELL_CHARS} characters (a cell is far larger)",
                   f"单元格最多 {MAX_CELL_CHARS} 个字符(有一个单元格远超此长度)", has_got=False)
        refuse(source, f"expected a CSV table: {error}", f"应为 CSV 表格:{error}", has_got=False)


def _merged_ranges(archive: zipfile.ZipFile, sheet_path: str) -> list[tuple[int, int, int, int]]:
    """(min_row, min_col, max_row, max_col), 1-based, of each merged range of the sheet."""
    try:
        xml = archive.read(sheet_path.lstrip("/"))
    except KeyError:
        return []
    out = []
    for ref in re.findall(rb'<mergeCell[^>]*\bref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"', xml):
        from openpyxl.utils.cell import range_boundaries

        min_col, min_row, max_col, max_row = range_boundaries(ref.decode())
        out.append((min_row, min_col, max_row, max_col))
    return out


def rows_of_xlsx(data: bytes, source: str) -> list[list[Any]]:
    """The rows of the first sheet of an xlsx, merged cells filled with their top-left value.

    Read-only and formulas as text; a zip that would unpack to more than ``MAX_UNPACKED_BYTES``
    (a zip bomb) or holds too many members is refused before the workbook is opened.
    """
    check_size(data, source)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        refuse(source, "expected an xlsx workbook (a zip): this file is not one — save it as .xlsx or .csv",
               "应为 xlsx 工作簿(zip 格式):此文件不是,请另存为 .xlsx 或 .csv", has_got=False)
    unpacked = sum(m.file_size for m in members)
    if len(members) > MAX_ZIP_MEMBERS or unpacked > MAX_UNPACKED_BYTES:
        refuse(source, f"expected an xlsx that unpacks to at most {MAX_UNPACKED_BYTES // 1024 // 1024} MB "
                       f"(this one unpacks to {unpacked:,} bytes in {len(members):,} parts: a zip bomb is not opened)",
               f"xlsx 解压后最多 {MAX_UNPACKED_BYTES // 1024 // 1024} MB(此文件解压后 {unpacked:,} 字节,"
               f"共 {len(members):,} 个部分:疑似压缩炸弹,不予打开)", has_got=False)
    try:
        import openpyxl

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
            sheet = book.worksheets[0]
            rows: list[list[Any]] = []
            for row in sheet.iter_rows(values_only=True):
                rows.append(list(row))
                if len(rows) > MAX_LAB_ROWS + 20:
                    raise _too_many_rows(source, len(rows))
            merged = _merged_ranges(archive, getattr(sheet, "_worksheet_path", "xl/worksheets/sheet1.xml"))
            book.close()
    except CaseInvalid:
        raise
    except Exception as error:  # openpyxl raises many kinds on a damaged workbook: never a traceback
        refuse(source, f"expected a readable xlsx workbook ({type(error).__name__})",
               f"应为可读取的 xlsx 工作簿({type(error).__name__})", has_got=False)
    for min_row, min_col, max_row, max_col in merged:
        if min_row > len(rows):
            continue
        top = rows[min_row - 1][min_col - 1] if min_col - 1 < len(rows[min_row - 1]) else None
        for r in range(min_row, min(max_row, len(rows)) + 1):
            row = rows[r - 1]
            row.extend([None] * (max_col - len(row)))
            for c in range(min_col, max_col + 1):
                if (r, c) != (min_row, min_col):
                    row[c - 1] = _Merged(top)
    return rows


@dataclass(frozen=True, slots=True)
class _Merged:
    """A cell covered by a merged range: it shows the top-left value, once."""

    value: Any


def _plain(cell: Any) -> Any:
    return cell.value if isinstance(cell, _Merged) else cell


# ---- long format ------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class LongRow:
    line: int  # line in the file (header = 1)
    raw: dict[str, str]
    lab: dict[str, Any] | None  # a case-format lab, as entered (unit not converted)
    problems: tuple[CaseProblem, ...] = ()


@dataclass(frozen=True, slots=True)
class LongCsv:
    header: tuple[str, ...]
    unknown_columns: tuple[str, ...]
    rows: tuple[LongRow, ...]


def _unescape(text: str) -> str:
    """A cell written by ``labs_csv`` with a neutralised formula trigger ('=…) reads as typed."""
    return text[1:] if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_PREFIXES) else text


def lab_from_cells(date_text: Any, analyte_text: Any, value_cell: Any, unit_text: Any,
                   related: bool | None = True) -> tuple[dict[str, Any] | None, list[CaseProblem]]:
    """A case-format lab from the cells of one row, or the problems (field paths date, value…)."""
    analyte_name = "" if analyte_text is None else str(analyte_text).strip()
    try:
        analyte: Analyte | None = Analyte(analyte_name.lower())
    except ValueError:
        analyte = analyte_of(analyte_name)[0] if analyte_name else None
    when = date_of(date_text) if not isinstance(date_text, str) or "-" not in date_text[:5] else date_text
    lab: dict[str, Any] = {"date": when.isoformat() if isinstance(when, date) else (date_text or None),
                           "analyte": analyte.value if analyte else (analyte_name or None)}
    cell = read_value(value_cell, analyte)
    if cell.value is None and not cell.empty:
        problems = [problem("value", cell.en, cell.zh, value_cell)]
        lab["value"] = 0.0  # placeholder so the other fields are checked too
    else:
        problems = []
        lab["value"] = cell.value
    if analyte is not None and analyte not in QUALITATIVE:
        unit, _ = unit_of(analyte, None if unit_text in (None, "") else str(unit_text))
        if unit is not None:
            lab["unit"] = unit
    elif unit_text not in (None, ""):
        lab["unit"] = str(unit_text)
    if related is False:
        lab["myeloma_related"] = False
    if cell.below_detection:
        lab["below_detection"] = True
        if cell.detection_limit is not None:
            lab["detection_limit"] = cell.detection_limit
    try:
        Lab.model_validate(lab)
    except ValidationError as error:
        problems += [p for p in problems_from(error) if not (problems and p.path == "value")]
    return (None, problems) if problems else (lab, [])


def read_long_csv(data: bytes | str, source: str = "labs.csv") -> LongCsv:
    """Labs from a CSV with columns date, analyte, value, unit [, myeloma_related]."""
    rows = [r for r in rows_of_csv(data, source) if any(c.strip() for c in r)]
    if not rows:
        refuse(source, "expected a header row: date, analyte, value, unit (the CSV is empty)",
               "应有表头行:date, analyte, value, unit(CSV 为空)", has_got=False)
    header = tuple(h.strip().lower() for h in rows[0])
    missing = [c for c in LAB_COLUMNS[:4] if c not in header]
    if missing:
        raise CaseInvalid([problem("header", f"expected the column {c!r} (missing column)",
                                   f"缺少列 {c!r}", has_got=False) for c in missing])
    out = []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            out.append(LongRow(number, {}, None, (problem("row", f"expected {len(header)} cells, found {len(row)}",
                                                           f"应有 {len(header)} 个单元格,实际 {len(row)} 个",
                                                           has_got=False),)))
            continue
        raw = {h: _unescape(c.strip()) for h, c in zip(header, row)}
        flag = raw.get("myeloma_related", "").lower()
        if flag and flag not in _TRUE | _FALSE:
            out.append(LongRow(number, raw, None, (problem("myeloma_related", "expected true or false",
                                                            "应为 true 或 false", raw["myeloma_related"]),)))
            continue
        lab, problems = lab_from_cells(raw["date"] or None, raw["analyte"], raw["value"], raw["unit"] or None,
                                       False if flag in _FALSE else True)
        out.append(LongRow(number, raw, lab, tuple(problems)))
    unknown = tuple(h for h in header if h not in LAB_COLUMNS)
    return LongCsv(header, unknown, tuple(out))


# ---- wide format ------------------------------------------------------------------------------

@dataclass
class WideLabs:
    labs: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)


def _col_name(index: int) -> str:
    from openpyxl.utils.cell import get_column_letter

    return get_column_letter(index + 1)


def read_wide(rows: list[list[Any]], source: str) -> WideLabs:
    """Labs from a wide table: one analyte a row, one visit date a column.

    The header row is the first with a date in a column after the first. A merged header cell (or,
    in a CSV, an empty header right after a date) belongs to the date on its left: H/L flags there
    are annotations. Two columns with the same date are reported: one value is kept when they
    agree, none when they differ. Below-detection cells follow ASSUME-BELOW-DETECTION.
    """
    out = WideLabs()
    header_index = next((i for i, row in enumerate(rows[:20])
                         if sum(1 for c in row[1:] if not isinstance(c, _Merged) and date_of(c)) >= 1), None)
    if header_index is None:
        refuse(source, "expected a wide lab table: a header row with visit dates (YYYY-MM-DD) in the first 20 rows",
               "应为宽格式检验表:前 20 行内应有一行日期表头(YYYY-MM-DD)", has_got=False)
    header = rows[header_index]
    slots: dict[int, date] = {}  # column -> date
    parent: dict[int, int] = {}  # column -> the column that carries its date
    unit_col = None
    label_col = None
    last_date_col: int | None = None
    for col, cell in enumerate(header):
        when = None if isinstance(cell, _Merged) else date_of(cell)
        if when is not None:
            slots[col], parent[col], last_date_col = when, col, col
        elif (isinstance(cell, _Merged) or _plain(cell) in (None, "")) and last_date_col is not None:
            slots[col], parent[col] = slots[last_date_col], last_date_col
        else:
            last_date_col = None
            name = str(_plain(cell) or "").strip().casefold()
            if name in _UNIT_HEADERS:
                unit_col = col
            elif label_col is None:
                label_col = col
    if label_col is None:
        label_col = 0
    by_date: dict[date, list[int]] = {}
    for col, when in slots.items():
        if parent[col] == col:
            by_date.setdefault(when, []).append(col)
    for when, cols in by_date.items():
        if len(cols) > 1:
            out.skipped.append(Skipped(source=source, where=f"{', '.join(_col_name(c) for c in cols)}{header_index + 1}",
                                       en=f"the date {when.isoformat()} heads {len(cols)} columns: a value is kept only "
                                          "where they agree", zh=f"日期 {when.isoformat()} 出现在 {len(cols)} 列:"
                                          "仅保留各列一致的数值", got=when.isoformat()))
    out.dates = sorted({d.isoformat() for d in by_date})
    for r in range(header_index + 1, len(rows)):
        row = rows[r]
        label = _plain(row[label_col]) if label_col < len(row) else None
        if label is None or not str(label).strip():
            continue
        where = f"{_col_name(label_col)}{r + 1}"
        label_text = str(label)[:MAX_CELL_CHARS]
        if label_text.strip().casefold() in COMPUTED_NAMES or analyte_of(label_text)[1] and \
                analyte_of(label_text)[0] is None and label_text.split("(")[0].strip().casefold() in COMPUTED_NAMES:
            out.skipped.append(Skipped(source=source, where=where, en="the κ/λ ratio is computed by the app from κ and λ",
                                       zh="κ/λ 比值由程序根据 κ 与 λ 计算,不导入", got=label_text[:60]))
            continue
        analyte, label_unit = analyte_of(label_text)
        if analyte is None:
            out.skipped.append(Skipped(source=source, where=where, en="not an analyte the case records",
                                       zh="不是病例记录的检验项目", got=label_text[:60]))
            continue
        unit_text = _plain(row[unit_col]) if unit_col is not None and unit_col < len(row) else None
        unit_text = unit_text if unit_text not in (None, "") else label_unit
        unit, accepted = unit_of(analyte, None if unit_text is None else str(unit_text)[:MAX_CELL_CHARS])
        if not accepted:
            from ..units import accepted_units

            out.skipped.append(Skipped(
                source=source, where=where,
                en=f"unit {unit_text!r} is not accepted for {analyte.value} (accepted: {', '.join(accepted_units(analyte))})",
                zh=f"{analyte.value} 不接受单位 {unit_text!r}(可用:{', '.join(accepted_units(analyte))})",
                got=label_text[:60]))
            continue
        for when, cols in sorted(by_date.items()):
            found: list[tuple[str, Any]] = []
            for col in cols:
                for c in sorted(k for k, p in parent.items() if p == col):
                    if c >= len(row):
                        continue
                    raw = _plain(row[c]) if c == col or not isinstance(row[c], _Merged) else None
                    cell = read_value(raw, analyte)
                    if cell.empty or cell.flag:
                        continue
                    if cell.value is None:
                        out.skipped.append(Skipped(source=source, where=f"{_col_name(c)}{r + 1}", en=cell.en, zh=cell.zh,
                                                   got=str(raw)[:60]))
                        continue
                    lab: dict[str, Any] = {"date": when.isoformat(), "analyte": analyte.value, "value": cell.value}
                    if unit is not None:
                        lab["unit"] = unit
                    if cell.below_detection:
                        lab["below_detection"] = True
                        if cell.detection_limit is not None:
                            lab["detection_limit"] = cell.detection_limit
                    found.append((f"{_col_name(c)}{r + 1}", lab))
            distinct = {repr(sorted(lab.items())) for _, lab in found}
            if len(distinct) == 1:
                out.labs.append(found[0][1])
            elif len(distinct) > 1:
                out.skipped.append(Skipped(
                    source=source, where=", ".join(w for w, _ in found),
                    en=f"{analyte.value} on {when.isoformat()} has different values in columns of the same date: none imported",
                    zh=f"{analyte.value} 在 {when.isoformat()} 的同日多列数值不一致:均不导入",
                    got=" / ".join(str(lab["value"]) for _, lab in found)))
            if len(out.labs) > MAX_LAB_ROWS:
                raise _too_many_rows(source, len(out.labs))
    return out


def looks_wide(rows: list[list[Any]]) -> bool:
    """A table whose header has dates across it (rather than date, analyte, value, unit columns)."""
    for row in rows[:20]:
        cells = [str(_plain(c) or "").strip().lower() for c in row]
        if {"date", "analyte", "value"} <= set(cells):
            return False
        if sum(1 for c in row[1:] if not isinstance(c, _Merged) and date_of(c)) >= 1:
            return True
    return False


__all__ += ["MAX_INPUT_MB", "lab_from_cells", "looks_wide"]
