"""FHIR R4 in and out: a Bundle or Bulk-Data NDJSON becomes patient, labs, therapy lines and
transplants; a case becomes a Bundle of the same resources (round trip: case → FHIR → case equal).

Each resource is validated alone with ``fhir.resources`` (R4 models: ``fhir.resources.R4B``), so one
bad resource is skipped with its reason instead of refusing the Bundle. Units are not converted
here: an accepted unit (UCUM code or its spelling in the case format) is kept as entered and
``mmlogic.observations`` converts it, the one conversion of the program.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ..case import Case
from ..drugs import canonical_drug, drugs_of_regimen
from ..limits import MAX_INPUT_BYTES, MAX_LAB_ROWS
from ..units import QUALITATIVE, Analyte
from .cells import unit_of
from .jsonsafe import decode_text, loads
from .problems import Skipped, refuse

__all__ = ["LOINC", "FhirImport", "case_to_bundle", "read_fhir"]

LOINC_SYSTEM = "http://loinc.org"
UCUM_SYSTEM = "http://unitsofmeasure.org"
EXT = "https://mmnav.invalid/fhir/StructureDefinition/"
#: Analytes without a LOINC code here (24-h urine M-protein, marrow plasma cells) use the case's own names.
ANALYTE_SYSTEM = "https://mmnav.invalid/fhir/CodeSystem/analyte"
TRANSPLANT_SYSTEM = "https://mmnav.invalid/fhir/CodeSystem/transplant"

#: LOINC code -> analyte. IFE: 25700-6 "Immunofixation for Serum or Plasma" (a nominal result,
#: positive/negative); 13440-3 is the urine immunofixation.
LOINC: dict[str, Analyte] = {
    "33358-3": Analyte.SERUM_M_PROTEIN,
    "36916-5": Analyte.FLC_KAPPA,
    "33944-0": Analyte.FLC_LAMBDA,
    "17861-6": Analyte.CALCIUM,
    "718-7": Analyte.HEMOGLOBIN,
    "2160-0": Analyte.CREATININE,
    "1952-1": Analyte.BETA2_MICROGLOBULIN,
    "1751-7": Analyte.ALBUMIN,
    "25700-6": Analyte.SERUM_IFE,
    "13440-3": Analyte.URINE_IFE,
}
LOINC_FLC_RATIO = "48378-4"
LOINC_AGE = "30525-0"
LOINC_ECOG = "89247-1"
LOINC_WEIGHT = "29463-7"
_ANALYTE_LOINC = {a: code for code, a in LOINC.items()}
_READ_TYPES = ("Patient", "Observation", "MedicationStatement", "MedicationRequest", "MedicationAdministration",
               "Procedure", "Medication")
_DONE_STATUSES = {"final", "amended", "corrected"}
_POSITIVE = {"positive", "detected", "present", "10828004", "260373001", "阳性"}
_NEGATIVE = {"negative", "not detected", "absent", "260385009", "260415000", "阴性", "未检出"}


@dataclass
class FhirImport:
    """What a FHIR file holds for a case (each part None/empty when absent)."""

    patient: dict[str, Any] = field(default_factory=dict)
    labs: list[dict[str, Any]] = field(default_factory=list)
    therapy_lines: list[dict[str, Any]] = field(default_factory=list)
    transplants: list[dict[str, Any]] = field(default_factory=list)
    rest: dict[str, Any] | None = None  # the case fields a project bundle carries in its extension
    skipped: list[Skipped] = field(default_factory=list)


def _model(resource_type: str) -> Any:
    from fhir.resources.R4B import get_fhir_model_class

    return get_fhir_model_class(resource_type)


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _codes(concept: Any) -> list[tuple[str | None, str | None, str | None]]:
    if concept is None:
        return []
    return [(c.system, c.code, c.display) for c in (concept.coding or [])]


def _concept_text(concept: Any) -> str:
    if concept is None:
        return ""
    return concept.text or next((c.display for c in concept.coding or [] if c.display), "") or ""


def _ext(resource: Any, name: str) -> Any:
    for extension in getattr(resource, "extension", None) or []:
        if extension.url == EXT + name:
            for attr in ("valueString", "valueBoolean", "valueInteger", "valueDecimal"):
                value = getattr(extension, attr, None)
                if value is not None:
                    return value
    return None


def resources_of(data: bytes | str, source: str) -> list[dict[str, Any]]:
    """The resources of a Bundle (JSON) or of Bulk-Data NDJSON (one resource a line)."""
    text = decode_text(data, source)
    stripped = text.lstrip("\ufeff \r\n\t")
    lines = [line for line in stripped.splitlines() if line.strip()]
    if len(lines) > 1 and all(line.lstrip().startswith("{") for line in lines[:3]) and not stripped.startswith("{\n") \
            and _is_ndjson(lines[0]):
        if len(lines) > MAX_LAB_ROWS:
            refuse(source, f"expected at most {MAX_LAB_ROWS:,} resources", f"资源最多 {MAX_LAB_ROWS:,} 个", has_got=False)
        out = []
        for number, line in enumerate(lines, start=1):
            item = loads(line, f"{source} line {number}")
            if isinstance(item, dict):
                out.append(item)
        return out
    data_ = loads(text, source)
    if not isinstance(data_, dict) or "resourceType" not in data_:
        refuse(source, "expected a FHIR resource (an object with resourceType)", "应为 FHIR 资源(带 resourceType 的对象)",
               has_got=False)
    if data_["resourceType"] != "Bundle":
        return [data_]
    entries = data_.get("entry") or []
    if not isinstance(entries, list):
        refuse(source, "expected Bundle.entry to be a list", "Bundle.entry 应为列表", has_got=False)
    return [e["resource"] for e in entries if isinstance(e, dict) and isinstance(e.get("resource"), dict)]


def _is_ndjson(first: str) -> bool:
    try:
        return isinstance(json.loads(first), dict)
    except (ValueError, RecursionError):
        return False


def _age(birth: Any, today: date) -> int | None:
    born = _day(birth) if not isinstance(birth, str) or len(birth) >= 10 else None
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def read_fhir(data: bytes | str, source: str, today: date) -> FhirImport:
    """Read a FHIR R4 Bundle or NDJSON; every resource not used is listed as skipped with why."""
    out = FhirImport()
    raw_resources = resources_of(data, source)
    parsed: list[tuple[str, Any]] = []
    medications: dict[str, str] = {}
    for index, raw in enumerate(raw_resources):
        kind = str(raw.get("resourceType", "?"))[:40]
        where = f"{kind}/{str(raw.get('id', index))[:40]}"
        if kind not in _READ_TYPES:
            out.skipped.append(Skipped(source=source, where=where, en=f"{kind} resources are not read",
                                       zh=f"不读取 {kind} 资源"))
            continue
        try:
            resource = _model(kind).model_validate(raw)
        except Exception as error:  # pydantic ValidationError, or a model error: skipped, not a traceback
            first = str(error).splitlines()
            out.skipped.append(Skipped(source=source, where=where, en="not a valid FHIR R4 resource",
                                       zh="不是有效的 FHIR R4 资源", got=(first[1] if len(first) > 1 else first[0])[:80]))
            continue
        if kind == "Medication":
            medications[f"Medication/{resource.id}"] = _concept_text(resource.code)
            continue
        parsed.append((where, resource))
    drug_periods: list[tuple[str, str, date, date | None, int | None]] = []
    for where, resource in parsed:
        kind = resource.get_resource_type()
        if kind == "Patient":
            _patient(resource, today, out, source, where)
        elif kind == "Observation":
            _observation(resource, today, out, source, where)
        elif kind.startswith("Medication"):
            item = _medication(resource, medications, out, source, where)
            if item:
                drug_periods.append((where, *item))
        elif kind == "Procedure":
            _procedure(resource, out, source, where)
    if out.rest is not None and "therapy_lines" in out.rest:
        out.therapy_lines = out.rest.pop("therapy_lines")
    else:
        out.therapy_lines = _lines(drug_periods)
    return out


def _patient(resource: Any, today: date, out: FhirImport, source: str, where: str) -> None:
    if resource.gender in ("male", "female"):
        out.patient["sex"] = resource.gender
    else:
        out.skipped.append(Skipped(source=source, where=where + ".gender",
                                   en="the case records sex as male or female: enter it by hand",
                                   zh="病例的性别只记为男或女:请手动填写", got=str(resource.gender)))
    if resource.birthDate is not None:
        age = _age(resource.birthDate, today)
        if age is None:
            out.skipped.append(Skipped(source=source, where=where + ".birthDate", en="birth date without a day",
                                       zh="出生日期不完整", got=str(resource.birthDate)))
        else:
            out.patient["age"] = age
    extra = _ext(resource, "case")
    if isinstance(extra, str):
        try:
            out.rest = loads(extra, source + " extension")
        except ValueError:
            out.rest = None


def _quantity(resource: Any) -> tuple[float | None, str | None, str | None]:
    q = resource.valueQuantity
    if q is None or q.value is None:
        return None, None, None
    return float(q.value), (q.code or q.unit), q.comparator


def _observation(resource: Any, today: date, out: FhirImport, source: str, where: str) -> None:
    codes = _codes(resource.code)
    loinc = next((c for s, c, _ in codes if s == LOINC_SYSTEM and c), None)
    label = _concept_text(resource.code)[:60]
    if resource.status not in _DONE_STATUSES:
        out.skipped.append(Skipped(source=source, where=where, en=f"status {resource.status!r} is not a final result",
                                   zh=f"状态 {resource.status!r} 不是最终结果", got=label))
        return
    when = _day(resource.effectiveDateTime) or _day(getattr(resource.effectivePeriod, "start", None)) \
        or _day(resource.issued)
    if loinc in (LOINC_AGE, LOINC_ECOG, LOINC_WEIGHT):
        value, _, _ = _quantity(resource)
        value = value if value is not None else resource.valueInteger
        if value is None:
            out.skipped.append(Skipped(source=source, where=where, en="no value", zh="无数值", got=label))
        elif loinc == LOINC_AGE:
            out.patient.setdefault("age", int(value))
        elif loinc == LOINC_ECOG:
            out.patient["ecog"] = int(value)
        else:
            out.patient["weight_kg"] = float(value)
        return
    if loinc == LOINC_FLC_RATIO:
        out.skipped.append(Skipped(source=source, where=where, en="the κ/λ ratio is computed by the app from κ and λ",
                                   zh="κ/λ 比值由程序根据 κ 与 λ 计算,不导入", got=label))
        return
    analyte = LOINC.get(loinc or "")
    own = next((c for sys_, c, _ in codes if sys_ == ANALYTE_SYSTEM and c), None)
    if analyte is None and own in {a.value for a in Analyte}:
        analyte = Analyte(own)
    if analyte is None:
        shown = ", ".join(f"{c}" for _, c, _ in codes if c) or "no code"
        out.skipped.append(Skipped(source=source, where=where, en=f"code {shown} is not one the case records",
                                   zh=f"编码 {shown} 不在病例记录的项目之内", got=label))
        return
    if when is None:
        out.skipped.append(Skipped(source=source, where=where, en="no date", zh="无日期", got=label))
        return
    if when > today:
        out.skipped.append(Skipped(source=source, where=where, en=f"dated after today ({today.isoformat()})",
                                   zh=f"日期晚于今天({today.isoformat()})", got=when.isoformat()))
        return
    lab: dict[str, Any] = {"date": when.isoformat(), "analyte": analyte.value}
    if analyte in QUALITATIVE:
        words = {resource.valueString or ""} | {x for s, c, d in _codes(resource.valueCodeableConcept) for x in (c, d) if x}
        words |= {_concept_text(resource.valueCodeableConcept)}
        words = {w.strip().casefold() for w in words if w}
        if words & _POSITIVE:
            lab["value"] = "positive"
        elif words & _NEGATIVE:
            lab["value"] = "negative"
        else:
            reason = _absent(resource)
            out.skipped.append(Skipped(source=source, where=where, en=reason[0] or "expected positive or negative",
                                       zh=reason[1] or "应为阳性或阴性", got=label))
            return
    else:
        value, unit_text, comparator = _quantity(resource)
        if value is None:
            reason = _absent(resource)
            out.skipped.append(Skipped(source=source, where=where, en=reason[0] or "no value", zh=reason[1] or "无数值",
                                       got=label))
            return
        # The human-readable unit when the case format accepts it as written (µmol/L), else the UCUM code.
        shown = resource.valueQuantity.unit
        unit, accepted = unit_of(analyte, shown) if shown else (None, False)
        if not accepted:
            unit, accepted = unit_of(analyte, unit_text)
        if not accepted:
            from ..units import accepted_units

            out.skipped.append(Skipped(
                source=source, where=where,
                en=f"unit {unit_text!r} is not accepted for {analyte.value} (accepted: {', '.join(accepted_units(analyte))})",
                zh=f"{analyte.value} 不接受单位 {unit_text!r}(可用:{', '.join(accepted_units(analyte))})", got=label))
            return
        if comparator in ("<", "<="):
            lab.update(value=0.0, unit=unit, below_detection=True)
            if _ext(resource, "below-detection-no-limit") is not True:
                lab["detection_limit"] = value
        elif comparator in (">", ">="):
            out.skipped.append(Skipped(source=source, where=where, en=f"a value {comparator} {value} is not a measurement",
                                       zh=f"{comparator} {value} 不是测量值", got=label))
            return
        elif value < 0:
            out.skipped.append(Skipped(source=source, where=where, en="a negative value", zh="负值", got=str(value)))
            return
        else:
            lab.update(value=value, unit=unit)
    if _ext(resource, "not-myeloma-related") is True:
        lab["myeloma_related"] = False
    out.labs.append(lab)
    if len(out.labs) > MAX_LAB_ROWS:
        refuse(source, f"expected at most {MAX_LAB_ROWS:,} lab rows", f"检验行数最多 {MAX_LAB_ROWS:,} 行", has_got=False)


def _absent(resource: Any) -> tuple[str, str]:
    reason = _concept_text(resource.dataAbsentReason)
    return (f"no value (data absent: {reason})", f"无数值(缺失原因:{reason})") if reason else ("", "")


def _drug_name(resource: Any, medications: dict[str, str]) -> str:
    concept = getattr(resource, "medicationCodeableConcept", None)
    if concept is not None:
        return _concept_text(concept)
    reference = getattr(resource, "medicationReference", None)
    if reference is not None and reference.reference:
        return medications.get(reference.reference, "")
    return ""


def _canonical(name: str) -> str | None:
    found = canonical_drug(name)
    if found:
        return found
    for word in name.replace("/", " ").replace("(", " ").split():
        found = canonical_drug(word)
        if found:
            return found
    return None


def _medication(resource: Any, medications: dict[str, str], out: FhirImport, source: str, where: str
                ) -> tuple[str, date, date | None, int | None] | None:
    kind = resource.get_resource_type()
    name = _drug_name(resource, medications)
    status = resource.status
    if status in ("entered-in-error", "not-taken", "cancelled", "draft", "intended", "not-done", "unknown"):
        out.skipped.append(Skipped(source=source, where=where, en=f"status {status!r}: not a treatment given",
                                   zh=f"状态 {status!r}:并非实际给予的治疗", got=name[:60]))
        return None
    drug = _canonical(name)
    if drug is None:
        out.skipped.append(Skipped(source=source, where=where, en="not a myeloma drug of the vocabulary (supportive care?)",
                                   zh="不在骨髓瘤药物词表中(支持治疗?)", got=name[:60]))
        return None
    start = end = None
    if kind in ("MedicationStatement", "MedicationAdministration"):
        period = getattr(resource, "effectivePeriod", None)
        start = _day(getattr(resource, "effectiveDateTime", None)) or _day(getattr(period, "start", None))
        end = _day(getattr(period, "end", None)) if period is not None else (
            start if kind == "MedicationAdministration" else None)
    else:  # MedicationRequest: the validity period of the prescription, else the date written
        validity = getattr(resource.dispenseRequest, "validityPeriod", None) if resource.dispenseRequest else None
        start = _day(getattr(validity, "start", None)) or _day(resource.authoredOn)
        end = _day(getattr(validity, "end", None))
    if start is None:
        out.skipped.append(Skipped(source=source, where=where, en="no start date", zh="无开始日期", got=name[:60]))
        return None
    line_index = _ext(resource, "line")
    return drug, start, end, line_index if isinstance(line_index, int) else None


def _lines(periods: list[tuple[str, str, date, date | None, int | None]]) -> list[dict[str, Any]]:
    """ASSUME-IMPORT-LINES: drugs starting on the same date form one line; the administrations of
    one drug span from the first to the last; overlapping statements of one drug are one span."""
    admin: dict[str, list[date]] = {}
    spans: list[tuple[str, date, date | None]] = []
    for where, drug, start, end, _ in periods:
        if where.startswith("MedicationAdministration"):
            admin.setdefault(drug, []).extend([start] + ([end] if end else []))
        else:
            spans.append((drug, start, end))
    spans += [(drug, min(days), max(days)) for drug, days in admin.items()]
    merged: list[tuple[str, date, date | None]] = []
    for drug, start, end in sorted(spans, key=lambda x: (x[0], x[1])):
        prev = merged[-1] if merged else None
        if prev and prev[0] == drug and (prev[2] is None or start <= prev[2]):
            merged[-1] = (drug, prev[1], None if prev[2] is None or end is None else max(prev[2], end))
        else:
            merged.append((drug, start, end))
    groups: dict[date, list[tuple[str, date | None]]] = {}
    for drug, start, end in merged:
        groups.setdefault(start, []).append((drug, end))
    lines = []
    for start in sorted(groups):
        drugs = sorted(dict.fromkeys(d for d, _ in groups[start]))
        ends = [e for _, e in groups[start]]
        end = None if any(e is None for e in ends) else max(e for e in ends if e is not None)
        lines.append({"regimen": _regimen_name(drugs), "drugs": drugs, "start": start.isoformat(),
                      "end": end.isoformat() if end else None})
    return lines


def _regimen_name(drugs: list[str]) -> str:
    from ..regimens import knowledge_base

    wanted = set(drugs)
    for regimen in knowledge_base().regimens:
        if set(regimen.drugs) == wanted:
            return regimen.id
    return " + ".join(drugs)[:120]


_TRANSPLANT_WORDS = {"autologous": ("autologous", "auto-sct", "asct", "autograft", "自体"),
                     "allogeneic": ("allogeneic", "allo-sct", "allograft", "异基因", "allogenic")}


def _procedure(resource: Any, out: FhirImport, source: str, where: str) -> None:
    text = (_concept_text(resource.code) + " " + " ".join(f"{c or ''} {d or ''}" for _, c, d in _codes(resource.code)))
    lowered = text.casefold()
    kind = next((k for k, words in _TRANSPLANT_WORDS.items() if any(w in lowered for w in words)), None)
    if kind is None:
        out.skipped.append(Skipped(source=source, where=where, en="not a stem-cell transplant",
                                   zh="不是造血干细胞移植", got=text.strip()[:60]))
        return
    if resource.status != "completed":
        out.skipped.append(Skipped(source=source, where=where, en=f"status {resource.status!r}: not done",
                                   zh=f"状态 {resource.status!r}:未完成", got=text.strip()[:60]))
        return
    when = _day(resource.performedDateTime) or _day(getattr(resource.performedPeriod, "start", None))
    if when is None:
        out.skipped.append(Skipped(source=source, where=where, en="no date", zh="无日期", got=text.strip()[:60]))
        return
    out.transplants.append({"date": when.isoformat(), "type": kind})


# ---- export -------------------------------------------------------------------------------------

def _number(value: float) -> Any:
    return Decimal(repr(float(value)))


def case_to_bundle(case: Case) -> dict[str, Any]:
    """The case as a FHIR R4 collection Bundle (JSON-ready, validated with fhir.resources).

    Patient (sex; age, ECOG and weight as Observations), one Observation per lab (LOINC, UCUM,
    ``comparator '<'`` for below detection), one MedicationStatement per drug of a line, one Procedure
    per transplant. The case fields FHIR has no place for (disease, comorbidities, events, settings,
    board decisions, line details) travel in one Patient extension so that case → FHIR → case is exact.
    """
    data = case.to_json_dict()
    rest = {k: v for k, v in data.items() if k not in ("labs", "transplants")}
    rest["patient"] = {k: v for k, v in data["patient"].items() if k not in ("sex", "age", "ecog", "weight_kg")}
    pid = "patient"
    entries: list[dict[str, Any]] = [{
        "resourceType": "Patient", "id": pid, "gender": case.patient.sex.value,
        "extension": [{"url": EXT + "case", "valueString": json.dumps(rest, ensure_ascii=False, sort_keys=True)}],
    }]
    subject = {"reference": f"Patient/{pid}"}
    when = case.as_of or case.latest_date()

    def obs(i: str, code: str, display: str, extra: dict[str, Any], day: date | None,
            system: str = LOINC_SYSTEM) -> dict[str, Any]:
        item = {"resourceType": "Observation", "id": i, "status": "final",
                "code": {"coding": [{"system": system, "code": code, "display": display}], "text": display},
                "subject": subject, **extra}
        if day is not None:
            item["effectiveDateTime"] = day.isoformat()
        return item

    entries.append(obs("age", LOINC_AGE, "Age", {"valueQuantity": {"value": case.patient.age, "unit": "a",
                                                                   "system": UCUM_SYSTEM, "code": "a"}}, when))
    entries.append(obs("ecog", LOINC_ECOG, "ECOG performance status", {"valueInteger": case.patient.ecog}, when))
    if case.patient.weight_kg is not None:
        entries.append(obs("weight", LOINC_WEIGHT, "Body weight", {"valueQuantity": {
            "value": _number(case.patient.weight_kg), "unit": "kg", "system": UCUM_SYSTEM, "code": "kg"}}, when))
    for i, lab in enumerate(case.labs):
        extra: dict[str, Any]
        if lab.analyte in QUALITATIVE:
            extra = {"valueString": lab.value}
        else:
            q: dict[str, Any] = {"value": _number(lab.detection_limit if lab.below_detection and
                                                   lab.detection_limit is not None else lab.value),
                                 "unit": lab.unit, "system": UCUM_SYSTEM,
                                 "code": "umol/L" if lab.unit == "µmol/L" else lab.unit}
            if lab.below_detection:
                q["comparator"] = "<"
            extra = {"valueQuantity": q}
        exts = []
        if not lab.myeloma_related:
            exts.append({"url": EXT + "not-myeloma-related", "valueBoolean": True})
        if lab.below_detection and lab.detection_limit is None:
            exts.append({"url": EXT + "below-detection-no-limit", "valueBoolean": True})
        if exts:
            extra["extension"] = exts
        code = _ANALYTE_LOINC.get(lab.analyte)
        entries.append(obs(f"lab-{i}", code or lab.analyte.value, lab.analyte.value, extra, lab.date,
                           LOINC_SYSTEM if code else ANALYTE_SYSTEM))
    for i, line in enumerate(case.therapy_lines):
        drugs = list(line.drugs or drugs_of_regimen(line.regimen) or ())
        for j, drug in enumerate(drugs):
            period = {"start": line.start.isoformat()}
            if line.end is not None:
                period["end"] = line.end.isoformat()
            entries.append({"resourceType": "MedicationStatement", "id": f"line-{i}-{j}", "status":
                            "completed" if line.end else "active", "subject": subject,
                            "medicationCodeableConcept": {"text": drug}, "effectivePeriod": period,
                            "extension": [{"url": EXT + "line", "valueInteger": i}]})
    for i, transplant in enumerate(case.transplants):
        entries.append({"resourceType": "Procedure", "id": f"transplant-{i}", "status": "completed", "subject": subject,
                        "code": {"coding": [{"system": TRANSPLANT_SYSTEM, "code": transplant.type.value,
                                             "display": f"{transplant.type.value} stem cell transplant"}],
                                 "text": f"{transplant.type.value} stem cell transplant"},
                        "performedDateTime": transplant.date.isoformat()})
    bundle = {"resourceType": "Bundle", "type": "collection",
              "entry": [{"fullUrl": f"urn:uuid:{e['resourceType'].lower()}-{e['id']}", "resource": e} for e in entries]}
    from fhir.resources.R4B.bundle import Bundle

    return json.loads(Bundle.model_validate(bundle).model_dump_json(exclude_none=True))


__all__ += ["MAX_INPUT_BYTES"]
