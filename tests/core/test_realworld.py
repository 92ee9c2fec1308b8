"""Real-world serial labs (rules.md J, K; issue 12): named failures of catalog 1.0 and properties
over seeded synthetic hospital histories (tests/core/realworld.py)."""

from __future__ import annotations

import copy
import random
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mmlogic import assess, parse_case
from mmlogic.errors import CaseInvalid
from mmlogic.thresholds import RAPID_DOUBLING_DAYS

from .factory import day, flc_pair, lab, line, make_case, run, serum, series
from .realworld import KINDS, long_history

HISTORIES = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def conclusion(a) -> tuple:
    """What a clinician acts on: status, timing, relapse criteria, per-line responses and progressions."""
    return (
        a.status.category, a.timing.recommendation,
        a.timing.confirm.model_dump(mode="json") if a.timing.confirm else None,
        sorted((c.rule, c.date, c.confirmed) for c in a.relapse.criteria), a.relapse.date,
        [(ln.best_response, ln.progression_date, ln.refractory) for ln in a.lines],
    )


# ---- the failures the issue lists, one fixture each ----------------------------------------------

def test_kappa_light_chain_climb_is_never_no_relapse():
    # κ light-chain myeloma, a measurable spike at diagnosis; κ climbs 28 → 240 → 515 mg/L in a month.
    labs = (serum([(-5, 12.0), (90, 3.0), (200, 0.0), (400, 0.0), (431, 0.0)])
            + flc_pair([(-5, 1450, 9), (90, 160, 10), (200, 28, 11), (400, 240, 11), (431, 515, 10)]))
    a = run(make_case(labs=labs, lines=[line("VRd", 0, 180)], as_of=431,
                      disease={"isotype": "kappa light chain"}))
    assert a.status.category != "no_relapse"
    assert a.timing.recommendation == "treat_now"
    assert {"BIO-FLC", "MARKER-LC"} <= set(a.relapse.rules)
    assert ("dflc", "light_chain_isotype") in [(m.marker, m.why) for m in a.lines[0].followed_markers]


def test_kappa_light_chain_first_high_value_asks_to_confirm():
    labs = (serum([(-5, 12.0), (90, 3.0), (200, 0.0), (400, 0.0)])
            + flc_pair([(-5, 1450, 9), (90, 160, 10), (200, 28, 11), (400, 240, 11)]))
    a = run(make_case(labs=labs, lines=[line("VRd", 0, 180)], as_of=400, disease={"isotype": "kappa light chain"}))
    assert a.timing.recommendation == "confirm"
    assert a.timing.confirm.marker == "dflc" and a.timing.confirm.qualifying_date.isoformat() == day(400)


def test_light_chain_escape_is_flagged_and_labelled():
    labs = (serum([(-5, 32.0), (90, 6.0), (200, 3.0), (400, 3.0), (480, 3.2), (540, 3.0)])
            + flc_pair([(-5, 420, 12), (90, 60, 12), (200, 25, 12), (400, 150, 12), (480, 290, 12), (540, 410, 11)]))
    a = run(make_case(labs=labs, lines=[line("VRd", 0, 180)], as_of=540))
    assert a.relapse.biochemical and "BIO-FLC-ESCAPE" in a.relapse.rules
    assert "escape_watch" in [m.why for m in a.lines[0].followed_markers]
    assert all("outside IMWG's measurable-M rule" in c.detail.en for c in a.relapse.criteria
               if c.rule == "BIO-FLC-ESCAPE")


def test_spike_of_zero_that_reappears_is_a_relapse_without_immunofixation():
    a = run(make_case(labs=serum([(-5, 24.0), (90, 3.0), (200, 0.0), (400, 0.0), (500, 1.5), (560, 2.4)]),
                      lines=[line("Rd", 0, 180)], as_of=560))
    assert a.relapse.biochemical and "BIO-REAPPEAR" in a.relapse.rules


def test_primary_refractory_is_treat_now_not_monitor():
    a = run(make_case(labs=serum([(-5, 30.0), (60, 29.0), (120, 31.0), (200, 37.0), (230, 38.0)]),
                      lines=[line("VRd", 0, 180)], as_of=230))
    assert a.status.category == "primary_refractory"
    assert a.timing.recommendation == "treat_now" and "TIMING-REFRACTORY" in a.timing.rules


def test_accelerating_rise_after_a_plateau_is_not_diluted_by_an_old_nadir():
    rows = [(-5, 38.0), (150, 9.0), (330, 8.0), (510, 8.6), (605, 9.0), (633, 16.0), (662, 26.0)]
    a = run(make_case(labs=serum(rows), lines=[line("VRd", 0, 240)], as_of=662))
    m = a.kinetics.markers["serum_m_protein"]
    assert m.doubling_time_days > RAPID_DOUBLING_DAYS > m.timing_doubling_time_days
    assert m.timing_window == "recent"
    assert a.timing.recommendation == "treat_now" and "KIN-DT-RECENT" in a.timing.rules
    assert "last 3 values" in a.timing.detail.en


