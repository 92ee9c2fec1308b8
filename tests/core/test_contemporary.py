"""The contemporary evidence pack against its dossier (docs/spec/contemporary-pack.md, issue 15).

Table tests: for each regimen a patient who matches its trial population and one who misses it by
exactly one criterion; the jurisdiction gates of the dossier (R5); the two reference patients of
the issue (len-refractory first relapse, penta-refractory) in the US, the EU and China; a property
that a regimen relying on a refractory drug is never in group 1; the vocabulary round trip; a 2026
history that loads and is assessed in both packs.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmlogic import assess, parse_case
from mmlogic.assessment import Renal
from mmlogic.contemporary import Patient, contemporary_pack, evidence_options
from mmlogic.drugs import DrugClass, canonical_drug, drugs_of_regimen, vocabulary
from mmlogic.exposure import exposure_from
from mmlogic.regimens import knowledge_base
from tests.core.factory import line, make_case, serum

RENAL_OK = Renal(creatinine_clearance_ml_min=80.0, impaired=False, source="entered")


def patient(prior: int, refractory=(), exposed=(), findings=(), ecog: int = 0, last_refractory=None) -> Patient:
    drugs = {d: "exposed" for d in exposed} | {d: "refractory" for d in refractory}
    return Patient(exposure=exposure_from(drugs, prior),
                   last_line_refractory=bool(refractory) if last_refractory is None else last_refractory,
                   findings=frozenset(findings), ecog=ecog, renal=RENAL_OK, on_dialysis=False)


def options(p: Patient, where: str | None = None) -> dict[str, object]:
    return {o.id: o for o in evidence_options(p, where)}


# ---- each regimen: one patient who matches, one who misses by exactly one criterion -------------

PI_IMID = ("bortezomib", "lenalidomide")
TRIPLE_REF = ("bortezomib", "lenalidomide", "daratumumab")

#: id -> (matching patient, patient missing one criterion, words of that criterion)
TABLE = {
    "DRd": (patient(1, exposed=("bortezomib",)), patient(0), "at least 1 prior"),
    "DVd": (patient(1, exposed=("lenalidomide",)), patient(0), "at least 1 prior"),
    "DKd": (patient(2, exposed=PI_IMID), patient(4, exposed=PI_IMID), "at most 3 prior"),
    "IsaKd": (patient(3, exposed=PI_IMID), patient(4, exposed=PI_IMID), "at most 3 prior"),
    "IsaPd": (patient(2, exposed=PI_IMID), patient(2, exposed=PI_IMID + ("pomalidomide",)),
              "previously given pomalidomide"),
    "DPd": (patient(1, exposed=("bortezomib",), refractory=("lenalidomide",)),
            patient(1, exposed=PI_IMID), "with only 1 prior line"),
    "KRd": (patient(1, exposed=("bortezomib",)), patient(4, exposed=("bortezomib",)), "at most 3 prior"),
    "Kd": (patient(1, exposed=PI_IMID), patient(0), "at least 1 prior"),
    "EPd": (patient(2, exposed=("bortezomib",), refractory=("lenalidomide",)),
            patient(2, exposed=PI_IMID, last_refractory=False), "refractory to the most recent line"),
    "ERd": (patient(3, exposed=("bortezomib",)), patient(4, exposed=("bortezomib",)), "at most 3 prior"),
    "PVd": (patient(1, exposed=PI_IMID), patient(1, exposed=("bortezomib",)), "exposure to lenalidomide"),
    "SVd": (patient(1, exposed=PI_IMID), patient(1, exposed=("lenalidomide",)), "proteasome inhibitor"),
    "IRd": (patient(1, exposed=("bortezomib",)), patient(0), "at least 1 prior"),
    "BVd": (patient(1, exposed=PI_IMID), patient(1, exposed=PI_IMID + ("teclistamab",)), "BCMA"),
    "BPd": (patient(1, exposed=PI_IMID), patient(1, exposed=("bortezomib",)), "exposure to lenalidomide"),
    "cilta-cel": (patient(1, exposed=("bortezomib",), refractory=("lenalidomide",)),
                  patient(1, exposed=("bortezomib",), refractory=("lenalidomide",), ecog=2), "ECOG"),
    "ide-cel": (patient(3, exposed=TRIPLE_REF, last_refractory=True),
                patient(3, exposed=PI_IMID, last_refractory=True), "all three classes"),
    "eque-cel": (patient(3, exposed=PI_IMID), patient(2, exposed=PI_IMID), "at least 3 prior"),
    "teclistamab": (patient(3, exposed=TRIPLE_REF), patient(2, exposed=TRIPLE_REF), "at least 3 prior"),
    "Tec-Dara": (patient(2, exposed=PI_IMID), patient(2, exposed=PI_IMID, refractory=("isatuximab",)),
                 "refractory to an anti-CD38"),
    "elranatamab": (patient(4, refractory=TRIPLE_REF), patient(4, refractory=TRIPLE_REF + ("belantamab mafodotin",)),
                    "BCMA"),
    "talquetamab": (patient(3, exposed=TRIPLE_REF), patient(2, exposed=TRIPLE_REF), "at least 3 prior"),
    "linvoseltamab": (patient(3, exposed=TRIPLE_REF), patient(3, exposed=PI_IMID), "all three classes"),
    "Sd": (patient(5, exposed=("cyclophosphamide",), refractory=(
        "bortezomib", "carfilzomib", "lenalidomide", "pomalidomide", "daratumumab")),
           patient(5, refractory=("bortezomib", "carfilzomib", "lenalidomide", "pomalidomide", "daratumumab")),
           "alkylating agent"),
    "Ven-Vd": (patient(1, exposed=PI_IMID, findings=("t(11;14)",)), patient(1, exposed=PI_IMID), "t(11;14)"),
}


def test_the_table_covers_every_option_of_the_pack():
    assert set(TABLE) == {o.id for o in contemporary_pack().option}


@pytest.mark.parametrize("option_id", sorted(TABLE))
def test_trial_population_match_and_one_criterion_miss(option_id):
    matching, missing, words = TABLE[option_id]
    hit = options(matching)[option_id]
    assert hit.population_matches, [m.en for m in hit.mismatches]
    assert hit.group in (1, 2, 3)
    miss = options(missing)[option_id]
    assert not miss.population_matches
    assert len(miss.mismatches) == 1, [m.en for m in miss.mismatches]
    assert words in miss.mismatches[0].en
    assert miss.mismatches[0].zh and any("\u4e00" <= ch <= "\u9fff" for ch in miss.mismatches[0].zh)
    assert miss.group in (3, 4)


# ---- jurisdiction gates (dossier R5) -------------------------------------------------------------

GATES = [
    # (option, patient, us, eu, cn): approved_for_patient per jurisdiction
    ("BVd", patient(1, exposed=PI_IMID), False, True, False),
    ("BVd", patient(2, exposed=PI_IMID), True, True, False),
    ("BPd", patient(1, exposed=PI_IMID), False, True, None),
    ("IsaPd", patient(1, exposed=PI_IMID), False, None, True),
    ("IsaPd", patient(2, exposed=PI_IMID), True, None, True),
    ("cilta-cel", patient(1, exposed=("bortezomib",), refractory=("lenalidomide",)), True, None, False),
    ("cilta-cel", patient(3, exposed=("bortezomib",), refractory=("lenalidomide",)), True, None, True),
    ("teclistamab", patient(3, refractory=TRIPLE_REF), False, True, True),
    ("teclistamab", patient(4, refractory=TRIPLE_REF), True, True, True),
    ("Sd", patient(4, refractory=("bortezomib", "carfilzomib", "lenalidomide", "pomalidomide", "daratumumab")),
     True, None, True),
    ("Ven-Vd", patient(1, exposed=PI_IMID, findings=("t(11;14)",)), False, False, False),
]


@pytest.mark.parametrize(("option_id", "p", "us", "eu", "cn"), GATES,
                         ids=[f"{g[0]}-{g[1].exposure.prior_lines}" for g in GATES])
def test_jurisdiction_gates(option_id, p, us, eu, cn):
    assert options(p)[option_id].approved_for_patient == {"us": us, "eu": eu, "cn": cn}


def test_bvd_group_follows_the_chosen_jurisdiction():
    one_line = patient(1, exposed=PI_IMID)
    assert options(one_line, "eu")["BVd"].group == 1
    assert options(one_line, "us")["BVd"].group == 2
    assert options(one_line, "cn")["BVd"].group == 2


# ---- the two reference patients of the issue, as whole cases -------------------------------------


def _len_refractory_first_relapse(where: str) -> dict[str, int]:
    """VRd induction, lenalidomide maintenance, progression on it: 1 prior line, len-refractory."""
    data = make_case(
        labs=serum([(-5, 30.0), (90, 6.0), (200, 2.0), (600, 2.5), (640, 6.0), (680, 9.0)]),
        lines=[line("VRd", 0, 150), line("R", 160, None, progression_date=680)],
        settings={"pack": "contemporary", "jurisdiction": where},
    )
    return {o.id: o.group for o in assess(parse_case(data)).evidence_options}


def _penta_refractory(where: str) -> dict[str, int]:
    """Four lines: VCd, VRd, DKd, Pd, each progressing on therapy after the first."""
    data = make_case(
        as_of=1200,
        labs=serum([(-5, 30.0), (60, 8.0), (300, 9.0), (420, 14.0), (700, 20.0), (1000, 25.0), (1200, 30.0)]),
        lines=[line("VCd", 0, 120, drugs=["bortezomib", "cyclophosphamide", "dexamethasone"], best_response="PR",
                    progression_date=300),
               line("VRd", 310, None, best_response="PR", progression_date=420),
               line("DKd", 430, None, best_response="PR", progression_date=700),
               line("Pd", 710, None, best_response="MR", progression_date=1000)],
        settings={"pack": "contemporary", "jurisdiction": where},
    )
    return {o.id: o.group for o in assess(parse_case(data)).evidence_options}


@pytest.mark.parametrize(("where", "expected"), [
    ("us", {"cilta-cel": 1, "DKd": 1, "IsaKd": 1, "DPd": 1, "Tec-Dara": 1, "BVd": 2, "BPd": 2, "IsaPd": 4,
            "DRd": 3, "KRd": 3, "IRd": 3, "ERd": 3, "teclistamab": 4, "Sd": 4}),
    ("eu", {"cilta-cel": 2, "IsaKd": 1, "BVd": 1, "BPd": 1, "DPd": 2, "Tec-Dara": 2, "IsaPd": 4, "DRd": 3}),
    ("cn", {"cilta-cel": 2, "IsaKd": 2, "BVd": 2, "BPd": 2, "DPd": 2, "IsaPd": 4, "IRd": 3, "Kd": 2}),
])
def test_len_refractory_first_relapse_matches_the_dossier(where, expected):
    groups = _len_refractory_first_relapse(where)
    assert {k: groups[k] for k in expected} == expected


@pytest.mark.parametrize(("where", "expected"), [
    ("us", {"teclistamab": 1, "elranatamab": 1, "talquetamab": 1, "linvoseltamab": 1, "Sd": 1, "ide-cel": 1,
            "cilta-cel": 4, "DPd": 3, "IsaPd": 3, "Tec-Dara": 3, "BVd": 3}),
    ("eu", {"teclistamab": 1, "elranatamab": 2, "talquetamab": 2, "linvoseltamab": 2, "Sd": 2, "ide-cel": 2,
            "DPd": 3}),
    ("cn", {"teclistamab": 1, "eque-cel": 1, "Sd": 1, "elranatamab": 2, "cilta-cel": 4, "IsaPd": 3}),
])
def test_penta_refractory_matches_the_dossier(where, expected):
    groups = _penta_refractory(where)
    assert {k: groups[k] for k in expected} == expected


def test_options_are_grouped_then_ordered_by_design_never_by_pfs():
    order = {"phase3": 0, "phase2": 1, "single_arm": 2, "not_verified": 3}
    listed = evidence_options(patient(1, exposed=PI_IMID), "us")
    keys = [(o.group, order[o.design], o.id.casefold()) for o in listed]
    assert keys == sorted(keys)


# ---- property: a refractory drug keeps an option out of group 1 ----------------------------------

NON_STEROIDS = sorted(d.name for d in vocabulary().drug if DrugClass.STEROID not in d.classes)


@settings(max_examples=150, deadline=None)
@given(states=st.dictionaries(st.sampled_from(NON_STEROIDS), st.sampled_from(["exposed", "refractory"]), max_size=8),
       prior=st.integers(0, 8), where=st.sampled_from([None, "us", "eu", "cn"]))
def test_a_regimen_with_a_refractory_drug_is_never_in_group_1(states, prior, where):
    p = Patient(exposure=exposure_from(states, prior), last_line_refractory=True, findings=frozenset(),
                ecog=1, renal=RENAL_OK, on_dialysis=False)
    for option in evidence_options(p, where):
        if any(states.get(d) == "refractory" for d in option.drugs):
            assert option.group == 3, option.id
        if option.group == 1:
            assert option.population_matches and not option.refractory_drugs


# ---- vocabulary ------------------------------------------------------------------------------------


@pytest.mark.parametrize("drug", vocabulary().drug, ids=lambda d: d.name)
def test_every_synonym_round_trips(drug):
    for text in (drug.name, drug.en, drug.zh, *drug.synonyms, drug.name.upper(), f"  {drug.name}  "):
        assert canonical_drug(text) == drug.name, text


def test_vocabulary_holds_every_seed_drug_with_its_class():
    vocab = vocabulary().by_name
    for name, seed in knowledge_base().drugs.items():
        assert name in vocab, name
        assert {c.value for c in seed.classes} <= {c.value for c in vocab[name].classes}, name


def test_every_regimen_shorthand_resolves_to_its_drugs():
    assert drugs_of_regimen("KRd") == ("carfilzomib", "lenalidomide", "dexamethasone")
    assert drugs_of_regimen("dara-pd") == ("daratumumab", "pomalidomide", "dexamethasone")
    assert drugs_of_regimen("Cilta-cel") == ("ciltacabtagene autoleucel",)
    assert drugs_of_regimen("VRd") == ("bortezomib", "lenalidomide", "dexamethasone")  # the seed's wins
    for option in contemporary_pack().option:
        assert all(d in vocabulary().by_name for d in option.drugs)


# ---- a 2026 history loads and is assessed in both packs ---------------------------------------------


def _history_2026(pack: str) -> dict:
    # Day numbers from the factory's BASE, shifted 700 days back so that the whole history lies before
    # the CLI's today (a later date is a problem, rules.md K "Time window").
    d = -700
    return make_case(
        as_of=1200 + d,
        labs=serum([(-5 + d, 30.0), (60 + d, 8.0), (300 + d, 9.0), (420 + d, 14.0), (700 + d, 20.0), (1000 + d, 25.0), (1200 + d, 30.0)]),
        lines=[line("Dara-VRd", 0 + d, 150 + d, best_response="VGPR", progression_date=300 + d),
               line("KPd", 310 + d, None, drugs=["K", "Pom", "Dex"], best_response="PR", progression_date=420 + d),
               line("IsaKd", 430 + d, None, best_response="PR", progression_date=700 + d),
               line("Cilta-cel", 710 + d, 711 + d, best_response="CR", progression_date=1000 + d),
               line("teclistamab", 1010 + d, None, best_response="PR"),
               line("my trial drug", 1100 + d, None, drugs=["Dara", "XYZ-123"])],
        settings={"pack": pack, "jurisdiction": "us"},
    )


@pytest.mark.parametrize("pack", ["seed", "contemporary"])
def test_a_2026_history_loads_and_is_assessed(pack):
    case = parse_case(_history_2026(pack))
    assert case.therapy_lines[1].drugs == ["carfilzomib", "pomalidomide", "dexamethasone"]
    assert case.therapy_lines[5].drugs == ["daratumumab", "XYZ-123"]
    a = assess(case)
    assert a.suggestions, "the seed suggestions are still computed"
    assert a.pack is not None and a.pack.id == pack
    e = a.exposure
    assert e.bcma_exposed and e.tcr_exposed and e.triple_class_exposed
    assert e.unrecognised_drugs == ["XYZ-123"]
    assert any("XYZ-123" in n.en for n in e.notes)
    assert any(n.en.startswith("daratumumab: unknown to the seed pack") for n in e.notes)
    if pack == "contemporary":
        assert a.evidence_options and a.high_risk_2025 is not None
        assert {"CP-OPTIONS", "CP-EXPOSURE"} <= a.cited_rules()
    else:
        assert a.evidence_options == []


def test_cli_takes_pack_and_jurisdiction(tmp_path):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(_history_2026("seed")), "utf-8")
    run = subprocess.run([sys.executable, "-m", "mmlogic", "assess", str(path), "--pack", "contemporary",
                          "--jurisdiction", "cn"], capture_output=True, text=True, check=True)
    out = json.loads(run.stdout)
    assert out["pack"]["version"] == "contemporary-2025.1" and out["jurisdiction"] == "cn"
    assert out["evidence_options"][0]["group"] in (1, 2)
    text = subprocess.run([sys.executable, "-m", "mmlogic", "assess", str(path), "--pack", "contemporary",
                           "--format", "text", "--lang", "zh"], capture_output=True, text=True, check=True).stdout
    assert "证据摘要,并非治疗推荐" in text and "contemporary-2025.1" in text


# ---- the two gallery cases: the answer changes with the jurisdiction ------------------------------


@pytest.mark.parametrize("case_id", ["tc-10", "tc-11"])
def test_gallery_cases_change_with_jurisdiction(case_id):
    from pathlib import Path

    data = json.loads((Path(__file__).resolve().parents[2] / "cases" / "teaching" / f"{case_id}.json").read_text("utf-8"))
    case = parse_case(data)
    assert case.settings.pack == "contemporary"
    first = {where: {o.id for o in assess(case, jurisdiction=where).evidence_options if o.group == 1}
             for where in ("us", "eu", "cn")}
    assert len({frozenset(v) for v in first.values()}) == 3, first
    cited = assess(case).cited_rules()
    assert {"CP-OPTIONS", "CP-JURISDICTION", "CP-EXPOSURE", "CP-HIGH-RISK-2025"} <= cited
    assert ("CP-LEN-REF" if case_id == "tc-10" else "CP-CD38-REF") in cited


# ---- IMS/IMWG 2025 high risk (A8): prognostic, shown beside the seed's risk -------------------------


@pytest.mark.parametrize(("findings", "labs", "expected"), [
    (["t(4;14)", "gain(1q)"], [], True),
    (["hyperdiploid"], [], False),
    (["del(17p)"], [], None),  # clone fraction not recorded: not assessable, never assumed
    (["hyperdiploid"], [("beta2_microglobulin", 6.0), ("creatinine", 80.0)], True),
    (["hyperdiploid"], [("beta2_microglobulin", 6.0), ("creatinine", 150.0)], False),
    (["hyperdiploid"], [("beta2_microglobulin", 5.4), ("creatinine", 80.0)], False),
])
def test_high_risk_2025(findings, labs, expected):
    from tests.core.factory import lab

    data = make_case(labs=serum([(0, 30.0)]) + [lab(0, name, value) for name, value in labs],
                     settings={"pack": "contemporary"})
    data["disease"]["cytogenetics"] = {"tested": True, "findings": findings}
    a = assess(parse_case(data))
    assert a.high_risk_2025.high_risk is expected
    assert a.high_risk_2025.rules == ["CP-HIGH-RISK-2025"]
    assert all(o.group != 4 or o.mismatches for o in a.evidence_options)  # never a regimen gate by risk


def test_high_risk_2025_never_changes_the_options():
    def groups(findings):
        data = make_case(labs=serum([(-5, 30.0), (90, 6.0), (200, 2.0), (600, 2.5), (640, 6.0), (680, 9.0)]),
                         lines=[line("VRd", 0, 150), line("R", 160, None, progression_date=680)],
                         settings={"pack": "contemporary", "jurisdiction": "us"})
        data["disease"]["cytogenetics"] = {"tested": True, "findings": findings}
        a = assess(parse_case(data))
        return a.high_risk_2025.high_risk, [(o.id, o.group) for o in a.evidence_options]

    high, with_risk = groups(["t(4;14)", "gain(1q)"])
    standard, without = groups(["hyperdiploid"])
    assert high is True and standard is False
    assert with_risk == without
