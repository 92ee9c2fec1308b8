"""The published JSON Schemas (docs/*.schema.json) are the ones the pydantic models generate."""

import json
from pathlib import Path

from mmlogic import Assessment, Case

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_case_schema_is_current() -> None:
    published = json.loads((DOCS / "case.schema.json").read_text())
    assert published == Case.model_json_schema(), "run: python -m mmlogic schema case > docs/case.schema.json"


def test_assessment_schema_is_current() -> None:
    published = json.loads((DOCS / "assessment.schema.json").read_text())
    assert published == Assessment.model_json_schema(), (
        "run: python -m mmlogic schema assessment > docs/assessment.schema.json")
