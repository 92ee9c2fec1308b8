"""Hypothesis strategies: valid case dicts built from the case-format vocabulary."""

from __future__ import annotations

from hypothesis import strategies as st

from mmlogic.case import CYTOGENETIC_VOCABULARY
from mmlogic.regimens import knowledge_base
from mmlogic.units import QUALITATIVE, UNITS, Analyte

from .factory import day

KB_REGIMENS = sorted(r.id for r in knowledge_base().regimens if r.kind == "regimen")
NUMERIC = sorted(a.value for a in Analyte if a not in QUALITATIVE)
AS_OF = 720


@st.composite
def labs(draw, min_day=-100, max_day=AS_OF):
    analyte = draw(st.sampled_from([a.value for a in Analyte]))
    when = day(draw(st.integers(min_day, max_day)))
    if Analyte(analyte) in QUALITATIVE:
        return {"date": when, "analyte": analyte, "value": draw(st.sampled_from(["positive", "negative"]))}
    unit = draw(st.sampled_from(list(UNITS[Analyte(analyte)])))
    # Exact zero and ordinary magnitudes; subnormal values are covered by
    # test_transplant.test_subnormal_creatinine_does_not_crash (a known core bug).
    value = draw(st.one_of(st.just(0.0), st.floats(1e-3, 500.0, allow_nan=False, allow_infinity=False)))
    out = {"date": when, "analyte": analyte, "value": value, "unit": unit}
    if draw(st.booleans()):
        out["myeloma_related"] = draw(st.booleans())
    return out


@st.composite
def lines(draw):
    n = draw(st.integers(0, 4))
    starts = sorted(draw(st.lists(st.integers(0, 650), min_size=n, max_size=n, unique=True)))
    out = []
    for start in starts:
        entry = {"regimen": draw(st.sampled_from(KB_REGIMENS)), "start": day(start)}
        if draw(st.booleans()):
            entry["end"] = day(start + draw(st.integers(0, 300)))
        if draw(st.integers(0, 3)) == 0:
            entry["best_response"] = draw(st.sampled_from(["CR", "VGPR", "PR", "MR", "SD", "PD"]))
        if draw(st.integers(0, 3)) == 0:
            entry["progression_date"] = day(start + draw(st.integers(0, 400)))
        out.append(entry)
    return out


@st.composite
def events(draw):
    kind = draw(st.sampled_from(["new_bone_lesion", "new_plasmacytoma", "lesion_growth"]))
    out = {"date": day(draw(st.integers(-50, AS_OF))), "kind": kind}
    if kind == "lesion_growth":
        out["increase_pct"] = draw(st.floats(0, 200))
        out["increase_cm"] = draw(st.floats(0, 5))
    return out


@st.composite
def cases(draw, n_labs=st.integers(0, 14)):
    k = draw(n_labs)
    return {
        "schema_version": 1,
        "case_id": "prop",
        "as_of": day(AS_OF),
        "patient": {
            "age": draw(st.integers(18, 100)),
            "sex": draw(st.sampled_from(["male", "female"])),
            "weight_kg": draw(st.one_of(st.none(), st.floats(35, 150))),
            "ecog": draw(st.integers(0, 4)),
            "fit_for_intensive_therapy": draw(st.one_of(st.none(), st.booleans())),
            "steroid_intolerant": draw(st.booleans()),
        },
        "disease": {
            "isotype": draw(st.sampled_from([None, "IgG kappa", "IgA lambda", "kappa light chain", "IgG"])),
            "cytogenetics": {"tested": draw(st.booleans()),
                             "findings": draw(st.lists(st.sampled_from(CYTOGENETIC_VOCABULARY), max_size=3,
                                                       unique=True))},
            "extensive_bone_disease": draw(st.booleans()),
            "plasma_cell_leukemia": draw(st.booleans()),
            "extramedullary_plasmacytoma": draw(st.booleans()),
        },
        "comorbidities": {
            "peripheral_neuropathy_grade": draw(st.integers(0, 4)),
            "recent_thrombosis": draw(st.booleans()),
            "hypercoagulable": draw(st.booleans()),
            "on_anticoagulation": draw(st.booleans()),
            "hepatic_impairment": draw(st.booleans()),
            "renal_impairment": draw(st.one_of(st.none(), st.booleans())),
            "on_dialysis": draw(st.booleans()),
        },
        # One value per analyte and date: same-day duplicates make the result depend on file order
        # (see test_properties.test_same_day_duplicates_do_not_depend_on_file_order).
        "labs": draw(st.lists(labs(), min_size=k, max_size=k, unique_by=lambda x: (x["date"], x["analyte"]))),
        "events": draw(st.lists(events(), max_size=2)),
        "therapy_lines": draw(lines()),
        "transplants": draw(st.lists(st.builds(lambda n, t: {"date": day(n), "type": t}, st.integers(0, AS_OF),
                                               st.sampled_from(["autologous", "allogeneic"])), max_size=2)),
        "settings": {"school": draw(st.sampled_from(["nccn", "european"]))},
    }
