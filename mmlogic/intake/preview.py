"""One import: files in (case JSON, long CSV, wide csv/xlsx, FHIR Bundle/NDJSON), a preview out.

``preview_import`` reads every file through the intake's readers, combines them (a case JSON or a
project FHIR bundle gives the base; FHIR gives the patient, therapy lines and transplants; every
file may give labs), and validates the result with the core's own case rules. Nothing is replaced
until the caller takes ``preview.case`` (replace) or ``preview.merged_labs(current)`` (merge labs).
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import PurePath
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from ..case import parse_case
from ..errors import CaseInvalid, CaseProblem
from .fhir import read_fhir
from .jsonsafe import check_size, decode_text, loads
from .problems import Skipped, problem, refuse
from .tables import looks_wide, read_long_csv, read_wide, rows_of_csv, rows_of_xlsx

__all__ = ["FORMATS", "ImportPreview", "Problem", "SourceInfo", "detect_format", "preview_import"]

Format = Literal["auto", "fhir", "wide", "csv", "json"]
FORMATS: tuple[str, ...] = ("auto", "fhir", "wide", "csv", "json")


class Problem(BaseModel):
    """A reason the imported data is not yet a whole case (path, en, zh)."""

    model_config = ConfigDict(frozen=True)
    path: str
    en: str
    zh: str

    def text(self, lang: str = "en") -> str:
        return f"{self.path}:{self.zh}" if lang == "zh" else f"{self.path}: {self.en}"

    @classmethod
    def of(cls, found: CaseProblem) -> Problem:
        return cls(path=found.path, en=found.text("en").removeprefix(found.path + ": "),
                   zh=found.text("zh").removeprefix(found.path + ":"))


class SourceInfo(BaseModel):
    name: str
    format: str
    labs: int = 0
    therapy_lines: int = 0
    transplants: int = 0


class ImportPreview(BaseModel):
    """What an import would bring, what it left out and why, before anything is replaced."""

    sources: list[SourceInfo]
    patient: dict[str, Any] = {}
    labs: list[dict[str, Any]] = []
    therapy_lines: list[dict[str, Any]] = []
    transplants: list[dict[str, Any]] = []
    skipped: list[Skipped] = []
    #: the whole case the import makes (None when ``problems`` says what is missing)
    case: dict[str, Any] | None = None
    problems: list[Problem] = []

    def merged_labs(self, current: dict[str, Any]) -> dict[str, Any]:
        """``current`` with the imported labs added (exact duplicates left out); raises CaseInvalid."""
        known = {_key(lab) for lab in current.get("labs") or []}
        merged = dict(current)
        merged["labs"] = list(current.get("labs") or []) + [lab for lab in self.labs if _key(lab) not in known]
        return parse_case(merged).to_json_dict()


def _key(lab: dict[str, Any]) -> tuple[Any, ...]:
    return (lab.get("date"), lab.get("analyte"), lab.get("value"), lab.get("unit"), lab.get("below_detection", False))


def detect_format(name: str, data: bytes) -> str:
    """'fhir', 'wide', 'csv' or 'json' from the file's name and first bytes."""
    suffix = PurePath(name).suffix.lower()
    if data[:2] == b"PK" or suffix in (".xlsx", ".xlsm"):
        return "wide"
    if suffix == ".ndjson":
        return "fhir"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \r\n\t")
    if head.startswith((b"{", b"[")) or suffix == ".json":
        return "fhir" if b'"resourceType"' in data[:65536] else "json"
    return "csv"


def _read_table(name: str, data: bytes, fmt: str) -> list[list[Any]]:
    if data[:2] == b"PK" or PurePath(name).suffix.lower() in (".xlsx", ".xlsm"):
        return rows_of_xlsx(data, name)
    return rows_of_csv(data, name)


