"""Property-based tests (hypothesis) of kinetics, the time window, assess and the ranking."""

from __future__ import annotations

import copy
import math
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from mmlogic import registry
from mmlogic.assessment import KineticsStatus
from mmlogic.cross_resistance import class_refractory
from mmlogic.kinetics import doubling_time
from mmlogic.observations import Point

from .factory import day, line, make_case, ranks, run, serum
from .strategies import AS_OF, cases, labs

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
D0 = date(2024, 1, 1)

# ---- doubling time -----------------------------------------------------------------------------

series_rows = st.lists(st.tuples(st.integers(0, 2000), st.floats(0.1, 1000.0)), min_size=2, max_size=8,
                       unique_by=lambda r: r[0]).map(sorted)


def _points(rows, shift=0, factor=1.0):
    return [Point(D0 + timedelta(days=n + shift), v * factor) for n, v in rows]


def _same(a, b):
    assert a.status == b.status
    assert a.points == b.points
    if a.slope_per_day is None:
        assert b.slope_per_day is None
    else:
        assert b.slope_per_day == pytest.approx(a.slope_per_day, rel=1e-7, abs=1e-12)
    if a.doubling_time_days is not None and a.status == KineticsStatus.OK:
        assert b.doubling_time_days == pytest.approx(a.doubling_time_days, rel=1e-6, abs=0.011)


@FAST
@given(series_rows, st.floats(0.01, 100.0))
def test_doubling_time_is_unchanged_by_scaling(rows, factor):
    base, scaled = doubling_time(_points(rows), "g/L"), doubling_time(_points(rows, factor=factor), "g/L")
    # Scaling keeps the nadir (up to float ties), so compare only when it picks the same point.
    assume(base.nadir_date == scaled.nadir_date)
    _same(base, scaled)


@FAST
@given(series_rows, st.integers(-3000, 3000))
def test_doubling_time_is_unchanged_by_shifting_dates(rows, shift):
    _same(doubling_time(_points(rows), "g/L"), doubling_time(_points(rows, shift=shift), "g/L"))


@FAST
@given(st.lists(st.integers(1, 400), min_size=1, max_size=6), st.lists(st.floats(0.01, 2.0), min_size=6, max_size=6),
       st.floats(0.5, 50.0), st.floats(1e-4, 0.05))
def test_steeper_rise_never_gives_a_longer_doubling_time(gaps, steps, start, extra):
    days, values = [0], [start]
    for gap, step in zip(gaps, steps):
        days.append(days[-1] + gap)
        values.append(values[-1] * (1 + step))  # strictly rising from the nadir
    slow = doubling_time(_points(list(zip(days, values))), "g/L")
    steep_values = [v * math.exp(extra * t) for t, v in zip(days, values)]
    steep = doubling_time(_points(list(zip(days, steep_values))), "g/L")
    assert slow.status == steep.status == KineticsStatus.OK
    assert steep.doubling_time_days <= slow.doubling_time_days


# ---- time window -------------------------------------------------------------------------------

def _without_warnings(a):
    out = a.model_dump(mode="json", context={"lang": "both"})
    out.pop("warnings")
    return out


@FAST
@given(cases(), st.lists(labs(min_day=AS_OF + 1, max_day=AS_OF + 400), min_size=1, max_size=5))
def test_labs_after_as_of_never_change_the_result(data, later):
    base = run(data)
    more = copy.deepcopy(data)
    more["labs"] += later
    after = run(more)
    assert _without_warnings(after) == _without_warnings(base)
    assert any(f"left out: {len(later)} labs" in w.en for w in after.warnings)


# ---- assess on any valid case ------------------------------------------------------------------

REGISTRY = set(registry())
CONVENTIONAL_ONLY = {"HD-MEL", "HD-MP", "HD-DEX", "VAD", "VMPC", "CEVAD", "DCEP"}


@FAST
@given(cases())
def test_assess_never_raises_and_every_cited_rule_is_registered(data):
    a = run(data)
    assert a.cited_rules() <= REGISTRY, a.cited_rules() - REGISTRY
    assert set(a.assumptions) <= REGISTRY
    a.to_output("en"), a.to_output("zh")


@FAST
@given(cases())
def test_every_suggestion_has_a_reason_and_ranks_are_consecutive(data):
    a = run(data)
    assert [s.rank for s in a.suggestions] == list(range(1, len(a.suggestions) + 1))
    for s in a.suggestions:
        assert s.reasons, s.regimen
        assert s.n_drugs == len(s.drugs)


@FAST
@given(cases())
def test_conventional_only_never_first_while_a_novel_regimen_is_available(data):
    a = run(data)
    novel = [s for s in a.suggestions if s.regimen not in CONVENTIONAL_ONLY]
    if novel:
        first_conventional = min((s.rank for s in a.suggestions if s.regimen in CONVENTIONAL_ONLY), default=None)
        assert first_conventional is None or first_conventional > max(s.rank for s in novel)


