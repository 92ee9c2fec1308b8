"""The per-visit replay equals ``assess`` visit by visit (issue 18, "Per-visit replay")."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mmlogic import assess, parse_case
from mmlogic.cohort.replay import PrefixObserver, facts_from_assessment, visit_dates, visit_facts
from mmlogic.cohort.tables import case_from_rows, run_patient
from mmlogic.observations import observe
from registry.synth import ISOTYPES, _patient
from tests.core.strategies import cases

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _rows(patient: dict[str, list[dict]]) -> dict[str, list[tuple[int, dict]]]:
    return {t: [(i + 1, {k: v for k, v in r.items() if k != "patient_id"}) for i, r in enumerate(items)]
            for t, items in patient.items()}


def assert_replay_equals_assess(case) -> None:
    dates = visit_dates(case)
    observer = PrefixObserver(case)
    for d in dates:
        assert observer.at(d) == observe(case, d), d
    expected = [facts_from_assessment(assess(case, as_of=d)) for d in dates]
    assert visit_facts(case) == expected


@st.composite
def registry_patients(draw):
    """A synthetic registry patient (registry/synth.py), perturbed: any isotype (light-chain disease
    follows dFLC), labs dropped at random, a ten-fold slip (DATA-IMPLAUSIBLE), a clinical event."""
    visits = draw(st.integers(6, 36))
    patient = _patient(draw(st.integers(0, 10_000)), visits, draw(st.integers(0, 50)))
    patient["patients"][0]["isotype"] = draw(st.sampled_from(ISOTYPES))
    labs = patient["labs"]
    keep = draw(st.lists(st.booleans(), min_size=len(labs), max_size=len(labs)))
    labs = [lab for lab, k in zip(labs, keep) if k or lab["analyte"] in ("flc_kappa", "flc_lambda")]
    if draw(st.booleans()) and labs:
        i = draw(st.integers(0, len(labs) - 1))
        if labs[i]["analyte"] in ("flc_kappa", "flc_lambda", "serum_m_protein") and float(labs[i]["value"]) > 0:
            labs[i] = labs[i] | {"value": float(labs[i]["value"]) * 12}
    patient["labs"] = labs
    if draw(st.booleans()) and labs:
        first = date.fromisoformat(labs[0]["date"])
        when = first + timedelta(days=draw(st.integers(0, 30 * visits)))
        kind = draw(st.sampled_from(("new_bone_lesion", "new_plasmacytoma")))
        patient["events"] = [{"date": when.isoformat(), "kind": kind}]
    return patient


@SETTINGS
@given(registry_patients())
def test_replay_equals_assess_on_synthetic_registry_patients(patient):
    data, _ = case_from_rows("p", _rows(patient))
    assert_replay_equals_assess(parse_case(data))


@SETTINGS
@given(cases())
def test_replay_equals_assess_on_random_cases(data):
    assert_replay_equals_assess(parse_case(data))


def _light_chain_rows() -> dict[str, list[tuple[int, dict]]]:
    """κ light-chain myeloma, spike 0 throughout: dFLC falls on Rd, then rises twice (BIO-FLC)."""
    kappa = [900, 400, 150, 60, 40, 42, 160, 260, 300]
    start = date(2022, 1, 3)
    labs = []
    for k, v in enumerate(kappa):
        d = (start + timedelta(days=28 * k)).isoformat()
        labs += [{"date": d, "analyte": "flc_kappa", "value": str(v), "unit": "mg/L"},
                 {"date": d, "analyte": "flc_lambda", "value": "10", "unit": "mg/L"},
                 {"date": d, "analyte": "serum_m_protein", "value": "0", "unit": "g/L"}]
    return {"labs": list(enumerate(labs, 1)),
            "lines": [(1, {"start": "2022-01-05", "end": None, "regimen": "Rd", "drugs": None})],
            "patients": [(1, {"age": "70", "sex": "male", "ecog": "1", "isotype": "kappa light chain"})]}


def test_light_chain_patient_progresses_on_dflc_in_the_replay_as_in_assess():
    rows = _light_chain_rows()
    case = parse_case(case_from_rows("lc", rows)[0])
    assert_replay_equals_assess(case)
    out = run_patient("lc", rows)
    flc = [v for v in out["visits"] if "BIO-FLC" in v["rules"]]
    assert flc and flc[0]["date"] == "2022-06-20" and flc[0]["progression"]
    assert flc[0]["progression_confirmed"]  # the next visit (260 mg/L) confirms the rise from the nadir of 30
    assert out["visits"][4]["response"] in ("VGPR", "PR")  # dFLC 890 → 30 mg/L on the followed marker
    last = assess(case)
    assert "dflc" in [m.marker for m in last.lines[0].followed_markers]  # MARKER-FOLLOWED
