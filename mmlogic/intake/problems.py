"""Problems and skipped items of the intake, written in English and Simplified Chinese at the
place they are found (one template per language, no translation by pattern).

A *problem* refuses a whole file (``CaseInvalid`` with ``CaseProblem`` items): too large, not
UTF-8, nested too deeply, not a table. A *skipped item* is one row, cell or resource left out of
an import that otherwise goes ahead; the preview lists each with its reason.
"""

from __future__ import annotations

from typing import Any, NoReturn

from pydantic import BaseModel, ConfigDict

from ..errors import CaseInvalid, CaseProblem

__all__ = ["Skipped", "problem", "refuse"]


def problem(path: str, en: str, zh: str, got: Any = None, *, has_got: bool | None = None) -> CaseProblem:
    """A ``CaseProblem`` whose sentence is given in both languages."""
    return CaseProblem(path, en, got, got is not None if has_got is None else has_got, expected_zh=zh)


def refuse(path: str, en: str, zh: str, got: Any = None, *, has_got: bool | None = None) -> NoReturn:
    """Refuse a whole file with one problem."""
    raise CaseInvalid([problem(path, en, zh, got, has_got=has_got)])


class Skipped(BaseModel):
    """One item left out of an import: where it was, why (en + zh), and what it held (as text)."""

    model_config = ConfigDict(frozen=True)

    source: str
    where: str
    en: str
    zh: str
    got: str = ""

    def text(self, lang: str = "en") -> str:
        reason = self.zh if lang == "zh" else self.en
        sep = ":" if lang == "zh" else ": "
        tail = ("(" + self.got + ")") if lang == "zh" and self.got else (f" ({self.got})" if self.got else "")
        return f"{self.source} {self.where}{sep}{reason}{tail}"
