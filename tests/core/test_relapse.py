"""Relapse criteria (rules.md section C) at their thresholds, confirmation, and timing.

Every timeline: one Vd line from day 0 to day 150, as of day 300 unless said otherwise; the
rows are (day, value) in the canonical unit.
"""

from __future__ import annotations

import pytest

from mmlogic.thresholds import (
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
)
from mmlogic.units import CALCIUM_MG_PER_DL_PER_MMOL_L, CREATININE_UMOL_L_PER_MG_DL

from .factory import criteria, day, event, lab, line, make_case, run, serum, series

LINE = [line("Vd", 0, 150)]


def case(labs, **kw):
    kw.setdefault("as_of", 300)
    kw.setdefault("lines", LINE)
    return make_case(labs=labs, **kw)


# ---- BIO-SERUM: ≥ 25 % AND ≥ 5 g/L over the nadir, two consecutive values ------------------------

NADIR_AT_BOTH = BIO_SERUM_RISE_G_L / BIO_SERUM_RISE_FRACTION  # 20 g/L: +5 g/L is exactly +25 %

SERUM_ROWS = [
    # (id, nadir, first value, second value, confirmed BIO-SERUM expected)
    ("exactly +5 g/L and +25 %", NADIR_AT_BOTH, NADIR_AT_BOTH + BIO_SERUM_RISE_G_L,
     NADIR_AT_BOTH + BIO_SERUM_RISE_G_L, True),
    ("just below +5 g/L", NADIR_AT_BOTH, NADIR_AT_BOTH + BIO_SERUM_RISE_G_L - 0.1,
     NADIR_AT_BOTH + BIO_SERUM_RISE_G_L - 0.1, False),
    ("just above", NADIR_AT_BOTH, NADIR_AT_BOTH + BIO_SERUM_RISE_G_L + 0.1,
     NADIR_AT_BOTH + BIO_SERUM_RISE_G_L + 0.1, True),
    ("+5 g/L but < 25 %", 24.0, 24.0 + BIO_SERUM_RISE_G_L, 24.0 + BIO_SERUM_RISE_G_L, False),
    ("+30 % but < 5 g/L", 10.0, 13.0, 13.0, False),
    ("large rise", 4.0, 12.0, 16.0, True),
]


@pytest.mark.parametrize(("nadir", "first", "second", "expected"), [r[1:] for r in SERUM_ROWS],
                         ids=[r[0] for r in SERUM_ROWS])
def test_bio_serum_needs_both_rises(nadir, first, second, expected):
    a = run(case(serum([(-5, 40.0), (60, nadir), (200, first), (230, second)])))
    assert criteria(a).get("BIO-SERUM", False) is expected
    assert a.relapse.biochemical is expected
    if expected:
        assert a.relapse.date.isoformat() == day(200)  # the first of the two values


def test_bio_serum_single_value_is_listed_unconfirmed():
    a = run(case(serum([(-5, 40.0), (60, 4.0), (200, 12.0)])))
    assert criteria(a) == {"BIO-SERUM": False}
    assert a.relapse.biochemical is False
    assert a.relapse.date is None
    # catalog 1.1 (WATCH-CONFIRM): a single qualifying value asks for a repeat test, never "not applicable".
    assert a.timing.recommendation == "confirm"
    assert a.timing.confirm.marker == "serum_m_protein" and a.timing.confirm.qualifying_date.isoformat() == day(200)
    assert a.timing.confirm.confirming_value == pytest.approx(4.0 + BIO_SERUM_RISE_G_L)
    assert any("BIO-SERUM" in w.en and "not confirmed" in w.en for w in a.warnings)


def test_bio_serum_non_qualifying_next_value_does_not_confirm():
    a = run(case(serum([(-5, 40.0), (60, 4.0), (200, 12.0), (230, 6.0)])))
    assert criteria(a).get("BIO-SERUM", False) is False
    assert a.relapse.biochemical is False


def test_bio_serum_nadir_is_the_lowest_since_the_line_began():
    # 4 g/L nadir during the line; 9 is +5 g/L and +125 % over it, though far below the baseline.
    a = run(case(serum([(-5, 40.0), (60, 10.0), (120, 4.0), (200, 9.0), (230, 9.5)])))
    assert criteria(a) == {"BIO-SERUM": True}


def test_bio_serum_in_g_per_dl_is_compared_in_g_per_l():
    labs = [lab(n, "serum_m_protein", v, "g/dL") for n, v in [(-5, 4.0), (60, 2.0), (200, 2.5), (230, 2.5)]]
    assert criteria(run(case(labs))) == {"BIO-SERUM": True}  # 20 → 25 g/L


