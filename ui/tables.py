"""Editable tables backed by the case in ``st.session_state`` (never by the widget's own state).

A grid shows rows of one case section (``labs``, ``therapy_lines``, …). The data editor's
state is only a *delta* (``edited_rows``, ``added_rows``, ``deleted_rows``) against the frame it
was given, and it is forgotten when the page is left. So: the case section is the source of
truth; at the top of each run the editor's delta is applied to the frame the editor was given
and the result stored through ``ui.state.commit_case``. The editor's key and frame stay the same
while the user edits (focus and selection survive a saved edit, issue #14); they are rebuilt only
when the rows change from elsewhere. One run per edit, no ``st.rerun()``. ``apply_delta`` is a plain function (tested in tests/ui).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd
import streamlit as st

from mmlogic.dates import normalise_entered_date

from . import safe, state



@dataclass(frozen=True)
class Col:
    name: str  # field name in the case row
    kind: str  # date | text | number | int | select | bool | list
    label_key: str
    options: tuple[str, ...] = ()
    required: bool = False
    help_key: str | None = None


def iso(value: Any) -> str | None:
    """A cell's date as ISO text (the editor sends dates as text, the frame holds date)."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    return text[:10] if text else None


def as_date(value: Any) -> date | None:
    text = iso(value)
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def clean(value: Any) -> Any:
    """An editor cell as plain JSON data: NaN/NaT/'' become None."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and pd.isna(value):
        return None
    if isinstance(value, str) and value.strip() == "":
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()  # numpy scalar
    return value


def cell_to_field(col: Col, value: Any) -> Any:
    """An editor cell -> the case field (the core validates it; nothing is coerced silently)."""
    value = clean(value)
    if value is None:
        return None
    if col.kind == "date":  # typed text: ISO when it names a date unambiguously, else kept as typed (#14)
        return normalise_entered_date(str(value).strip())
    if col.kind == "list":
        parts = [p.strip() for p in str(value).split(",")]
        parts = [p for p in parts if p]
        return parts or None
    if col.kind == "bool":
        return bool(value)
    if col.kind == "int" and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def field_to_cell(col: Col, value: Any) -> Any:
    if col.kind == "date":  # the stored text exactly: what the cell shows is what is stored (#14)
        return None if value is None else str(value)
    if col.kind == "list":
        return ", ".join(value) if isinstance(value, list) else (value or None)
    return value


def apply_delta(
    rows: Sequence[dict[str, Any]],
    delta: dict[str, Any] | None,
    shown: Sequence[dict[str, Any]],
    store: Callable[[dict[str, Any], dict[str, Any] | None], dict[str, Any]],
) -> list[dict[str, Any]] | None:
    """Apply a data-editor delta to stored ``rows``; None when the delta changes nothing.

    ``shown`` are the rows as displayed (same order as ``rows``); ``store(shown_row, old_row)``
    turns an edited display row back into a stored row (``old_row`` is None for a new row).
    Edits are applied by position, then deletions, then additions (Streamlit's order).
    """
    if not delta:
        return None
    edited = delta.get("edited_rows") or {}
    added = delta.get("added_rows") or []
    deleted = {int(i) for i in (delta.get("deleted_rows") or [])}
    if not edited and not added and not deleted:
        return None
    out = [copy.deepcopy(r) for r in rows]
    for index_text, changes in edited.items():
        index = int(index_text)
        if 0 <= index < len(out) and changes:
            display = dict(shown[index])
            display.update(changes)
            out[index] = store(display, rows[index])
    out = [r for i, r in enumerate(out) if i not in deleted]
    for new in added:
        if any(clean(v) is not None for v in new.values()):
            out.append(store(dict(new), None))
    return out


@dataclass(frozen=True)
class GridModel:
    """What one editable grid needs: the case section it edits, its widget prefix, a ``token`` of
    everything besides the rows that shapes the editor (language, units, view — a change rebuilds
    it), the frame of some rows, and ``apply(base_rows, delta)`` -> the rows (None: unchanged)."""

    section: str
    prefix: str
    token: str
    frame: Callable[[list[dict[str, Any]]], pd.DataFrame]
    apply: Callable[[list[dict[str, Any]], dict[str, Any] | None], list[dict[str, Any]] | None]
    date_columns: tuple[str, ...] = ()


@dataclass
class _Base:
    """The frame an editor was given, and the rows it was built from (session state)."""

    gen: int
    token: str
    rows: list[dict[str, Any]]
    last: list[dict[str, Any]]  # the section as last committed from this editor
    frame: pd.DataFrame
    visit: int = -1  # the page visit (``state.visit()``) it was drawn in


def long_model(
    *,
    section: str,
    prefix: str,
    columns: Sequence[Col],
    shown: Callable[[dict[str, Any]], dict[str, Any]],
    store: Callable[[dict[str, Any], dict[str, Any] | None], dict[str, Any]],
    token: str,
) -> GridModel:
    """A grid with one row per stored row (labs by value, therapy lines, transplants, events)."""

    def frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
        return long_frame(rows, columns, shown)

    def apply(base: list[dict[str, Any]], delta: dict[str, Any] | None) -> list[dict[str, Any]] | None:
        return apply_delta(base, delta, [shown(r) for r in base], store)

    return GridModel(section, prefix, token, frame, apply, tuple(c.name for c in columns if c.kind == "date"))


def long_frame(rows: Sequence[dict[str, Any]], columns: Sequence[Col],
               shown: Callable[[dict[str, Any]], dict[str, Any]]) -> pd.DataFrame:
    display = [shown(r) for r in rows]
    frame = pd.DataFrame(
        [{c.name: field_to_cell(c, d.get(c.name)) for c in columns} for d in display],
        columns=[c.name for c in columns],
    )
    for c in columns:
        if c.kind in ("date", "text", "select", "list"):
            frame[c.name] = frame[c.name].astype("object")
        elif c.kind == "bool":
            frame[c.name] = frame[c.name].astype("boolean")
        elif c.kind in ("number", "int"):
            frame[c.name] = pd.to_numeric(frame[c.name], errors="coerce").astype("Float64")
    return frame


def _has_changes(delta: Any) -> bool:
    return isinstance(delta, dict) and bool(delta.get("edited_rows") or delta.get("added_rows")
                                            or delta.get("deleted_rows"))


def _section(section: str) -> list[dict[str, Any]]:
    return list(state.case().get(section) or [])


def _applied(model: GridModel, base: _Base, delta: Any) -> list[dict[str, Any]]:
    if not _has_changes(delta):
        return base.rows
    new = model.apply(base.rows, delta)
    return base.rows if new is None else new


def sync_model(model: GridModel) -> bool:
    """Apply the editor's pending edits to the case (idempotent; call before anything reads it).

    The editor's state is the whole delta against the frame it was given (``_Base.rows``), kept
    by the browser while the grid stays mounted: the case section is ``apply(base, delta)``.
    Nothing is applied when the section changed from elsewhere since the last sync (an import,
    a loaded case) or when the grid was drawn in an earlier visit of its page (the browser's
    editor, and its delta, are gone): the grid is rebuilt. A run interrupted by the next edit
    keeps the visit, so no typed edit is dropped.
    """
    base: _Base | None = st.session_state.get(f"{model.prefix}_grid")
    if base is None or base.token != model.token or base.visit != state.visit():
        return False
    rows = _section(model.section)
    if rows != base.last:
        return False
    delta = st.session_state.get(editor_key(model.prefix))
    if not isinstance(delta, dict):
        return False  # no editor state (not drawn yet, or not drawn in the last run): nothing to say
    # An emptied delta is an answer too: the user typed a cell back to the value the frame was built
    # with, so the browser dropped that cell's edit — the section is the frame's rows again (an
    # edit was lost here when a value came back to what it was when the page was entered).
    new = _applied(model, base, delta)
    if new == rows:
        return False
    data = copy.deepcopy(state.case())
    data[model.section] = copy.deepcopy(new)
    base.last = copy.deepcopy(new)
    state.commit_case(data, reason=f"{model.section} grid")
    return True


def show_model(model: GridModel, column_config: dict[str, Any], *, num_rows: str = "dynamic") -> dict[str, str]:
    """Draw the editor of ``model``. Its key and its input frame stay the same from run to run
    while the edits come from this editor, so the browser keeps the grid mounted — focus,
    selection and an open cell editor survive a saved edit (issue #14). The frame is rebuilt
    (new key) only when the rows changed from elsewhere, the token changed, or the page was left
    and entered again. Returns {typed date: stored date} for typed dates that were read differently."""
    base: _Base | None = st.session_state.get(f"{model.prefix}_grid")
    rows = _section(model.section)
    fresh = (base is None or base.token != model.token or base.visit != state.visit() or rows != base.last
             or _applied(model, base, st.session_state.get(editor_key(model.prefix))) != rows)
    if fresh:
        gen = int(st.session_state.get(f"{model.prefix}_editor_gen", -1)) + 1
        st.session_state[f"{model.prefix}_editor_gen"] = gen
        base = _Base(gen, model.token, copy.deepcopy(rows), copy.deepcopy(rows), model.frame(rows), state.visit())
        st.session_state[f"{model.prefix}_grid"] = base
    assert base is not None
    st.data_editor(
        base.frame,
        key=editor_key(model.prefix),
        num_rows=num_rows,
        column_config=column_config,
        hide_index=True,
        width="stretch",
        placeholder="–",
    )
    return read_dates(st.session_state.get(editor_key(model.prefix)), model.date_columns)


def read_dates(delta: Any, columns: Sequence[str]) -> dict[str, str]:
    """{typed: stored} for each date typed in ``delta`` that is stored in another form (the
    cell keeps the typed text until the grid is next built; the change is said, never silent)."""
    out: dict[str, str] = {}
    if not isinstance(delta, dict) or not columns:
        return out
    cells = [*(delta.get("edited_rows") or {}).values(), *(delta.get("added_rows") or [])]
    for cell in cells:
        for name in columns:
            typed = clean(cell.get(name)) if isinstance(cell, dict) else None
            if isinstance(typed, str):
                stored = normalise_entered_date(typed.strip())
                if stored != typed:
                    out[typed] = str(stored)
    return out


def grid(
    *,
    section: str,
    prefix: str,
    columns: Sequence[Col],
    column_config: dict[str, Any],
    shown: Callable[[dict[str, Any]], dict[str, Any]],
    store: Callable[[dict[str, Any], dict[str, Any] | None], dict[str, Any]],
    row_problems: dict[int, list[str]],
    token: str = "",
) -> None:
    """One editable grid over ``case()[section]`` (one row per stored row), its problems listed
    under it (row number and field: a problem column would change the editor's data and so
    re-mount it while the user types)."""
    model = long_model(section=section, prefix=prefix, columns=columns, shown=shown, store=store,
                       token=token or state.lang())
    read = show_model(model, column_config)
    dates_read_note(read)
    if row_problems:
        st.error("\n".join(
            "- " + state.t("labs.row_problem", row=i + 1, message=safe.text("; ".join(field_message(m) for m in msgs)))
            for i, msgs in sorted(row_problems.items())))


def dates_read_note(read: dict[str, str]) -> None:
    if read:
        st.info(state.t("entry.dates_read", pairs=", ".join(f"{safe.text(k)} → {v}" for k, v in read.items())))


def field_message(message: str) -> str:
    """'labs[2].value: expected a number' -> 'value: expected a number' (the row is shown apart)."""
    head, sep, rest = message.partition(": ")
    if sep and "]." in head:
        return head.split("].", 1)[1] + ": " + rest
    return message


def editor_key(prefix: str) -> str:
    """The key of the grid's current editor (stable between runs; see ``show_model``)."""
    return f"{prefix}_editor_{st.session_state.get(f'{prefix}_editor_gen', 0)}"


def sync(
    *,
    section: str,
    prefix: str,
    shown: Callable[[dict[str, Any]], dict[str, Any]],
    store: Callable[[dict[str, Any], dict[str, Any] | None], dict[str, Any]],
    columns: Sequence[Col] = (),
    token: str = "",
) -> bool:
    """Apply a pending editor delta to the case (call at the top of the page). True if changed."""
    return sync_model(long_model(section=section, prefix=prefix, columns=columns, shown=shown, store=store,
                                 token=token or state.lang()))
