"""The check language of cases/README.md: each check is a JSON array read against an assessment."""

from __future__ import annotations

from typing import Any


def at_path(output: dict[str, Any], path: str) -> Any:
    value: Any = output
    for part in path.split("."):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


def _drugs(suggestion: dict[str, Any]) -> set[str]:
    return {d.lower() for d in suggestion["drugs"]}


def check_holds(check: list[Any], output: dict[str, Any]) -> bool:
    """True when ``check`` holds for the assessment ``output`` (the JSON contract)."""
    head = check[0]
    suggestions = output["suggestions"]
    if len(check) == 3 and check[1] in ("==", "!="):
        equal = at_path(output, head) == check[2]
        return equal if check[1] == "==" else not equal
    if head == "criteria_has":
        return any(c["rule"] == check[1] for c in output["relapse"]["criteria"])
    if head == "criteria_lacks":
        return not any(c["rule"] == check[1] and c["confirmed"] for c in output["relapse"]["criteria"])
    if head == "rules_has":
        return check[2] in at_path(output, check[1])
    if head == "line_best":
        return output["lines"][check[1]]["best_response"] == check[2]
    if head == "line_refractory":
        return output["lines"][check[1]]["refractory"] == check[2]
    if head in ("dt_between", "dtm_between"):
        key = "doubling_time_days" if head == "dt_between" else "doubling_time_months"
        value = output["kinetics"]["markers"][check[1]][key]
        return isinstance(value, (int, float)) and check[2] <= value <= check[3]
    if head == "top_has":
        return bool(suggestions) and {d.lower() for d in check[1]} <= _drugs(suggestions[0])
    if head == "top_lacks":
        return bool(suggestions) and not ({d.lower() for d in check[1]} & _drugs(suggestions[0]))
    if head == "topn_lacks":
        banned = {d.lower() for d in check[2]}
        return all(not (banned & _drugs(s)) for s in suggestions[: check[1]])
    if head == "topn_lacks_regimen":
        return all(s["regimen"] not in check[2] for s in suggestions[: check[1]])
    if head == "top_min_drugs":
        return bool(suggestions) and suggestions[0]["n_drugs"] >= check[1]
    if head == "top_max_drugs":
        return bool(suggestions) and suggestions[0]["n_drugs"] <= check[1]
    if head == "top_reason_has":
        return bool(suggestions) and any(r["rule"] == check[1] for r in suggestions[0]["reasons"])
    if head == "caution_on_drug":
        drug, rule = check[1].lower(), check[2]
        holding = [s for s in suggestions if drug in _drugs(s)]
        return bool(holding) and all(any(c["rule"] == rule for c in s["cautions"]) for s in holding)
    if head == "reason_on_drug":
        drug, rule = check[1].lower(), check[2]
        return any(drug in _drugs(s) and any(r["rule"] == rule for r in s["reasons"]) for s in suggestions)
    raise ValueError(f"unknown check {check!r}")
