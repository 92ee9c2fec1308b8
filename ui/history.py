"""Grids of the patient page: therapy lines, transplants, events (columns and row conversion)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from mmlogic.case import EventKind, Response, TransplantType

from .state import labels, t
from .tables import Col, cell_to_field


def kb_ids() -> list[str]:
    """Regimen ids of the knowledge base, then the shared vocabulary's shorthands (KRd, DPd, …;
    issue 15); empty if they cannot be read."""
    try:
        from mmlogic.drugs import vocabulary
        from mmlogic.regimens import knowledge_base

        seed = [r.id for r in knowledge_base().regimens if r.kind != "transplant"]
        return seed + [r.id for r in vocabulary().regimen if r.id not in seed]
    except Exception:
        return []


# Important columns first (issue #14: on a tablet the grid hid progression date and stop reason);
# the drug list, longest and derivable from the regimen, last — the grid scrolls to it.
LINE_COLUMNS: tuple[Col, ...] = (
    Col("regimen", "text", "col.regimen", required=True),
    Col("start", "date", "col.start", required=True),
    Col("end", "date", "col.end"),
    Col("progression_date", "date", "col.progression_date"),
    Col("stop_reason", "text", "col.stop_reason"),
    Col("best_response", "select", "col.best_response", options=tuple(r.value for r in Response)),
    Col("drugs", "list", "col.drugs"),
)
TRANSPLANT_COLUMNS: tuple[Col, ...] = (
    Col("date", "date", "col.date", required=True),
    Col("type", "select", "col.type", options=tuple(k.value for k in TransplantType), required=True),
)
EVENT_COLUMNS: tuple[Col, ...] = (
    Col("date", "date", "col.date", required=True),
    Col("kind", "select", "col.kind", options=tuple(k.value for k in EventKind), required=True),
    Col("increase_pct", "number", "col.increase_pct"),
    Col("increase_cm", "number", "col.increase_cm"),
    Col("note", "text", "col.note"),
    # catalog 1.1 (RISK-HIGH-FEATURES): a new plasmacytoma outside bone
    Col("extramedullary", "bool", "col.extramedullary"),
)


def shown(row: dict[str, Any]) -> dict[str, Any]:
    return dict(row)


def store(columns: Sequence[Col]) -> Callable[[dict[str, Any], dict[str, Any] | None], dict[str, Any]]:
    def convert(display: dict[str, Any], old: dict[str, Any] | None) -> dict[str, Any]:
        row = dict(old or {})
        for col in columns:
            value = cell_to_field(col, display.get(col.name))
            if value is None and col.kind == "bool":
                row.pop(col.name, None)  # an untouched checkbox of a new row: the case default (false)
            else:
                row[col.name] = value
        return row

    return convert


def column_config(columns: Sequence[Col]) -> dict[str, Any]:
    config: dict[str, Any] = {}
    for col in columns:
        label = t(col.label_key)
        if col.kind == "date":
            # text, not the browser's date box, which corrupted typed dates (#14)
            config[col.name] = st.column_config.TextColumn(label, required=col.required, help=t("col.date_help"),
                                                           width="small")
        elif col.kind == "select":
            fmt = {"kind": labels("event."), "type": labels("tx_type.")}.get(col.name)
            config[col.name] = st.column_config.SelectboxColumn(label, options=col.options, required=col.required,
                                                                format_func=fmt)
        elif col.kind == "number":
            config[col.name] = st.column_config.NumberColumn(label, min_value=0.0, step=0.1)
        elif col.kind == "bool":
            config[col.name] = st.column_config.CheckboxColumn(label)
        else:
            config[col.name] = st.column_config.TextColumn(label, required=col.required)
    return config
