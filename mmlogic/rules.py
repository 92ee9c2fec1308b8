"""The rule registry: every rule id with its section, source, explanation and evaluator.

Like an Arden Syntax medical logic module, each entry keeps together the knowledge (the
explanation, in English and Simplified Chinese), its citation (section of the source review)
and, for a computed rule, the function that evaluates it. Texts live in ``rules_catalog.toml``;
their ``{NAME}`` placeholders are filled from ``thresholds`` so each number is written once.
The registry is data: it imports no domain module. Domain modules name themselves as the one
evaluator of a rule with ``@evaluates("RULE-ID")`` (``mmlogic/evaluators.py``, re-exported here);
``Rule.evaluator`` looks that table up. ``import mmlogic`` imports every domain module.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

from .assessment import Text
from .evaluators import evaluates, owner
from .thresholds import public_thresholds

__all__ = ["RULES_VERSION", "SOURCE", "Rule", "evaluates", "explain", "registry", "rule"]

RULES_VERSION = "1.1.0"
SOURCE = Text(
    en="a review published in 2023 that summarises evidence up to 2012 (ASH 2012, the 2012 European consensus)",
    zh="一篇2023年发表、总结截至2012年证据(ASH 2012、2012年欧洲共识)的综述",
)

RuleKind = Literal["computed", "knowledge", "assumption"]
@dataclass(frozen=True)
class Rule:
    id: str
    section: str
    source: str
    kind: RuleKind
    title: Text
    explanation: Text
    thresholds: tuple[str, ...] = ()
    refines: tuple[str, ...] = ()

    @property
    def evaluator(self) -> Callable[..., Any] | None:
        """The one function that evaluates this rule (``@evaluates``); None for knowledge rules."""
        return owner(self.id)

    @property
    def is_assumption(self) -> bool:
        return self.kind == "assumption"


class _Defaults(dict):
    def __missing__(self, key: str) -> str:
        raise KeyError(f"rules_catalog.toml names an unknown threshold {{{key}}}")


def _fill(template: str, values: dict[str, float]) -> str:
    shown = _Defaults({k: _number_text(v) for k, v in values.items()})
    return template.format_map(shown)


def _number_text(value: float) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:g}"
    return str(int(value))


@cache
def registry() -> dict[str, Rule]:
    """All rules by id, in catalog order, with thresholds filled in."""
    raw = tomllib.loads(resources.files(__package__).joinpath("rules_catalog.toml").read_text("utf-8"))
    values = public_thresholds()
    rules: dict[str, Rule] = {}
    for entry in raw["rule"]:
        rule_id = entry["id"]
        rules[rule_id] = Rule(
            id=rule_id,
            section=entry["section"],
            source=entry.get("source", ""),
            kind=entry["kind"],
            title=Text(en=_fill(entry["title_en"], values), zh=_fill(entry["title_zh"], values)),
            explanation=Text(en=_fill(entry["en"], values), zh=_fill(entry["zh"], values)),
            thresholds=tuple(entry.get("thresholds", ())),
            refines=tuple(entry.get("refines", ())),
        )
    return rules


def rule(rule_id: str) -> Rule:
    try:
        return registry()[rule_id]
    except KeyError:
        raise KeyError(f"rule id {rule_id!r} is not in the registry") from None


def explain(rule_id: str, lang: str = "en") -> str:
    return rule(rule_id).explanation.get(lang)
