"""Errors of the core, built from structured fields so the CLI, the pages and the tests share them.

::

    ValueError
     └── CaseInvalid          a case file that cannot be assessed; .problems lists every one
    (CaseProblem)             one problem: field path, what was expected, what was given

A message reads ``labs[3].unit: expected one of g/L, g/dL for serum_m_protein (got 'mg')``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass(frozen=True, slots=True)
class CaseProblem:
    """One reason a case is invalid: where (``labs[3].value``), what was expected, what came."""

    path: str
    expected: str
    got: Any = None
    has_got: bool = True

    @property
    def message(self) -> str:
        tail = f" (got {_show(self.got)})" if self.has_got else ""
        return f"{self.path}: {self.expected}{tail}"

    def __str__(self) -> str:
        return self.message


class CaseInvalid(ValueError):
    """A case that cannot be assessed; ``problems`` names every field at fault."""

    def __init__(self, problems: list[CaseProblem]):
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))

    def lines(self) -> list[str]:
        return [p.message for p in self.problems]