@FAST
@given(cases())
def test_frail_patient_top_has_at_most_two_drugs_and_no_transplant(data):
    data["patient"]["fit_for_intensive_therapy"] = False
    a = run(data)
    assert a.goal.fit is False
    if a.suggestions:
        assert a.suggestions[0].n_drugs <= 2
    assert "suggested" not in (a.transplant.first_asct, a.transplant.second_asct)
    assert a.transplant.allogeneic == "not_suggested"


@FAST
@given(cases(), st.randoms(use_true_random=False))
def test_ranking_is_repeatable_and_independent_of_file_order(data, rnd):
    first = run(data)
    again = run(data)
    shuffled = copy.deepcopy(data)
    rnd.shuffle(shuffled["labs"])
    rnd.shuffle(shuffled["therapy_lines"])
    other = run(shuffled)
    order = [s.regimen for s in first.suggestions]
    assert [s.regimen for s in again.suggestions] == order
    assert [s.regimen for s in other.suggestions] == order
    assert [s.score for s in other.suggestions] == [s.score for s in first.suggestions]
    assert other.status == first.status and other.relapse == first.relapse


# ---- refractoriness never raises a regimen that contains the drug ------------------------------

@FAST
@given(cases(n_labs=st.just(0)), st.sampled_from(["Rd", "Vd", "VRd", "VTd", "Td", "R", "V", "CTd", "VMPT"]))
def test_marking_a_drug_refractory_never_raises_its_regimens(data, regimen):
    rows = [(-5, 30.0), (60, 12.0), (120, 6.0), (180, 5.0), (400, 10.5), (430, 12.0)]

    def with_line(end):
        d = copy.deepcopy(data)
        d["labs"] = serum(rows)
        d["events"], d["transplants"] = [], []
        d["therapy_lines"] = [line(regimen, 0, end)]
        d["as_of"] = day(450)
        # Refractory status is a high-risk feature (RISK-HIGH-FEATURES, "poor current response"), which
        # moves every 3–4-drug regimen up (RISK-INTENSITY). Hold the risk at high in both cases so that
        # only the refractoriness differs.
        d["disease"]["extramedullary_plasmacytoma"] = True
        return d

    before, after = run(with_line(150)), run(with_line(350))  # progression 250 vs 50 days after the end
    assert before.status.refractory_drugs == []
    assert after.status.refractory_drugs and before.risk.overall == after.risk.overall == "high"
    # Catalog 1.1: a class-mate counts as refractory too (DEF-DRUG-REFRACTORY, ASSUME-IMID-CLASS).
    refractory = set(after.status.refractory_drugs) | set(class_refractory(after.status.refractory_drugs))
    rb, ra = ranks(before), ranks(after)
    sb, sa = {s.regimen: s.score for s in before.suggestions}, {s.regimen: s.score for s in after.suggestions}
    clean = {s.regimen for s in after.suggestions if not refractory & set(s.drugs)}
    for s in after.suggestions:
        if not refractory & set(s.drugs) or s.regimen not in rb:
            continue
        # Its protective level never improves, and no regimen free of refractory drugs that ranked above
        # it before ranks below it now. (Its absolute rank may improve when regimens relying on two
        # refractory drugs drop further: "within a level, effects add up".)
        assert sa[s.regimen][0] < sb[s.regimen][0]
        above_before = {c for c in clean if c in rb and rb[c] < rb[s.regimen]}
        assert all(ra[c] < ra[s.regimen] for c in above_before), s.regimen
        assert all(ra[c] < ra[s.regimen] for c in clean if sa[c][0] == 0), s.regimen


def test_same_day_duplicates_do_not_depend_on_file_order():
    # Vd days 0–150, PR on day 60, nadir 5 g/L; on day 242 (182 days after the response) two serum
    # M values, 10.5 and 5.0 g/L. Taken 5.0-then-10.5 the progression is day 242 (remission 182 days,
    # not sensitive: Vd excluded); taken 10.5-then-5.0 it is day 260 (sensitive: Vd may be repeated).
    head = [(-5, 40.0), (60, 10.0), (120, 5.0)]
    tail = [(260, 12.0), (280, 13.0)]
    one = run(make_case(labs=serum(head + [(242, 10.5), (242, 5.0)] + tail), lines=[line("Vd", 0, 150)], as_of=290))
    two = run(make_case(labs=serum(head + [(242, 5.0), (242, 10.5)] + tail), lines=[line("Vd", 0, 150)], as_of=290))
    assert one.relapse.date == two.relapse.date
    assert [s.regimen for s in one.suggestions] == [s.regimen for s in two.suggestions]
