"""One evaluating function per computed rule (issue #16): the registry is data, the domain modules
claim their rules with ``@evaluates``, and a second claim on an id is an error at import."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest

import mmlogic  # noqa: F401  (imports every domain module: all evaluators registered)
from mmlogic import evaluators
from mmlogic.evaluators import DuplicateEvaluator, evaluates, owner, owners
from mmlogic.rules import registry

CORE = Path(mmlogic.__file__).resolve().parent


def claimed_in_source() -> Counter[str]:
    """Every rule id named in an ``@evaluates(...)`` decorator of mmlogic/, counted."""
    counts: Counter[str] = Counter()
    for path in CORE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for deco in node.decorator_list:
                if isinstance(deco, ast.Call) and getattr(deco.func, "id", getattr(deco.func, "attr", "")) == "evaluates":
                    counts.update(arg.value for arg in deco.args if isinstance(arg, ast.Constant))
    return counts


def test_every_computed_rule_has_exactly_one_owner_in_the_source() -> None:
    claimed = claimed_in_source()
    twice = sorted(rule_id for rule_id, n in claimed.items() if n > 1)
    assert not twice, f"rule ids claimed by more than one @evaluates function: {twice}"
    computed = {rule_id for rule_id, rule in registry().items() if rule.kind == "computed"}
    assert computed <= set(claimed), f"computed rules with no owner: {sorted(computed - set(claimed))}"
    assert set(claimed) <= set(registry()), f"owners of ids not in the registry: {sorted(set(claimed) - set(registry()))}"
    # the runtime table is the source's: one function per id, and each Rule points at it
    assert set(owners()) == set(claimed)
    for rule_id in computed:
        assert registry()[rule_id].evaluator is owner(rule_id) is not None


def test_the_five_former_double_owners_have_one_owner_each() -> None:
    expected = {
        "DEF-RELAPSED": "mmlogic.status.disease_status",
        "GOAL-FRAIL": "mmlogic.goals.treatment_goal",
        "SEQ-NCCN": "mmlogic.goals.sequencing",
        "SEQ-NOVEL": "mmlogic.goals.sequencing",
        "COMORB-RENAL": "mmlogic.ranking._preferences",
    }
    got = {rule_id: f"{owner(rule_id).__module__}.{owner(rule_id).__qualname__}" for rule_id in expected}
    assert got == expected


def test_a_second_owner_raises_and_changes_nothing() -> None:
    first = owner("KIN-DT")
    assert first is not None

    def impostor() -> None:  # pragma: no cover - never called
        return None

    with pytest.raises(DuplicateEvaluator) as raised:
        evaluates("KIN-DT")(impostor)
    message = str(raised.value)
    assert "KIN-DT" in message and first.__qualname__ in message and "impostor" in message
    assert owner("KIN-DT") is first
    # nothing of a rejected claim is kept, not even its other, free ids
    with pytest.raises(DuplicateEvaluator):
        evaluates("TEST-FREE-ID", "KIN-DT")(impostor)
    assert owner("TEST-FREE-ID") is None


def test_a_duplicate_is_an_error_at_import(tmp_path, monkeypatch) -> None:
    """A module that claims an owned id fails to import, with the rule id in the error."""
    (tmp_path / "rogue_rules_module.py").write_text(
        "from mmlogic.evaluators import evaluates\n\n@evaluates('GOAL-FIT')\ndef rogue(case):\n    return None\n",
        "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(DuplicateEvaluator, match="GOAL-FIT"):
        __import__("rogue_rules_module")
    assert owner("GOAL-FIT").__module__ == "mmlogic.goals"


def test_the_owner_table_is_read_only() -> None:
    with pytest.raises(TypeError):
        owners()["KIN-DT"] = print  # type: ignore[index]
    assert "KIN-DT" in evaluators.owners()
