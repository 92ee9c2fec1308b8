"""Dates as people type them (issue #14): one parser for every grid, never a silent guess.

The browser's date editor stored ``2024-01-10`` typed into its mm/dd/yyyy box as 0110-02-04.
Grids therefore take dates as text, and this module reads that text:

* When the text is year-first — ``2024-01-10``, ``2024/1/10``, ``2024.01.10``, ``20240110``,
  ``2024年1月10日`` — then it is that date.
* When it is day and month before the year (``10/01/2024``, ``01-10-2024``), then it is a date only
  when the order is unambiguous (one of the first two numbers is above 12, or both are equal);
  otherwise it is a problem asking for YYYY-MM-DD. Locale orders differ (US month first, UK and
  most of the world day first), so guessing would corrupt dates silently.
* A date before ``EARLIEST_PLAUSIBLE_YEAR`` is implausible (a slip such as ``0025-10-31``).

Text that is not a date is returned unchanged by ``normalise_entered_date`` so the case keeps what
was typed and the case model names it as a problem; nothing reaches the assessment until fixed.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Final

__all__ = ["EARLIEST_PLAUSIBLE_YEAR", "normalise_entered_date", "parse_entered_date"]

#: Before this year a date in a myeloma history is a typing slip, not a visit (issue #14).
EARLIEST_PLAUSIBLE_YEAR: Final = 1900

_YEAR_FIRST = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")
_YEAR_LAST = re.compile(r"^\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})\s*$")


def _real(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_entered_date(text: str) -> date | None:
    """The date the text unambiguously names, or None (not a date, ambiguous, or not a real day)."""
    match = _YEAR_FIRST.match(text) or _COMPACT.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return _real(year, month, day)
    match = _YEAR_LAST.match(text)
    if match:
        first, second, year = (int(g) for g in match.groups())
        if first > 12 >= second:  # day/month/year
            return _real(year, second, first)
        if second > 12 >= first:  # month/day/year
            return _real(year, first, second)
        if first == second:
            return _real(year, first, second)
    return None


def normalise_entered_date(text: object) -> object:
    """ISO text for a date typed any unambiguous way; anything else exactly as typed.

    When the text names a date, then the ISO form of that date is stored (and shown in the cell).
    When it does not, then the typed text is kept, so the case model names it as a problem and the
    cell still shows what the user typed.
    """
    if not isinstance(text, str):
        return text
    parsed = parse_entered_date(text)
    return parsed.isoformat() if parsed is not None else text.strip()