def test_stable_kidney_damage_is_a_warning_not_a_clinical_relapse():
    creat = series("creatinine", [(-5, 192.0), (90, 188.0), (200, 195.0), (400, 190.0)])
    a = run(make_case(labs=serum([(-5, 30.0), (90, 8.0), (200, 6.0), (400, 6.2)]) + creat,
                      lines=[line("VRd", 0, 180)], as_of=400))
    assert not a.relapse.clinical and "CLIN-CREAT" not in [c.rule for c in a.relapse.criteria]
    assert any("pre-existing renal damage" in w.en for w in a.warnings)
    assert any("原有肾损害" in w.zh for w in a.warnings)


def test_creatinine_reaching_the_level_during_the_line_is_a_clinical_relapse():
    creat = series("creatinine", [(-5, 90.0), (200, 110.0), (400, 180.0)])
    a = run(make_case(labs=serum([(-5, 30.0), (90, 8.0)]) + creat, lines=[line("VRd", 0, 180)], as_of=400))
    assert a.relapse.clinical and "CLIN-CREAT" in a.relapse.rules


def test_mistyped_haemoglobin_is_left_out_and_never_treats():
    labs = serum([(-5, 30.0), (90, 8.0), (200, 6.0)]) + series("hemoglobin", [(-5, 120.0), (150, 118.0), (200, 9.5)])
    a = run(make_case(labs=labs, lines=[line("VRd", 0, 180)], as_of=200))
    assert not a.relapse.clinical and a.timing.recommendation == "not_applicable"
    notes = [q for q in a.quality if q.rule == "DATA-IMPLAUSIBLE"]
    assert len(notes) == 1 and notes[0].field.startswith("labs[") and "9.5" in notes[0].detail.en
    assert "DATA-IMPLAUSIBLE" in a.cited_rules()
    assert 9.5 not in a.series["hemoglobin"].values


def test_ten_fold_jump_against_both_neighbours_is_left_out():
    labs = serum([(-5, 30.0), (90, 8.0), (150, 80.0), (200, 7.5), (260, 7.6)])
    a = run(make_case(labs=labs, lines=[line("VRd", 0, 180)], as_of=260))
    assert not a.relapse.criteria
    assert [q.rule for q in a.quality] == ["DATA-IMPLAUSIBLE"] and "ASSUME-IMPLAUSIBLE-SPIKE" in a.assumptions


def test_same_day_duplicate_never_confirms():
    labs = serum([(-5, 30.0), (90, 8.0), (200, 4.0), (400, 12.0)]) + [lab(400, "serum_m_protein", 12.4)]
    a = run(make_case(labs=labs, lines=[line("VRd", 0, 180)], as_of=400))
    assert [(c.rule, c.confirmed) for c in a.relapse.criteria] == [("BIO-SERUM", False)]
    assert a.timing.recommendation == "confirm"


def test_fall_after_progression_does_not_raise_the_best_response():
    # PR (30 → 12), progression from day 300 (20, 24), then a fall to 2 g/L without a new line.
    labs = serum([(-5, 30.0), (90, 12.0), (200, 12.0), (300, 20.0), (330, 24.0), (420, 2.0)])
    a = run(make_case(labs=labs, lines=[line("Rd", 0, 180)], as_of=420))
    assert a.lines[0].progression_date.isoformat() == day(300)
    assert a.lines[0].best_response == "PR"


def test_high_nadir_rise_of_ten_grams_is_progression_below_25_percent():
    labs = serum([(-5, 90.0), (90, 60.0), (200, 70.0), (260, 71.0)])
    a = run(make_case(labs=labs, lines=[line("Rd", 0, 120)], as_of=260))
    bio = [c for c in a.relapse.criteria if c.rule == "BIO-SERUM"]
    assert bio and bio[0].confirmed and "IMWG 2016" in bio[0].detail.en


def test_a_typo_date_after_today_is_a_problem_naming_its_field():
    data = make_case(labs=serum([(-5, 30.0), (90, 8.0)]) + [lab(0, "serum_m_protein", 9.0)],
                     lines=[line("VRd", 0, 180)], as_of=None)
    data["labs"][-1]["date"] = "2031-05-01"
    case = parse_case(data)
    with pytest.raises(CaseInvalid) as error:
        assess(case, today=date(2025, 1, 1))
    assert error.value.problems[0].path == "labs[2].date"
    assert "今天" in error.value.problems[0].text("zh")
    # Without the typo, as_of is the latest date, not the typo.
    data["labs"].pop()
    assert assess(parse_case(data), today=date(2025, 1, 1)).as_of.isoformat() == day(180)  # the line end