# ---- BIO-URINE: ≥ 25 % AND ≥ 200 mg/24h ------------------------------------------------------

URINE_NADIR = BIO_URINE_RISE_MG_24H / BIO_URINE_RISE_FRACTION  # 800 mg: +200 is exactly +25 %
URINE_ROWS = [
    ("exactly +200 mg and +25 %", URINE_NADIR, URINE_NADIR + BIO_URINE_RISE_MG_24H, True),
    ("just below", URINE_NADIR, URINE_NADIR + BIO_URINE_RISE_MG_24H - 1, False),
    ("+200 mg but < 25 %", 1000.0, 1000.0 + BIO_URINE_RISE_MG_24H, False),
    ("+50 % but < 200 mg", 300.0, 450.0, False),
]


@pytest.mark.parametrize(("nadir", "value", "expected"), [r[1:] for r in URINE_ROWS], ids=[r[0] for r in URINE_ROWS])
def test_bio_urine(nadir, value, expected):
    a = run(case(series("urine_m_protein", [(-5, 3000.0), (60, nadir), (200, value), (230, value)])))
    assert criteria(a).get("BIO-URINE", False) is expected


def test_bio_urine_in_grams():
    labs = series("urine_m_protein", [(-5, 3.0), (60, 0.8), (200, 1.0), (230, 1.0)], unit="g/24h")
    assert criteria(run(case(labs))) == {"BIO-URINE": True}


# ---- BIO-FLC: strictly > 25 % AND > 100 mg/L, only without measurable M-protein ------------------

def flc(rows, lam=10.0):
    """κ (involved, IgG kappa... here kappa light chain) rows; λ constant: dFLC = κ − λ."""
    return series("flc_kappa", rows) + series("flc_lambda", [(n, lam) for n, _ in rows])


FLC_NADIR = BIO_FLC_RISE_MG_L / BIO_FLC_RISE_FRACTION  # dFLC 400: +100 is exactly +25 %
FLC_ROWS = [
    ("exactly +100 mg/L (not above)", 300.0, 300.0 + BIO_FLC_RISE_MG_L, False),
    ("just above +100 mg/L", 300.0, 300.0 + BIO_FLC_RISE_MG_L + 0.1, True),
    ("exactly +25 % (not above)", 600.0, 600.0 * (1 + BIO_FLC_RISE_FRACTION), False),
    ("just above +25 %", 600.0, 600.0 * (1 + BIO_FLC_RISE_FRACTION) + 0.1, True),
    ("both exactly at the limits", FLC_NADIR, FLC_NADIR + BIO_FLC_RISE_MG_L, False),
]


@pytest.mark.parametrize(("nadir", "value", "expected"), [r[1:] for r in FLC_ROWS], ids=[r[0] for r in FLC_ROWS])
def test_bio_flc_is_strict(nadir, value, expected):
    lam = 10.0
    labs = flc([(-5, 2000.0 + lam), (60, nadir + lam), (200, value + lam), (230, value + lam)], lam)
    a = run(case(labs, disease={"isotype": "kappa light chain"}))
    assert criteria(a).get("BIO-FLC", False) is expected


def _flc_rise(extra_labs):
    labs = flc([(-5, 2010.0), (60, 310.0), (200, 900.0), (230, 1000.0)]) + extra_labs
    return run(case(labs, disease={"isotype": "IgG kappa"}))


def test_bio_flc_applies_when_m_protein_is_not_measured():
    assert criteria(_flc_rise([])).get("BIO-FLC") is True


def test_bio_flc_applies_when_serum_m_is_below_measurable_at_baseline():
    assert criteria(_flc_rise(serum([(-5, 5.0)]))).get("BIO-FLC") is True


def test_bio_flc_not_applied_when_serum_m_is_measurable_at_baseline():
    a = _flc_rise(serum([(-5, 15.0), (60, 6.0), (200, 6.0)]))
    assert "BIO-FLC" not in criteria(a)
    # catalog 1.1: in IgG κ disease the same rise is light-chain escape (BIO-FLC-ESCAPE), not BIO-FLC.
    assert criteria(a) == {"BIO-FLC-ESCAPE": True}
    assert any("outside IMWG's measurable-M rule" in c.detail.en for c in a.relapse.criteria)


def test_bio_flc_not_applied_when_urine_m_is_measurable_at_baseline():
    a = _flc_rise(series("urine_m_protein", [(-5, 500.0), (60, 100.0)]))
    assert "BIO-FLC" not in criteria(a)


