"""Reading case files: the only module of the core that touches the file system.

Any bytes become either a ``Case`` or a ``CaseInvalid`` naming what is wrong — never a
traceback: unreadable files, non-UTF-8 text, malformed JSON (with line and column); a NaN
is reported by validation at the field that holds it.
"""

from __future__ import annotations

import json
from pathlib import Path

from .case import Case, parse_case
from .errors import CaseInvalid, CaseProblem

MAX_CASE_BYTES = 5 * 1024 * 1024


def case_from_bytes(data: bytes, source: str = "(case)") -> Case:
    """Parse and validate case JSON from raw bytes."""
    if len(data) > MAX_CASE_BYTES:
        raise CaseInvalid([CaseProblem(source, f"expected a case file of at most {MAX_CASE_BYTES // 1024 // 1024} MB",
                                       f"{len(data)} bytes")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CaseInvalid([CaseProblem(source, "expected UTF-8 text", f"byte {error.start}")]) from None
    return case_from_text(text, source)


def case_from_text(text: str, source: str = "(case)") -> Case:
    try:
        # NaN and Infinity are read as floats so that validation names the field that holds them.
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise CaseInvalid([CaseProblem(source, f"expected valid JSON: {error.msg} at line {error.lineno}, "
                                               f"column {error.colno}", has_got=False)]) from None
    except (ValueError, RecursionError) as error:
        raise CaseInvalid([CaseProblem(source, f"expected valid JSON: {error}", has_got=False)]) from None
    return parse_case(data)


def read_case(path: str | Path) -> Case:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CaseInvalid([CaseProblem(str(path), f"cannot read the file: {error.strerror}", has_got=False)]) from None
    return case_from_bytes(data, str(path))
