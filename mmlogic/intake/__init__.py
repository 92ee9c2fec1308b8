"""One intake for every way data enters the program (issue #16): case JSON, lab CSV (long),
laboratory exports in wide format (csv, xlsx), FHIR R4 (Bundle or Bulk-Data NDJSON), grid rows.

Limits come from ``mmlogic.limits`` and are checked before anything is parsed; every refusal is a
``CaseInvalid`` of ``CaseProblem`` items in English and Chinese; every row or resource left out of
an import is a ``Skipped`` item with its reason. Export: ``case_to_bundle`` (FHIR R4) and
``cards`` (a CDS Hooks–style card set of an assessment).
"""

from __future__ import annotations

from typing import Any

from ..case import Case, parse_case
from .cards import cards
from .fhir import LOINC, case_to_bundle, read_fhir
from .jsonsafe import check_size, decode_text, loads
from .preview import FORMATS, ImportPreview, Problem, SourceInfo, detect_format, preview_import
from .problems import Skipped, problem, refuse
from .tables import LAB_COLUMNS, LongCsv, LongRow, lab_from_cells, read_long_csv, read_wide, rows_of_csv, rows_of_xlsx

__all__ = [
    "FORMATS", "ImportPreview", "LAB_COLUMNS", "LOINC", "LongCsv", "LongRow", "Problem", "Skipped", "SourceInfo",
    "case_from_bytes", "case_json_from_bytes", "cards", "case_to_bundle", "check_size", "decode_text",
    "detect_format", "lab_from_cells", "loads", "preview_import", "problem", "read_fhir", "read_long_csv",
    "read_wide", "refuse", "rows_of_csv", "rows_of_xlsx",
]


def case_json_from_bytes(data: bytes | str, source: str = "(case)") -> dict[str, Any]:
    """Case JSON as uploaded (an object; not yet validated), every limit checked first."""
    raw = loads(data, source)
    if not isinstance(raw, dict):
        refuse(source, f"expected a JSON object: a JSON {type(raw).__name__} is not a case object",
               f"应为 JSON 对象:JSON {type(raw).__name__} 不是病例对象", has_got=False)
    return raw


def case_from_bytes(data: bytes | str, source: str = "(case)") -> Case:
    """A validated case from case JSON bytes (``CaseInvalid`` listing every problem)."""
    return parse_case(case_json_from_bytes(data, source))
