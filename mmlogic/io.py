"""Reading case files: the only module of the core that touches the file system.

Any bytes become either a ``Case`` or a ``CaseInvalid`` naming what is wrong — never a
traceback. The bytes are read by the one intake (``mmlogic.intake``: one size limit, UTF-8,
nesting depth and number length checked before parsing, duplicate keys refused); a NaN is
reported by validation at the field that holds it.
"""

from __future__ import annotations

from pathlib import Path

from .case import Case
from .errors import CaseInvalid, CaseProblem
from .limits import MAX_INPUT_BYTES

#: One size for every file that enters (kept under its old name for callers).
MAX_CASE_BYTES = MAX_INPUT_BYTES


def case_from_bytes(data: bytes, source: str = "(case)") -> Case:
    """Parse and validate case JSON from raw bytes."""
    from .intake import case_from_bytes as read

    return read(data, source)


def case_from_text(text: str, source: str = "(case)") -> Case:
    from .intake import case_from_bytes as read

    return read(text, source)


def read_case(path: str | Path) -> Case:
    path = Path(path)
    try:
        if path.is_file() and path.stat().st_size > MAX_INPUT_BYTES:
            from .intake.jsonsafe import refuse_size

            refuse_size(path.stat().st_size, str(path))
        data = path.read_bytes()
    except OSError as error:
        raise CaseInvalid([CaseProblem(str(path), f"cannot read the file: {error.strerror}", has_got=False)]) from None
    return case_from_bytes(data, str(path))
