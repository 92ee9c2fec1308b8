"""What would change the answer: the next marker value that would flip a conclusion.

For the current case (as of ``as_of``) and a next measurement drawn on ``on`` (default
``as_of`` + 30 days), two questions, both on the paraprotein marker the relapse rules watch —
dFLC when BIO-FLC applies (light-chain disease: no measurable M-protein at the course
baseline), else serum M-protein, else 24-h urine M-protein:

1. **Progression** (BIO-SERUM / BIO-FLC / BIO-URINE): the smallest next value that would
   *confirm* a pending rise, or — when nothing is pending — *qualify* as a first rise. Any value
   at or above ``relapse.progression_threshold(rise, nadir)`` does (strictly above for BIO-FLC).
2. **Doubling time** (KIN-DT, TIMING-DOUBLING): the smallest next value that makes the doubling
   time shorter than 2 months. Adding a point (t, ln v) to the least-squares fit of ln(value) on
   days changes the slope linearly in ln v:  slope = (Σ(tᵢ − t̄)·ln yᵢ + (t − t̄)·ln v) / Sₜₜ,
   so ln v* = (s*·Sₜₜ − Σ(tᵢ − t̄)·ln yᵢ) / (t − t̄) with s* = ln 2 / (2 months in days).

Values are reported on a grid of ``STEP`` (0.1 g/L, 0.1 mg/L, 1 mg/24h): the smallest grid value
that flips the conclusion, checked with the core's own functions (``rise_from_nadir``,
``kinetics.doubling_time``), so that one step below does not. ``labs`` lists the lab rows to
add to the case for the hypothesis (for dFLC: the involved light chain, with the uninvolved one
repeated at its last value). ``hypothetical(case, labs, as_of, on)`` builds that case.

Pure: no clock, no I/O.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from .assess import assess
from .assessment import Assessment, MarkerKinetics, Text
from .case import Case, parse_case
from .kinetics import doubling_time
from .observations import Point, observe
from .quality import PLAUSIBLE
from .relapse import FLC_RISE, SERUM_RISE, URINE_RISE, RiseRule, progression_threshold, rise_from_nadir
from .thresholds import RAPID_DOUBLING_DAYS

DEFAULT_DAYS_AHEAD = 30
#: The grid of reported values, per marker, in its canonical unit.
STEP: dict[str, float] = {"serum_m_protein": 0.1, "dflc": 0.1, "urine_m_protein": 1.0}
_RISES: dict[str, RiseRule] = {"serum_m_protein": SERUM_RISE, "dflc": FLC_RISE, "urine_m_protein": URINE_RISE}
_NAMES: dict[str, Text] = {
    "serum_m_protein": Text(en="serum M-protein", zh="血清M蛋白"),
    "dflc": Text(en="dFLC", zh="dFLC"),
    "urine_m_protein": Text(en="24-h urine M-protein", zh="24小时尿M蛋白"),
}

Outcome = Literal["solved", "already", "not_applicable"]


class Change(BaseModel):
    """One answer: the value of ``marker`` on ``on`` that would flip the conclusion."""

    model_config = ConfigDict(frozen=True)
    question: Literal["confirm", "qualify", "rapid_doubling"]
    outcome: Outcome
    marker: str
    unit: str
    on: date
    value: float | None  # the smallest grid value that flips the conclusion
    bound: float | None  # the exact boundary (not on the grid)
    step: float
    rules: list[str]
    labs: list[dict[str, Any]]  # lab rows (case format) to add for the hypothesis
    text: Text


class WhatIf(BaseModel):
    model_config = ConfigDict(frozen=True)
    as_of: date
    on: date
    marker: str | None
    progression: Change | None
    doubling: Change | None


def _marker(a: Assessment) -> str | None:
    """dFLC when BIO-FLC applies (its series then carries a threshold), else serum, else urine."""
    for key in ("dflc", "serum_m_protein", "urine_m_protein"):
        series = a.series.get(key)
        if series is not None and series.threshold_rule == "BIO-FLC-ESCAPE":
            continue  # dFLC watched for light-chain escape: the M-protein stays the marker asked about
        if series is not None and series.threshold is not None and series.nadir is not None:
            return key
    return None


def _fmt(value: float, step: float) -> str:
    decimals = max(0, -int(math.floor(math.log10(step)))) if step < 1 else 0
    return f"{value:.{decimals}f}"


def _labs_for(case: Case, as_of: date, marker: str, value: float, on: date) -> tuple[list[dict[str, Any]], float]:
    """Lab rows that put ``marker`` at ``value`` on ``on``, and the marker value they give."""
    day = on.isoformat()
    if marker == "serum_m_protein":
        return [{"date": day, "analyte": "serum_m_protein", "value": value, "unit": "g/L"}], value
    if marker == "urine_m_protein":
        return [{"date": day, "analyte": "urine_m_protein", "value": value, "unit": "mg/24h"}], value
    obs = observe(case, as_of)
    chain = obs.involved_chain or "kappa"
    other = "flc_lambda" if chain == "kappa" else "flc_kappa"
    last = obs.series(other).points
    uninvolved = last[-1].value if last else 0.0
    involved = round(uninvolved + value, 6)
    labs = [{"date": day, "analyte": f"flc_{chain}", "value": involved, "unit": "mg/L"},
            {"date": day, "analyte": other, "value": uninvolved, "unit": "mg/L"}]
    return labs, involved - uninvolved  # dFLC as the core will compute it from the two rows


def _smallest_on_grid(bound: float, step: float, flips) -> float:
    """The smallest multiple of ``step`` for which ``flips`` holds, starting near ``bound``."""
    k = math.floor(bound / step + 1e-9)
    for _ in range(1000):  # climb to the first value that flips
        if flips(round(k * step, 9)):
            break
        k += 1
    while k > 0 and flips(round((k - 1) * step, 9)):  # and make sure one step below does not
        k -= 1
    return round(k * step, 9)


def _progression(case: Case, a: Assessment, marker: str, on: date) -> Change:
    rise = _RISES[marker]
    series = a.series[marker]
    step = STEP[marker]
    name = _NAMES[marker]
    confirmed = [c for c in a.relapse.criteria if c.rule == rise.rule and c.confirmed]
    pending = [c for c in a.relapse.criteria if c.rule == rise.rule and not c.confirmed]
    question: Literal["confirm", "qualify"] = "confirm" if pending else "qualify"
    if confirmed:
        return Change(question="confirm", outcome="already", marker=marker, unit=rise.unit, on=on, value=None,
                      bound=None, step=step, rules=[rise.rule], labs=[], text=Text(
                          en=f"progression by {rise.rule} is already confirmed ({confirmed[0].date.isoformat()})",
                          zh=f"{rise.rule}进展已确认({confirmed[0].date.isoformat()})"))
    nadir = series.nadir
    assert nadir is not None
    bound = progression_threshold(rise, nadir.value)

    def flips(value: float) -> bool:
        _, effective = _labs_for(case, a.as_of, marker, value, on)
        points = (Point(nadir.date, nadir.value), Point(on, effective))
        return rise_from_nadir(rise, points, 1) is not None

    value = _smallest_on_grid(bound, step, flips)
    labs, _ = _labs_for(case, a.as_of, marker, value, on)
    shown, unit = _fmt(value, step), rise.unit
    cmp_en = ">" if rise.strict else "≥"
    if question == "confirm":
        text = Text(
            en=f"a {name.en} of {shown} {unit} or more on {on.isoformat()} would confirm progression "
               f"({rise.rule}: nadir {nadir.value:g} {unit}, a rise to {cmp_en} {bound:g} {unit} qualifies)",
            zh=f"若{on.isoformat()}的{name.zh}≥{shown} {unit},即可确认进展"
               f"({rise.rule}:最低值{nadir.value:g} {unit},升至{cmp_en}{bound:g} {unit}即符合)")
    else:
        text = Text(
            en=f"a {name.en} of {shown} {unit} or more on {on.isoformat()} would be a first qualifying rise "
               f"({rise.rule}: nadir {nadir.value:g} {unit}, {cmp_en} {bound:g} {unit}); a second one would confirm it",
            zh=f"若{on.isoformat()}的{name.zh}≥{shown} {unit},即为首次符合标准的升高"
               f"({rise.rule}:最低值{nadir.value:g} {unit},{cmp_en}{bound:g} {unit});再次符合即可确认")
    return Change(question=question, outcome="solved", marker=marker, unit=unit, on=on, value=value, bound=bound,
                  step=step, rules=[rise.rule], labs=labs, text=text)


def _fit_points(kinetics: MarkerKinetics) -> list[Point]:
    if kinetics.fit_points:
        return [Point(p.date, p.value) for p in kinetics.fit_points]
    if kinetics.nadir_date is not None and kinetics.nadir_value is not None and kinetics.nadir_value > 0:
        return [Point(kinetics.nadir_date, kinetics.nadir_value)]
    return []


def _is_rapid(points: list[Point], unit: str) -> bool:
    result = doubling_time(points, unit)
    return result.doubling_time_days is not None and result.doubling_time_days < RAPID_DOUBLING_DAYS


def _doubling(case: Case, a: Assessment, marker: str, on: date) -> Change:
    kinetics = a.kinetics.markers[marker]
    step = STEP[marker]
    unit = kinetics.unit
    name = _NAMES[marker]
    rules = ["KIN-DT", "TIMING-DOUBLING"]
    if kinetics.doubling_time_days is not None and kinetics.doubling_time_days < RAPID_DOUBLING_DAYS:
        return Change(question="rapid_doubling", outcome="already", marker=marker, unit=unit, on=on, value=None,
                      bound=None, step=step, rules=rules, labs=[], text=Text(
                          en=f"the {name.en} doubling time is already {kinetics.doubling_time_months:.2f} months (< 2)",
                          zh=f"{name.zh}倍增时间已为{kinetics.doubling_time_months:.2f}个月(<2个月)"))
    points = _fit_points(kinetics)
    if not points:
        return Change(question="rapid_doubling", outcome="not_applicable", marker=marker, unit=unit, on=on,
                      value=None, bound=None, step=step, rules=rules, labs=[], text=Text(
                          en=f"no {name.en} nadir above zero to fit a doubling time from",
                          zh=f"无大于零的{name.zh}最低值,无法计算倍增时间"))
    origin = points[0].date
    days = [float((p.date - origin).days) for p in points] + [float((on - origin).days)]
    mean = sum(days) / len(days)
    sxx = sum((t - mean) ** 2 for t in days)
    known = sum((t - mean) * math.log(p.value) for t, p in zip(days, points))
    target = math.log(2) / RAPID_DOUBLING_DAYS
    bound = math.exp((target * sxx - known) / (days[-1] - mean))
    ceiling = plausible_ceiling(marker)
    if ceiling is not None and bound > ceiling:
        # Such a value would be set aside as implausible (DATA-IMPLAUSIBLE): no single value can do it.
        return Change(question="rapid_doubling", outcome="not_applicable", marker=marker, unit=unit, on=on,
                      value=None, bound=bound, step=step, rules=rules, labs=[], text=Text(
                          en=f"no plausible {name.en} on {on.isoformat()} would make the doubling time shorter than "
                             f"2 months (it would need more than {ceiling:g} {unit})",
                          zh=f"{on.isoformat()}的{name.zh}在合理范围内(≤{ceiling:g} {unit})均不能使倍增时间短于2个月"))

    def flips(value: float) -> bool:
        _, effective = _labs_for(case, a.as_of, marker, value, on)
        return effective > 0 and _is_rapid([*points, Point(on, effective)], unit)

    value = _smallest_on_grid(bound, step, flips)
    labs, _ = _labs_for(case, a.as_of, marker, value, on)
    shown = _fmt(value, step)
    text = Text(
        en=f"a {name.en} of {shown} {unit} or more on {on.isoformat()} would make the doubling time shorter "
           f"than 2 months (KIN-DT fit over {len(points) + 1} points): treat even without symptoms (TIMING-DOUBLING)",
        zh=f"若{on.isoformat()}的{name.zh}≥{shown} {unit},倍增时间将短于2个月"
           f"(KIN-DT,{len(points) + 1}个点拟合):即使无症状也应治疗(TIMING-DOUBLING)")
    return Change(question="rapid_doubling", outcome="solved", marker=marker, unit=unit, on=on, value=value,
                  bound=bound, step=step, rules=rules, labs=labs, text=text)


def plausible_ceiling(marker: str) -> float | None:
    """The highest value of ``marker`` DATA-IMPLAUSIBLE accepts in its canonical unit (None: no limit)."""
    limits = PLAUSIBLE.get(marker)
    return limits[1] if limits else None


def what_would_change(case: Case, as_of: date | None = None, on: date | None = None) -> WhatIf:
    """The next values that would confirm (or start) progression and make the DT < 2 months."""
    a = assess(case, as_of=as_of)
    when = on or a.as_of + timedelta(days=DEFAULT_DAYS_AHEAD)
    if when <= a.as_of:
        raise ValueError(f"the next value must be drawn after the assessment date {a.as_of.isoformat()} "
                         f"(got {when.isoformat()})")
    marker = _marker(a)
    if marker is None:
        return WhatIf(as_of=a.as_of, on=when, marker=None, progression=None, doubling=None)
    return WhatIf(as_of=a.as_of, on=when, marker=marker, progression=_progression(case, a, marker, when),
                  doubling=_doubling(case, a, marker, when))


def hypothetical(case: Case, labs: list[dict[str, Any]], as_of: date, on: date) -> Case:
    """The case as known on ``as_of``, plus ``labs``, assessed as of ``on``.

    Anything dated after ``as_of`` is dropped (a line still running then stays open), so the
    hypothesis is the only new information.
    """
    data = case.to_json_dict()
    cut = as_of.isoformat()
    data["labs"] = [lab for lab in data["labs"] if lab["date"] <= cut] + [dict(lab) for lab in labs]
    data["events"] = [e for e in data["events"] if e["date"] <= cut]
    data["transplants"] = [t for t in data["transplants"] if t["date"] <= cut]
    lines = []
    for line in data["therapy_lines"]:
        if line["start"] > cut:
            continue
        if line.get("end") and line["end"] > cut:
            line["end"] = None
        if line.get("progression_date") and line["progression_date"] > cut:
            line["progression_date"] = None
        lines.append(line)
    data["therapy_lines"] = lines
    data["board_decisions"] = []
    data["as_of"] = on.isoformat()
    return parse_case(data)