# ---- BIO-REAPPEAR ------------------------------------------------------------------------------

IFE_ROWS = [
    ("two positives after a negative", [(100, "negative"), (200, "positive"), (230, "positive")], True),
    ("one positive after a negative (last)", [(100, "negative"), (200, "positive")], False),
    ("positive then negative again", [(100, "negative"), (200, "positive"), (230, "negative")], None),
    ("never negative", [(100, "positive"), (200, "positive"), (230, "positive")], None),
]


@pytest.mark.parametrize(("rows", "expected"), [r[1:] for r in IFE_ROWS], ids=[r[0] for r in IFE_ROWS])
def test_bio_reappear(rows, expected):
    a = run(case(serum([(-5, 30.0)]) + series("serum_ife", rows)))
    assert criteria(a).get("BIO-REAPPEAR") is expected
    if expected:
        assert a.relapse.date.isoformat() == day(200)
        assert a.relapse.biochemical is True


def test_bio_reappear_in_urine():
    rows = [(100, "negative"), (200, "positive"), (230, "positive")]
    assert criteria(run(case(series("urine_ife", rows)))).get("BIO-REAPPEAR") is True


# ---- clinical criteria ---------------------------------------------------------------------------

CALCIUM_ROWS = [
    ("at 2.875 mmol/L (not above)", CLIN_CALCIUM_ABOVE_MMOL_L, "mmol/L", False),
    ("just above", CLIN_CALCIUM_ABOVE_MMOL_L + 0.001, "mmol/L", True),
    ("11.5 mg/dL = 2.869 mmol/L", 11.5, "mg/dL", False),
    ("11.53 mg/dL = 2.877 mmol/L", 11.53, "mg/dL", True),
    ("normal", 2.4, "mmol/L", False),
]


@pytest.mark.parametrize(("value", "unit", "expected"), [r[1:] for r in CALCIUM_ROWS], ids=[r[0] for r in CALCIUM_ROWS])
def test_clin_calcium_strictly_above(value, unit, expected):
    a = run(case([lab(200, "calcium", value, unit)]))
    assert criteria(a).get("CLIN-CALCIUM", False) is expected
    assert a.relapse.clinical is expected


def test_calcium_11_5_mg_dl_converts_below_the_threshold():
    assert 11.5 / CALCIUM_MG_PER_DL_PER_MMOL_L == pytest.approx(2.869, abs=5e-4)
    assert 11.5 / CALCIUM_MG_PER_DL_PER_MMOL_L < CLIN_CALCIUM_ABOVE_MMOL_L


HB_ROWS = [
    ("fall of exactly 20 g/L", [(10, 120.0), (100, 120.0 - CLIN_HB_FALL_G_L)], True),
    ("fall of 19 g/L", [(10, 120.0), (100, 120.0 - CLIN_HB_FALL_G_L + 1)], False),
    ("from the highest, not the first", [(10, 110.0), (50, 130.0), (100, 110.0)], True),
    ("values before the line do not count", [(-5, 140.0), (50, 125.0), (100, 121.0)], False),
]


@pytest.mark.parametrize(("rows", "expected"), [r[1:] for r in HB_ROWS], ids=[r[0] for r in HB_ROWS])
def test_clin_hb(rows, expected):
    a = run(case(series("hemoglobin", rows)))
    assert criteria(a).get("CLIN-HB", False) is expected


def test_clin_hb_in_g_per_dl():
    a = run(case(series("hemoglobin", [(10, 12.0), (100, 10.0)], unit="g/dL")))
    assert criteria(a).get("CLIN-HB") is True


CREAT_ROWS = [
    ("at 176.8 µmol/L", CLIN_CREATININE_UMOL_L, "umol/L", True, True),
    ("just below", CLIN_CREATININE_UMOL_L - 0.1, "umol/L", True, False),
    ("2.0 mg/dL", CLIN_CREATININE_UMOL_L / CREATININE_UMOL_L_PER_MG_DL, "mg/dL", True, True),
    ("1.99 mg/dL", 1.99, "mg/dL", True, False),
    ("at the level but not myeloma-related", 250.0, "umol/L", False, False),
]


@pytest.mark.parametrize(("value", "unit", "related", "expected"), [r[1:] for r in CREAT_ROWS],
                         ids=[r[0] for r in CREAT_ROWS])
