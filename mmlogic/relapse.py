"""Biochemical and clinical relapse criteria within one course of treatment (rules.md section C).

A *course* starts with the first line or a salvage line and runs until the next salvage line
(or ``as_of``). Biochemical criteria (BIO-*) compare each value with the nadir since the
course's baseline and need two consecutive qualifying values ("confirmed"; the progression
date is the first of the two); a single qualifying latest value is listed as unconfirmed.
Clinical criteria (CLIN-*) are confirmed by the event or lab itself (ASSUME-CLIN-AFTER-START).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from .assessment import Text
from .case import EventKind
from .observations import Observations, Point
from .response import measurable_at
from .rules import evaluates
from .thresholds import (
    BIO_FLC_RISE_FRACTION,
    BIO_FLC_RISE_MG_L,
    BIO_SERUM_RISE_FRACTION,
    BIO_SERUM_RISE_G_L,
    BIO_URINE_RISE_FRACTION,
    BIO_URINE_RISE_MG_24H,
    CLIN_CALCIUM_ABOVE_MMOL_L,
    CLIN_CREATININE_UMOL_L,
    CLIN_HB_FALL_G_L,
    CLIN_LESION_GROWTH_CM,
    CLIN_LESION_GROWTH_PCT,
    TOLERANCE,
)

BIOCHEMICAL_RULES = ("BIO-REAPPEAR", "BIO-SERUM", "BIO-URINE", "BIO-FLC")
CLINICAL_RULES = ("CLIN-LESION", "CLIN-CALCIUM", "CLIN-HB", "CLIN-CREAT")


@dataclass(frozen=True, slots=True)
class Found:
    rule: str
    date: date
    confirmed: bool
    detail: Text

    @property
    def clinical(self) -> bool:
        return self.rule in CLINICAL_RULES


@dataclass(frozen=True, slots=True)
class RiseRule:
    """A BIO-* rise criterion: relative and absolute rise over the nadir, ≥ or strictly >."""

    rule: str
    marker: str
    fraction: float
    absolute: float
    unit: str
    strict: bool
    name: Text


SERUM_RISE = RiseRule("BIO-SERUM", "serum_m_protein", BIO_SERUM_RISE_FRACTION, BIO_SERUM_RISE_G_L, "g/L",
                      False, Text(en="serum M-protein", zh="血清M蛋白"))
URINE_RISE = RiseRule("BIO-URINE", "urine_m_protein", BIO_URINE_RISE_FRACTION, BIO_URINE_RISE_MG_24H, "mg/24h",
                      False, Text(en="24-h urine M-protein", zh="24小时尿M蛋白"))
FLC_RISE = RiseRule("BIO-FLC", "dflc", BIO_FLC_RISE_FRACTION, BIO_FLC_RISE_MG_L, "mg/L",
                    True, Text(en="dFLC", zh="dFLC(受累与非受累游离轻链差值)"))


def progression_threshold(rise: RiseRule, nadir: float) -> float:
    """The value a rise must reach over ``nadir`` (the larger of the relative and absolute rise)."""
    return nadir + max(rise.fraction * max(nadir, 0.0), rise.absolute)


def _qualifies(rise: RiseRule, nadir: float, value: float) -> bool:
    delta = value - nadir
    relative_floor = rise.fraction * abs(nadir)
    if rise.strict:
        return delta > rise.absolute + TOLERANCE and delta > relative_floor + TOLERANCE
    return delta >= rise.absolute - TOLERANCE and delta >= relative_floor - TOLERANCE


def _fmt(value: float) -> str:
    return f"{value:.3g}" if abs(value) < 100 else f"{value:.0f}"


def rise_from_nadir(rise: RiseRule, points: Sequence[Point], first_index: int) -> Found | None:
    """First confirmed qualifying rise among points[first_index:], else a pending single one.

    ``points`` start at the course baseline; the running nadir includes every earlier point.
    The confirming value may fall after the course window (it is the next measurement).
    """
    if not points:
        return None
    nadir = min(p.value for p in points[:first_index]) if first_index > 0 else points[0].value
    pending = None
    for i in range(max(first_index, 1), len(points)):
        value = points[i].value
        if _qualifies(rise, nadir, value):
            confirmed = i + 1 < len(points) and _qualifies(rise, nadir, points[i + 1].value)
            if confirmed:
                second = points[i + 1]
                return Found(rise.rule, points[i].date, True, Text(
                    en=f"{rise.name.en} {_fmt(value)} then {_fmt(second.value)} {rise.unit} "
                       f"({second.date.isoformat()}) from a nadir of {_fmt(nadir)} {rise.unit}",
                    zh=f"{rise.name.zh}自最低值{_fmt(nadir)} {rise.unit}升至{_fmt(value)},"
                       f"随后{_fmt(second.value)} {rise.unit}({second.date.isoformat()})",
                ))
            if i == len(points) - 1:
                pending = Found(rise.rule, points[i].date, False, Text(
                    en=f"{rise.name.en} {_fmt(value)} {rise.unit} from a nadir of {_fmt(nadir)} {rise.unit}: "
                       "awaits confirmation by the next value",
                    zh=f"{rise.name.zh}自最低值{_fmt(nadir)} {rise.unit}升至{_fmt(value)} {rise.unit}:"
                       "需下一次检测确认",
                ))
        nadir = min(nadir, value)
    return pending


@dataclass(frozen=True, slots=True)
class CourseWindow:
    start: date  # first line's start
    until: date  # the next salvage line's start, or as_of
    baseline_date: date  # date of the last value on/before start; the window of values starts here


def course_points(obs: Observations, marker: str, start: date | None) -> tuple[Point, ...]:
    """A marker's values from the course baseline (last value on or before ``start``) to as_of.

    With no course (``start`` None) the whole series is used (KIN-DT, "no therapy line").
    """
    series = obs.series(marker)
    points = series.between(None, obs.as_of)
    if start is None:
        return points
    baseline = series.last_on_or_before(start)
    first = series.index_after(baseline.date) - 1 if baseline else series.index_after(start)
    return points[max(first, 0):]


def _points_from_baseline(obs: Observations, marker: str, course: CourseWindow) -> tuple[tuple[Point, ...], int]:
    points = course_points(obs, marker, course.start)
    # Index of the first value that may qualify: dated after the course start, inside the window.
    first = next((i for i, p in enumerate(points) if p.date > course.start), len(points))
    last_in_window = max((i for i, p in enumerate(points) if p.date <= course.until), default=-1)
    if first > last_in_window:
        return points, len(points)
    return points, first


@evaluates("BIO-SERUM", "BIO-URINE", "BIO-FLC")
def biochemical_rise(obs: Observations, course: CourseWindow, rise: RiseRule) -> Found | None:
    points, first = _points_from_baseline(obs, rise.marker, course)
    found = rise_from_nadir(rise, points, first)
    if found is not None and found.date > course.until:
        return None
    return found


def flc_applies(obs: Observations, course: CourseWindow) -> bool:
    """BIO-FLC only when neither M-protein is measurable (or measured) at the course baseline."""
    return not measurable_at(obs, course.start).m_protein


@evaluates("BIO-REAPPEAR")
def reappearance(obs: Observations, course: CourseWindow) -> Found | None:
    """After a negative immunofixation, two consecutive positive results (serum or urine)."""
    for analyte, name in (("serum_ife", Text(en="serum", zh="血清")), ("urine_ife", Text(en="urine", zh="尿"))):
        results = [(d, pos) for d, pos in obs.qualitative.get(analyte, ()) if d > course.start]
        seen_negative = False
        for i, (when, positive) in enumerate(results):
            if not positive:
                seen_negative = True
                continue
            if seen_negative and when <= course.until:
                confirmed = i + 1 < len(results) and results[i + 1][1]
                if confirmed or i == len(results) - 1:
                    return Found("BIO-REAPPEAR", when, confirmed, Text(
                        en=f"{name.en} immunofixation positive again after a negative result"
                           + ("" if confirmed else ": awaits confirmation"),
                        zh=f"{name.zh}免疫固定电泳转阴后再次阳性" + ("" if confirmed else ",需再次检测确认"),
                    ))
    return None


def _clinical_labs(obs: Observations, marker: str, course: CourseWindow) -> tuple[Point, ...]:
    return tuple(p for p in obs.series(marker).between(course.start, course.until) if p.related)


@evaluates("CLIN-LESION")
def lesion(obs: Observations, course: CourseWindow) -> Found | None:
    for event in obs.events:
        if not course.start < event.date <= course.until:
            continue
        if event.kind == EventKind.NEW_BONE_LESION:
            text = Text(en="new bone lesion", zh="新发骨质破坏")
        elif event.kind == EventKind.NEW_PLASMACYTOMA:
            text = Text(en="new plasmacytoma", zh="新发浆细胞瘤")
        elif (event.increase_pct or 0) >= CLIN_LESION_GROWTH_PCT - TOLERANCE and (
            event.increase_cm or 0
        ) >= CLIN_LESION_GROWTH_CM - TOLERANCE:
            text = Text(
                en=f"lesion grew by {_fmt(event.increase_pct)} % and {_fmt(event.increase_cm)} cm",
                zh=f"原有病灶增大{_fmt(event.increase_pct)}%、{_fmt(event.increase_cm)} cm",
            )
        else:
            continue
        return Found("CLIN-LESION", event.date, True, text)
    return None


def _first_lab(rule: str, points: Sequence[Point], test: Callable[[float], bool], text: Callable[[Point], Text]) -> Found | None:
    for p in points:
        if test(p.value):
            return Found(rule, p.date, True, text(p))
    return None


@evaluates("CLIN-CALCIUM")
def hypercalcaemia(obs: Observations, course: CourseWindow) -> Found | None:
    return _first_lab(
        "CLIN-CALCIUM", _clinical_labs(obs, "calcium", course),
        lambda v: v > CLIN_CALCIUM_ABOVE_MMOL_L + TOLERANCE,
        lambda p: Text(en=f"calcium {p.value:.2f} mmol/L > {CLIN_CALCIUM_ABOVE_MMOL_L} mmol/L",
                       zh=f"血钙{p.value:.2f} mmol/L > {CLIN_CALCIUM_ABOVE_MMOL_L} mmol/L"),
    )


@evaluates("CLIN-CREAT")
def creatinine_rise(obs: Observations, course: CourseWindow) -> Found | None:
    return _first_lab(
        "CLIN-CREAT", _clinical_labs(obs, "creatinine", course),
        lambda v: v >= CLIN_CREATININE_UMOL_L - TOLERANCE,
        lambda p: Text(en=f"creatinine {p.value:.0f} µmol/L ≥ {CLIN_CREATININE_UMOL_L} µmol/L",
                       zh=f"血肌酐{p.value:.0f} µmol/L ≥ {CLIN_CREATININE_UMOL_L} µmol/L"),
    )


@evaluates("CLIN-HB")
def haemoglobin_fall(obs: Observations, course: CourseWindow) -> Found | None:
    """A fall of ≥ 20 g/L from the highest haemoglobin since the course began."""
    highest = None
    for p in obs.series("hemoglobin").between(course.start, course.until):
        if highest is not None and p.related and highest - p.value >= CLIN_HB_FALL_G_L - TOLERANCE:
            return Found("CLIN-HB", p.date, True, Text(
                en=f"haemoglobin {p.value:.0f} g/L, {highest - p.value:.0f} g/L below its highest {highest:.0f} g/L",
                zh=f"血红蛋白{p.value:.0f} g/L,较最高值{highest:.0f} g/L下降{highest - p.value:.0f} g/L",
            ))
        highest = p.value if highest is None else max(highest, p.value)
    return None


def haemoglobin_threshold(obs: Observations, course: CourseWindow) -> float | None:
    """The haemoglobin that would meet CLIN-HB now (highest since course start − 20 g/L)."""
    values = [p.value for p in obs.series("hemoglobin").between(course.start, course.until)]
    return max(values) - CLIN_HB_FALL_G_L if values else None


def course_criteria(obs: Observations, course: CourseWindow) -> list[Found]:
    """Every criterion found in the course, biochemical first, in rule order."""
    found: list[Found | None] = [reappearance(obs, course)]
    found.append(biochemical_rise(obs, course, SERUM_RISE))
    found.append(biochemical_rise(obs, course, URINE_RISE))
    if flc_applies(obs, course):
        found.append(biochemical_rise(obs, course, FLC_RISE))
    found += [lesion(obs, course), hypercalcaemia(obs, course), haemoglobin_fall(obs, course),
              creatinine_rise(obs, course)]
    return [f for f in found if f is not None]


def progression_date(criteria: Sequence[Found]) -> date | None:
    """The earliest confirmed criterion's date (rules.md, "Progression date")."""
    dates = [f.date for f in criteria if f.confirmed]
    return min(dates) if dates else None
