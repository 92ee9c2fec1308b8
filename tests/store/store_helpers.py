"""Shared by the store tests (imported by name: tests/ has no packages)."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(p for p in (ROOT / "cases").glob("ex-*.json") if not p.name.endswith(".expected.json"))


def example_cases() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in EXAMPLES]
