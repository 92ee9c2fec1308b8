"""Hostile files (issue #13 item 6): what each entry point must refuse with a clear problem.

Each is (name, bytes). None is a valid case; every entry point must answer with its own refusal
(exit 2 / a problem in the user's language) — never a traceback, never the generic error box."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from mmlogic.limits import MAX_INPUT_BYTES

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = json.loads((ROOT / "cases" / "ex-01.json").read_text("utf-8"))


def _case_with_value(raw_value: str) -> bytes:
    text = json.dumps(EXAMPLE)
    first = json.dumps(EXAMPLE["labs"][0]["value"])
    marker = f'"value": {first}'
    assert marker in text
    return text.replace(marker, f'"value": {raw_value}', 1).encode()


def _bomb_xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"0" * (120 * 1024 * 1024))  # unpacks to 120 MB
    return buffer.getvalue()


JSON_FILES: dict[str, bytes] = {
    "deep-array.json": b"[" * 985 + b"]" * 985,
    "deep-object.json": b'{"a":' * 985 + b"1" + b"}" * 985,
    "huge-number.json": _case_with_value("9" * 4000),
    "nan.json": _case_with_value("NaN"),
    "duplicate-keys.json": b'{"case_id": "a", "case_id": "b"}',
    "utf16.json": json.dumps(EXAMPLE, ensure_ascii=False).encode("utf-16"),
    "oversized.json": b'{"pad": "' + b"x" * (MAX_INPUT_BYTES + 10) + b'"}',
    "not-json.json": b"<script>alert(1)</script>",
}

CSV_HEADER = b"date,analyte,value,unit\n"
CSV_FILES: dict[str, bytes] = {
    "huge-cell.csv": CSV_HEADER + b"2024-01-10,serum_m_protein," + b"9" * 200_000 + b",g/L\n",
    "many-rows.csv": CSV_HEADER + b"2024-01-10,serum_m_protein,12,g/L\n" * 100_000,
    "latin1.csv": CSV_HEADER + "2024-01-10,calcium,2.4,µmol/L é\n".encode("latin-1"),
}

XLSX_FILES: dict[str, bytes] = {"bomb.xlsx": _bomb_xlsx()}
