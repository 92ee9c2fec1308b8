"""The assessment: everything ``assess`` concludes about a case (case-format.md, "Assessment").

Every conclusion carries the rule ids that produced it. Texts are ``Text`` pairs (English and
Simplified Chinese) so one assessment serves both languages: ``to_output(lang)`` gives the JSON
contract with each text in the chosen language; ids and enum values stay in English.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, SerializationInfo, model_serializer

from .case import Response, School


class Text(BaseModel):
    """A sentence in English and Simplified Chinese; serialises to the language in context."""

    model_config = ConfigDict(frozen=True)
    en: str
    zh: str

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def __hash__(self) -> int:
        return hash((self.en, self.zh))

    @model_serializer(mode="plain")
    def _in_language(self, info: SerializationInfo) -> Any:
        lang = (info.context or {}).get("lang", "en")
        if lang == "both":
            return {"en": self.en, "zh": self.zh}
        return self.get(lang)


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class StatusCategory(StrEnum):
    UNTREATED = "untreated"
    NO_RELAPSE = "no_relapse"
    RELAPSED = "relapsed"
    RELAPSED_REFRACTORY = "relapsed_refractory"
    PRIMARY_REFRACTORY = "primary_refractory"


class Status(_Out):
    category: StatusCategory
    rules: list[str]
    refractory_drugs: list[str]
    detail: Text | None = None


class ResponseSource(StrEnum):
    COMPUTED = "computed"
    ENTERED = "entered"
    UNKNOWN = "unknown"


class FollowedMarker(_Out):
    """MARKER-FOLLOWED: a marker a line is judged on, and why."""

    marker: Literal["serum_m_protein", "urine_m_protein", "dflc"]
    why: Literal["measurable", "light_chain_isotype", "escape_watch"]


class QualityNote(_Out):
    """A data-quality finding (DATA-IMPLAUSIBLE, DATA-NOISE): the rule, the field and what it means."""

    rule: str
    field: str
    detail: Text


class LineResult(_Out):
    index: int
    regimen: str
    regimen_id: str | None
    drugs: list[str]
    start: date
    end: date | None
    salvage: bool
    best_response: Response | None
    best_response_source: ResponseSource
    computed_best_response: Response | None
    response_marker: str | None
    response_date: date | None
    progression_date: date | None
    progression_source: Literal["computed", "entered"] | None
    refractory: bool
    rules: list[str]
    followed_markers: list[FollowedMarker] = []


class Criterion(_Out):
    rule: str
    date: date
    confirmed: bool
    detail: Text
    # For a rise (BIO-SERUM/URINE/FLC/FLC-ESCAPE): the nadir it is measured from.
    nadir: float | None = None
    # The marker a biochemical criterion was found on (serum_m_protein, urine_m_protein, dflc).
    marker: str | None = None


class Relapse(_Out):
    biochemical: bool
    clinical: bool
    date: date | None
    # Earliest confirmed criterion of each kind (``date`` is the earlier of the two, or entered).
    biochemical_date: date | None = None
    clinical_date: date | None = None
    criteria: list[Criterion]
    rules: list[str]


class KineticsStatus(StrEnum):
    OK = "ok"
    INSUFFICIENT_DATA = "insufficient_data"
    NOT_RISING = "not_rising"


class FitPoint(_Out):
    date: date
    value: float


class MarkerKinetics(_Out):
    doubling_time_days: float | None
    doubling_time_months: float | None
    points: int
    r2: float | None
    status: KineticsStatus
    unit: str
    nadir_date: date | None
    nadir_value: float | None
    fit_points: list[FitPoint]
    # ln(value) = intercept + slope · (days since the first fit point), to draw the fitted line
    slope_per_day: float | None
    intercept: float | None
    notes: list[Text]
    # KIN-DT-RECENT (catalog 1.1): the last three values of a rising phase of ≥ 4 points.
    recent_doubling_time_days: float | None = None
    recent_r2: float | None = None
    recent_points: int = 0
    recent_from: date | None = None
    # The doubling time timing uses (the shorter one whose fit has ≥ 3 points) and its window.
    timing_doubling_time_days: float | None = None
    timing_window: Literal["whole", "recent"] | None = None
    poor_fit: bool = False


class Kinetics(_Out):
    markers: dict[str, MarkerKinetics]
    rapid_rise: bool
    rules: list[str]


class TimingRecommendation(StrEnum):
    TREAT_NOW = "treat_now"
    MONITOR = "monitor"
    CONFIRM = "confirm"
    NOT_APPLICABLE = "not_applicable"


class Confirm(_Out):
    """WATCH-CONFIRM: the marker to repeat, the value that qualified, the value that would confirm."""

    marker: str
    rule: str
    qualifying_date: date
    qualifying_value: float | None = None
    unit: str = ""
    latest_values: list[FitPoint]
    confirming_value: float | None
    # True when the value needed is "any detectable" (reappearance), not a number.
    confirming_detectable: bool = False
    label: Text | None = None


class Timing(_Out):
    recommendation: TimingRecommendation
    rules: list[str]
    detail: Text | None = None
    confirm: Confirm | None = None


class CytogeneticRisk(StrEnum):
    HIGH = "high"
    INTERMEDIATE = "intermediate"
    STANDARD = "standard"
    UNKNOWN = "unknown"


class Risk(_Out):
    cytogenetic: CytogeneticRisk
    overall: Literal["high", "standard"]
    features: list[str]
    rules: list[str]


class Goal(_Out):
    aim: Literal["deep_response", "palliative"]
    fit: bool
    fit_source: Literal["entered", "default"]
    rules: list[str]


class Sequence(_Out):
    school: School
    remission_months: float | None
    remission_from: Literal["response_date", "end_date"] | None
    sensitive: bool | None
    may_repeat_previous: bool
    previous_regimen: str | None
    rules: list[str]
    # Catalog 1.1 (SEQ-NCCN / SEQ-EU): the previous regimen is refractory (DEF-DRUG-REFRACTORY), or
    # it gave no response at all (primary refractory); ``detail`` says why it is not "sensitive".
    previous_refractory: bool = False
    no_response: bool = False
    detail: Text | None = None


class TransplantOption(StrEnum):
    SUGGESTED = "suggested"
    NOT_SUGGESTED = "not_suggested"
    NOT_APPLICABLE = "not_applicable"


class TransplantOptions(_Out):
    first_asct: TransplantOption
    second_asct: TransplantOption
    allogeneic: Literal["trial_only", "not_suggested"]
    ttp_after_asct_months: float | None
    rules: list[str]
    notes: list[Text]


class Reason(_Out):
    rule: str
    effect: Literal["+", "-"]
    text: Text


class Caution(_Out):
    rule: str
    text: Text


class Suggestion(_Out):
    rank: int
    regimen: str
    name: Text
    drugs: list[str]
    n_drugs: int
    # The novel-agent family of the regimen (CLASS-IMID / CLASS-PI / CLASS-PI-IMID), None if conventional.
    family: str | None = None
    score: list[int]
    reasons: list[Reason]
    cautions: list[Caution]


class Exclusion(_Out):
    regimen: str
    name: Text
    rules: list[str]
    why: Text


class SeriesPoint(_Out):
    date: date
    value: float


class Series(_Out):
    """One marker over time in its canonical unit, for the trend figures (columns, as plots use)."""

    unit: str
    dates: list[date]
    values: list[float]
    nadir: SeriesPoint | None = None
    # The value that would qualify as progression/clinical relapse (BIO-*/CLIN-*), if defined.
    threshold: float | None = None
    threshold_direction: Literal["above", "below"] | None = None
    threshold_rule: str | None = None

    @property
    def points(self) -> list[SeriesPoint]:
        return [SeriesPoint(date=d, value=v) for d, v in zip(self.dates, self.values)]


class Mark(_Out):
    """A dated event on the timeline: transplant, bone lesion, plasmacytoma."""

    date: date
    kind: str
    label: Text


class Renal(_Out):
    creatinine_clearance_ml_min: float | None
    impaired: bool | None
    source: Literal["entered", "cockcroft_gault", "unknown"]


class Assessment(_Out):
    case_id: str
    as_of: date
    rules_version: str
    status: Status
    lines: list[LineResult]
    relapse: Relapse
    kinetics: Kinetics
    timing: Timing
    risk: Risk
    goal: Goal
    sequence: Sequence
    transplant: TransplantOptions
    renal: Renal
    suggestions: list[Suggestion]
    excluded: list[Exclusion]
    cautions: list[Caution]
    assumptions: list[str]
    warnings: list[Text]
    series: dict[str, Series]
    marks: list[Mark]
    quality: list[QualityNote] = []
    # issue 15: which pack answered (the seed suggestions above are always computed)
    pack: PackInfo | None = None
    exposure: Exposure | None = None
    evidence_options: list[EvidenceOption] = []
    #: pack-wide knowledge shown with the options (CP-RETREAT, CP-MELFLUFEN)
    pack_notes: list[Caution] = []
    high_risk_2025: HighRisk2025 | None = None
    jurisdiction: Literal["us", "eu", "cn"] | None = None

    def to_output(self, lang: str = "en") -> dict[str, Any]:
        """The JSON contract of case-format.md, texts in ``lang`` ('en', 'zh' or 'both')."""
        return self.model_dump(mode="json", context={"lang": lang})

    def cited_rules(self) -> set[str]:
        """Every rule id this assessment names anywhere (for the registry check and the report)."""
        ids: set[str] = set(self.assumptions)
        for part in (self.status, self.relapse, self.kinetics, self.timing, self.risk, self.goal,
                     self.sequence, self.transplant):
            ids.update(part.rules)
        for line in self.lines:
            ids.update(line.rules)
        ids.update(c.rule for c in self.relapse.criteria)
        for s in self.suggestions:
            if s.family:
                ids.add(s.family)
            ids.update(r.rule for r in s.reasons)
            ids.update(c.rule for c in s.cautions)
        for e in self.excluded:
            ids.update(e.rules)
        ids.update(c.rule for c in self.cautions)
        ids.update(q.rule for q in self.quality)
        # The seed pack's conclusions do not rest on the exposure axes (shown as context only).
        if self.exposure is not None and self.pack is not None and self.pack.id == "contemporary":
            ids.update(self.exposure.rules)
        ids.update(c.rule for c in self.pack_notes)
        for option in self.evidence_options:
            ids.update(option.rules)
            ids.update(c.rule for c in option.cautions)
        if self.high_risk_2025 is not None:
            ids.update(self.high_risk_2025.rules)
        return ids


# -- issue 15: the pack that answered, decision axes and contemporary evidence options -------------


class PackInfo(_Out):
    id: Literal["seed", "contemporary"]
    version: str
    name: Text
    evidence_date: str | None = None


class ClassExposure(StrEnum):
    NAIVE = "naive"
    EXPOSED = "exposed"
    REFRACTORY = "refractory"


class Exposure(_Out):
    """Decision axes from the history (contemporary-pack.md; both packs show them)."""

    prior_lines: int
    drugs: dict[str, Literal["exposed", "refractory"]]
    classes: dict[str, ClassExposure]
    len_refractory: bool
    anti_cd38_refractory: bool
    pi_refractory: bool
    triple_class_exposed: bool
    triple_class_refractory: bool
    penta_refractory: bool
    bcma_exposed: bool
    tcr_exposed: bool
    #: drugs outside the shared vocabulary, kept as free text
    unrecognised_drugs: list[str] = []
    #: drugs the seed pack does not know (how its rules treat them), free-text drugs and regimens
    notes: list[Text] = []
    rules: list[str]


class Approval(_Out):
    status: Literal["approved", "not_approved", "not_verified"]
    date: str | None = None
    indication: Text | None = None
    sources: list[str] = []


class Pfs(_Out):
    experimental_months: str | None
    control_months: str | None
    hr: str | None
    ci: str | None
    analysis: str


class EvidenceOption(_Out):
    id: str
    name: Text
    drugs: list[str]
    trial: str
    design: Literal["phase3", "phase2", "single_arm", "not_verified"]
    population_matches: bool
    mismatches: list[Text]
    approvals: dict[str, Approval]
    approved_for_patient: dict[str, bool | None]
    pfs: Pfs
    cautions: list[Caution]
    sources: list[str]
    group: Literal[1, 2, 3, 4]
    refractory_drugs: list[str] = []
    rules: list[str] = []


class HighRisk2025(_Out):
    """IMS/IMWG 2025 high-risk definition (dossier A8): prognostic only, never a regimen gate."""

    high_risk: bool | None
    criteria_met: list[Text]
    not_assessable: list[Text]
    rules: list[str]

Assessment.model_rebuild()
