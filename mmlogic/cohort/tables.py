"""One patient of a registry: long-format rows in, visit / line / patient rows out (issue 18).

The engines (``registry.engines``) hand every patient to :func:`run_group` as one pandas frame of
``patient_id, table, row, payload`` (``table`` is labs / lines / patients / events / transplants,
``row`` the 1-based row number in that table's file, ``payload`` the row as JSON text with every
value as read). It returns one frame of ``patient_id, table, payload`` whose ``table`` is visits,
lines, patients or problems. Both the in-process engine and Spark's ``applyInPandas`` call this very
function, so the two engines give the same rows.

Validation is at this boundary, per patient: the rows become a case (case-format.md) and
``parse_case`` names every problem, translated back to the input table and row
(``labs row 12: unit: …``). A patient with a problem gets one ``problems`` row listing all of them
and no other output; the rest of the registry goes on.

Columns the registry does not carry (age, sex, ECOG when there is no patients table) are filled
with :data:`PLACEHOLDER_PATIENT` only to make a valid case: no output column depends on them (the
cohort uses response, relapse, status, timing and exposure, never risk, goal or ranking).

Pure: no clock (``today`` is a parameter), no I/O.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import pandas as pd

from ..case import Case, parse_case
from ..errors import CaseInvalid
from ..exposure import decision_axes
from ..history import build_history
from ..assess import _relapse
from ..status import disease_status
from .replay import PrefixObserver, VisitFacts, confirmed_by_next, progression_rules, visit_dates, visit_facts

__all__ = ["OUT_COLUMNS", "PLACEHOLDER_PATIENT", "TABLES", "case_from_rows", "run_group", "run_patient"]

TABLES = ("labs", "lines", "patients", "events", "transplants")
OUT_COLUMNS = ["patient_id", "table", "payload"]
#: Only to make a valid case when the registry has no patients table: no cohort output uses them.
PLACEHOLDER_PATIENT = {"age": 65, "sex": "female", "ecog": 1}
_PATH = re.compile(r"^(labs|therapy_lines|events|transplants)\[(\d+)\]\.?(.*)$")
_TABLE_OF = {"labs": "labs", "therapy_lines": "lines", "events": "events", "transplants": "transplants"}


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, float) and v != v) or (isinstance(v, str) and not v.strip())


def _num(v: Any) -> Any:
    """A number when the text is one; otherwise the text itself (parse_case then names the problem)."""
    if _blank(v):
        return None
    if isinstance(v, (int, float)):
        return v
    try:
        x = float(str(v).strip())
    except ValueError:
        return str(v).strip()
    return int(x) if x.is_integer() and "." not in str(v) else x


def _str(v: Any) -> str | None:
    return None if _blank(v) else str(v).strip()


def _date(v: Any) -> str | None:
    s = _str(v)
    return s[:10] if s and len(s) >= 10 and s[4] == "-" and s[10:].strip(" T0:.") == "" else s


def _flag(v: Any) -> Any:
    s = _str(v)
    if s is None:
        return None
    return {"true": True, "false": False, "1": True, "0": False}.get(s.lower(), s)


def case_from_rows(patient_id: str, rows: dict[str, list[tuple[int, dict[str, Any]]]]) -> tuple[dict, dict]:
    """The case dict of one patient and, per case list, the input row number of each item."""
    origin: dict[str, list[int]] = {"labs": [], "therapy_lines": [], "events": [], "transplants": []}
    labs = []
    for n, r in rows.get("labs", []):
        value = r.get("value")
        text = _str(value)
        lab = {"date": _date(r.get("date")), "analyte": _str(r.get("analyte")),
               "value": text.lower() if text and text.lower() in ("positive", "negative") else _num(value)}
        if not _blank(r.get("unit")):
            lab["unit"] = _str(r.get("unit"))
        if not _blank(r.get("myeloma_related")):
            lab["myeloma_related"] = _flag(r.get("myeloma_related"))
        labs.append(lab)
        origin["labs"].append(n)
    lines = []
    for n, r in sorted(rows.get("lines", []), key=lambda x: (str(_date(x[1].get("start"))), x[0])):
        drugs = _str(r.get("drugs"))
        line = {"regimen": _str(r.get("regimen")),
                "drugs": [d.strip() for d in drugs.split(";") if d.strip()] if drugs else None,
                "start": _date(r.get("start")), "end": _date(r.get("end"))}
        for extra in ("best_response", "progression_date"):
            if not _blank(r.get(extra)):
                line[extra] = _date(r.get(extra)) if extra == "progression_date" else _str(r.get(extra))
        lines.append(line)
        origin["therapy_lines"].append(n)
    events = []
    for n, r in rows.get("events", []):
        event = {"date": _date(r.get("date")), "kind": _str(r.get("kind"))}
        for k in ("increase_pct", "increase_cm"):
            if not _blank(r.get(k)):
                event[k] = _num(r.get(k))
        if not _blank(r.get("extramedullary")):
            event["extramedullary"] = _flag(r.get("extramedullary"))
        events.append(event)
        origin["events"].append(n)
    transplants = []
    for n, r in rows.get("transplants", []):
        transplants.append({"date": _date(r.get("date")), "type": _str(r.get("type"))})
        origin["transplants"].append(n)
    patient = dict(PLACEHOLDER_PATIENT)
    disease: dict[str, Any] = {}
    people = rows.get("patients", [])
    if people:
        _, p = people[0]
        for k in ("age", "ecog", "weight_kg"):
            if not _blank(p.get(k)):
                patient[k] = _num(p.get(k))
        if not _blank(p.get("sex")):
            patient["sex"] = _str(p.get("sex")).lower()
        if not _blank(p.get("isotype")):
            disease["isotype"] = _str(p.get("isotype"))
    case = {"schema_version": 1, "case_id": str(patient_id)[:64] or "?", "patient": patient, "disease": disease,
            "labs": labs, "therapy_lines": lines, "events": events, "transplants": transplants}
    return case, origin


def _where(path: str, origin: dict[str, list[int]]) -> str:
    m = _PATH.match(path)
    if not m:
        return path
    lst, i, rest = m.group(1), int(m.group(2)), m.group(3)
    rows = origin.get(lst, [])
    row = rows[i] if i < len(rows) else i + 1
    return f"{_TABLE_OF[lst]} row {row}" + (f": {rest}" if rest else "")


def _problems(error: CaseInvalid, origin: dict[str, list[int]]) -> list[str]:
    out = []
    for p in error.problems:
        text = p.message
        out.append(_where(p.path, origin) + text[len(p.path):])
    return out


def _visit_rows(patient_id: str, facts: list[VisitFacts], visits: str) -> list[dict]:
    out = []
    for i, f in enumerate(facts):
        following = facts[i + 1] if i + 1 < len(facts) else None
        prog = progression_rules(f)
        rules = sorted({*prog, *f.timing_rules, *([f.response_rule] if f.response_rule else [])})
        row = {"patient_id": patient_id, "date": f.date.isoformat(), "line_index": f.line_index,
               "response": f.response, "progression": bool(prog),
               "progression_confirmed": confirmed_by_next(f, following), "timing": f.timing, "rules": rules}
        if visits == "labelled" and row["response"] is None and not row["progression"]:
            continue
        out.append(row)
    return out


def _line_and_patient_rows(patient_id: str, case: Case, facts: list[VisitFacts]) -> tuple[list[dict], dict]:
    end = case.latest_date()
    obs = PrefixObserver(case).at(end)
    history = build_history(obs)
    status = disease_status(obs, history)
    relapse = _relapse(obs, history)
    exposure = decision_axes(history)
    lines = []
    for k, f in enumerate(history.lines):
        ln = f.line
        nxt = history.lines[k + 1].line.start if k + 1 < len(history.lines) else end
        progressed = f.progression is not None and f.progression >= ln.start
        stop = f.progression if progressed else nxt
        lines.append({
            "patient_id": patient_id, "line_index": ln.index, "regimen": ln.regimen, "drugs": list(ln.drugs),
            "start": ln.start.isoformat(), "end": ln.end.isoformat() if ln.end else None, "salvage": f.salvage,
            "best_response": f.best.value if f.best else None,
            "response_date": f.response_date.isoformat() if f.response_date else None,
            "progression_date": f.progression.isoformat() if f.progression else None,
            "ttp_days": (f.progression - ln.start).days if progressed else None,
            "followup_days": max((stop - ln.start).days, 0), "progressed": progressed, "refractory": f.refractory,
        })
    kinds = sorted({c.rule for c in relapse.criteria if c.confirmed})
    patient = {
        "patient_id": patient_id, "as_of": end.isoformat(), "visits": len(facts),
        "first_visit": facts[0].date.isoformat() if facts else None,
        "status": status.category.value, "status_rules": list(status.rules),
        "biochemical_relapse": relapse.biochemical, "clinical_relapse": relapse.clinical,
        "relapse_date": relapse.date.isoformat() if relapse.date else None, "relapse_kinds": kinds,
        "timing": facts[-1].timing if facts else None,
        "lines": len(history.lines), "prior_lines": exposure.prior_lines,
        "refractory_drugs": list(status.refractory_drugs),
        "exposed_drugs": sorted(exposure.drugs), "triple_class_exposed": exposure.triple_class_exposed,
        "triple_class_refractory": exposure.triple_class_refractory, "penta_refractory": exposure.penta_refractory,
    }
    return lines, patient


def run_patient(patient_id: str, rows: dict[str, list[tuple[int, dict[str, Any]]]], *, visits: str = "all",
                today: date | None = None) -> dict[str, list[dict]]:
    """Visit, line and patient rows of one patient, or one problems row naming every problem."""
    data, origin = case_from_rows(patient_id, rows)
    problems: list[str] = []
    if len(rows.get("patients", [])) > 1:
        problems.append(f"patients: {len(rows['patients'])} rows for one patient (expected one)")
    try:
        case = parse_case(data)
        if today is not None:
            problems += [f"{_where(path, origin)}: a date on or before today ({today.isoformat()}) (got {d})"
                         for path, d in case.dated_fields() if d > today]
    except CaseInvalid as error:
        problems += _problems(error, origin)
    if problems:
        return {"problems": [{"patient_id": patient_id, "problems": problems}]}
    if case.latest_date() is None:
        return {"problems": [{"patient_id": patient_id, "problems": ["no dated data: nothing to assess"]}]}
    facts = visit_facts(case, visit_dates(case))
    lines, patient = _line_and_patient_rows(patient_id, case, facts)
    return {"visits": _visit_rows(patient_id, facts, visits), "lines": lines, "patients": [patient]}


def run_group(pdf: pd.DataFrame, visits: str = "all", today: date | None = None) -> pd.DataFrame:
    """The per-patient function of both engines: (patient_id, table, row, payload) → (patient_id, table, payload)."""
    out: list[tuple[str, str, str]] = []
    for patient_id, group in pdf.groupby("patient_id", sort=False):
        rows: dict[str, list[tuple[int, dict]]] = {}
        for table, row, payload in zip(group["table"], group["row"], group["payload"]):
            rows.setdefault(table, []).append((int(row), json.loads(payload)))
        for table, items in run_patient(str(patient_id), rows, visits=visits, today=today).items():
            out += [(str(patient_id), table, json.dumps(item, ensure_ascii=False)) for item in items]
    return pd.DataFrame(out, columns=OUT_COLUMNS)
