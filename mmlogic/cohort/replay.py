"""Per-visit replay for registries (issue 18): the engine's answer at every lab date of a patient.

``visit_facts(case)`` gives, for each lab date ``d`` of the case, what ``assess(case, as_of=d)``
says about the current line's best response, the progression criteria and the timing — equal to
calling ``assess`` visit by visit (tests/cohort/test_replay_property.py checks it on random
patients) but with the work shared across visits:

- the case is validated once, and its labs converted to canonical units once: ``observe`` runs
  once for the whole case, and the observations as of each visit are *prefixes* of its series
  (a bisect per marker, no re-conversion, no re-sorting). The one thing that is not a prefix is
  DATA-IMPLAUSIBLE's ten-fold jump, judged against both neighbours: a value flagged in the whole
  case is flagged from the date of its next visit on and is an ordinary value before. While such a
  value is the latest of its marker ("pending"), that visit is observed from scratch; every other
  visit uses the prefixes;
- only the steps the visit row needs run per visit: courses and line responses (history), disease
  status, relapse criteria, kinetics and timing — not risk, goal, transplant, renal function,
  ranking, the contemporary pack, warnings or the figure series, which the row does not use.

Pure: no clock, no I/O.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ..assess import _kinetics, _relapse, _timing  # the orchestrator's own steps, reused unchanged
from ..assessment import Assessment
from ..case import Case
from ..history import History, build_history
from ..observations import EMPTY, Observations, Series, _lines_in_window, observe
from ..quality import PLAUSIBLE
from ..relapse import CLINICAL_RULES
from ..response import RESPONSE_RULE
from ..status import disease_status
from ..units import Analyte

__all__ = ["Criterion", "VisitFacts", "facts_from_assessment", "observations_at", "visit_dates", "visit_facts",
           "PrefixObserver"]

_DERIVED = ("flc_ratio", "involved_flc", "dflc")


@dataclass(frozen=True, slots=True)
class Criterion:
    rule: str
    date: date
    confirmed: bool


@dataclass(frozen=True, slots=True)
class VisitFacts:
    """What one assessment as of ``date`` says that a visit row needs."""

    date: date
    line_index: int | None  # the current line (the last one started on or before the date)
    response: str | None  # its best response as of the date (computed or entered)
    response_rule: str | None
    criteria: tuple[Criterion, ...]  # the current course's progression criteria (BIO-*/CLIN-*)
    timing: str
    timing_rules: tuple[str, ...]
    status: str


def visit_dates(case: Case) -> list[date]:
    """The distinct lab dates of the case, ascending: one visit each."""
    return sorted({lab.date for lab in case.labs})


def facts_from_assessment(a: Assessment) -> VisitFacts:
    """The visit facts of a full assessment (the reference the replay must equal)."""
    line = a.lines[-1] if a.lines else None
    best = line.best_response if line else None
    return VisitFacts(
        date=a.as_of, line_index=line.index if line else None, response=best.value if best else None,
        response_rule=RESPONSE_RULE[best] if best else None,
        criteria=tuple(Criterion(c.rule, c.date, c.confirmed) for c in a.relapse.criteria),
        timing=a.timing.recommendation.value, timing_rules=tuple(a.timing.rules), status=a.status.category.value,
    )


def _facts(obs: Observations, history: History) -> VisitFacts:
    status = disease_status(obs, history)
    relapse = _relapse(obs, history)
    kinetics = _kinetics(obs, history)
    timing = _timing(relapse, kinetics, status, history, obs)
    fact = history.lines[-1] if history.lines else None
    best = fact.best if fact else None
    return VisitFacts(
        date=obs.as_of, line_index=fact.line.index if fact else None, response=best.value if best else None,
        response_rule=RESPONSE_RULE[best] if best else None,
        criteria=tuple(Criterion(c.rule, c.date, c.confirmed) for c in relapse.criteria),
        timing=timing.recommendation.value, timing_rules=tuple(timing.rules), status=status.category.value,
    )


def _prefix(series: Series, when: date) -> Series:
    i = bisect_right(series.dates, when)
    if i == len(series.points):
        return series
    out = object.__new__(Series)  # a slice of a sorted series is sorted: no re-sort, no date rebuild
    object.__setattr__(out, "points", series.points[:i])
    object.__setattr__(out, "dates", series.dates[:i])
    return out


class PrefixObserver:
    """``observe(case, d)`` for many dates ``d`` of one case, sharing the conversion and sorting."""

    def __init__(self, case: Case) -> None:
        self.case = case
        end = case.latest_date()
        self.full = observe(case, end) if end is not None else None
        self.lab_dates = sorted(lab.date for lab in case.labs)
        self.qual_dates = {k: tuple(d for d, _ in v) for k, v in (self.full.qualitative.items() if self.full else ())}
        # DATA-IMPLAUSIBLE: from which date each value of the whole case is set aside, and while
        # which dates a jump value is pending (in the window, not yet judged: observe from scratch).
        self.active_from: list[date] = []
        self.pending: list[tuple[date, date]] = []
        if self.full is not None:
            self._implausible_dates()
        # The involved light chain when the isotype does not name it: set at the first date with both chains.
        self.chain_from: date | None = None
        if self.full is not None and self.full.involved_chain_assumed:
            kappa = set(self.full.series(Analyte.FLC_KAPPA.value).dates)
            self.chain_from = next(d for d in self.full.series(Analyte.FLC_LAMBDA.value).dates if d in kappa)

    def _implausible_dates(self) -> None:
        labs = self.case.labs
        flagged = {x.index for x in self.full.implausible}
        kept: dict[Analyte, list[date]] = {}
        for i, lab in enumerate(labs):
            if isinstance(lab.value, str) or self._out_of_range(i):
                continue
            kept.setdefault(lab.analyte, []).append(lab.date)
        for analyte in kept:
            kept[analyte] = sorted(set(kept[analyte]))
        for x in self.full.implausible:
            lab = labs[x.index]
            if self._out_of_range(x.index):
                self.active_from.append(lab.date)
                continue
            dates = kept[lab.analyte]
            nxt = dates[bisect_right(dates, lab.date)]  # a judged jump always has a next visit
            self.active_from.append(nxt)
            self.pending.append((lab.date, nxt))
        assert len(flagged) == len(self.active_from)

    def _out_of_range(self, i: int) -> bool:
        lab = self.case.labs[i]
        limits = PLAUSIBLE.get(lab.analyte)
        if limits is None:
            return False
        from ..units import to_canonical

        value = to_canonical(lab.analyte, lab.value, lab.unit)
        return not limits[0] <= value <= limits[1]

    def at(self, when: date) -> Observations:
        full = self.full
        if full is None or any(start <= when < until for start, until in self.pending):
            return observe(self.case, when)
        numeric: dict[str, Series] = {}
        for name, series in full.numeric.items():
            if name in _DERIVED:
                continue
            s = _prefix(series, when)
            if s.points:
                numeric[name] = s
        chain, assumed = full.involved_chain, full.involved_chain_assumed
        if assumed and when < self.chain_from:
            chain, assumed = None, False
        kappa = numeric.get(Analyte.FLC_KAPPA.value, EMPTY)
        lam = numeric.get(Analyte.FLC_LAMBDA.value, EMPTY)
        if kappa or lam:
            numeric["flc_ratio"] = _prefix(full.numeric["flc_ratio"], when)
            if chain is not None:
                numeric["involved_flc"] = kappa if chain == "kappa" else lam
                numeric["dflc"] = _prefix(full.numeric["dflc"], when)
        qualitative = {}
        for name, values in full.qualitative.items():
            i = bisect_right(self.qual_dates[name], when)
            if i:
                qualitative[name] = values[:i]
        left_out: Counter[str] = Counter()
        left_out["labs"] = len(self.lab_dates) - bisect_right(self.lab_dates, when)
        events = tuple(e for e in full.events if e.date <= when)
        left_out["events"] = len(full.events) - len(events)
        transplants = tuple(t for t in full.transplants if t.date <= when)
        left_out["transplants"] = len(full.transplants) - len(transplants)
        lines = _lines_in_window(self.case, when, left_out)
        implausible = tuple(x for x, since in zip(full.implausible, self.active_from) if since <= when)
        return Observations(
            as_of=when, numeric=numeric, qualitative=qualitative, events=events, transplants=transplants,
            lines=lines, involved_chain=chain, involved_chain_assumed=assumed, left_out=+left_out,
            implausible=implausible, light_chain_disease=full.light_chain_disease,
            heavy_chain_disease=full.heavy_chain_disease,
        )


def observations_at(case: Case, dates: Iterable[date]) -> list[Observations]:
    observer = PrefixObserver(case)
    return [observer.at(d) for d in dates]


def visit_facts(case: Case, dates: Iterable[date] | None = None) -> list[VisitFacts]:
    """The facts of ``assess(case, as_of=d)`` for each visit date ``d`` (default: every lab date)."""
    observer = PrefixObserver(case)
    out = []
    for d in (visit_dates(case) if dates is None else dates):
        obs = observer.at(d)
        out.append(_facts(obs, build_history(obs)))
    return out


def progression_rules(f: VisitFacts) -> list[str]:
    """The progression criteria (any BIO-*/CLIN-* rule) met on the visit's own date, confirmed or not."""
    return sorted({c.rule for c in f.criteria if c.date == f.date and c.rule.startswith(("BIO-", "CLIN-"))})


def confirmed_by_next(f: VisitFacts, following: VisitFacts | None) -> bool:
    """A criterion met on ``f.date`` is confirmed already, or by the following assessment."""
    rules = set(progression_rules(f))
    if not rules:
        return False
    pool = list(f.criteria) + (list(following.criteria) if following is not None else [])
    return any(c.confirmed and c.rule in rules and c.date == f.date for c in pool)


def is_clinical(rule: str) -> bool:
    return rule in CLINICAL_RULES
