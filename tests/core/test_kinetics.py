"""Doubling time (rules.md section D, KIN-DT) and its use by timing (TIMING-DOUBLING)."""

from __future__ import annotations

import math
from datetime import date, timedelta


from mmlogic.assessment import KineticsStatus
from mmlogic.kinetics import TWO_POINTS_ONLY, doubling_time
from mmlogic.observations import Point
from mmlogic.thresholds import DAYS_PER_MONTH, RAPID_DOUBLING_DAYS

from .factory import line, make_case, run, serum

D0 = date(2024, 1, 1)


def pts(rows):
    return [Point(D0 + timedelta(days=n), v) for n, v in rows]


def test_worked_example_of_rules_md():
    # "two points 4.0 → 5.0 that are 485 days apart (15.9 months) give DT = 49.50 months"
    k = doubling_time(pts([(0, 4.0), (485, 5.0)]), "g/L")
    assert k.status == KineticsStatus.OK
    assert k.doubling_time_months == 49.50
    expected_days = math.log(2) / (math.log(5.0 / 4.0) / 485)
    assert k.doubling_time_days == round(expected_days, 2) == 1506.55
    assert k.points == 2 and k.r2 == 1.0


def test_two_points_carry_the_warning():
    k = doubling_time(pts([(0, 4.0), (485, 5.0)]), "g/L")
    assert TWO_POINTS_ONLY in k.notes


def test_three_points_carry_no_warning_and_fit_by_least_squares():
    k = doubling_time(pts([(0, 2.0), (30, 4.0), (60, 8.0)]), "g/L")
    assert k.doubling_time_days == 30.0 and k.r2 == 1.0 and k.points == 3
    assert TWO_POINTS_ONLY not in k.notes


def test_noisy_three_points_hand_computed_ols():
    # ln values at t = 0, 10, 20: slope = (y3 - y1) / 20 for three equally spaced points.
    values = [1.0, 3.0, 4.0]
    slope = (math.log(4.0) - math.log(1.0)) / 20
    k = doubling_time(pts([(0, 1.0), (10, 3.0), (20, 4.0)]), "g/L")
    assert k.doubling_time_days == round(math.log(2) / slope, 2)
    assert 0 < k.r2 < 1
    assert len(values) == k.points


def test_nadir_tie_takes_the_latest():
    k = doubling_time(pts([(0, 5.0), (30, 3.0), (60, 4.0), (90, 3.0), (120, 6.0), (150, 12.0)]), "g/L")
    assert k.nadir_date == D0 + timedelta(days=90) and k.nadir_value == 3.0
    assert [p.date for p in k.fit_points] == [D0 + timedelta(days=n) for n in (90, 120, 150)]


def test_only_the_nadir_and_later_values_are_fitted():
    k = doubling_time(pts([(0, 30.0), (60, 10.0), (90, 5.0), (120, 10.0), (150, 20.0)]), "g/L")
    assert k.points == 3 and k.doubling_time_days == 30.0


def test_zero_values_are_excluded_with_a_note():
    k = doubling_time(pts([(0, 0.0), (30, 2.0), (60, 4.0), (90, 8.0)]), "g/L")
    assert k.status == KineticsStatus.OK
    assert k.points == 3 and k.doubling_time_days == 30.0
    assert any("1 zero value(s) left out" in n.en for n in k.notes)


def test_falling_fit_after_the_nadir_is_not_rising():
    # Up then back down to just above the nadir: the least-squares slope of ln(value) is negative.
    k = doubling_time(pts([(0, 3.0), (10, 6.0), (100, 3.0001)]), "g/L")
    assert k.status == KineticsStatus.NOT_RISING
    assert k.doubling_time_days is None and k.doubling_time_months is None
    assert k.points == 3 and k.slope_per_day < 0


def test_falling_series_ends_at_its_nadir():
    k = doubling_time(pts([(0, 9.0), (30, 5.0)]), "g/L")
    assert k.doubling_time_days is None
    # rules.md D: "A flat or falling series has no doubling time ("not rising")" — a series that
    # ends at its nadir is falling, which says more than "insufficient data".
    assert k.status == KineticsStatus.NOT_RISING


def test_flat_series_is_not_rising():
    # rules.md D: "A flat or falling series has no doubling time ("not rising")."
    flat = doubling_time(pts([(0, 5.0), (30, 5.0), (60, 5.0)]), "g/L")
    assert flat.doubling_time_days is None
    assert flat.status == KineticsStatus.NOT_RISING


def test_insufficient_data():
    assert doubling_time([], "g/L").status == KineticsStatus.INSUFFICIENT_DATA
    one = doubling_time(pts([(0, 5.0)]), "g/L")
    assert one.status == KineticsStatus.INSUFFICIENT_DATA and one.doubling_time_days is None
    zeros = doubling_time(pts([(0, 0.0), (30, 4.0)]), "g/L")
    assert zeros.status == KineticsStatus.INSUFFICIENT_DATA


def test_months_are_days_over_365_25_by_12():
    k = doubling_time(pts([(0, 2.0), (61, 4.0)]), "g/L")
    assert k.doubling_time_months == round(61 / DAYS_PER_MONTH, 2)


# ---- in an assessment: course window, rapid rise and timing ------------------------------------

def _case(rows, **kw):
    return make_case(labs=serum(rows), lines=[line("Vd", 0, 150)], **kw)


def test_kinetics_use_the_current_course_from_its_nadir():
    a = run(_case([(-5, 30.0), (60, 12.0), (150, 4.0), (300, 8.0), (330, 16.0)], as_of=340))
    k = a.kinetics.markers["serum_m_protein"]
    assert k.nadir_value == 4.0 and k.points == 3
    expected = doubling_time(pts([(150, 4.0), (300, 8.0), (330, 16.0)]), "g/L").doubling_time_days
    assert k.doubling_time_days == expected


def test_rapid_rise_below_two_months():
    # Doubling every 30 days < 60.9 days.
    a = run(_case([(-5, 30.0), (60, 12.0), (150, 4.0), (200, 8.0), (230, 16.0)], as_of=240))
    assert a.kinetics.markers["serum_m_protein"].doubling_time_days < RAPID_DOUBLING_DAYS
    assert a.kinetics.rapid_rise is True
    assert "TIMING-DOUBLING" in a.kinetics.rules


def test_no_rapid_rise_at_slow_doubling():
    a = run(_case([(-5, 30.0), (60, 12.0), (150, 4.0), (300, 6.0), (450, 9.0)], as_of=460))
    assert a.kinetics.markers["serum_m_protein"].doubling_time_days > RAPID_DOUBLING_DAYS
    assert a.kinetics.rapid_rise is False