def test_extramedullary_plasmacytoma_event_is_a_high_risk_feature_from_its_date():
    ev = {"date": day(300), "kind": "new_plasmacytoma", "extramedullary": True}
    data = make_case(labs=serum([(-5, 30.0), (90, 8.0)]), lines=[line("VRd", 0, 180)], events=[ev], as_of=400)
    assert "extramedullary_plasmacytoma" in run(data).risk.features
    data["as_of"] = day(250)
    assert "extramedullary_plasmacytoma" not in run(data).risk.features


def test_extramedullary_is_only_for_a_plasmacytoma():
    data = make_case(events=[{"date": day(10), "kind": "new_bone_lesion", "extramedullary": True}])
    with pytest.raises(CaseInvalid) as error:
        parse_case(data)
    assert error.value.problems[0].path.startswith("events[0]")


# ---- the generator behaves like hospital data ------------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
def test_generated_histories_are_long_and_messy(kind):
    data = long_history(7, kind)
    visits = {row["date"] for row in data["labs"]}
    first, last = min(visits), max(visits)
    assert len(visits) >= 100 and 6 <= len(data["therapy_lines"]) <= 8
    assert 7 * 365 <= (date.fromisoformat(last) - date.fromisoformat(first)).days <= 10 * 366
    spikes = [row["value"] for row in data["labs"] if row["analyte"] == "serum_m_protein"]
    assert 0.0 in spikes  # an electrophoresis spike that reads 0
    if kind == "ckd":
        assert min(row["value"] for row in data["labs"] if row["analyte"] == "creatinine") > 160
    assess(parse_case(data))  # never raises


@pytest.mark.parametrize("kind", KINDS)
def test_noisy_but_real_values_are_never_set_aside_as_implausible(kind):
    for seed in range(8):
        a = run(long_history(seed, kind))
        assert not [q for q in a.quality if q.rule == "DATA-IMPLAUSIBLE"], (kind, seed)


def test_generated_histories_hold_same_day_duplicates_and_swinging_light_chains():
    data = long_history(3, "heavy")
    keys = [(row["date"], row["analyte"]) for row in data["labs"]]
    assert len(keys) > len(set(keys))
    kappa = [row["value"] for row in data["labs"] if row["analyte"] == "flc_kappa"]
    swings = [abs(b - a) / a for a, b in zip(kappa, kappa[1:]) if a > 0]
    assert max(swings) > 0.3


# ---- properties ----------------------------------------------------------------------------------

def _stable_remission(seed: int) -> dict:
    """A quiet remission with noisy light chains: no relapse to find."""
    rng = random.Random(seed)
    rows = [(-5, 30.0)] + [(d, round(3.0 * rng.uniform(0.95, 1.05), 2)) for d in range(60, 900, 30)]
    flc = [(d, round(20 * rng.uniform(0.6, 1.4), 1), 12.0) for d in range(60, 900, 30)]
    return make_case(labs=serum(rows) + flc_pair(flc), lines=[line("VRd", 0, 180)], as_of=890)


@HISTORIES
@given(seed=st.integers(0, 10_000), where=st.integers(2, 26), rise=st.floats(5.5, 20.0))
def test_a_single_spike_never_confirms(seed, where, rise):
    data = _stable_remission(seed)
    spike_row = next(i for i, row in enumerate(data["labs"]) if row["date"] == day(60 + 30 * where)
                     and row["analyte"] == "serum_m_protein")
    data["labs"][spike_row]["value"] = round(data["labs"][spike_row]["value"] + rise, 2)
    a = run(data)
    assert not any(c.confirmed for c in a.relapse.criteria)
    assert a.status.category == "no_relapse"


@HISTORIES
@given(seed=st.integers(0, 10_000), kind=st.sampled_from(KINDS), shuffle=st.integers(0, 2**32 - 1))
def test_reordering_same_day_rows_never_changes_a_conclusion(seed, kind, shuffle):
    data = long_history(seed, kind)
    reordered = copy.deepcopy(data)
    rng = random.Random(shuffle)
    by_date: dict[str, list[dict]] = {}
    for row in reordered["labs"]:
        by_date.setdefault(row["date"], []).append(row)
    reordered["labs"] = []
    for d in sorted(by_date, key=lambda _: rng.random()):
        rows = by_date[d]
        rng.shuffle(rows)
        reordered["labs"] += rows
    assert conclusion(run(data)) == conclusion(run(reordered))


