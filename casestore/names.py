"""Names that become paths: case ids used as file names, and the database file.

A case id is pseudonymous and safe to use as a file name: ASCII letters, digits, ``.``, ``_``,
``-``; it starts with a letter or digit (so never ``.`` or ``..``), at most 64 characters.
Anything else — separators, ``..``, absolute paths, NUL, drive letters, reserved Windows names —
is refused, never cleaned up into something else.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from .errors import UnsafeName

CASE_ID_MAX = 64
_CASE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
_ID_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud without mistakes


def check_case_id(case_id: object) -> str:
    """Return ``case_id`` when it is a safe pseudonymous id; raise ``UnsafeName`` otherwise."""
    if not isinstance(case_id, str):
        raise UnsafeName(case_id, "expected text")
    if case_id in ("", ".", ".."):
        raise UnsafeName(case_id, "empty or a directory name")
    if "/" in case_id or "\\" in case_id or "\x00" in case_id:
        raise UnsafeName(case_id, "contains a path separator or NUL")
    if ".." in case_id:
        raise UnsafeName(case_id, "contains '..'")
    if not _CASE_ID.match(case_id):
        raise UnsafeName(
            case_id,
            f"use 1–{CASE_ID_MAX} ASCII letters, digits, '.', '_' or '-', starting with a letter or digit",
        )
    if case_id.split(".")[0].lower() in _WINDOWS_RESERVED:
        raise UnsafeName(case_id, "a reserved device name on Windows")
    return case_id


def new_case_id() -> str:
    """A fresh pseudonymous id such as ``c-7kq2m9xh`` (random, carries no patient data)."""
    return "c-" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(8))


def file_in(directory: Path, name: str, suffix: str = "") -> Path:
    """``directory/name+suffix`` after checking ``name`` cannot leave ``directory``."""
    check_case_id(name)
    base = Path(directory).resolve()
    path = (base / f"{name}{suffix}").resolve()
    if path.parent != base:  # belt and braces after the character check
        raise UnsafeName(name, "resolves outside its folder")
    return path