def preview_import(files: list[tuple[str, bytes]], *, today: date, fmt: str = "auto",
                   base: dict[str, Any] | None = None) -> ImportPreview:
    """Read ``files`` (name, bytes) and combine them; CaseInvalid when a file is refused whole."""
    if fmt not in FORMATS:
        refuse("--format", f"expected one of {', '.join(FORMATS)}", f"应为以下之一:{', '.join(FORMATS)}", fmt)
    sources: list[SourceInfo] = []
    skipped: list[Skipped] = []
    labs: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    transplants: list[dict[str, Any]] = []
    patient: dict[str, Any] = {}
    case_base: dict[str, Any] | None = None
    for name, data in files:
        check_size(data, name)
        kind = detect_format(name, data) if fmt == "auto" else fmt
        info = SourceInfo(name=name, format=kind)
        if kind == "json":
            raw = loads(data, name)
            if not isinstance(raw, dict):
                refuse(name, f"expected a JSON object: a JSON {type(raw).__name__} is not a case object",
                       f"应为 JSON 对象:JSON {type(raw).__name__} 不是病例对象", has_got=False)
            parse_case(raw)  # a case file must be a whole valid case
            if case_base is not None:
                refuse(name, "expected at most one case file per import", "每次导入最多一个病例文件", has_got=False)
            case_base = raw
            info.labs, info.therapy_lines = len(raw.get("labs") or []), len(raw.get("therapy_lines") or [])
        elif kind == "fhir":
            found = read_fhir(data, name, today)
            if found.rest is not None:
                case_base = {**found.rest, "labs": [], "transplants": []}
                case_base["patient"] = {**found.rest.get("patient", {})}
            patient.update(found.patient)
            labs += found.labs
            lines += found.therapy_lines
            transplants += found.transplants
            skipped += found.skipped
            info.labs, info.therapy_lines, info.transplants = len(found.labs), len(found.therapy_lines), len(found.transplants)
        elif kind == "wide" or (kind == "csv" and looks_wide(table := _read_table(name, data, kind))):
            table = _read_table(name, data, kind)
            wide = read_wide(table, name)
            info.format = "wide"
            labs += wide.labs
            skipped += wide.skipped
            info.labs = len(wide.labs)
        else:
            decode_text(data, name)
            long = read_long_csv(data, name)
            for row in long.rows:
                if row.lab is not None:
                    labs.append(row.lab)
                else:
                    for p in row.problems:
                        skipped.append(Skipped(source=name, where=f"row {row.line}", en=p.text("en"), zh=p.text("zh")))
            info.labs = sum(1 for r in long.rows if r.lab is not None)
        sources.append(info)
    # Exact duplicates (the same lab in two files, or twice in one) are imported once.
    seen: set[tuple[Any, ...]] = set()
    unique = []
    for lab in labs:
        key = _key(lab)
        if key in seen:
            skipped.append(Skipped(source="(import)", where=f"{lab['date']} {lab['analyte']}",
                                   en="the same lab appears twice: imported once", zh="同一检验结果出现两次:只导入一次",
                                   got=str(lab.get("value"))))
            continue
        seen.add(key)
        unique.append(lab)
    preview = ImportPreview(sources=sources, patient=patient, labs=unique, therapy_lines=lines,
                            transplants=transplants, skipped=skipped)
    start = case_base if case_base is not None else base
    candidate: dict[str, Any] = dict(start) if start else {"schema_version": 1}
    candidate["patient"] = {**(candidate.get("patient") or {}), **patient}
    base_labs = [lab for lab in candidate.get("labs") or [] if _key(lab) not in seen]
    candidate["labs"] = base_labs + unique
    if lines or "therapy_lines" not in candidate:
        candidate["therapy_lines"] = lines if case_base is None or not case_base.get("therapy_lines") or lines else \
            case_base["therapy_lines"]
    if transplants or "transplants" not in candidate:
        candidate["transplants"] = transplants
    if "case_id" not in candidate:
        digest = hashlib.sha256(b"".join(data for _, data in files)).hexdigest()[:8]
        candidate["case_id"] = f"import-{digest}"
    try:
        preview.case = parse_case(candidate).to_json_dict()
    except CaseInvalid as error:
        preview.problems = [Problem.of(p) for p in error.problems]
    return preview


__all__ += ["problem"]
