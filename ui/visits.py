"""One row per visit (issue #14): the case's labs (one stored row per value) shown as a grid with
one row per date and a column per analyte, and the grid's edits turned back into stored rows.

Plain functions, no widgets. The stored rows stay the source of truth:

* ``visit_table(labs, system)`` groups the labs by (date, myeloma-related); the k-th value of an
  analyte on a date goes to the k-th visit row of that date, so two values of one analyte on one
  day are two visit rows, never one lost value. Each cell remembers which stored row it shows.
* ``apply_visits(labs, table, delta, system)`` applies a data-editor delta (``edited_rows``,
  ``added_rows``, ``deleted_rows`` by visit row) to the stored rows: an edited cell changes its
  stored row (or adds one), an emptied cell deletes it, a changed date moves every value of the
  visit. An untouched cell — or one re-typed as it was shown — keeps its stored row exactly, in
  place: the conversion back is exact (tests/ui/test_visits.py, Hypothesis).
* A value that is not a number is stored as typed; the case model names it as a problem, shown
  by ``problem_lines`` with the visit's date and the analyte.

Labs that fit no column (unknown analyte, a unit that does not belong to it, no date) are
``table.others``: shown only in the one-row-per-value grid, never touched by visit edits.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from mmlogic.units import QUALITATIVE, UNITS, Analyte, display_unit

from . import labs
from mmlogic.dates import normalise_entered_date

from .tables import clean

#: Column order: the issue's list (serum M, urine M, κ, λ, IFE, calcium, Hb, creatinine, β2M,
#: albumin), then the marrow, so every analyte of the case format has a column.
VISIT_ANALYTES: tuple[Analyte, ...] = (
    Analyte.SERUM_M_PROTEIN, Analyte.URINE_M_PROTEIN, Analyte.FLC_KAPPA, Analyte.FLC_LAMBDA,
    Analyte.SERUM_IFE, Analyte.URINE_IFE, Analyte.CALCIUM, Analyte.HEMOGLOBIN, Analyte.CREATININE,
    Analyte.BETA2_MICROGLOBULIN, Analyte.ALBUMIN, Analyte.MARROW_PLASMA_CELLS,
)
DATE = "date"
RELATED = "myeloma_related"
COLUMNS: tuple[str, ...] = (DATE, *(a.value for a in VISIT_ANALYTES), RELATED)


@dataclass(frozen=True)
class VisitTable:
    rows: tuple[dict[str, Any], ...]  # display cells: date text, analyte texts (None = empty), related flag
    cells: tuple[dict[str, int], ...]  # per visit row: {analyte: index of the stored row shown}
    others: tuple[int, ...]  # stored rows that fit no column


def _fits(lab: Any) -> Analyte | None:
    """The analyte column a stored row can be shown in, or None."""
    if not isinstance(lab, dict) or lab.get("date") in (None, ""):
        return None
    try:
        analyte = Analyte(lab.get("analyte"))
    except ValueError:
        return None
    if analyte in QUALITATIVE:
        return analyte if lab.get("unit") in (None, "") else None
    return analyte if lab.get("unit") in UNITS[analyte] else None


def _related(lab: dict[str, Any]) -> bool:
    return lab.get(RELATED) is not False


def _cell_text(lab: dict[str, Any], system: str) -> str | None:
    value = labs.shown(lab, system).get("value")
    return None if value is None else str(value)


def _sort_key(date_text: str) -> tuple[int, str]:
    stored = normalise_entered_date(date_text)
    iso = isinstance(stored, str) and len(stored) == 10 and stored[4] == "-"
    return (0, stored) if iso else (1, date_text)  # text that is no date: after the dates, as typed


def visit_table(rows: Sequence[dict[str, Any]], system: str) -> VisitTable:
    """Stored lab rows -> one row per (date, myeloma-related) and occurrence, dates ascending."""
    groups: dict[tuple[str, bool], list[dict[str, int]]] = {}
    others: list[int] = []
    for index, lab in enumerate(rows):
        analyte = _fits(lab)
        if analyte is None:
            others.append(index)
            continue
        visits = groups.setdefault((str(lab["date"]), _related(lab)), [])
        for cells in visits:  # the first visit row of this date with a free cell
            if analyte.value not in cells:
                cells[analyte.value] = index
                break
        else:
            visits.append({analyte.value: index})
    table_rows: list[dict[str, Any]] = []
    table_cells: list[dict[str, int]] = []
    for (date_text, related) in sorted(groups, key=lambda k: (_sort_key(k[0]), not k[1])):
        for cells in groups[(date_text, related)]:
            shown: dict[str, Any] = {DATE: date_text}
            for analyte in VISIT_ANALYTES:
                index = cells.get(analyte.value)
                shown[analyte.value] = None if index is None else _cell_text(rows[index], system)
            shown[RELATED] = related
            table_rows.append(shown)
            table_cells.append(dict(cells))
    return VisitTable(tuple(table_rows), tuple(table_cells), tuple(others))


def _text(value: Any) -> str | None:
    value = clean(value)
    return None if value is None else str(value).strip() or None


def _new_lab(date_value: Any, analyte: str, text: str, related: bool, system: str) -> dict[str, Any]:
    display = {"date": date_value, "analyte": analyte, "value": text, "unit": None, RELATED: related}
    return labs.store(display, None, system)


def apply_visits(
    rows: Sequence[dict[str, Any]],
    table: VisitTable,
    delta: dict[str, Any] | None,
    system: str,
) -> list[dict[str, Any]] | None:
    """The stored rows after a visit-grid delta; None when it changes nothing."""
    if not isinstance(delta, dict):
        return None
    edited = delta.get("edited_rows") or {}
    added = delta.get("added_rows") or []
    deleted = {int(i) for i in (delta.get("deleted_rows") or [])}
    if not edited and not added and not deleted:
        return None
    out: list[dict[str, Any] | None] = [copy.deepcopy(r) for r in rows]
    appended: list[dict[str, Any]] = []
    for index_text, changes in edited.items():
        i = int(index_text)
        if not (0 <= i < len(table.rows)) or not changes or i in deleted:
            continue
        shown, cells = table.rows[i], table.cells[i]
        date_changed = DATE in changes and _text(changes[DATE]) != _text(shown[DATE])
        new_date = normalise_entered_date(_text(changes[DATE]) or "") if date_changed else None
        related_changed = RELATED in changes and bool(changes[RELATED]) != shown[RELATED]
        related = bool(changes[RELATED]) if related_changed else shown[RELATED]
        for analyte in VISIT_ANALYTES:
            name = analyte.value
            index = cells.get(name)
            typed_changed = name in changes and _text(changes[name]) != _text(shown[name])
            if index is None:
                if typed_changed and _text(changes[name]) is not None:
                    date_value = new_date if date_changed else shown[DATE]
                    appended.append(_new_lab(date_value or None, name, _text(changes[name]) or "", related, system))
                continue
            if typed_changed and _text(changes[name]) is None:
                out[index] = None  # an emptied cell: no measurement
                continue
            lab = out[index]
            assert lab is not None
            if typed_changed:
                # A typed value is in its column's unit (the header), whatever unit the stored row had
                # (a text value keeps the unit it came with, which the header does not show).
                display = {**labs.shown(rows[index], system), "value": _text(changes[name]),
                           "unit": display_unit(Analyte(name), system) or rows[index].get("unit")}
                lab = labs.store(display, rows[index], system)
            if date_changed:
                lab["date"] = new_date or None
            if related_changed:
                lab[RELATED] = related
            out[index] = lab
    for i in deleted:
        if 0 <= i < len(table.cells):
            for index in table.cells[i].values():
                out[index] = None
    for new in added:
        if not isinstance(new, dict):
            continue
        date_text = _text(new.get(DATE))
        related = new.get(RELATED) is not False and clean(new.get(RELATED)) is not False
        for analyte in VISIT_ANALYTES:
            text = _text(new.get(analyte.value))
            if text is not None:
                appended.append(_new_lab(normalise_entered_date(date_text) if date_text else None,
                                         analyte.value, text, related, system))
    result = [r for r in out if r is not None] + appended
    return None if result == list(rows) else result


def header(analyte: Analyte, system: str, label: str) -> str:
    """A column header with its unit in the session's unit system: 'Serum M-protein (g/L)'."""
    unit = display_unit(analyte, system)
    return f"{label} ({unit})" if unit else label


def where(rows: Sequence[dict[str, Any]], index: int) -> tuple[str, str]:
    """(date text, analyte code) of a stored row, for naming a problem."""
    lab = rows[index] if 0 <= index < len(rows) and isinstance(rows[index], dict) else {}
    return str(lab.get("date") or "–"), str(lab.get("analyte") or "–")
