"""The case as of its assessment date, in canonical units: the one place units are converted.

Decides the time window of a case (rules.md, "Time window of a case"): labs, events, lines
(and parts of lines), transplants and progression dates after ``as_of`` are left out and
counted. Also derives the free-light-chain markers: the involved chain (ASSUME-INVOLVED-LC),
dFLC and the κ/λ ratio.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from .case import Case, Event, Response, Transplant, TransplantType, isotype_parts
from .drugs import drugs_of_regimen
from .quality import Implausible, implausible_labs
from .regimens import find_regimen
from .units import Analyte, to_canonical


class Point(NamedTuple):
    """One dated value in the canonical unit (a tuple: built for every lab of every rerun)."""

    date: date
    value: float
    # False when the clinician marked the value as not caused by myeloma (CLIN-* ignore it).
    related: bool = True


@dataclass(frozen=True, slots=True)
class Line:
    """One therapy line inside the time window (end None = ongoing as of ``as_of``)."""

    index: int
    regimen: str
    regimen_id: str | None
    drugs: tuple[str, ...]
    start: date
    end: date | None
    entered_response: Response | None
    entered_progression: date | None


@dataclass(frozen=True)
class Series:
    """A marker's values sorted by date, with a date index for window look-ups."""

    points: tuple[Point, ...]
    dates: tuple[date, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "dates", tuple(p.date for p in self.points))

    def __bool__(self) -> bool:
        return bool(self.points)

    def last_on_or_before(self, when: date) -> Point | None:
        i = bisect_right(self.dates, when)
        return self.points[i - 1] if i else None

    def index_after(self, when: date) -> int:
        """Index of the first point dated strictly after ``when``."""
        return bisect_right(self.dates, when)

    def between(self, after: date | None, until: date) -> tuple[Point, ...]:
        """Points with after < date ≤ until (after None: from the first point)."""
        lo = 0 if after is None else bisect_right(self.dates, after)
        return self.points[lo : bisect_right(self.dates, until)]


EMPTY = Series(())


@dataclass(frozen=True)
class Observations:
    as_of: date
    numeric: dict[str, Series]
    qualitative: dict[str, tuple[tuple[date, bool], ...]]  # analyte -> (date, positive?)
    events: tuple[Event, ...]
    transplants: tuple[Transplant, ...]
    lines: tuple[Line, ...]
    involved_chain: str | None
    involved_chain_assumed: bool
    left_out: Counter[str]
    # Values set aside by DATA-IMPLAUSIBLE: in no rule and no fit (rules.md K).
    implausible: tuple[Implausible, ...] = ()
    # The isotype names a light chain only (MARKER-LC) / names a heavy chain (BIO-FLC-ESCAPE).
    light_chain_disease: bool = False
    heavy_chain_disease: bool = False
    # Results computed once per assessment (measurable disease at a date is asked many times).
    memo: dict[tuple[str, date], object] = field(default_factory=dict, compare=False, repr=False)

    def series(self, name: str) -> Series:
        return self.numeric.get(name, EMPTY)

    @property
    def autologous_transplants(self) -> tuple[date, ...]:
        return tuple(t.date for t in self.transplants if t.type == TransplantType.AUTOLOGOUS)


