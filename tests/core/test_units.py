"""Unit conversions: each factor is a named constant of mmlogic.units, applied once at entry."""

from __future__ import annotations

import pytest

from mmlogic import units
from mmlogic.units import Analyte, canonical_unit, from_canonical, to_canonical

from .factory import lab, make_case, run

# (analyte, value as entered, unit, expected canonical value) — hand-computed from rules.md.
CONVERSIONS = [
    (Analyte.SERUM_M_PROTEIN, 2.5, "g/dL", 25.0),
    (Analyte.HEMOGLOBIN, 11.0, "g/dL", 110.0),
    (Analyte.ALBUMIN, 3.4, "g/dL", 34.0),
    (Analyte.FLC_KAPPA, 12.0, "mg/dL", 120.0),
    (Analyte.FLC_LAMBDA, 0.9, "mg/dL", 9.0),
    (Analyte.URINE_M_PROTEIN, 0.35, "g/24h", 350.0),
    (Analyte.CALCIUM, 12.024, "mg/dL", 3.0),
    (Analyte.CREATININE, 2.0, "mg/dL", 176.8),
    (Analyte.CREATININE, 150.0, "µmol/L", 150.0),
    (Analyte.CREATININE, 150.0, "umol/L", 150.0),
]


def test_factors_are_the_named_constants_of_rules_md():
    assert units.G_PER_DL_TO_G_PER_L == 10.0
    assert units.MG_PER_DL_TO_MG_PER_L == 10.0
    assert units.G_TO_MG == 1000.0
    assert units.CALCIUM_MG_PER_DL_PER_MMOL_L == 4.008
    assert units.CREATININE_UMOL_L_PER_MG_DL == 88.4


def test_each_factor_is_the_one_used_for_its_analyte():
    assert to_canonical(Analyte.SERUM_M_PROTEIN, 1.0, "g/dL") == units.G_PER_DL_TO_G_PER_L
    assert to_canonical(Analyte.HEMOGLOBIN, 1.0, "g/dL") == units.G_PER_DL_TO_G_PER_L
    assert to_canonical(Analyte.ALBUMIN, 1.0, "g/dL") == units.G_PER_DL_TO_G_PER_L
    assert to_canonical(Analyte.FLC_KAPPA, 1.0, "mg/dL") == units.MG_PER_DL_TO_MG_PER_L
    assert to_canonical(Analyte.URINE_M_PROTEIN, 1.0, "g/24h") == units.G_TO_MG
    assert to_canonical(Analyte.CALCIUM, units.CALCIUM_MG_PER_DL_PER_MMOL_L, "mg/dL") == pytest.approx(1.0)
    assert to_canonical(Analyte.CREATININE, 1.0, "mg/dL") == units.CREATININE_UMOL_L_PER_MG_DL


@pytest.mark.parametrize(("analyte", "value", "unit", "expected"), CONVERSIONS,
                         ids=[f"{a.value}-{u}" for a, _, u, _ in CONVERSIONS])
def test_hand_computed_conversion(analyte, value, unit, expected):
    assert to_canonical(analyte, value, unit) == pytest.approx(expected, rel=1e-12)
    assert from_canonical(analyte, expected, unit) == pytest.approx(value, rel=1e-12)


def test_canonical_unit_is_the_first_listed():
    assert canonical_unit(Analyte.SERUM_M_PROTEIN) == "g/L"
    assert canonical_unit(Analyte.URINE_M_PROTEIN) == "mg/24h"
    assert canonical_unit(Analyte.CALCIUM) == "mmol/L"
    assert canonical_unit(Analyte.CREATININE) == "umol/L"
    assert canonical_unit(Analyte.SERUM_IFE) is None


def test_conversion_happens_once_at_entry_and_the_case_keeps_its_units():
    data = make_case(labs=[lab(0, "serum_m_protein", 2.5, "g/dL"), lab(10, "calcium", 11.5, "mg/dL")], as_of=20)
    a = run(data)
    assert [p.value for p in a.series["serum_m_protein"].points] == [25.0]
    assert a.series["calcium"].points[0].value == pytest.approx(11.5 / units.CALCIUM_MG_PER_DL_PER_MMOL_L)
    assert a.series["serum_m_protein"].unit == "g/L"
    # The case itself round-trips in the unit it was entered in.
    from mmlogic import parse_case
    assert parse_case(data).to_json_dict()["labs"][0] == {
        "date": data["labs"][0]["date"], "analyte": "serum_m_protein", "value": 2.5, "unit": "g/dL",
        "myeloma_related": True}


def test_same_values_in_either_unit_give_the_same_assessment():
    def case(unit, factor):
        rows = [(-5, 30.0), (60, 12.0), (180, 5.0), (400, 10.5), (430, 12.0)]
        return make_case(labs=[lab(n, "serum_m_protein", v / factor, unit) for n, v in rows],
                         lines=[{"regimen": "Vd", "start": "2024-01-01", "end": "2024-06-29"}], as_of=450)
    si, us = run(case("g/L", 1.0)), run(case("g/dL", units.G_PER_DL_TO_G_PER_L))
    assert si.relapse == us.relapse
    assert si.kinetics.markers["serum_m_protein"].doubling_time_days == pytest.approx(
        us.kinetics.markers["serum_m_protein"].doubling_time_days)