@HISTORIES
@given(seed=st.integers(0, 10_000), kind=st.sampled_from(KINDS), cut=st.floats(0.3, 0.95),
       value=st.floats(0.0, 140.0))
def test_a_value_after_as_of_never_changes_a_conclusion(seed, kind, cut, value):
    data = long_history(seed, kind)
    dates = sorted({row["date"] for row in data["labs"]})
    as_of = dates[int(cut * (len(dates) - 1))]
    data["as_of"] = as_of
    later = (date.fromisoformat(as_of) + timedelta(days=1)).isoformat()
    extended = copy.deepcopy(data)
    extended["labs"].append({"date": later, "analyte": "serum_m_protein", "value": round(value, 1), "unit": "g/L"})
    assert conclusion(run(data)) == conclusion(run(extended))


@HISTORIES
@given(seed=st.integers(0, 10_000), kind=st.sampled_from(KINDS), cut=st.floats(0.2, 1.0))
def test_a_rapid_clear_rise_is_never_not_applicable(seed, kind, cut):
    """WATCH-CONFIRM: a followed marker doubling in < 2 months over ≥ 3 points of its rising phase,
    clearly above its nadir (the absolute part of its relapse threshold), never gets `not_applicable`."""
    data = long_history(seed, kind)
    dates = sorted({row["date"] for row in data["labs"]})
    data["as_of"] = dates[int(cut * (len(dates) - 1))]
    a = run(data)
    absolute = {"serum_m_protein": 5.0, "urine_m_protein": 200.0, "dflc": 100.0}
    for marker, need in absolute.items():
        m = a.kinetics.markers[marker]
        if m.timing_doubling_time_days is None or m.timing_doubling_time_days >= RAPID_DOUBLING_DAYS:
            continue
        if len(m.fit_points) >= 3 and (m.fit_points[-1].value - m.nadir_value > need or m.nadir_value <= 0):
            assert a.timing.recommendation != "not_applicable", (marker, a.timing)


def test_cli_rejects_a_date_after_today_naming_the_field(tmp_path, capsys):
    import json

    from mmlogic.__main__ import main

    data = make_case(labs=serum([(-5, 30.0)]), lines=[line("VRd", 0, 180)], as_of=None)
    data["labs"][0]["date"] = "2999-01-01"
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data), "utf-8")
    assert main(["assess", str(path)]) == 2
    err = capsys.readouterr().err
    assert "labs[0].date" in err and "Traceback" not in err


def test_a_single_reappearance_asks_for_a_detectable_value_on_a_later_date():
    a = run(make_case(labs=serum([(-5, 24.0), (90, 3.0), (200, 0.0), (400, 0.0), (500, 1.5)]),
                      lines=[line("Rd", 0, 180)], as_of=500))
    assert not a.relapse.biochemical
    box = a.timing.confirm
    assert a.timing.recommendation == "confirm" and box.rule == "BIO-REAPPEAR"
    assert box.marker == "serum_m_protein" and box.confirming_detectable and box.confirming_value is None
    assert [p.value for p in box.latest_values] == [0.0, 0.0, 1.5]


def test_no_response_long_ago_is_not_progressing_on_current_therapy():
    # Line 1 responds (PR); line 2 (salvage) gives only stable disease and stopped 300 days ago, no progression since.
    labs = serum([(-5, 30.0), (90, 10.0), (200, 16.0), (230, 18.0), (300, 17.5), (400, 17.0), (700, 17.2)])
    a = run(make_case(labs=labs, lines=[line("VRd", 0, 180), line("Rd", 240, 400)], as_of=700))
    assert a.lines[-1].refractory and a.lines[-1].progression_date is None
    assert "TIMING-REFRACTORY" not in a.timing.rules
    # The same line stopped 20 days ago without a response: change therapy now.
    a = run(make_case(labs=labs, lines=[line("VRd", 0, 180), line("Rd", 240, 680)], as_of=700))
    assert a.timing.recommendation == "treat_now" and "TIMING-REFRACTORY" in a.timing.rules


@pytest.mark.parametrize("seed", range(6))
def test_generated_accelerating_rise_is_treated_now(seed):
    a = run(long_history(seed, "accelerating"))
    assert a.timing.recommendation == "treat_now"
    assert a.kinetics.markers["serum_m_protein"].timing_doubling_time_days < RAPID_DOUBLING_DAYS


@pytest.mark.parametrize("seed", range(6))
def test_generated_stable_kidney_damage_is_never_a_clinical_relapse(seed):
    a = run(long_history(seed, "ckd"))
    assert "CLIN-CREAT" not in [c.rule for c in a.relapse.criteria]
    assert any("pre-existing renal damage" in w.en for w in a.warnings)
