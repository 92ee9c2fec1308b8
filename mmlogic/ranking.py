"""Ranked, explained regimen suggestions (rules.md sections E–H, "Ranking precedence").

Every regimen of the knowledge base (transplants aside: they are reported in ``transplant``)
is either excluded, with its rules and a plain reason, or scored. A score is four sums,
compared lexicographically — a later level only orders regimens tied on every earlier one:

1. rank-downs that protect the patient (OPT-CONVENTIONAL, COMORB-VTE-IMID without
   anticoagulation, SEQ-REFRACTORY-DRUG — also for a class-mate, DEF-DRUG-REFRACTORY with
   ASSUME-IMID-CLASS —, STEROID-INTOL, COMORB-NEURO-BORT at grade ≥ 2, ASSUME-HARVEST);
2. the number of drugs (RISK-INTENSITY, GOAL-FRAIL);
3. comorbidity and cytogenetic preferences (COMORB-RENAL, COMORB-VTE-BORT, COMORB-NEURO-LEN,
   COMORB-HEPATIC, CYTO-BORT, CYTO-LEN);
4. sequencing and evidence (SEQ-*, PI-*, ASH-2012-TRIPLET, IMID-*, AGE-75-RD, and STEROID-INTOL's
   other half: a single agent below its steroid doublet unless the patient is steroid-intolerant).

Ties break by fewer drugs, then by regimen id; a single agent and its steroid doublet are never
tied (STEROID-INTOL moves one of them), so the tie-break never puts it above. Cautions never
change the rank. Each score contribution is a ``Reason`` naming its rule; each warning a ``Caution``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from . import reason_texts as words
from .assessment import (
    Caution,
    Exclusion,
    Goal,
    Reason,
    Renal,
    Risk,
    Sequence,
    Status,
    Suggestion,
    Text,
    TransplantOption,
    TransplantOptions,
)
from .case import Case
from .cross_resistance import class_refractory
from .goals import months_between
from .history import History
from .observations import Observations
from .regimens import knowledge_base
from .risk import normalised_findings
from .rules import evaluates
from .thresholds import (
    FRAIL_MAX_DRUGS,
    HIGH_RISK_MAX_DRUGS,
    HIGH_RISK_MIN_DRUGS,
    NEUROPATHY_PREFER_LEN_GRADE,
    NEUROPATHY_RANK_DOWN_GRADE,
    PI_RETREAT_MIN_TFI_MONTHS,
    RD_PROVEN_AGE,
    STANDARD_RISK_MAX_DRUGS,
    STANDARD_RISK_MIN_DRUGS,
    TOLERANCE,
)

SAFETY, DRUG_COUNT, PREFERENCE, SEQUENCING = range(4)
LEVELS = 4

# Level-1 weights. "Never first while a novel-agent regimen is eligible" (OPT-CONVENTIONAL) and
# "ranked below all others" (COMORB-VTE-IMID) must outweigh any sum of the ordinary rank-downs
# (at most a handful of refractory drugs, steroid intolerance and neuropathy), and conventional
# chemotherapy comes last of all (ASSUME-RANK-BELOW-ALL).
CONVENTIONAL_ONLY_WEIGHT = -1000
VTE_IMID_WEIGHT = -100
ORDINARY = 1
# Level 4 (STEROID-INTOL, catalog 1.1): a single agent and its steroid doublet score alike on levels
# 1–3 unless the patient is steroid-intolerant; on level 4 the single agent can gain at most one
# preference its doublet lacks (SEQ-NCCN's repeat of the previous regimen). Two points down keep it
# strictly below its doublet, so the "fewer drugs" tie-break never lifts it above.
MONOTHERAPY_WEIGHT = -2

BORTEZOMIB, LENALIDOMIDE, THALIDOMIDE, MELPHALAN = "bortezomib", "lenalidomide", "thalidomide", "melphalan"
IMIDS = (THALIDOMIDE, LENALIDOMIDE)
CYTO_BORT_LESIONS = frozenset({"t(4;14)", "del(13q)", "del(13)", "monosomy 13"})
CYTO_LEN_LESIONS = frozenset({"del(17p)", "del(17)"})
# Evidence rules of section H that favour the regimens whose knowledge-base evidence cites them.
EVIDENCE_RULES = ("IMID-THAL", "IMID-LEN", "PI-COMBO", "ASH-2012-TRIPLET")


@dataclass(frozen=True, slots=True)
class _Facts:
    """What the ranking asks of a regimen, resolved once (plain look-ups on a hot path)."""

    id: str
    name: Text
    drug_list: tuple[str, ...]
    drugs: frozenset[str]
    n_drugs: int
    novel: bool
    conventional_only: bool
    intensive: bool
    steroids: tuple[str, ...]
    imids: tuple[str, ...]
    evidence_texts: tuple[tuple[str, Text], ...]
    family: str | None
    # A single agent without a steroid: the id of its steroid doublet (T -> Td, R -> Rd, V -> Vd),
    # which ranks above it unless the patient is steroid-intolerant (STEROID-INTOL, catalog 1.1).
    doublet: str | None
    melphalan: bool


@cache
def _facts() -> tuple[_Facts, ...]:
    kb = knowledge_base()
    regimens = [r for r in kb.regimens if r.kind == "regimen"]
    doublets = {r.drugs[0] if not kb.drugs[r.drugs[0]].steroid else r.drugs[1]: r.id
                for r in regimens if r.n_drugs == 2 and sum(kb.drugs[d].steroid for d in r.drugs) == 1}
    out = []
    for r in kb.regimens:
        if r.kind != "regimen":
            continue
        steroids = tuple(d for d in r.drugs if kb.drugs[d].steroid)
        evidence: dict[str, Any] = {}
        for line in r.evidence:
            evidence.setdefault(line.rule, line)
        # Evidence rules of section H favour the regimens whose knowledge-base evidence cites them.
        evidence_texts = tuple((rule, words.text(f"{e.en} ({e.figure}; {e.trial})", e.zh))
                               for rule in EVIDENCE_RULES if (e := evidence.get(rule)) is not None)
        out.append(_Facts(id=r.id, name=Text(en=r.name_en, zh=r.name_zh), drug_list=tuple(r.drugs),
                          drugs=frozenset(r.drugs), n_drugs=r.n_drugs, novel=r.has_novel_agent,
                          conventional_only=r.conventional_only, intensive=r.intensive, steroids=steroids,
                          imids=tuple(d for d in IMIDS if d in r.drugs), evidence_texts=evidence_texts,
                          family=r.family, melphalan=MELPHALAN in r.drugs,
                          doublet=doublets.get(r.drugs[0]) if r.n_drugs == 1 and not steroids else None))
    return tuple(out)


@dataclass
class _Scored:
    regimen: _Facts
    levels: list[int] = field(default_factory=lambda: [0] * LEVELS)
    reasons: list[Reason] = field(default_factory=list)
    cautions: list[Caution] = field(default_factory=list)

    def add(self, level: int, rule: str, weight: int, text: Text) -> None:
        self.levels[level] += weight
        self.reasons.append(words.reason(rule, "+" if weight > 0 else "-", text))

    def caution(self, rule: str, text: Text) -> None:
        self.cautions.append(words.caution(rule, text))

    def sort_key(self) -> tuple:
        return (*(-x for x in self.levels), self.regimen.n_drugs, self.regimen.id)


@dataclass(frozen=True)
class Ranking:
    suggestions: list[Suggestion]
    excluded: list[Exclusion]
    cautions: list[Caution]
    assumptions: list[str]


@dataclass(frozen=True)
class _Patient:
    """What the ranking needs to know about this patient, computed once."""

    case: Case
    refractory: tuple[str, ...]
    # class-mate -> the drug the disease is refractory to (DEF-DRUG-REFRACTORY, ASSUME-IMID-CLASS)
    class_refractory: dict[str, str]
    # TX-ASCT1 is an option and no stem cells are known to be stored (ASSUME-HARVEST)
    harvest_pending: bool
    frail: bool
    high_risk: bool
    findings: frozenset[str]
    renal: Renal
    thrombosis_risk: bool
    anticoagulated: bool
    neuropathy: int
    prior_thalidomide: bool
    bortezomib_free_months: float | None  # None: never had it, or on it now
    bortezomib_ongoing: bool
    first_relapse: bool
    sequence: Sequence
    used_drugs: frozenset[str]
    bortezomib_lesions: tuple[str, ...]
    lenalidomide_lesions: tuple[str, ...]


def _bortezomib_interval(obs: Observations) -> tuple[float | None, bool]:
    ends: list[date] = []
    for line in obs.lines:
        if BORTEZOMIB in line.drugs:
            if line.end is None:
                return None, True
            ends.append(line.end)
    return (months_between(max(ends), obs.as_of), False) if ends else (None, False)


def _patient(case: Case, obs: Observations, history: History, status: Status, sequence: Sequence,
             risk: Risk, goal: Goal, renal: Renal, transplant: TransplantOptions) -> _Patient:
    comorb = case.comorbidities
    interval, ongoing = _bortezomib_interval(obs)
    findings = frozenset(normalised_findings(case))
    return _Patient(
        case=case, refractory=tuple(status.refractory_drugs),
        class_refractory=class_refractory(status.refractory_drugs),
        # ASSUME-HARVEST: "not known" counts as not stored.
        harvest_pending=transplant.first_asct == TransplantOption.SUGGESTED and case.patient.stem_cells_stored is not True,
        frail=not goal.fit, high_risk=risk.overall == "high",
        findings=findings, renal=renal,
        thrombosis_risk=comorb.recent_thrombosis or comorb.hypercoagulable,
        anticoagulated=comorb.on_anticoagulation, neuropathy=comorb.peripheral_neuropathy_grade,
        prior_thalidomide=any(THALIDOMIDE in line.drugs for line in obs.lines),
        bortezomib_free_months=interval, bortezomib_ongoing=ongoing,
        first_relapse=sum(1 for c in history.courses if c.progression is not None) <= 1, sequence=sequence,
        used_drugs=frozenset(d for line in obs.lines for d in line.drugs),
        bortezomib_lesions=tuple(sorted(findings & CYTO_BORT_LESIONS)),
        lenalidomide_lesions=tuple(sorted(findings & CYTO_LEN_LESIONS)),
    )


# Reasons, cautions and texts repeat across regimens and reruns; frozen models can be shared, and
# this module builds them with checked types, so they skip re-validation on this hot path.
# ---- exclusions ----------------------------------------------------------------------------

def _exclusion(regimen: _Facts, p: _Patient) -> Exclusion | None:
    if p.frail and regimen.intensive:
        return Exclusion(regimen=regimen.id, name=_name(regimen), rules=["GOAL-FRAIL", "ASSUME-FRAIL-INTENSIVE"],
                         why=words.text("too intensive for a patient not fit for intensive therapy",
                                "治疗强度过大,不适合不能耐受强烈治疗的患者"))
    seq = p.sequence
    if seq.previous_regimen == regimen.id and not seq.may_repeat_previous:
        if seq.school.value == "european":
            rules, why = ["SEQ-EU"], words.text("European experts change the regimen at every relapse",
                                        "欧洲专家共识:每次复发均应更换方案")
        elif not regimen.novel:
            rules, why = ["SEQ-NOVEL"], words.text("the previous regimen had no novel agent: use one that has",
                                           "既往方案不含新药:应换用含新药的方案")
        else:
            rules = ["SEQ-NCCN", "DEF-DRUG-REFRACTORY"] if seq.previous_refractory else ["SEQ-NCCN"]
            why = words.not_repeated_text(seq.previous_refractory, seq.no_response, seq.remission_months)
        return Exclusion(regimen=regimen.id, name=_name(regimen), rules=[*rules, "ASSUME-REPEAT-EXCLUDED"], why=why)
    return None


def _name(regimen: _Facts) -> Text:
    return regimen.name


# ---- level 1: rank-downs that protect the patient -------------------------------------------

@evaluates("OPT-CONVENTIONAL", "COMORB-VTE-IMID", "SEQ-REFRACTORY-DRUG", "STEROID-INTOL", "COMORB-NEURO-BORT",
           "ASSUME-HARVEST")
def _safety(s: _Scored, p: _Patient) -> None:
    r = s.regimen
    if r.conventional_only:
        s.add(SAFETY, "OPT-CONVENTIONAL", CONVENTIONAL_ONLY_WEIGHT, words.CONVENTIONAL_TEXT)
    if r.imids and p.thrombosis_risk and not p.anticoagulated:
        s.add(SAFETY, "COMORB-VTE-IMID", VTE_IMID_WEIGHT, words.vte_down_text(r.imids))
    for drug in p.refractory:
        if drug in r.drugs:
            s.add(SAFETY, "SEQ-REFRACTORY-DRUG", -ORDINARY, words.refractory_text(drug))
    for drug, through in p.class_refractory.items():
        if drug in r.drugs:  # DEF-DRUG-REFRACTORY across the IMiD class (IMID-CROSS, ASSUME-IMID-CLASS)
            s.add(SAFETY, "SEQ-REFRACTORY-DRUG", -ORDINARY, words.class_refractory_text(drug, through))
    if r.steroids and p.case.patient.steroid_intolerant:
        s.add(SAFETY, "STEROID-INTOL", -ORDINARY, words.steroid_text(r.steroids))
    if r.melphalan and p.harvest_pending:
        s.add(SAFETY, "ASSUME-HARVEST", -ORDINARY, words.HARVEST_TEXT)
    if p.neuropathy >= NEUROPATHY_RANK_DOWN_GRADE and (BORTEZOMIB in r.drugs or THALIDOMIDE in r.drugs):
        s.add(SAFETY, "COMORB-NEURO-BORT", -ORDINARY, words.neurotoxic_text(p.neuropathy))


# ---- level 2: the number of drugs -----------------------------------------------------------

@evaluates("RISK-INTENSITY")  # applies GOAL-FRAIL too: its owner is goals.treatment_goal
def _drug_count(s: _Scored, p: _Patient) -> None:
    n = s.regimen.n_drugs
    if p.frail:
        ok = n <= FRAIL_MAX_DRUGS
        s.add(DRUG_COUNT, "GOAL-FRAIL", ORDINARY if ok else -ORDINARY, words.count_text("frail", n))
        return  # ASSUME-FRAIL-OVER-RISK: the palliative drug count governs
    if p.high_risk:
        ok = HIGH_RISK_MIN_DRUGS <= n <= HIGH_RISK_MAX_DRUGS
        s.add(DRUG_COUNT, "RISK-INTENSITY", ORDINARY if ok else -ORDINARY, words.count_text("high", n))
    else:
        ok = STANDARD_RISK_MIN_DRUGS <= n <= STANDARD_RISK_MAX_DRUGS
        s.add(DRUG_COUNT, "RISK-INTENSITY", ORDINARY if ok else -ORDINARY, words.count_text("standard", n))


# ---- level 3: comorbidity and cytogenetic preferences ---------------------------------------

@evaluates("COMORB-RENAL", "COMORB-VTE-BORT", "COMORB-NEURO-LEN", "COMORB-HEPATIC", "CYTO-BORT", "CYTO-LEN")
def _preferences(s: _Scored, p: _Patient) -> None:
    r = s.regimen
    if BORTEZOMIB in r.drugs:
        if p.renal.impaired:
            s.add(PREFERENCE, "COMORB-RENAL", ORDINARY, words.renal_text(p.renal.creatinine_clearance_ml_min))
        if p.thrombosis_risk:
            s.add(PREFERENCE, "COMORB-VTE-BORT", ORDINARY, words.VTE_BORT_TEXT)
        if p.bortezomib_lesions:
            s.add(PREFERENCE, "CYTO-BORT", ORDINARY, words.cyto_bort_text(p.bortezomib_lesions))
    if LENALIDOMIDE in r.drugs:
        if p.neuropathy >= NEUROPATHY_PREFER_LEN_GRADE:
            s.add(PREFERENCE, "COMORB-NEURO-LEN", ORDINARY, words.neuro_len_text(p.neuropathy))
        if p.case.comorbidities.hepatic_impairment:
            s.add(PREFERENCE, "COMORB-HEPATIC", ORDINARY, words.HEPATIC_TEXT)
        if p.lenalidomide_lesions:
            s.add(PREFERENCE, "CYTO-LEN", ORDINARY, words.cyto_len_text(p.lenalidomide_lesions))


# ---- level 4: sequencing and evidence -------------------------------------------------------

# Applies SEQ-NCCN and SEQ-NOVEL as reasons too: their owner is goals.sequencing.
@evaluates("SEQ-COMBINE", "PI-BORT", "PI-RETREAT", "PI-COMBO", "ASH-2012-TRIPLET", "IMID-THAL", "IMID-LEN",
           "AGE-75-RD")
def _sequencing(s: _Scored, p: _Patient) -> None:
    r = s.regimen
    seq = p.sequence
    if seq.previous_regimen == r.id and seq.may_repeat_previous:
        s.add(SEQUENCING, "SEQ-NCCN", ORDINARY, words.repeat_text(round(seq.remission_months, 1)))
    if r.novel:
        s.add(SEQUENCING, "SEQ-NOVEL", ORDINARY, words.NOVEL_TEXT)
    if BORTEZOMIB in r.drugs:
        if p.first_relapse:
            s.add(SEQUENCING, "PI-BORT", ORDINARY, words.FIRST_RELAPSE_BORT_TEXT)
        months = p.bortezomib_free_months
        if months is not None and months > PI_RETREAT_MIN_TFI_MONTHS + TOLERANCE:
            s.add(SEQUENCING, "PI-RETREAT", ORDINARY, words.retreat_text(round(months, 1)))
    if p.refractory:
        # A class-mate of a refractory drug is never "not used before" (DEF-DRUG-REFRACTORY, catalog 1.1).
        untried = tuple(d for d in r.drug_list
                        if d not in p.used_drugs and d not in r.steroids and d not in p.class_refractory)
        if untried:
            resistant = (*p.refractory, *p.class_refractory)  # class-mates named too (ASSUME-IMID-CLASS)
            s.add(SEQUENCING, "SEQ-COMBINE", ORDINARY, words.combine_text(resistant, untried))
    for rule, text in r.evidence_texts:
        s.add(SEQUENCING, rule, ORDINARY, text)
    if r.doublet is not None and not p.case.patient.steroid_intolerant:
        # Single agents are the option for steroid-intolerant patients (IMID-THAL, IMID-LEN; catalog 1.1):
        # for anyone else the steroid doublet of the same drug ranks above.
        s.add(SEQUENCING, "STEROID-INTOL", MONOTHERAPY_WEIGHT, words.monotherapy_text(r.drug_list[0], r.doublet))
    if r.id == "Rd" and p.case.patient.age >= RD_PROVEN_AGE:
        s.add(SEQUENCING, "AGE-75-RD", ORDINARY, words.age_rd_text(p.case.patient.age))


# ---- cautions (never change the rank) -------------------------------------------------------

@evaluates("COMORB-LEN-CRCL", "IMID-CROSS")
def _cautions(s: _Scored, p: _Patient) -> None:
    r = s.regimen
    if LENALIDOMIDE in r.drugs:
        if p.renal.impaired:
            s.caution("COMORB-LEN-CRCL", words.len_dose_text(p.renal.creatinine_clearance_ml_min,
                                                        p.case.comorbidities.on_dialysis))
        if p.prior_thalidomide:
            s.caution("IMID-CROSS", words.CROSS_RESISTANCE_TEXT)
    if r.imids:
        if p.thrombosis_risk:
            s.caution("COMORB-VTE-IMID", words.VTE_ANTICOAGULATED_TEXT if p.anticoagulated else words.VTE_NOT_ADVISED_TEXT)
        else:
            s.caution("COMORB-VTE-IMID", words.prophylaxis_text(r.imids))
    if BORTEZOMIB in r.drugs:
        if p.neuropathy >= NEUROPATHY_PREFER_LEN_GRADE:
            s.caution("COMORB-NEURO-BORT", words.bortezomib_route_text(p.neuropathy))
        months = p.bortezomib_free_months
        if p.bortezomib_ongoing:
            s.caution("PI-RETREAT", words.short_interval_text(None))
        elif months is not None and months <= PI_RETREAT_MIN_TFI_MONTHS + TOLERANCE:
            s.caution("PI-RETREAT", words.short_interval_text(round(months, 1)))


_SCORERS: tuple[Callable[[_Scored, _Patient], None], ...] = (_safety, _drug_count, _preferences, _sequencing, _cautions)


def rank_regimens(case: Case, obs: Observations, history: History, status: Status, sequence: Sequence,
                  risk: Risk, goal: Goal, renal: Renal, transplant: TransplantOptions) -> Ranking:
    """Every regimen of the knowledge base, excluded with reasons or ranked best first."""
    p = _patient(case, obs, history, status, sequence, risk, goal, renal, transplant)
    excluded: list[Exclusion] = []
    scored: list[_Scored] = []
    for regimen in _facts():
        exclusion = _exclusion(regimen, p)
        if exclusion is not None:
            excluded.append(exclusion)
            continue
        s = _Scored(regimen)
        for scorer in _SCORERS:
            scorer(s, p)
        scored.append(s)
    scored.sort(key=_Scored.sort_key)
    suggestions = [
        Suggestion(rank=i + 1, regimen=s.regimen.id, name=_name(s.regimen), drugs=list(s.regimen.drug_list),
                   n_drugs=s.regimen.n_drugs, family=s.regimen.family, score=list(s.levels),
                   reasons=s.reasons, cautions=s.cautions)
        for i, s in enumerate(scored)
    ]
    return Ranking(suggestions, excluded, _unique_cautions(s.cautions for s in scored), _assumptions(p, excluded))


def _unique_cautions(groups: Iterable[list[Caution]]) -> list[Caution]:
    seen: dict[tuple[str, str], Caution] = {}
    for group in groups:
        for c in group:
            seen.setdefault((c.rule, c.text.en), c)
    return list(seen.values())


def _assumptions(p: _Patient, excluded: list[Exclusion]) -> list[str]:
    out = ["ASSUME-RANK-BELOW-ALL"]
    if p.refractory:
        out.append("ASSUME-REFRACTORY-PER-DRUG")
    if p.class_refractory:
        out.append("ASSUME-IMID-CLASS")
    if p.harvest_pending:
        out.append("ASSUME-HARVEST")
    if p.frail and p.high_risk:
        out.append("ASSUME-FRAIL-OVER-RISK")
    out += [r for e in excluded for r in e.rules if r.startswith("ASSUME-")]
    return sorted(set(out))
