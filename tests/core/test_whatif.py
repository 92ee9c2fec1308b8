"""'What would change the answer' (mmlogic.whatif): feed the computed value back in and re-assess.

For every gallery case at every replay date, each solved question is checked against the engine
itself: the case as known on that date plus the computed lab(s), assessed on the draw date,
flips the conclusion; the same with one grid step less does not.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from mmlogic import assess, parse_case
from mmlogic.replay import replay_dates
from mmlogic.thresholds import RAPID_DOUBLING_DAYS
from mmlogic.whatif import Change, hypothetical, what_would_change

ROOT = Path(__file__).resolve().parents[2]
CASE_FILES = sorted(p for p in (ROOT / "cases").glob("ex-*.json") if ".expected" not in p.name)
CASE_FILES += sorted((ROOT / "cases" / "teaching").glob("*.json"))


def _case(path: Path):
    return parse_case(json.loads(path.read_text("utf-8")))


def _below(change: Change) -> list[dict]:
    """The same lab rows with the marker one grid step lower."""
    labs = [dict(lab) for lab in change.labs]
    labs[0]["value"] = round(labs[0]["value"] - change.step, 9)
    return labs


def _holds(change: Change, case, as_of: date, labs: list[dict]) -> bool:
    a = assess(hypothetical(case, labs, as_of, change.on))
    rule = change.rules[0]
    if change.question == "confirm":
        return any(c.rule == rule and c.confirmed for c in a.relapse.criteria)
    if change.question == "qualify":
        return any(c.rule == rule for c in a.relapse.criteria)
    dt = a.kinetics.markers[change.marker].doubling_time_days
    return dt is not None and dt < RAPID_DOUBLING_DAYS


def _before(change: Change, case, as_of: date) -> bool:
    a = assess(case, as_of=as_of)
    rule = change.rules[0]
    if change.question == "confirm":
        return any(c.rule == rule and not c.confirmed for c in a.relapse.criteria) and not any(
            c.rule == rule and c.confirmed for c in a.relapse.criteria)
    if change.question == "qualify":
        return not any(c.rule == rule for c in a.relapse.criteria)
    dt = a.kinetics.markers[change.marker].doubling_time_days
    return dt is None or dt >= RAPID_DOUBLING_DAYS


def _moments(path: Path) -> list[date]:
    case = _case(path)
    starts = [line.start for line in case.therapy_lines]
    return [d for d in replay_dates(case) if not starts or d >= min(starts)]


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_computed_value_flips_the_conclusion_and_one_step_below_does_not(path):
    case = _case(path)
    solved = 0
    for as_of in _moments(path):
        answer = what_would_change(case, as_of=as_of)
        for change in (answer.progression, answer.doubling):
            if change is None or change.outcome != "solved":
                continue
            solved += 1
            where = (path.stem, as_of.isoformat(), change.question, change.value)
            assert _before(change, case, as_of), where
            assert _holds(change, case, as_of, change.labs), where
            assert not _holds(change, case, as_of, _below(change)), where
            assert change.value >= change.bound - 1e-9 and change.value - change.step < change.bound + 1e-9, where
    if case.labs:
        assert solved, path.stem


def test_default_draw_date_is_thirty_days_after_as_of():
    case = _case(ROOT / "cases" / "ex-02.json")
    answer = what_would_change(case, as_of=date(2023, 6, 1))
    assert answer.on == date(2023, 7, 1)
    assert answer.progression.question == "confirm" and answer.progression.value == pytest.approx(10.0)
    assert answer.progression.rules == ["BIO-SERUM"]


def test_draw_date_is_a_parameter_and_changes_the_doubling_answer():
    case = _case(ROOT / "cases" / "ex-04.json")
    near = what_would_change(case, as_of=date(2023, 5, 1), on=date(2023, 5, 15)).doubling
    far = what_would_change(case, as_of=date(2023, 5, 1), on=date(2023, 8, 1)).doubling
    assert near.outcome == far.outcome == "solved"
    # drawn later, a value must be higher for the same doubling time
    assert far.value > near.value


def test_draw_date_must_follow_the_assessment_date():
    case = _case(ROOT / "cases" / "ex-02.json")
    with pytest.raises(ValueError, match="after the assessment date"):
        what_would_change(case, as_of=date(2023, 6, 1), on=date(2023, 6, 1))


def test_light_chain_disease_asks_for_dflc_and_adds_both_light_chains():
    case = _case(ROOT / "cases" / "ex-05.json")
    answer = what_would_change(case, as_of=date(2023, 1, 10))
    assert answer.marker == "dflc"
    change = answer.progression
    assert change.rules == ["BIO-FLC"] and change.question == "qualify"
    assert {lab["analyte"] for lab in change.labs} == {"flc_kappa", "flc_lambda"}
    # BIO-FLC is a strict "> 100 mg/L": the boundary itself does not qualify, one step above does
    assert change.value == pytest.approx(change.bound + change.step)


def test_confirmed_progression_and_rapid_rise_are_reported_as_already():
    case = _case(ROOT / "cases" / "ex-05.json")
    answer = what_would_change(case)
    assert answer.progression.outcome == "already" and answer.progression.value is None
    assert answer.doubling.outcome == "already"


def test_case_without_paraprotein_values_has_no_marker():
    data = json.loads((ROOT / "cases" / "ex-01.json").read_text("utf-8"))
    data["labs"] = [{"date": "2024-01-01", "analyte": "hemoglobin", "value": 120, "unit": "g/L"}]
    answer = what_would_change(parse_case(data))
    assert answer.marker is None and answer.progression is None and answer.doubling is None


def test_hypothetical_drops_what_came_after_as_of():
    case = _case(ROOT / "cases" / "ex-01.json")
    later = hypothetical(case, [], date(2024, 4, 1), date(2024, 5, 1))
    assert max(lab.date for lab in later.labs) <= date(2024, 4, 1)
    assert later.events == [] and later.as_of == date(2024, 5, 1)
    assert assess(later).as_of == date(2024, 5, 1)
    assert date(2024, 5, 1) - timedelta(days=30) == date(2024, 4, 1)
