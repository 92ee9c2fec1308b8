"""Who evaluates which rule: exactly one function per computed rule id (issue #16).

The registry (``rules.py``) is data and imports no domain module; the domain modules name
themselves here, at import, with ``@evaluates("RULE-ID", …)``:

    @evaluates("GOAL-FIT", "GOAL-FRAIL")
    def treatment_goal(case: Case) -> Goal: ...

A rule id has one owner. A second function claiming an id that another already owns is an error
at import (``DuplicateEvaluator``), so two modules can never silently disagree about who computes
a rule. Other functions may still *apply* a rule (cite its id in a reason); they do not own it.

This module imports nothing of the project: anything may import it without making a cycle.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, TypeVar

__all__ = ["DuplicateEvaluator", "evaluates", "owner", "owners"]

F = TypeVar("F", bound=Callable[..., Any])
# Filled once per process as the domain modules are imported (code wiring, not session data).
_OWNERS: dict[str, Callable[..., Any]] = {}


class DuplicateEvaluator(ValueError):
    """A second function claims a rule id that another function already evaluates."""

    def __init__(self, rule_id: str, first: Callable[..., Any], second: Callable[..., Any]) -> None:
        self.rule_id, self.first, self.second = rule_id, first, second
        super().__init__(
            f"rule {rule_id!r} already has its evaluator {_name(first)}; {_name(second)} cannot "
            f"claim it too (one evaluating function per computed rule; cite the id in a reason instead)"
        )


def _name(function: Callable[..., Any]) -> str:
    return f"{getattr(function, '__module__', '?')}.{getattr(function, '__qualname__', repr(function))}"


def evaluates(*rule_ids: str) -> Callable[[F], F]:
    """Mark a function as THE evaluator of ``rule_ids``; raises ``DuplicateEvaluator`` at import
    when another function already owns one of them (re-importing the same function is allowed)."""

    def mark(function: F) -> F:
        for rule_id in rule_ids:
            first = _OWNERS.get(rule_id)
            if first is not None and _name(first) != _name(function):
                raise DuplicateEvaluator(rule_id, first, function)
        for rule_id in rule_ids:
            _OWNERS[rule_id] = function
        return function

    return mark


def owner(rule_id: str) -> Callable[..., Any] | None:
    """The function that evaluates ``rule_id`` (None: a knowledge rule, an assumption, or a
    domain module not imported yet — ``import mmlogic`` imports them all)."""
    return _OWNERS.get(rule_id)


def owners() -> Mapping[str, Callable[..., Any]]:
    """Every registered rule id with its one evaluator (read-only view)."""
    return MappingProxyType(_OWNERS)