def observe(case: Case, as_of: date) -> Observations:
    """Everything dated on or before ``as_of``, converted once to canonical units."""
    left_out: Counter[str] = Counter()
    numeric_points: dict[str, list[Point]] = {}
    qualitative: dict[str, list[tuple[date, bool]]] = {}
    canonical: dict[int, float] = {}
    for i, lab in enumerate(case.labs):
        if lab.date > as_of:
            left_out["labs"] += 1
        elif isinstance(lab.value, str):
            qualitative.setdefault(lab.analyte.value, []).append((lab.date, lab.value == "positive"))
        else:
            canonical[i] = to_canonical(lab.analyte, lab.value, lab.unit)
    # DATA-IMPLAUSIBLE (rules.md K): values set aside here are in no rule and no fit.
    implausible = tuple(implausible_labs(case, as_of, canonical))
    for x in implausible:
        canonical.pop(x.index, None)
    labs = case.labs
    for i, value in canonical.items():
        lab = labs[i]
        # A StrEnum member hashes as its string, so the analyte is its own key.
        numeric_points.setdefault(lab.analyte, []).append(Point(lab.date, value, lab.myeloma_related))
    # Same-day values are ordered by value so that the result never depends on the file's order.
    numeric = {k: Series(tuple(sorted(v, key=lambda p: (p.date, p.value, p.related)))) for k, v in numeric_points.items()}

    events = tuple(sorted((e for e in case.events if e.date <= as_of),
                          key=lambda e: (e.date, e.kind.value, e.increase_pct or 0, e.increase_cm or 0)))
    left_out["events"] += len(case.events) - len(events)
    transplants = tuple(sorted((t for t in case.transplants if t.date <= as_of), key=lambda t: (t.date, t.type.value)))
    left_out["transplants"] += len(case.transplants) - len(transplants)
    lines = _lines_in_window(case, as_of, left_out)

    chain, assumed = _involved_chain(case, numeric)
    heavy, light = isotype_parts(case.disease.isotype)
    _add_flc_markers(numeric, chain)
    return Observations(
        as_of=as_of,
        numeric=numeric,
        qualitative={k: tuple(sorted(v)) for k, v in qualitative.items()},
        events=events,
        transplants=transplants,
        lines=lines,
        involved_chain=chain,
        involved_chain_assumed=assumed,
        left_out=+left_out,
        implausible=implausible,
        light_chain_disease=heavy is None and light is not None,
        heavy_chain_disease=heavy is not None,
    )


def _lines_in_window(case: Case, as_of: date, left_out: Counter[str]) -> tuple[Line, ...]:
    ordered = sorted(case.therapy_lines, key=lambda line: (line.start, line.end or date.max, line.regimen.lower()))
    lines = []
    for line in ordered:
        if line.start > as_of:
            left_out["therapy lines"] += 1
            continue
        end = line.end if line.end is not None and line.end <= as_of else None
        if line.end is not None and end is None:
            left_out["line ends"] += 1
        progression = line.progression_date if line.progression_date and line.progression_date <= as_of else None
        if line.progression_date is not None and progression is None:
            left_out["progression dates"] += 1
        regimen = find_regimen(line.regimen)
        drugs = tuple(line.drugs) if line.drugs else (drugs_of_regimen(line.regimen) or ())
        lines.append(
            Line(
                index=len(lines),
                regimen=line.regimen,
                regimen_id=regimen.id if regimen else None,
                drugs=drugs,
                start=line.start,
                end=end,
                entered_response=line.best_response,
                entered_progression=progression,
            )
        )
    return tuple(lines)


def _involved_chain(case: Case, numeric: dict[str, Series]) -> tuple[str | None, bool]:
    """The involved light chain: named by the isotype, else the larger one (ASSUME-INVOLVED-LC)."""
    _, light = isotype_parts(case.disease.isotype)
    if light:
        return light, False
    kappa = {p.date: p.value for p in numeric.get(Analyte.FLC_KAPPA.value, EMPTY).points}
    for point in numeric.get(Analyte.FLC_LAMBDA.value, EMPTY).points:
        if point.date in kappa:
            return ("kappa" if kappa[point.date] >= point.value else "lambda"), True
    return None, False


def _add_flc_markers(numeric: dict[str, Series], chain: str | None) -> None:
    kappa = numeric.get(Analyte.FLC_KAPPA.value, EMPTY)
    lam = numeric.get(Analyte.FLC_LAMBDA.value, EMPTY)
    if not kappa and not lam:
        return
    lam_by_date = {p.date: p.value for p in lam.points}
    ratio, dflc = [], []
    for p in kappa.points:
        if p.date in lam_by_date:
            other = lam_by_date[p.date]
            if other > 0:
                ratio.append(Point(p.date, p.value / other))
            if chain is not None:
                involved, uninvolved = (p.value, other) if chain == "kappa" else (other, p.value)
                dflc.append(Point(p.date, involved - uninvolved))
    numeric["flc_ratio"] = Series(tuple(ratio))
    if chain is not None:
        numeric["involved_flc"] = kappa if chain == "kappa" else lam
        numeric["dflc"] = Series(tuple(dflc))

