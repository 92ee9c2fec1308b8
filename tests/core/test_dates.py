"""Dates as typed into the grids (issue #14): one unambiguous reading, or the text kept as typed."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mmlogic import CaseInvalid, parse_case
from mmlogic.dates import EARLIEST_PLAUSIBLE_YEAR, normalise_entered_date, parse_entered_date

days = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@given(days)
def test_iso_and_chinese_and_compact_forms_name_the_same_day(day: date):
    for text in (day.isoformat(), f"{day.year}/{day.month}/{day.day}", f"{day.year}.{day.month:02d}.{day.day:02d}",
                 f"{day.year}年{day.month}月{day.day}日", day.strftime("%Y%m%d"), f"  {day.isoformat()} "):
        assert parse_entered_date(text) == day, text


@given(days)
def test_day_month_order_is_read_only_when_it_cannot_be_confused(day: date):
    dmy = f"{day.day:02d}/{day.month:02d}/{day.year}"
    mdy = f"{day.month:02d}/{day.day:02d}/{day.year}"
    if day.day > 12 or day.day == day.month:
        assert parse_entered_date(dmy) == day and parse_entered_date(mdy) == day
    else:  # 01/10/2024: 1 October or January 10? Never guessed.
        assert parse_entered_date(dmy) is None and normalise_entered_date(dmy) == dmy


@given(st.text(max_size=30))
def test_any_text_is_either_a_date_or_kept_exactly(text: str):
    out = normalise_entered_date(text)
    parsed = parse_entered_date(text)
    assert out == (parsed.isoformat() if parsed else text.strip())


@pytest.mark.parametrize("typed, stored", [
    ("2024-01-10", "2024-01-10"), ("2024/1/10", "2024-01-10"), ("13/01/2024", "2024-01-13"),
    ("01/13/2024", "2024-01-13"), ("11042025", "11042025"), ("01/10/2024", "01/10/2024"), ("2024-02-30", "2024-02-30"),
])
def test_the_issue_s_typings(typed, stored):
    assert normalise_entered_date(typed) == stored


def test_a_slip_before_1900_is_a_problem_not_a_date():
    data = json.loads((Path(__file__).resolve().parents[2] / "cases" / "ex-01.json").read_text(encoding="utf-8"))
    data["labs"][0]["date"] = "0025-10-31"
    with pytest.raises(CaseInvalid) as error:
        parse_case(data)
    assert any(p.path == "labs[0].date" and str(EARLIEST_PLAUSIBLE_YEAR) in p.expected for p in error.value.problems)
    assert any("1900 年及以后" in p.text("zh") for p in error.value.problems)
