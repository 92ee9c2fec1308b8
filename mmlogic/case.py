"""The case: one patient's record as entered, validated strictly (docs/spec/case-format.md).

Values are kept in the unit they were entered in, so a saved case round-trips unchanged;
``mmlogic.observations`` converts them once to canonical units for the rules. Nothing is
coerced: a string where a number belongs, NaN, a negative value, an unknown unit or analyte
is a ``CaseProblem`` naming the field path (``labs[3].unit``), collected by ``parse_case``.
"""

from __future__ import annotations

import math
import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from .dates import EARLIEST_PLAUSIBLE_YEAR
from .errors import CaseInvalid, CaseProblem
from .units import QUALITATIVE, QUALITATIVE_VALUES, UNITS, Analyte

SCHEMA_VERSION = 1
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value: Any) -> Any:
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise ValueError("expected a real calendar date as YYYY-MM-DD") from None
    if isinstance(value, date):
        if value.year < EARLIEST_PLAUSIBLE_YEAR:  # a slip such as 0025-10-31 (issue #14)
            raise ValueError(f"expected a date from {EARLIEST_PLAUSIBLE_YEAR} on")
        return value
    raise ValueError("expected a date as YYYY-MM-DD")


def _number(value: Any) -> Any:
    # bool is an int in Python; a checkbox value in a number field is an input mistake.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError("expected a number")
    if not math.isfinite(value):
        raise ValueError("expected a finite number (NaN and infinity are not values)")
    return value


