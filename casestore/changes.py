"""A short, human summary of what changed between two versions of a case.

Top-level scalar fields are named (``label``, ``as_of``); object sections name their changed
fields (``patient.ecog``); list sections count entries added and removed (``labs +2 −1``; an
edited entry counts as one removed and one added). The summary is a hint for the history list,
not the record: every revision keeps the whole case.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

SUMMARY_MAX = 240


def _canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _object_changes(prefix: str, old: dict, new: dict) -> list[str]:
    out = []
    for key in list(old) + [k for k in new if k not in old]:
        if key not in new:
            out.append(f"{prefix}.{key} removed")
        elif key not in old:
            out.append(f"{prefix}.{key} added")
        elif _canon(old[key]) != _canon(new[key]):
            out.append(f"{prefix}.{key}")
    return out


def _list_changes(name: str, old: list, new: list) -> str:
    before, after = Counter(map(_canon, old)), Counter(map(_canon, new))
    added, removed = sum((after - before).values()), sum((before - after).values())
    parts = [f"+{added}" if added else "", f"−{removed}" if removed else ""]
    detail = " ".join(p for p in parts if p) or "reordered"
    return f"{name} {detail}"


def summarize_changes(old: dict[str, Any] | None, new: dict[str, Any]) -> str:
    """'patient.ecog, labs +2' for the fields that differ; 'new case' / 'no changes'."""
    if old is None:
        return "new case"
    changes: list[str] = []
    for key in list(old) + [k for k in new if k not in old]:
        if key not in new:
            changes.append(f"{key} removed")
            continue
        if key not in old:
            changes.append(f"{key} added")
            continue
        a, b = old[key], new[key]
        if _canon(a) == _canon(b):
            continue
        if isinstance(a, dict) and isinstance(b, dict):
            changes.extend(_object_changes(key, a, b))
        elif isinstance(a, list) and isinstance(b, list):
            changes.append(_list_changes(key, a, b))
        else:
            changes.append(key)
    text = ", ".join(changes) or "no changes"
    return text if len(text) <= SUMMARY_MAX else text[: SUMMARY_MAX - 1] + "…"
