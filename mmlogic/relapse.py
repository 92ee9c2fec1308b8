"""Biochemical and clinical relapse criteria within one course of treatment (rules.md section C).

A *course* starts with the first line or a salvage line and runs until the next salvage line
(or ``as_of``). Biochemical criteria (BIO-*) compare each value with the nadir since the
course's baseline and need two consecutive qualifying values ("confirmed"; the progression
date is the first of the two); a single qualifying latest value is listed as unconfirmed.
Clinical criteria (CLIN-*) are confirmed by the event or lab itself (ASSUME-CLIN-AFTER-START).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from .assessment import Text
from .case import EventKind
from .observations import Observations, Point
from .response import flc_ratio_abnormal, measurable_at
from .rules import evaluates
from .thresholds import (
    BIO_FLC_RISE_FRACTION,
    BIO_FLC_RISE_MG_L,
    BIO_SERUM_HIGH_NADIR_G_L,
    BIO_SERUM_HIGH_NADIR_RISE_G_L,
    BIO_SERUM_RISE_FRACTION,
    BIO_SERUM_RISE_G_L,
    BIO_URINE_RISE_FRACTION,
    BIO_URINE_RISE_MG_24H,
    CLIN_CALCIUM_ABOVE_MMOL_L,
    CLIN_CREATININE_RISE_UMOL_L,
    CLIN_CREATININE_UMOL_L,
    CLIN_HB_FALL_G_L,
    CLIN_LESION_GROWTH_CM,
    CLIN_LESION_GROWTH_PCT,
    TOLERANCE,
)

BIOCHEMICAL_RULES = ("BIO-REAPPEAR", "BIO-SERUM", "BIO-URINE", "BIO-FLC", "BIO-FLC-ESCAPE")
CLINICAL_RULES = ("CLIN-LESION", "CLIN-CALCIUM", "CLIN-HB", "CLIN-CREAT")


@dataclass(frozen=True, slots=True)
class Found:
    rule: str
    date: date
    confirmed: bool
    detail: Text
    # For a rise: the nadir it is measured from and the first qualifying value (WATCH-CONFIRM).
    nadir: float | None = None
    value: float | None = None
    # Extra rule ids the finding cites (MARKER-LC for a dFLC progression in light-chain disease).
    cites: tuple[str, ...] = ()
    marker: str | None = None

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
    # IMWG 2016 (BIO-SERUM only): from a nadir this high, this absolute rise suffices on its own.
    high_nadir: float | None = None
    high_nadir_rise: float | None = None


SERUM_RISE = RiseRule("BIO-SERUM", "serum_m_protein", BIO_SERUM_RISE_FRACTION, BIO_SERUM_RISE_G_L, "g/L",
                      False, Text(en="serum M-protein", zh="血清M蛋白"),
                      BIO_SERUM_HIGH_NADIR_G_L, BIO_SERUM_HIGH_NADIR_RISE_G_L)
URINE_RISE = RiseRule("BIO-URINE", "urine_m_protein", BIO_URINE_RISE_FRACTION, BIO_URINE_RISE_MG_24H, "mg/24h",
                      False, Text(en="24-h urine M-protein", zh="24小时尿M蛋白"))
FLC_RISE = RiseRule("BIO-FLC", "dflc", BIO_FLC_RISE_FRACTION, BIO_FLC_RISE_MG_L, "mg/L",
                    True, Text(en="dFLC", zh="dFLC(受累与非受累游离轻链差值)"))
# Light-chain escape (BIO-FLC-ESCAPE, ASSUME-LC-ESCAPE): the dFLC rise of BIO-FLC, in heavy-chain disease.
ESCAPE_RISE = RiseRule("BIO-FLC-ESCAPE", "dflc", BIO_FLC_RISE_FRACTION, BIO_FLC_RISE_MG_L, "mg/L",
                       True, Text(en="dFLC (light-chain escape — outside IMWG's measurable-M rule)",
                                  zh="dFLC(轻链逃逸——不属于IMWG可测量M蛋白标准)"))
ESCAPE_LABEL = Text(en="light-chain escape — outside IMWG's measurable-M rule",
                    zh="轻链逃逸——不属于IMWG可测量M蛋白标准")


def _high_nadir(rise: RiseRule, nadir: float) -> bool:
    return rise.high_nadir is not None and nadir >= rise.high_nadir - TOLERANCE


def progression_threshold(rise: RiseRule, nadir: float) -> float:
    """The value a rise must reach over ``nadir`` (the larger of the relative and absolute rise;
    from a high nadir, BIO-SERUM's IMWG 2016 absolute rise when it is smaller)."""
    needed = max(rise.fraction * max(nadir, 0.0), rise.absolute)
    if _high_nadir(rise, nadir):
        needed = min(needed, rise.high_nadir_rise)
    return nadir + needed


def _qualifies(rise: RiseRule, nadir: float, value: float) -> bool:
    delta = value - nadir
    if _high_nadir(rise, nadir) and delta >= rise.high_nadir_rise - TOLERANCE:
        return True  # IMWG 2016: nadir ≥ 50 g/L and a rise of ≥ 10 g/L (BIO-SERUM, catalog 1.1)
    relative_floor = rise.fraction * abs(nadir)
    if rise.strict:
        return delta > rise.absolute + TOLERANCE and delta > relative_floor + TOLERANCE
    return delta >= rise.absolute - TOLERANCE and delta >= relative_floor - TOLERANCE


def _fmt(value: float) -> str:
    return f"{value:.3g}" if abs(value) < 100 else f"{value:.0f}"


def _high_nadir_note(rise: RiseRule, nadir: float, value: float) -> Text:
    if _high_nadir(rise, nadir) and value - nadir < rise.fraction * nadir - TOLERANCE:
        return Text(en=f" (IMWG 2016: nadir ≥ {_fmt(rise.high_nadir)} g/L, rise ≥ {_fmt(rise.high_nadir_rise)} g/L)",
                    zh=f"(IMWG 2016:最低值≥{_fmt(rise.high_nadir)} g/L时升高≥{_fmt(rise.high_nadir_rise)} g/L)")
    return Text(en="", zh="")


def rise_from_nadir(rise: RiseRule, points: Sequence[Point], first_index: int) -> Found | None:
    """First confirmed qualifying rise among points[first_index:], else a pending single one.

    ``points`` start at the course baseline; the running nadir includes every earlier point.
    The confirming value is the first one from a *later date* (same-day duplicates never
    confirm, catalog 1.1); it may fall after the course window (it is the next measurement).
    """
    if not points:
        return None
    nadir = min(p.value for p in points[:first_index]) if first_index > 0 else points[0].value
    pending = None
    for i in range(max(first_index, 1), len(points)):
        value = points[i].value
        if _qualifies(rise, nadir, value):
            later = next((p for p in points[i + 1:] if p.date > points[i].date), None)
            note = _high_nadir_note(rise, nadir, value)
            if later is not None and _qualifies(rise, nadir, later.value):
                return Found(rise.rule, points[i].date, True, Text(
                    en=f"{rise.name.en} {_fmt(value)} then {_fmt(later.value)} {rise.unit} "
                       f"({later.date.isoformat()}) from a nadir of {_fmt(nadir)} {rise.unit}{note.en}",
                    zh=f"{rise.name.zh}自最低值{_fmt(nadir)} {rise.unit}升至{_fmt(value)},"
                       f"随后{_fmt(later.value)} {rise.unit}({later.date.isoformat()}){note.zh}",
                ), nadir=nadir, value=value, marker=rise.marker)
            if later is None and pending is None:
                pending = Found(rise.rule, points[i].date, False, Text(
                    en=f"{rise.name.en} {_fmt(value)} {rise.unit} from a nadir of {_fmt(nadir)} {rise.unit}{note.en}: "
                       "awaits confirmation by a value from a later date",
                    zh=f"{rise.name.zh}自最低值{_fmt(nadir)} {rise.unit}升至{_fmt(value)} {rise.unit}{note.zh}:"
                       "需以后续日期的检测确认",
                ), nadir=nadir, value=value, marker=rise.marker)
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
    """BIO-FLC when neither M-protein is measurable (or measured) at the course baseline, and
    always in light-chain myeloma (MARKER-LC)."""
    return not measurable_at(obs, course.start).m_protein or follows_light_chain(obs)


@evaluates("MARKER-LC")
def follows_light_chain(obs: Observations) -> bool:
    """When the isotype is a light chain only and dFLC is measured, Then dFLC is followed for
    progression alongside any measurable spike (rules.md J, MARKER-LC; ASSUME-LC-MARKER)."""
    return obs.light_chain_disease and bool(obs.series("dflc"))


def _reappear_events(obs: Observations, ife: str, spep: str, course: CourseWindow) -> list[tuple[date, bool, str]]:
    """(date, positive?, how) per date after the course start: immunofixation, and electrophoresis
    (a spike > 0 is positive; 0 is negative only when no immunofixation of that fluid exists)."""
    results: dict[date, list[tuple[bool, str]]] = {}
    ife_results = [(d, pos) for d, pos in obs.qualitative.get(ife, ()) if d > course.start]
    no_ife = not obs.qualitative.get(ife)
    series = obs.series(spep)
    # Values up to the window's end, and the next one (it may confirm).
    points = series.points[series.index_after(course.start): series.index_after(course.until) + 1]
    if not any(not pos for d, pos in ife_results if d <= course.until) and not (
            no_ife and any(p.value <= 0 for p in points if p.date <= course.until)):
        return []  # no undetectable nadir inside the window: nothing can reappear
    for d, pos in ife_results:
        results.setdefault(d, []).append((pos, "IFE"))
    for p in points:
        if p.value > 0:
            results.setdefault(p.date, []).append((True, "SPEP"))
        elif no_ife:
            results.setdefault(p.date, []).append((False, "SPEP"))
    out = []
    for d in sorted(results):
        marks = results[d]
        positive = any(pos for pos, _ in marks)
        how = "/".join(sorted({h for pos, h in marks if pos == positive}))
        out.append((d, positive, how))
    return out


@evaluates("BIO-REAPPEAR")
def reappearance(obs: Observations, course: CourseWindow) -> Found | None:
    """When, after a nadir at which the M-protein was undetectable (negative immunofixation, or a
    spike of 0 with no immunofixation recorded), immunofixation or electrophoresis is positive on
    two consecutive dates, Then biochemical relapse (rules.md C, BIO-REAPPEAR revised in 1.1)."""
    fluids = (("serum_ife", "serum_m_protein", Text(en="serum", zh="血清")),
              ("urine_ife", "urine_m_protein", Text(en="urine", zh="尿")))
    for ife, spep, name in fluids:
        results = _reappear_events(obs, ife, spep, course)
        seen_negative = False
        for i, (when, positive, how) in enumerate(results):
            if not positive:
                seen_negative = True
                continue
            if seen_negative and when <= course.until:
                confirmed = i + 1 < len(results) and results[i + 1][1]
                if confirmed or i == len(results) - 1:
                    by = "immunofixation" if how == "IFE" else "electrophoresis" if how == "SPEP" else "IFE/SPEP"
                    by_zh = "免疫固定电泳" if how == "IFE" else "蛋白电泳" if how == "SPEP" else "免疫固定/蛋白电泳"
                    return Found("BIO-REAPPEAR", when, confirmed, Text(
                        en=f"{name.en} M-protein detectable again by {by} after an undetectable nadir"
                           + ("" if confirmed else ": awaits confirmation by a later test"),
                        zh=f"{name.zh}M蛋白测不出后经{by_zh}再次检出" + ("" if confirmed else ",需后续检测确认"),
                    ), marker=spep)
    return None


@evaluates("BIO-FLC-ESCAPE")
def light_chain_escape(obs: Observations, course: CourseWindow) -> Found | None:
    """When heavy-chain myeloma has a measurable M-protein at the course baseline and dFLC rises
    > 25 % and > 100 mg/L above its nadir with an abnormal κ/λ ratio on two consecutive dates,
    Then light-chain escape — outside IMWG's measurable-M rule (rules.md J; ASSUME-LC-ESCAPE)."""
    if not watches_escape(obs, course.start):
        return None
    found = biochemical_rise(obs, course, ESCAPE_RISE)
    if found is None:
        return None
    ratio = obs.series("flc_ratio").last_on_or_before(found.date)
    if ratio is None or not flc_ratio_abnormal(ratio.value):
        return None
    return found


def watches_escape(obs: Observations, start: date) -> bool:
    """Heavy-chain disease with a measurable M-protein at ``start`` and dFLC measured."""
    return obs.heavy_chain_disease and bool(obs.series("dflc")) and measurable_at(obs, start).m_protein


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


def _creatinine_from_baseline(obs: Observations, course: CourseWindow) -> tuple[Point | None, tuple[Point, ...]]:
    series = obs.series("creatinine")
    return series.last_on_or_before(course.start), _clinical_labs(obs, "creatinine", course)


@evaluates("CLIN-CREAT")
def creatinine_rise(obs: Observations, course: CourseWindow) -> Found | None:
    """When creatinine reaches ≥ 176.8 µmol/L after values below it since the line began, or rises
    ≥ 176.8 µmol/L above its lowest since then, Then clinical relapse (rules.md K, CLIN-CREAT as a
    new level; ASSUME-CREAT). A level already present at the start is not a relapse."""
    baseline, points = _creatinine_from_baseline(obs, course)
    below_seen = baseline is not None and baseline.value < CLIN_CREATININE_UMOL_L - TOLERANCE
    lowest = baseline.value if baseline is not None else None
    for p in points:
        level = p.value >= CLIN_CREATININE_UMOL_L - TOLERANCE
        rise = lowest is not None and p.value - lowest >= CLIN_CREATININE_RISE_UMOL_L - TOLERANCE
        if (level and below_seen) or rise:
            text = (Text(en=f"creatinine {p.value:.0f} µmol/L, {p.value - lowest:.0f} µmol/L above its lowest "
                            f"{lowest:.0f} µmol/L since the line began (≥ {CLIN_CREATININE_RISE_UMOL_L} µmol/L)",
                         zh=f"血肌酐{p.value:.0f} µmol/L,较本线开始以来最低值{lowest:.0f} µmol/L升高"
                            f"{p.value - lowest:.0f} µmol/L(≥{CLIN_CREATININE_RISE_UMOL_L} µmol/L)")
                    if rise else
                    Text(en=f"creatinine {p.value:.0f} µmol/L ≥ {CLIN_CREATININE_UMOL_L} µmol/L, a new level "
                            "after lower values since the line began",
                         zh=f"血肌酐{p.value:.0f} µmol/L ≥ {CLIN_CREATININE_UMOL_L} µmol/L,为本线开始后新出现的水平"))
            return Found("CLIN-CREAT", p.date, True, text)
        below_seen = below_seen or p.value < CLIN_CREATININE_UMOL_L - TOLERANCE
        lowest = p.value if lowest is None else min(lowest, p.value)
    return None


def preexisting_renal_damage(obs: Observations, course: CourseWindow) -> Text | None:
    """The CLIN-CREAT warning: creatinine already at the level when the line began, not rising enough."""
    baseline, points = _creatinine_from_baseline(obs, course)
    first = baseline or (points[0] if points else None)
    if first is None or first.value < CLIN_CREATININE_UMOL_L - TOLERANCE or creatinine_rise(obs, course):
        return None
    latest = points[-1] if points else first
    return Text(
        en=f"creatinine {first.value:.0f} µmol/L already ≥ {CLIN_CREATININE_UMOL_L} µmol/L when the line began "
           f"(latest {latest.value:.0f}): pre-existing renal damage, not counted as clinical relapse (CLIN-CREAT)",
        zh=f"本线开始时血肌酐已为{first.value:.0f} µmol/L(≥{CLIN_CREATININE_UMOL_L} µmol/L,最新{latest.value:.0f}):"
           "属原有肾损害,不计为临床复发(CLIN-CREAT)",
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
        flc = biochemical_rise(obs, course, FLC_RISE)
        if flc is not None and measurable_at(obs, course.start).m_protein:
            # A progression on dFLC beside a measurable spike: light-chain disease (MARKER-LC).
            flc = replace(flc, cites=("MARKER-LC", "ASSUME-LC-MARKER"), detail=Text(
                en=flc.detail.en + " — light-chain myeloma: dFLC is followed beside the spike (MARKER-LC)",
                zh=flc.detail.zh + "——轻链型骨髓瘤:dFLC与M峰同时跟踪(MARKER-LC)"))
        found.append(flc)
    found.append(light_chain_escape(obs, course))
    found += [lesion(obs, course), hypercalcaemia(obs, course), haemoglobin_fall(obs, course),
              creatinine_rise(obs, course)]
    return [f for f in found if f is not None]


def progression_date(criteria: Sequence[Found]) -> date | None:
    """The earliest confirmed criterion's date (rules.md, "Progression date")."""
    dates = [f.date for f in criteria if f.confirmed]
    return min(dates) if dates else None