def _whole_number(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("expected a whole number")
    return value


def _flag(value: Any) -> Any:
    if not isinstance(value, bool):
        raise ValueError("expected true or false")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
Number = Annotated[float, BeforeValidator(_number)]
NonNegative = Annotated[float, BeforeValidator(_number), Field(ge=0)]
Flag = Annotated[bool, BeforeValidator(_flag)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


class Patient(_Strict):
    age: Annotated[int, BeforeValidator(_whole_number), Field(ge=18, le=120)]
    sex: Sex
    weight_kg: Annotated[float, BeforeValidator(_number), Field(gt=0, le=400)] | None = None
    ecog: Annotated[int, BeforeValidator(_whole_number), Field(ge=0, le=4)]
    fit_for_intensive_therapy: Flag | None = None
    steroid_intolerant: Flag = False
    # Catalog 1.1 (ASSUME-HARVEST): autologous stem cells already collected and stored; None = not known,
    # treated as not stored.
    stem_cells_stored: Flag | None = None


CYTOGENETIC_VOCABULARY = (
    "hyperdiploid",
    "hypodiploid",
    "t(11;14)",
    "t(4;14)",
    "del(17p)",
    "del(13q)",
    "monosomy 13",
    "t(14;16)",
    "t(14;20)",
    "gain(1q)",
    "normal",
)


class Cytogenetics(_Strict):
    tested: Flag = False
    findings: list[Annotated[str, Field(min_length=1, max_length=80)]] = []


_ISOTYPE = re.compile(
    r"^(?:(?P<heavy>ig[gadem])\s*)?(?P<light>kappa|lambda|κ|λ)?(?:\s*light[ -]chain(?: only)?)?$",
    re.IGNORECASE,
)
ISOTYPE_EXAMPLES = "IgG kappa, IgA lambda, kappa light chain, nonsecretory"


def isotype_parts(isotype: str | None) -> tuple[str | None, str | None]:
    """(heavy chain 'IgG'…, light chain 'kappa'/'lambda') of an isotype; None where unknown."""
    if not isotype:
        return None, None
    match = _ISOTYPE.match(isotype.strip())
    if not match:
        return None, None
    heavy = match.group("heavy")
    light = match.group("light")
    light = {"κ": "kappa", "λ": "lambda"}.get(light, light.lower() if light else None)
    return (heavy[:2].capitalize() + heavy[2:].upper() if heavy else None), light


class Disease(_Strict):
    isotype: str | None = None
    cytogenetics: Cytogenetics = Cytogenetics()
    extensive_bone_disease: Flag = False
    plasma_cell_leukemia: Flag = False
    extramedullary_plasmacytoma: Flag = False

    @field_validator("isotype")
    @classmethod
    def _known_isotype(cls, value: str | None) -> str | None:
        if value is None or value.lower() in ("", "unknown", "nonsecretory", "non-secretory"):
            return value or None
        if not _ISOTYPE.match(value) or value.strip() == "":
            raise ValueError(f"expected an isotype such as {ISOTYPE_EXAMPLES}")
        return value


class Comorbidities(_Strict):
    peripheral_neuropathy_grade: Annotated[int, BeforeValidator(_whole_number), Field(ge=0, le=4)] = 0
    recent_thrombosis: Flag = False
    hypercoagulable: Flag = False
    on_anticoagulation: Flag = False
    hepatic_impairment: Flag = False
    renal_impairment: Flag | None = None
    on_dialysis: Flag = False


class Lab(_Strict):
    date: IsoDate
    analyte: Analyte
    value: float | str
    unit: str | None = Field(default=None, validate_default=True)
    myeloma_related: Flag = True
    # ASSUME-BELOW-DETECTION: a result reported below the assay's detection limit ("<0.65", "ND",
    # "未检出") is entered as value 0, marked here, with the limit kept when the report gave one.
    below_detection: Flag = False
    detection_limit: NonNegative | None = None

    @field_validator("value", mode="before")
    @classmethod
    def _value_fits_analyte(cls, value: Any, info: ValidationInfo) -> Any:
        analyte = info.data.get("analyte")
        if analyte in QUALITATIVE:
            if value not in QUALITATIVE_VALUES:
                raise ValueError("expected 'positive' or 'negative' for an immunofixation")
            return value
        value = _number(value)
        if value < 0:
            raise ValueError("expected a value of 0 or more")
        return float(value)

    @field_validator("unit")
    @classmethod
    def _unit_fits_analyte(cls, unit: str | None, info: ValidationInfo) -> str | None:
        analyte = info.data.get("analyte")
        if analyte is None:
            return unit
        accepted = tuple(UNITS[analyte])
        if not accepted:
            if unit not in (None, ""):
                raise ValueError(f"expected no unit for {analyte.value}")
            return None
        if unit not in accepted:
            raise ValueError(f"expected one of {', '.join(accepted)} for {analyte.value}")
        return unit


class EventKind(StrEnum):
    NEW_BONE_LESION = "new_bone_lesion"
    NEW_PLASMACYTOMA = "new_plasmacytoma"
    LESION_GROWTH = "lesion_growth"


class Event(_Strict):
    date: IsoDate
    kind: EventKind
    increase_pct: NonNegative | None = Field(default=None, validate_default=True)
    increase_cm: NonNegative | None = Field(default=None, validate_default=True)
    note: Annotated[str, Field(max_length=500)] | None = None
    # catalog 1.1 (RISK-HIGH-FEATURES): a new plasmacytoma outside the bone marrow/bone.
    extramedullary: Flag = False

    @field_validator("extramedullary")
    @classmethod
    def _only_for_plasmacytoma(cls, value: bool, info: ValidationInfo) -> bool:
        if value and info.data.get("kind") != EventKind.NEW_PLASMACYTOMA:
            raise ValueError("extramedullary applies to a new_plasmacytoma event only (RISK-HIGH-FEATURES)")
        return value

    @field_validator("increase_pct", "increase_cm")
    @classmethod
    def _growth_is_measured(cls, value: float | None, info: ValidationInfo) -> float | None:
        if value is None and info.data.get("kind") == EventKind.LESION_GROWTH:
            raise ValueError("a lesion_growth event needs increase_pct and increase_cm (CLIN-LESION)")
        return value


class Response(StrEnum):
    CR = "CR"
    VGPR = "VGPR"
    PR = "PR"
    MR = "MR"
    SD = "SD"
    PD = "PD"


class TherapyLine(_Strict):
    regimen: Annotated[str, Field(min_length=1, max_length=120)]
    drugs: list[str] | None = Field(default=None, validate_default=True)
    start: IsoDate
    end: IsoDate | None = Field(default=None, validate_default=True)
    best_response: Response | None = None
    progression_date: IsoDate | None = Field(default=None, validate_default=True)
    stop_reason: Annotated[str, Field(max_length=200)] | None = None

    @field_validator("drugs")
    @classmethod
    def _drugs_named(cls, drugs: list[str] | None) -> list[str] | None:
        """Names from the shared vocabulary become canonical (Dara -> daratumumab); a name outside
        it is kept as free text (the assessment warns), never rejected (contemporary-pack.md)."""
        from .drugs import canonical_drug

        if drugs is None:
            return None
        cleaned = [" ".join(d.split()) for d in drugs if isinstance(d, str)]
        if len(cleaned) != len(drugs) or not cleaned or not all(cleaned):
            raise ValueError("expected a non-empty list of drug names")
        return [canonical_drug(d) or d for d in cleaned]

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("start")
        if end is not None and start is not None and end < start:
            raise ValueError(f"expected an end on or after the start {start.isoformat()}")
        return end

    @field_validator("progression_date")
    @classmethod
    def _progression_after_start(cls, when: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("start")
        if when is not None and start is not None and when < start:
            raise ValueError(f"expected a progression on or after the line start {start.isoformat()}")
        return when


class TransplantType(StrEnum):
    AUTOLOGOUS = "autologous"
    ALLOGENEIC = "allogeneic"


class Transplant(_Strict):
    date: IsoDate
    type: TransplantType


class School(StrEnum):
    NCCN = "nccn"
    EUROPEAN = "european"


class Pack(StrEnum):
    """Which knowledge pack answers: the seed review (default) or the contemporary 2015–2025 one."""

    SEED = "seed"
    CONTEMPORARY = "contemporary"


class Jurisdiction(StrEnum):
    US = "us"
    EU = "eu"
    CN = "cn"


class Settings(_Strict):
    school: School = School.NCCN
    pack: Pack = Pack.SEED
    #: explicit choice, never guessed from the language; None shows every jurisdiction
    jurisdiction: Jurisdiction | None = None


class BoardDecision(_Strict):
    """A tumor board's decision, kept with the case beside the app's own ranking."""

    date: IsoDate
    regimen: Annotated[str, Field(min_length=1, max_length=120)]
    rationale: Annotated[str, Field(max_length=4000)] | None = None
    attendees: list[Annotated[str, Field(min_length=1, max_length=12)]] = []


class Case(_Strict):
    """One patient's record (case-format.md), as entered."""

    schema_version: Literal[1] = SCHEMA_VERSION
    case_id: Annotated[str, Field(min_length=1, max_length=64)]
    label: Annotated[str, Field(max_length=200)] | None = None
    as_of: IsoDate | None = None
    patient: Patient
    disease: Disease = Disease()
    comorbidities: Comorbidities = Comorbidities()
    labs: list[Lab] = []
    events: list[Event] = []
    therapy_lines: list[TherapyLine] = []
    transplants: list[Transplant] = []
    settings: Settings = Settings()
    # Not part of the assessment: the record of what a tumor board chose (issue #6).
    board_decisions: list[BoardDecision] = []

    def dated_fields(self) -> list[tuple[str, date]]:
        """Every date of the case with its field path (the time window names the field at fault)."""
        out: list[tuple[str, date]] = [(f"labs[{i}].date", lab.date) for i, lab in enumerate(self.labs)]
        out += [(f"events[{i}].date", e.date) for i, e in enumerate(self.events)]
        out += [(f"transplants[{i}].date", t.date) for i, t in enumerate(self.transplants)]
        for i, line in enumerate(self.therapy_lines):
            out += [(f"therapy_lines[{i}].{name}", d) for name, d in
                    (("start", line.start), ("end", line.end), ("progression_date", line.progression_date))
                    if d is not None]
        if self.as_of is not None:
            out.append(("as_of", self.as_of))
        return out

    def latest_date(self) -> date | None:
        """The latest date anywhere in the case: the default ``as_of`` (never 'today')."""
        dates = [lab.date for lab in self.labs] + [e.date for e in self.events]
        dates += [t.date for t in self.transplants]
        for line in self.therapy_lines:
            dates += [d for d in (line.start, line.end, line.progression_date) if d is not None]
        return max(dates) if dates else None

    def to_json_dict(self) -> dict[str, Any]:
        """The case as JSON-ready data, in the format it was read (lossless round trip).

        The optional below-detection fields (ASSUME-BELOW-DETECTION) are written only when set, so a
        case that never had them round-trips byte for byte."""
        data = self.model_dump(mode="json")
        for lab in data.get("labs", []):
            if lab.get("below_detection") is False:
                del lab["below_detection"]
            if lab.get("detection_limit") is None:
                lab.pop("detection_limit", None)
        return data


# ---- turning pydantic's errors into field-path problems --------------------------------

_PLAIN: dict[str, str] = {
    "missing": "required field is missing",
    "extra_forbidden": "unknown field (check the spelling against case-format.md)",
    "string_type": "expected text",
    "list_type": "expected a list",
    "model_type": "expected an object",
    "model_attributes_type": "expected an object",
    "dict_type": "expected an object",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "string_too_short": "expected non-empty text",
}


def format_path(loc: tuple[Any, ...]) -> str:
    """('labs', 3, 'value') -> 'labs[3].value'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(case)"


def _expected(error: dict[str, Any]) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind in _PLAIN:
        return _PLAIN[kind]
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind in ("enum", "literal_error"):
        return f"expected one of {ctx.get('expected', '')}".replace("'", "")
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        words = {"greater_than_equal": "≥", "greater_than": ">", "less_than_equal": "≤", "less_than": "<"}
        bound = next(iter(ctx.values()))
        return f"expected a value {words[kind]} {bound}"
    if kind == "string_too_long":
        return f"expected at most {ctx.get('max_length')} characters"
    return error["msg"].removeprefix("Value error, ").lower()


def problems_from(error: ValidationError) -> list[CaseProblem]:
    problems = []
    for item in error.errors(include_url=False):
        # pydantic adds a union member's name to the location; the clinician needs the field.
        loc = tuple(p for p in item["loc"] if p not in ("float", "str", "function-before[_iso_date(), date]"))
        missing = item["type"] == "missing"
        problems.append(CaseProblem(format_path(loc), _expected(item), item.get("input"), not missing))
    return problems


def parse_case(data: Any) -> Case:
    """Validate raw case data (parsed JSON); raise ``CaseInvalid`` listing every problem."""
    if not isinstance(data, dict):
        raise CaseInvalid([CaseProblem("(case)", "expected a JSON object", type(data).__name__)])
    try:
        return Case.model_validate(data)
    except ValidationError as error:
        raise CaseInvalid(problems_from(error)) from None