def test_clin_creat(value, unit, related, expected):
    # catalog 1.1: a new level, so the line starts below it (90 µmol/L).
    a = run(case([lab(-5, "creatinine", 90.0), lab(200, "creatinine", value, unit, myeloma_related=related)]))
    assert criteria(a).get("CLIN-CREAT", False) is expected
    assert "ASSUME-CREAT" in a.assumptions


LESION_ROWS = [
    ("new bone lesion", event(200, "new_bone_lesion"), True),
    ("new plasmacytoma", event(200, "new_plasmacytoma"), True),
    ("growth at both limits", event(200, "lesion_growth", increase_pct=CLIN_LESION_GROWTH_PCT,
                                    increase_cm=CLIN_LESION_GROWTH_CM), True),
    ("growth 49.9 % and 2 cm", event(200, "lesion_growth", increase_pct=CLIN_LESION_GROWTH_PCT - 0.1,
                                     increase_cm=2.0), False),
    ("growth 80 % but 0.9 cm", event(200, "lesion_growth", increase_pct=80.0,
                                     increase_cm=CLIN_LESION_GROWTH_CM - 0.1), False),
    ("event before the line", event(-10, "new_bone_lesion"), False),
]


@pytest.mark.parametrize(("ev", "expected"), [r[1:] for r in LESION_ROWS], ids=[r[0] for r in LESION_ROWS])
def test_clin_lesion(ev, expected):
    a = run(case([], events=[ev]))
    assert criteria(a).get("CLIN-LESION", False) is expected
    if expected:
        assert a.relapse.date.isoformat() == ev["date"]


# ---- relapse date and timing ---------------------------------------------------------------------

def test_relapse_date_is_the_earliest_confirmed_criterion():
    labs = serum([(-5, 40.0), (60, 4.0), (200, 12.0), (230, 16.0)]) + [lab(180, "calcium", 3.0)]
    a = run(case(labs))
    assert criteria(a) == {"BIO-SERUM": True, "CLIN-CALCIUM": True}
    assert a.relapse.date.isoformat() == day(180)


def test_entered_progression_date_overrides_the_computed_one():
    labs = serum([(-5, 40.0), (60, 4.0), (200, 12.0), (230, 16.0)])
    a = run(case(labs, lines=[line("Vd", 0, 150, progression_date=190)]))
    assert a.relapse.date.isoformat() == day(190)
    assert a.lines[0].progression_date.isoformat() == day(190)
    assert a.lines[0].progression_source == "entered"


TIMING_ROWS = [
    ("clinical relapse", [lab(200, "calcium", 3.0)], [], "treat_now", "TIMING-CLINICAL"),
    ("biochemical, doubling < 2 months", serum([(-5, 40.0), (170, 4.0), (200, 9.0), (230, 18.0)]), [], "treat_now",
     "TIMING-DOUBLING"),
    ("biochemical, slow", serum([(-5, 40.0), (60, 4.0), (250, 10.0), (290, 11.0)]), [], "monitor",
     "TIMING-CLINICAL"),
    ("biochemical, slow, within 60 days of the last dose", serum([(-5, 40.0), (60, 4.0), (200, 10.0), (290, 11.0)]),
     [], "treat_now", "TIMING-REFRACTORY"),
    ("clinical and biochemical", serum([(-5, 40.0), (60, 4.0), (200, 10.0), (290, 11.0)]),
     [event(250, "new_plasmacytoma")], "treat_now", "TIMING-CLINICAL"),
    ("no relapse", serum([(-5, 40.0), (60, 4.0), (200, 4.5)]), [], "not_applicable", None),
]


@pytest.mark.parametrize(("labs", "events", "expected", "rule"), [r[1:] for r in TIMING_ROWS],
                         ids=[r[0] for r in TIMING_ROWS])
def test_timing(labs, events, expected, rule):
    a = run(case(labs, events=events))
    assert a.timing.recommendation == expected
    if rule:
        assert rule in a.timing.rules
    else:
        assert a.timing.rules == []


def test_rapid_rise_without_relapse_does_not_mean_treat_now():
    # Doubling in 30 days but still below the BIO-SERUM threshold (4 → 8 is +4 g/L).
    a = run(case(serum([(-5, 40.0), (170, 2.0), (200, 4.0), (230, 8.0)])))
    assert a.kinetics.rapid_rise is True
    assert a.relapse.biochemical is False
    # catalog 1.1 (WATCH-CONFIRM): +6 g/L over the nadir with DT < 2 months over 3 points → confirm.
    assert a.timing.recommendation == "confirm"
    assert a.timing.confirm.marker == "serum_m_protein"
