"""Errors of the core, built from structured fields so the CLI, the pages and the tests share them.

::

    ValueError
     └── CaseInvalid          a case file that cannot be assessed; .problems lists every one
    (CaseProblem)             one problem: field path, what was expected, what was given

A message reads ``labs[3].unit: expected one of g/L, g/dL for serum_m_protein (got 'mg')``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# The Simplified Chinese form of each "expected" sentence the core writes (first match wins);
# a sentence without a pattern stays in English rather than being guessed.
_ZH: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(f"^{a}$"), b) for a, b in (
    (r"required field is missing", "缺少必填字段"),
    (r"a date on or before today \((.+)\): a later date is a typing slip or a future plan", r"应为不晚于今天(\1)的日期:更晚的日期可能是录入错误或尚未发生的计划"),
    (r"unknown field \(check the spelling against case-format.md\)", "未知字段(请对照 case-format.md 检查拼写)"),
    (r"expected text", "应为文本"),
    (r"expected non-empty text", "不能为空"),
    (r"expected a list", "应为列表"),
    (r"expected an object", "应为对象"),
    (r"expected a JSON object", "应为 JSON 对象"),
    (r"expected true or false", "应为 true 或 false"),
    (r"expected a real calendar date as YYYY-MM-DD", "应为真实存在的日期(YYYY-MM-DD)"),
    (r"expected a date from (\d+) on", r"应为 \1 年及以后的日期"),
    (r"expected a date as YYYY-MM-DD", "应为日期,格式 YYYY-MM-DD"),
    (r"expected a number", "应为数字"),
    (r"expected a finite number \(NaN and infinity are not values\)", "应为有限数字(NaN 和无穷大不是有效数值)"),
    (r"expected a whole number", "应为整数"),
    (r"expected a value of 0 or more", "数值应不小于 0"),
    (r"expected a value (≥|>|≤|<) (.+)", r"数值应 \1 \2"),
    (r"expected at most (\d+) characters", r"最多 \1 个字符"),
    (r"expected an isotype such as (.+)", r"应为分型,例如 \1"),
    (r"expected 'positive' or 'negative' for an immunofixation", "免疫固定电泳结果应为 positive 或 negative"),
    (r"expected no unit for (\S+)", r"\1 无需单位"),
    (r"expected one of (.+) for (\S+)", r"\2 的单位应为以下之一:\1"),
    (r"expected one of (.+)", r"应为以下之一:\1"),
    (r"extramedullary applies to a new_plasmacytoma event only \(RISK-HIGH-FEATURES\)",
     "extramedullary 仅适用于 new_plasmacytoma 事件(RISK-HIGH-FEATURES)"),
    (r"a lesion_growth event needs increase_pct and increase_cm \(CLIN-LESION\)",
     "病灶增大(lesion_growth)需填写 increase_pct 和 increase_cm(CLIN-LESION)"),
    (r"regimen '(.+)' is not in the knowledge base: list its drugs \(e.g. (.+)\)",
     r"方案“\1”不在知识库中:请列出其药物(例如 \2)"),
    (r"expected a non-empty list of drug names", "应为非空的药物名称列表"),
    (r"unknown drug (.+); expected canonical names such as (.+)", r"未知药物 \1;请使用规范药名,例如 \2"),
    (r"expected an end on or after the start (\S+)", r"结束日期应不早于开始日期 \1"),
    (r"expected a progression on or after the line start (\S+)", r"进展日期应不早于该线开始日期 \1"),
    (r"expected valid JSON: (.+)", r"应为有效的 JSON:\1"),
    (r"expected UTF-8 text", "应为 UTF-8 编码的文本"),
    (r"cannot read the file: (.+)", r"无法读取文件:\1"),
    (r"expected a case file of at most (.+)", r"病例文件不得超过 \1"),
))


def expected_in(expected: str, lang: str) -> str:
    """The "expected" sentence of a problem in ``lang`` ('en' or 'zh')."""
    if lang != "zh":
        return expected
    for pattern, replacement in _ZH:
        if pattern.match(expected):
            return pattern.sub(replacement, expected)
    return expected


def shown_value(value: Any) -> str:
    """A value as an error message quotes it: its repr, cut to 60 characters."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass(frozen=True, slots=True)
class CaseProblem:
    """One reason a case is invalid: where (``labs[3].value``), what was expected, what came."""

    path: str
    expected: str
    got: Any = None
    has_got: bool = True
    #: The same sentence in Simplified Chinese, written by the code that found the problem (the intake
    #: writes both languages itself); None: the sentence is translated by the table above.
    expected_zh: str | None = None

    @property
    def message(self) -> str:
        return self.text("en")

    def text(self, lang: str = "en") -> str:
        """``labs[3].unit: expected … (got …)``, in English or Simplified Chinese."""
        if lang == "zh":
            tail = f"(实际为 {shown_value(self.got)})" if self.has_got else ""
            expected = self.expected_zh if self.expected_zh is not None else expected_in(self.expected, "zh")
            return f"{self.path}:{expected}{tail}"
        tail = f" (got {shown_value(self.got)})" if self.has_got else ""
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
