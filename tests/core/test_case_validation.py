"""Case validation (case-format.md "Invalid input"): every problem listed with its field path,
nothing coerced; the time window leaves later data out with a counted warning; suspicious values
produce a warning naming the field (mmlogic.quality)."""

from __future__ import annotations

import math

import pytest

from mmlogic import CaseInvalid, parse_case

from .factory import day, lab, line, make_case, run, serum


def problems(data) -> dict[str, str]:
    with pytest.raises(CaseInvalid) as info:
        parse_case(data)
    return {p.path: p.message for p in info.value.problems}


# One row per mutilation: (what to change, field path expected in the problems, text expected).
def _set(path, value):
    def apply(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        return data
    return apply


def _drop(path):
    def apply(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
        return data
    return apply


MUTILATIONS = [
    ("string for a number", _set(("labs", 0, "value"), "12"), "labs[0].value", "expected a number"),
    ("NaN value", _set(("labs", 0, "value"), math.nan), "labs[0].value", "finite number"),
    ("infinite value", _set(("labs", 0, "value"), math.inf), "labs[0].value", "finite number"),
    ("negative value", _set(("labs", 0, "value"), -1.0), "labs[0].value", "0 or more"),
    ("bool for a number", _set(("labs", 0, "value"), True), "labs[0].value", "expected a number"),
    ("unknown analyte", _set(("labs", 0, "analyte"), "serum_m"), "labs[0].analyte", "serum_m_protein"),
    ("unknown unit", _set(("labs", 0, "unit"), "mg"), "labs[0].unit", "g/L, g/dL"),
    ("malformed date", _set(("labs", 0, "date"), "01/02/2024"), "labs[0].date", "YYYY-MM-DD"),
    ("impossible date", _set(("labs", 0, "date"), "2024-02-30"), "labs[0].date", "calendar date"),
    ("unknown lab field", _set(("labs", 0, "units"), "g/L"), "labs[0].units", "unknown field"),
    ("IFE not positive/negative", _set(("labs", 1, "value"), "weak"), "labs[1].value", "positive"),
    ("IFE with a unit", _set(("labs", 1, "unit"), "g/L"), "labs[1].unit", "no unit"),
    ("string ecog", _set(("patient", "ecog"), "1"), "patient.ecog", "whole number"),
    ("ecog out of range", _set(("patient", "ecog"), 5), "patient.ecog", "≤ 4"),
    ("missing age", _drop(("patient", "age")), "patient.age", "required field is missing"),
    ("unknown sex", _set(("patient", "sex"), "m"), "patient.sex", "male"),
    ("NaN weight", _set(("patient", "weight_kg"), math.nan), "patient.weight_kg", "finite number"),
    ("unknown patient field", _set(("patient", "height"), 170), "patient.height", "unknown field"),
    ("string flag", _set(("comorbidities", "recent_thrombosis"), "yes"), "comorbidities.recent_thrombosis",
     "true or false"),
    ("neuropathy grade 5", _set(("comorbidities", "peripheral_neuropathy_grade"), 5),
     "comorbidities.peripheral_neuropathy_grade", "≤ 4"),
    ("end before start", _set(("therapy_lines", 0, "end"), day(-1)), "therapy_lines[0].end",
     "on or after the start"),
    ("progression before start", _set(("therapy_lines", 0, "progression_date"), day(-1)),
     "therapy_lines[0].progression_date", "on or after the line start"),
    # A free-text regimen or an unknown drug is kept with a warning, never rejected (issue 15):
    # see tests/core/test_contemporary.py.
    ("empty drug list", _set(("therapy_lines", 0, "drugs"), []), "therapy_lines[0].drugs", "non-empty"),
    ("unknown response", _set(("therapy_lines", 0, "best_response"), "nCR"), "therapy_lines[0].best_response",
     "CR, VGPR"),
    ("unknown event kind", _set(("events", 0, "kind"), "fracture"), "events[0].kind", "new_bone_lesion"),
    ("growth without measures", _set(("events", 0, "kind"), "lesion_growth"), "events[0].increase_pct",
     "needs increase_pct"),
    ("unknown transplant type", _set(("transplants", 0, "type"), "auto"), "transplants[0].type", "autologous"),
    ("unknown school", _set(("settings",), {"school": "asian"}), "settings.school", "nccn or european"),
    ("unknown top-level field", _set(("labz",), []), "labz", "unknown field"),
    ("labs not a list", _set(("labs",), {"a": 1}), "labs", "expected a list"),
    ("patient not an object", _set(("patient",), "old man"), "patient", "expected an object"),
    ("missing case_id", _drop(("case_id",)), "case_id", "required field is missing"),
    ("schema version 2", _set(("schema_version",), 2), "schema_version", "1"),
]


def valid_case():
    return make_case(
        labs=[lab(0, "serum_m_protein", 30.0), lab(0, "serum_ife", "positive")],
        lines=[line("VRd", 5, 100)], events=[{"date": day(50), "kind": "new_bone_lesion"}],
        transplants=[{"date": day(120), "type": "autologous"}], as_of=200)


def test_the_base_case_is_valid():
    parse_case(valid_case())


@pytest.mark.parametrize(("mutate", "path", "text"), [m[1:] for m in MUTILATIONS], ids=[m[0] for m in MUTILATIONS])
def test_each_problem_names_its_field_path(mutate, path, text):
    found = problems(mutate(valid_case()))
    assert path in found, found
    assert text in found[path]
    assert found[path].startswith(f"{path}: ")


def test_every_problem_is_listed_at_once():
    data = valid_case()
    data["labs"] = [lab(0, "serum_m_protein", "12"), lab(0, "calcium", 2.5, "g/L"), lab(0, "foo", 1, None),
                    lab(0, "hemoglobin", -3.0), lab(0, "albumin", math.nan)]
    data["patient"]["ecog"] = "1"
    data["therapy_lines"] = [line("VRd", 10, 5), line("my combo", 20, drugs=[])]
    found = problems(data)
    assert set(found) == {"labs[0].value", "labs[1].unit", "labs[2].analyte", "labs[3].value", "labs[4].value",
                          "patient.ecog", "therapy_lines[0].end", "therapy_lines[1].drugs"}


def test_got_value_is_shown():
    found = problems(_set(("labs", 0, "unit"), "mg")(valid_case()))
    assert found["labs[0].unit"] == "labs[0].unit: expected one of g/L, g/dL for serum_m_protein (got 'mg')"


def test_not_an_object():
    with pytest.raises(CaseInvalid) as info:
        parse_case([1, 2])
    assert info.value.problems[0].path == "(case)"


def test_case_insensitive_kb_regimen_and_drug_names_are_accepted():
    data = make_case(lines=[line("vrd", 0, 10), line("combo", 20, drugs=[" Bortezomib ", "DEXAMETHASONE"])])
    case = parse_case(data)
    assert case.therapy_lines[1].drugs == ["bortezomib", "dexamethasone"]


def test_data_after_as_of_is_left_out_and_counted():
    base = make_case(labs=serum([(-5, 30.0), (60, 12.0), (180, 5.0)]), lines=[line("Vd", 0, 150)], as_of=200)
    later = make_case(
        labs=serum([(-5, 30.0), (60, 12.0), (180, 5.0), (250, 12.0), (280, 14.0)]),
        lines=[line("Vd", 0, 150), line("Rd", 260)], events=[{"date": day(270), "kind": "new_bone_lesion"}],
        as_of=200)
    a, b = run(base), run(later)
    assert b.relapse == a.relapse and b.status == a.status
    assert [ln.regimen for ln in b.lines] == ["Vd"]
    warning = next(w.en for w in b.warnings if "left out" in w.en)
    assert warning == f"dated after the assessment date {day(200)} and left out: 2 labs, 1 events, 1 therapy lines"
    assert not any("left out" in w.en for w in a.warnings)


def test_line_end_after_as_of_makes_the_line_ongoing():
    a = run(make_case(labs=serum([(-5, 30.0), (60, 12.0)]), lines=[line("Vd", 0, 300)], as_of=100))
    assert a.lines[0].end is None
    assert any("1 line ends" in w.en for w in a.warnings)


def test_without_as_of_the_latest_date_is_used():
    a = run(make_case(labs=serum([(-5, 30.0), (60, 12.0)]), lines=[line("Vd", 0, 40)], as_of=None))
    assert a.as_of.isoformat() == day(60)


@pytest.mark.parametrize(("entry", "path"), [
    (lab(0, "calcium", 10.0, "mmol/L"), "labs[0].value"),
    (lab(0, "hemoglobin", 11.0, "g/L"), "labs[0].value"),
    (lab(0, "creatinine", 1.2, "umol/L"), "labs[0].value"),
    (lab(0, "albumin", 3.5, "g/L"), "labs[0].value"),
    (lab(0, "serum_m_protein", 300.0, "g/L"), "labs[0].value"),
])
def test_suspicious_values_are_warned_with_their_field(entry, path):
    a = run(make_case(labs=[entry], as_of=10))
    hits = [w.en for w in a.warnings if w.en.startswith(f"{path}: ")]
    assert len(hits) == 1 and "plausible range" in hits[0]


def test_plausible_values_are_not_warned():
    a = run(make_case(labs=[lab(0, "calcium", 2.4), lab(0, "hemoglobin", 120.0), lab(0, "creatinine", 80.0),
                            lab(0, "albumin", 40.0)], as_of=10))
    assert not any("plausible" in w.en for w in a.warnings)
