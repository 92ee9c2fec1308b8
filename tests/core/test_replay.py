"""Case replay (mmlogic.replay): milestones are the engine's own conclusions, first seen."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from mmlogic import assess, parse_case
from mmlogic.replay import milestones, replay_dates

ROOT = Path(__file__).resolve().parents[2]


def _case(name: str):
    path = ROOT / "cases" / f"{name}.json"
    if not path.exists():
        path = ROOT / "cases" / "teaching" / f"{name}.json"
    return parse_case(json.loads(path.read_text("utf-8")))


def test_replay_dates_are_the_distinct_dates_of_the_case_up_to_as_of():
    case = _case("ex-01")
    dates = replay_dates(case)
    assert dates == sorted(set(dates))
    assert dates[0] == date(2022, 12, 15) and dates[-1] == date(2024, 7, 1)
    assert date(2023, 7, 10) in dates  # the transplant
    assert date(2024, 6, 20) in dates  # the bone lesion
    assert replay_dates(case, until=date(2023, 1, 2))[-1] == date(2023, 1, 2)


def test_ex01_milestones_in_order():
    got = [(m.date, m.kind, m.rules[0] if m.rules else None) for m in milestones(_case("ex-01"))]
    assert got == [
        (date(2023, 2, 15), "response", "RESP-PR"),
        (date(2023, 7, 1), "response", "RESP-VGPR"),
        (date(2024, 6, 1), "progression_unconfirmed", "BIO-SERUM"),
        (date(2024, 6, 20), "clinical_relapse", "CLIN-LESION"),
        (date(2024, 6, 20), "status", "DEF-RELAPSED"),
        (date(2024, 7, 1), "progression_confirmed", "BIO-SERUM"),
    ]


def test_confirmation_names_the_first_of_the_two_values():
    confirmed = [m for m in milestones(_case("ex-02")) if m.kind == "progression_confirmed"]
    assert len(confirmed) == 1
    assert confirmed[0].date == date(2023, 9, 1) and confirmed[0].on == date(2023, 6, 1)


def test_rapid_rise_milestone_for_fast_light_chain_relapse():
    found = [m for m in milestones(_case("ex-05")) if m.kind == "rapid_rise"]
    assert [m.date for m in found] == [date(2023, 2, 10)]
    assert found[0].rules == ["KIN-DT", "TIMING-DOUBLING"]
    assert "dflc" in found[0].text.en and "倍增时间" in found[0].text.zh


@pytest.mark.parametrize("name", ["ex-01", "ex-02", "ex-03", "ex-04", "ex-05", "ex-06"])
def test_each_milestone_holds_at_its_date_and_not_the_date_before(name):
    case = _case(name)
    dates = replay_dates(case)
    for m in milestones(case):
        now = assess(case, as_of=m.date)
        i = dates.index(m.date)
        before = assess(case, as_of=dates[i - 1]) if i else None
        if m.kind in ("progression_unconfirmed", "progression_confirmed", "clinical_relapse"):
            confirmed = m.kind != "progression_unconfirmed"
            assert any(c.rule == m.rules[0] and c.confirmed == confirmed for c in now.relapse.criteria), m
            if before is not None:
                assert not any(c.rule == m.rules[0] and c.confirmed == confirmed and c.date == m.on
                               for c in before.relapse.criteria), m
        elif m.kind == "rapid_rise":
            assert now.kinetics.rapid_rise and (before is None or not before.kinetics.rapid_rise), m
        elif m.kind == "response":
            assert any(r in line.rules for line in now.lines for r in m.rules), m
        elif m.kind == "status":
            assert before is not None and before.status.category != now.status.category, m


def test_milestone_texts_are_bilingual():
    for m in milestones(_case("ex-06")):
        assert m.text.en and m.text.zh and m.text.en != m.text.zh
