"""Doubling time of the paraprotein markers (rules.md section D, KIN-DT; TIMING-DOUBLING).

DT = ln 2 / slope of an ordinary least-squares fit of ln(value) on days, over the rising
phase: the nadir since the current course's baseline (latest on a tie) and every later value.
Zero values cannot enter a log fit and are left out, with a note. Two points give a result
with the note "two points only"; fewer give ``insufficient_data``; a flat or falling fit gives
``not_rising``. This is the method of the common PSA doubling-time calculators.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .assessment import FitPoint, KineticsStatus, MarkerKinetics, Text
from .observations import Point
from .rules import evaluates
from .thresholds import (
    DAYS_PER_MONTH,
    DT_PREFERRED_POINTS,
    KIN_POOR_FIT_R2,
    KIN_RECENT_MIN_PHASE_POINTS,
    KIN_RECENT_POINTS,
)

KINETIC_MARKERS: dict[str, str] = {
    "serum_m_protein": "g/L",
    "urine_m_protein": "mg/24h",
    "involved_flc": "mg/L",
    "dflc": "mg/L",
}

POOR_FIT = Text(en=f"poor fit (r² < {KIN_POOR_FIT_R2:g}): the doubling time is uncertain",
                 zh=f"拟合欠佳(r² < {KIN_POOR_FIT_R2:g}):倍增时间不确定")
TWO_POINTS_ONLY = Text(en="two points only: a third value would make the doubling time reliable",
                       zh="仅两个数据点:需第三个数值以提高倍增时间的可靠性")


def nadir_index(points: Sequence[Point]) -> int | None:
    """Index of the lowest value, the latest one on a tie."""
    if not points:
        return None
    lowest = min(p.value for p in points)
    return max(i for i, p in enumerate(points) if p.value == lowest)


def log_linear_fit(days: Sequence[float], values: Sequence[float]) -> tuple[float, float, float]:
    """(slope per day, intercept, r²) of ln(value) = intercept + slope · day."""
    n = len(days)
    logs = [math.log(v) for v in values]
    mean_t = sum(days) / n
    mean_y = sum(logs) / n
    sxx = sum((t - mean_t) ** 2 for t in days)
    sxy = sum((t - mean_t) * (y - mean_y) for t, y in zip(days, logs))
    slope = sxy / sxx if sxx > 0 else 0.0
    intercept = mean_y - slope * mean_t
    syy = sum((y - mean_y) ** 2 for y in logs)
    r2 = 1.0 if syy == 0 else max(0.0, 1.0 - sum((y - intercept - slope * t) ** 2 for t, y in zip(days, logs)) / syy)
    return slope, intercept, r2


def doubling_time_days(slope_per_day: float) -> float:
    return math.log(2) / slope_per_day


def _empty(unit: str, status: KineticsStatus, nadir: Point | None, notes: list[Text]) -> MarkerKinetics:
    return MarkerKinetics(
        doubling_time_days=None, doubling_time_months=None, points=0, r2=None, status=status, unit=unit,
        nadir_date=nadir.date if nadir else None, nadir_value=nadir.value if nadir else None,
        fit_points=[], slope_per_day=None, intercept=None, notes=notes,
    )


@evaluates("KIN-DT")
def doubling_time(points: Sequence[Point], unit: str) -> MarkerKinetics:
    """Doubling time over the rising phase of ``points`` (already limited to the current course)."""
    i = nadir_index(points)
    if i is None:
        return _empty(unit, KineticsStatus.INSUFFICIENT_DATA, None, [])
    nadir = points[i]
    if i == len(points) - 1 and len(points) > 1:
        # The lowest value is the latest (a falling or flat series): nothing rises after the nadir.
        return _empty(unit, KineticsStatus.NOT_RISING, nadir, [])
    rising = points[i:]
    usable = [p for p in rising if p.value > 0]
    notes = []
    if len(usable) < len(rising):
        dropped = len(rising) - len(usable)
        notes.append(Text(en=f"{dropped} zero value(s) left out of the log fit",
                          zh=f"{dropped}个零值(低于检测下限)未纳入对数拟合"))
    if len(usable) < 2:
        return _empty(unit, KineticsStatus.INSUFFICIENT_DATA, nadir, notes)
    origin = usable[0].date
    days = [float((p.date - origin).days) for p in usable]
    slope, intercept, r2 = log_linear_fit(days, [p.value for p in usable])
    fit = [FitPoint(date=p.date, value=p.value) for p in usable]
    if slope <= 0:
        return MarkerKinetics(
            doubling_time_days=None, doubling_time_months=None, points=len(usable), r2=round(r2, 4),
            status=KineticsStatus.NOT_RISING, unit=unit, nadir_date=nadir.date, nadir_value=nadir.value,
            fit_points=fit, slope_per_day=slope, intercept=intercept, notes=notes,
        )
    if len(usable) < DT_PREFERRED_POINTS:
        notes.append(TWO_POINTS_ONLY)
    dt_days = doubling_time_days(slope)
    poor = len(usable) >= DT_PREFERRED_POINTS and r2 < KIN_POOR_FIT_R2
    recent = recent_doubling_time(usable)
    timing_dt, window = (dt_days, "whole")
    if recent is not None:
        recent_dt, recent_r2 = recent
        if recent_dt is not None and recent_dt < dt_days:
            timing_dt, window = recent_dt, "recent"
            poor = recent_r2 < KIN_POOR_FIT_R2
    if poor:
        notes.append(POOR_FIT)
    return MarkerKinetics(
        doubling_time_days=round(dt_days, 2),
        doubling_time_months=round(dt_days / DAYS_PER_MONTH, 2),
        points=len(usable), r2=round(r2, 4), status=KineticsStatus.OK, unit=unit,
        nadir_date=nadir.date, nadir_value=nadir.value, fit_points=fit,
        slope_per_day=slope, intercept=intercept, notes=notes,
        recent_doubling_time_days=round(recent[0], 2) if recent and recent[0] is not None else None,
        recent_r2=round(recent[1], 4) if recent else None,
        recent_points=KIN_RECENT_POINTS if recent else 0,
        recent_from=usable[-KIN_RECENT_POINTS].date if recent else None,
        timing_doubling_time_days=round(timing_dt, 2), timing_window=window, poor_fit=poor,
    )


@evaluates("KIN-DT-RECENT")
def recent_doubling_time(usable: Sequence[Point]) -> tuple[float | None, float] | None:
    """When the rising phase has ≥ 4 positive points, Then fit its last three values too (rules.md
    K, KIN-DT-RECENT; ASSUME-RECENT-WINDOW): (doubling time in days, None if not rising; r²)."""
    if len(usable) < KIN_RECENT_MIN_PHASE_POINTS:
        return None
    tail = usable[-KIN_RECENT_POINTS:]
    if len({p.date for p in tail}) < 2:
        return None
    origin = tail[0].date
    slope, _, r2 = log_linear_fit([float((p.date - origin).days) for p in tail], [p.value for p in tail])
    return (doubling_time_days(slope) if slope > 0 else None), r2

