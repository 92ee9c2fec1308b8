"""Small builders for case dicts, so each test states only what it is about.

Dates are written as day numbers from ``BASE`` (``day(183)``), so a test's arithmetic is the
day counts it shows. ``make_case`` returns a minimal valid case dict (a fit 60-year-old man,
standard-risk cytogenetics, nothing else) and merges whatever sections a test passes in.
"""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

from mmlogic import Assessment, assess, parse_case

BASE = date(2024, 1, 1)

DEFAULT_UNIT = {
    "serum_m_protein": "g/L", "urine_m_protein": "mg/24h", "flc_kappa": "mg/L", "flc_lambda": "mg/L",
    "serum_ife": None, "urine_ife": None, "calcium": "mmol/L", "hemoglobin": "g/L", "creatinine": "umol/L",
    "beta2_microglobulin": "mg/L", "albumin": "g/L", "marrow_plasma_cells": "%",
}


def day(n: int) -> str:
    return (BASE + timedelta(days=n)).isoformat()


def lab(n: int, analyte: str, value: Any, unit: str | None = "default", **extra: Any) -> dict[str, Any]:
    out = {"date": day(n), "analyte": analyte, "value": value}
    unit = DEFAULT_UNIT[analyte] if unit == "default" else unit
    if unit is not None:
        out["unit"] = unit
    out.update(extra)
    return out


def series(analyte: str, rows: list[tuple[int, Any]], unit: str | None = "default", **extra: Any) -> list[dict]:
    """One lab per (day, value) row: a timeline as a table."""
    return [lab(n, analyte, v, unit, **extra) for n, v in rows]


def serum(rows: list[tuple[int, float]]) -> list[dict]:
    return series("serum_m_protein", rows)


def line(regimen: str, start: int, end: int | None = None, drugs: list[str] | None = None,
         **extra: Any) -> dict[str, Any]:
    out = {"regimen": regimen, "drugs": drugs, "start": day(start), "end": None if end is None else day(end)}
    for key in ("progression_date",):
        if isinstance(extra.get(key), int):
            extra[key] = day(extra[key])
    out.update(extra)
    return out


def event(n: int, kind: str, **extra: Any) -> dict[str, Any]:
    return {"date": day(n), "kind": kind, **extra}


def asct(n: int, kind: str = "autologous") -> dict[str, Any]:
    return {"date": day(n), "type": kind}


def make_case(*, as_of: int | None = 720, labs: list | None = None, lines: list | None = None,
              events: list | None = None, transplants: list | None = None, patient: dict | None = None,
              disease: dict | None = None, comorbidities: dict | None = None, cytogenetics: list | None = None,
              school: str | None = None, **top: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "schema_version": 1,
        "case_id": "t",
        "patient": {"age": 60, "sex": "male", "weight_kg": 70, "ecog": 0},
        "disease": {"isotype": "IgG kappa", "cytogenetics": {"tested": True, "findings": ["hyperdiploid"]}},
        "comorbidities": {},
        "labs": list(labs or []),
        "events": list(events or []),
        "therapy_lines": list(lines or []),
        "transplants": list(transplants or []),
    }
    if as_of is not None:
        data["as_of"] = day(as_of)
    data["patient"].update(patient or {})
    data["disease"].update(disease or {})
    if cytogenetics is not None:
        data["disease"]["cytogenetics"] = {"tested": True, "findings": list(cytogenetics)}
    data["comorbidities"].update(comorbidities or {})
    if school is not None:
        data["settings"] = {"school": school}
    data.update(top)
    return data


def run(data: dict[str, Any]) -> Assessment:
    return assess(parse_case(copy.deepcopy(data)))


# ---- a standard timeline used by the ranking tests --------------------------------------------
# Melphalan-prednisone (no novel agent, no IMiD, no bortezomib) days 0–180; serum M 30 → PR on day 60
# (12 g/L), nadir 5 g/L on day 180; confirmed rise from day 400 (10.5, then 12): relapsed, not
# refractory (progression 220 days after the end), remission 340 days, standard risk, fit.
RELAPSE_ROWS = [(-5, 30.0), (60, 12.0), (120, 6.0), (180, 5.0), (400, 10.5), (430, 12.0)]


def relapsed_case(**kw: Any) -> dict[str, Any]:
    kw.setdefault("labs", serum(RELAPSE_ROWS))
    kw.setdefault("lines", [line("MP", 0, 180, drugs=["melphalan", "prednisone"])])
    kw.setdefault("as_of", 450)
    return make_case(**kw)


def ranks(a: Assessment) -> dict[str, int]:
    return {s.regimen: s.rank for s in a.suggestions}


def scores(a: Assessment) -> dict[str, list[int]]:
    return {s.regimen: list(s.score) for s in a.suggestions}


def suggestion(a: Assessment, regimen: str):
    return next(s for s in a.suggestions if s.regimen == regimen)


def reason_rules(a: Assessment, regimen: str) -> list[str]:
    return [r.rule for r in suggestion(a, regimen).reasons]


def caution_rules(a: Assessment, regimen: str) -> list[str]:
    return [c.rule for c in suggestion(a, regimen).cautions]


def containing(a: Assessment, drug: str) -> list[str]:
    return [s.regimen for s in a.suggestions if drug in s.drugs]


def criteria(a: Assessment) -> dict[str, bool]:
    """rule -> confirmed, for the relapse criteria found."""
    return {c.rule: c.confirmed for c in a.relapse.criteria}


def flc_pair(rows: list[tuple[int, float, float]]) -> list[dict]:
    """κ and λ free light chains per (day, kappa, lambda) row, in mg/L."""
    out = []
    for n, kappa, lam in rows:
        out += [lab(n, "flc_kappa", kappa), lab(n, "flc_lambda", lam)]
    return out
