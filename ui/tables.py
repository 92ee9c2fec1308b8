"""Editable tables backed by the case in ``st.session_state`` (never by the widget's own state).

A grid shows rows of one case section (``labs``, ``therapy_lines``, …). The data editor's
state is only a *delta* (``edited_rows``, ``added_rows``, ``deleted_rows``) against the frame it
was given, and it is forgotten when the page is left. So: the case section is the source of
truth; at the top of the page a pending delta is applied to it through ``ui.state.commit_case``,
and the editor is keyed on the case revision, so the next editor starts with an empty delta.
One run per edit, no ``st.rerun()``. ``apply_delta`` is a plain function (tested in tests/ui).
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

from . import state

PROBLEM_COL = "problem"


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


def grid(
    *,
    section: str,
    prefix: str,
    columns: Sequence[Col],
    column_config: dict[str, Any],
    shown: Callable[[dict[str, Any]], dict[str, Any]],
    store: Callable[[dict[str, Any], dict[str, Any] | None], dict[str, Any]],
    row_problems: dict[int, list[str]],
) -> None:
    """Render one editable grid over ``case()[section]``; pending edits were applied by ``sync``."""
    rows = list(state.case().get(section) or [])
    display = [shown(r) for r in rows]
    frame = pd.DataFrame(
        [{c.name: field_to_cell(c, d.get(c.name)) for c in columns} for d in display],
        columns=[c.name for c in columns],
    )
    for c in columns:
        if c.kind == "date":
            frame[c.name] = frame[c.name].astype("object")
        elif c.kind in ("text", "select", "list"):
            frame[c.name] = frame[c.name].astype("object")
        elif c.kind == "bool":
            frame[c.name] = frame[c.name].astype("boolean")
        elif c.kind in ("number", "int"):
            frame[c.name] = pd.to_numeric(frame[c.name], errors="coerce").astype("Float64")
    config = dict(column_config)
    data: Any = frame
    if row_problems:  # the problem column appears only while some row has a problem
        problems = ["⚠ " + "; ".join(field_message(m) for m in row_problems[i]) if i in row_problems else ""
                    for i in range(len(rows))]
        frame[PROBLEM_COL] = pd.Series(problems, dtype="object")
        config[PROBLEM_COL] = st.column_config.TextColumn(state.t("col.problem"), disabled=True, width="large")
        data = frame.style.map(lambda v: "background-color: #FDE7E2; color: #8A1C00" if v else "",
                               subset=[PROBLEM_COL])
    st.data_editor(
        data,
        key=editor_key(prefix),
        num_rows="dynamic",
        column_config=config,
        hide_index=True,
        width="stretch",
        placeholder="–",
    )


def field_message(message: str) -> str:
    """'labs[2].value: expected a number' -> 'value: expected a number' (the row is shown apart)."""
    head, sep, rest = message.partition(": ")
    if sep and "]." in head:
        return head.split("].", 1)[1] + ": " + rest
    return message


def editor_key(prefix: str) -> str:
    return f"{prefix}_editor_{state.rev()}"


def sync(
    *,
    section: str,
    prefix: str,
    shown: Callable[[dict[str, Any]], dict[str, Any]],
    store: Callable[[dict[str, Any], dict[str, Any] | None], dict[str, Any]],
) -> bool:
    """Apply a pending editor delta to the case (call at the top of the page). True if changed."""
    delta = st.session_state.get(editor_key(prefix))
    if not isinstance(delta, dict):
        return False
    rows = list(state.case().get(section) or [])
    new = apply_delta(rows, delta, [shown(r) for r in rows], store)
    if new is None or new == rows:
        return False
    data = copy.deepcopy(state.case())
    data[section] = new
    state.commit_case(data, reason=f"{section} grid")
    return True
