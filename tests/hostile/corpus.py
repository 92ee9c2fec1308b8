"""A hostile corpus (issue #13): texts that try to run, load or link, put into every free-text field.

Each payload is something a case file, an import or a typing clinician could carry. The tests
assert that none of them becomes an element, an image, a link or a request on any page.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
EVIL_HOST = "example.invalid"

PAYLOADS: tuple[str, ...] = (
    '<script>window.__pwned=1</script>',
    '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
    '<object data="http://example.invalid/x.svg"></object>',
    '<svg onload="window.__pwned=1"><circle r="9"/></svg>',
    '<img src=x onerror="window.__pwned=1">',
    '![tracker](http://example.invalid/pixel.png)',
    '[click me](javascript:window.__pwned=1)',
    '[leak](http://example.invalid/?q=1)',
    ':red[forged] :material/warning: **bold** `code` # heading',
    'www.example.invalid and mail@example.invalid',
    '\u202eevil RTL override\u202c and zero\u200bwidth',
    '=HYPERLINK("http://example.invalid","x")',
)


def hostile(payload: str) -> dict[str, Any]:
    """Example ex-04 with ``payload`` in every free-text field of the case."""
    data = json.loads((ROOT / "cases" / "ex-04.json").read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    data["label"] = payload[:200]
    for line in data["therapy_lines"]:
        line["regimen"] = f"{line['regimen']} {payload}"[:120] if line.get("drugs") else line["regimen"]
        line["stop_reason"] = payload[:200]
    line = data["therapy_lines"][-1]
    if not line.get("drugs"):
        line["drugs"] = ["lenalidomide", "dexamethasone"]
        line["regimen"] = payload[:120]
    data["board_decisions"] = [{"date": data["therapy_lines"][-1]["start"], "regimen": payload[:120],
                                "rationale": payload, "attendees": ["AB", payload[:12]]}]
    return data


def hostile_invalid(payload: str) -> dict[str, Any]:
    """The same with the payload where validation refuses it: it comes back quoted in a problem."""
    data = hostile(payload)
    data["disease"]["isotype"] = payload[:100]
    data["labs"][0]["unit"] = payload[:40]
    return data


#: Things that must never appear in what a page renders from the corpus.
ACTIVE = ("<script", "<iframe", "<object", "<svg", "<img", "](http", "](javascript",
          "http://example.invalid", ":red[forged]", "\u202e")
