"""Ranked, explained regimen suggestions (rules.md sections E–H, "Ranking precedence").

Every regimen of the knowledge base (transplants aside: they are reported in ``transplant``)
is either excluded, with its rules and a plain reason, or scored. A score is four sums,
compared lexicographically — a later level only orders regimens tied on every earlier one:

1. rank-downs that protect the patient (OPT-CONVENTIONAL, COMORB-VTE-IMID without
   anticoagulation, SEQ-REFRACTORY-DRUG, STEROID-INTOL, COMORB-NEURO-BORT at grade ≥ 2);
2. the number of drugs (RISK-INTENSITY, GOAL-FRAIL);
3. comorbidity and cytogenetic preferences (COMORB-RENAL, COMORB-VTE-BORT, COMORB-NEURO-LEN,
   COMORB-HEPATIC, CYTO-BORT, CYTO-LEN);
4. sequencing and evidence (SEQ-*, PI-*, ASH-2012-TRIPLET, IMID-*, AGE-75-RD).

Ties break by fewer drugs, then by regimen id. Cautions never change the rank. Each score
contribution is a ``Reason`` naming its rule; each warning a ``Caution``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any
from datetime import date

from .assessment import Caution, Exclusion, Goal, Reason, Renal, Risk, Sequence, Status, Suggestion, Text
from .case import Case
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
    LEN_CRCL_SEVERE_BELOW,
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

BORTEZOMIB, LENALIDOMIDE, THALIDOMIDE = "bortezomib", "lenalidomide", "thalidomide"
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
    evidence: dict[str, Any]
    family: str | None


@cache
def _facts() -> tuple[_Facts, ...]:
    kb = knowledge_base()
    out = []
    for r in kb.regimens:
        if r.kind != "regimen":
            continue
        steroids = tuple(d for d in r.drugs if kb.drugs[d].steroid)
        evidence = {}
        for line in r.evidence:
            evidence.setdefault(line.rule, line)
        out.append(_Facts(id=r.id, name=Text(en=r.name_en, zh=r.name_zh), drug_list=tuple(r.drugs),
                          drugs=frozenset(r.drugs), n_drugs=r.n_drugs, novel=r.has_novel_agent,
                          conventional_only=r.conventional_only, intensive=r.intensive, steroids=steroids,
                          evidence=evidence, family=r.family))
    return tuple(out)


@dataclass
class _Scored:
    regimen: _Facts
    levels: list[int] = field(default_factory=lambda: [0] * LEVELS)
    reasons: list[Reason] = field(default_factory=list)
    cautions: list[Caution] = field(default_factory=list)

    def add(self, level: int, rule: str, weight: int, text: Text) -> None:
        self.levels[level] += weight
        self.reasons.append(_reason(rule, "+" if weight > 0 else "-", text))

    def caution(self, rule: str, text: Text) -> None:
        self.cautions.append(_caution(rule, text))

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


def _bortezomib_interval(obs: Observations) -> tuple[float | None, bool]:
    ends: list[date] = []
    for line in obs.lines:
        if BORTEZOMIB in line.drugs:
            if line.end is None:
                return None, True
            ends.append(line.end)
    return (months_between(max(ends), obs.as_of), False) if ends else (None, False)


def _patient(case: Case, obs: Observations, history: History, status: Status, sequence: Sequence,
             risk: Risk, goal: Goal, renal: Renal) -> _Patient:
    comorb = case.comorbidities
    interval, ongoing = _bortezomib_interval(obs)
    return _Patient(
        case=case, refractory=tuple(status.refractory_drugs), frail=not goal.fit, high_risk=risk.overall == "high",
        findings=frozenset(normalised_findings(case)), renal=renal,
        thrombosis_risk=comorb.recent_thrombosis or comorb.hypercoagulable,
        anticoagulated=comorb.on_anticoagulation, neuropathy=comorb.peripheral_neuropathy_grade,
        prior_thalidomide=any(THALIDOMIDE in line.drugs for line in obs.lines),
        bortezomib_free_months=interval, bortezomib_ongoing=ongoing,
        first_relapse=sum(1 for c in history.courses if c.progression is not None) <= 1, sequence=sequence,
        used_drugs=frozenset(d for line in obs.lines for d in line.drugs),
    )


# Reasons, cautions and texts repeat across regimens and reruns; frozen models can be shared, and
# this module builds them with checked types, so they skip re-validation on this hot path.
@lru_cache(maxsize=4096)
def _reason(rule: str, effect: str, text: Text) -> Reason:
    return Reason.model_construct(rule=rule, effect=effect, text=text)


@lru_cache(maxsize=1024)
def _caution(rule: str, text: Text) -> Caution:
    return Caution.model_construct(rule=rule, text=text)


@lru_cache(maxsize=4096)
def _t(en: str, zh: str) -> Text:
    return Text.model_construct(en=en, zh=zh)


# ---- exclusions ----------------------------------------------------------------------------

def _exclusion(regimen: _Facts, p: _Patient) -> Exclusion | None:
    if p.frail and regimen.intensive:
        return Exclusion(regimen=regimen.id, name=_name(regimen), rules=["GOAL-FRAIL", "ASSUME-FRAIL-INTENSIVE"],
                         why=_t("too intensive for a patient not fit for intensive therapy",
                                "治疗强度过大,不适合不能耐受强烈治疗的患者"))
    seq = p.sequence
    if seq.previous_regimen == regimen.id and not seq.may_repeat_previous:
        if seq.school.value == "european":
            rules, why = ["SEQ-EU"], _t("European experts change the regimen at every relapse",
                                        "欧洲专家共识:每次复发均应更换方案")
        elif not regimen.novel:
            rules, why = ["SEQ-NOVEL"], _t("the previous regimen had no novel agent: use one that has",
                                           "既往方案不含新药:应换用含新药的方案")
        else:
            months = "unknown" if seq.remission_months is None else f"{seq.remission_months:.1f}"
            rules, why = ["SEQ-NCCN"], _t(f"remission of {months} months after it suggests resistance: switch",
                                          f"该方案后缓解期{months}个月,提示耐药:应更换方案")
        return Exclusion(regimen=regimen.id, name=_name(regimen), rules=[*rules, "ASSUME-REPEAT-EXCLUDED"], why=why)
    return None


def _name(regimen: _Facts) -> Text:
    return regimen.name


# ---- level 1: rank-downs that protect the patient -------------------------------------------

@evaluates("OPT-CONVENTIONAL", "COMORB-VTE-IMID", "SEQ-REFRACTORY-DRUG", "STEROID-INTOL", "COMORB-NEURO-BORT")
def _safety(s: _Scored, p: _Patient) -> None:
    r = s.regimen
    if r.conventional_only:
        s.add(SAFETY, "OPT-CONVENTIONAL", CONVENTIONAL_ONLY_WEIGHT, _t(
            "conventional chemotherapy alone works poorly in relapse (median survival 6–9 months): "
            "never before a novel-agent regimen",
            "单纯传统化疗对复发患者疗效差(中位生存6~9个月):不先于含新药方案"))
    imids = [d for d in IMIDS if d in r.drugs]
    if imids and p.thrombosis_risk and not p.anticoagulated:
        s.add(SAFETY, "COMORB-VTE-IMID", VTE_IMID_WEIGHT, _t(
            f"recent thrombosis or hypercoagulable state without anticoagulation: {', '.join(imids)} raises VTE risk",
            "近期血栓或高凝状态且未抗凝:沙利度胺/来那度胺增加静脉血栓风险"))
    for drug in p.refractory:
        if drug in r.drugs:
            s.add(SAFETY, "SEQ-REFRACTORY-DRUG", -ORDINARY, _t(
                f"disease refractory to {drug}: a regimen relying on it ranks below untried or effective drugs",
                f"对{_zh_drug(drug)}耐药:含该药的方案排在未用过或仍有效药物的方案之后"))
    steroids = r.steroids
    if p.case.patient.steroid_intolerant and steroids:
        s.add(SAFETY, "STEROID-INTOL", -ORDINARY, _t(
            f"steroid intolerance: contains {', '.join(steroids)}", "激素不耐受:该方案含糖皮质激素"))
    if p.neuropathy >= NEUROPATHY_RANK_DOWN_GRADE and (BORTEZOMIB in r.drugs or THALIDOMIDE in r.drugs):
        s.add(SAFETY, "COMORB-NEURO-BORT", -ORDINARY, _t(
            f"grade {p.neuropathy} peripheral neuropathy: bortezomib and thalidomide are neurotoxic",
            f"{p.neuropathy}级周围神经病变:硼替佐米和沙利度胺有神经毒性"))


# ---- level 2: the number of drugs -----------------------------------------------------------

@evaluates("RISK-INTENSITY", "GOAL-FRAIL")
def _drug_count(s: _Scored, p: _Patient) -> None:
    n = s.regimen.n_drugs
    if p.frail:
        ok = n <= FRAIL_MAX_DRUGS
        s.add(DRUG_COUNT, "GOAL-FRAIL", ORDINARY if ok else -ORDINARY, _t(
            f"not fit for intensive therapy: 1–{FRAIL_MAX_DRUGS} drugs, lower toxicity ({n} here)",
            f"不能耐受强烈治疗:宜用1~{FRAIL_MAX_DRUGS}种药物、低毒方案(本方案{n}种)"))
        return  # ASSUME-FRAIL-OVER-RISK: the palliative drug count governs
    if p.high_risk:
        ok = HIGH_RISK_MIN_DRUGS <= n <= HIGH_RISK_MAX_DRUGS
        s.add(DRUG_COUNT, "RISK-INTENSITY", ORDINARY if ok else -ORDINARY, _t(
            f"high-risk disease: combine {HIGH_RISK_MIN_DRUGS}–{HIGH_RISK_MAX_DRUGS} drugs ({n} here)",
            f"高危患者:宜{HIGH_RISK_MIN_DRUGS}~{HIGH_RISK_MAX_DRUGS}药联合(本方案{n}种)"))
    else:
        ok = STANDARD_RISK_MIN_DRUGS <= n <= STANDARD_RISK_MAX_DRUGS
        s.add(DRUG_COUNT, "RISK-INTENSITY", ORDINARY if ok else -ORDINARY, _t(
            f"standard-risk disease: {STANDARD_RISK_MIN_DRUGS}–{STANDARD_RISK_MAX_DRUGS} drugs ({n} here)",
            f"标危患者:宜{STANDARD_RISK_MIN_DRUGS}~{STANDARD_RISK_MAX_DRUGS}种药物(本方案{n}种)"))


# ---- level 3: comorbidity and cytogenetic preferences ---------------------------------------

@evaluates("COMORB-RENAL", "COMORB-VTE-BORT", "COMORB-NEURO-LEN", "COMORB-HEPATIC", "CYTO-BORT", "CYTO-LEN")
def _preferences(s: _Scored, p: _Patient) -> None:
    r = s.regimen
    if BORTEZOMIB in r.drugs:
        if p.renal.impaired:
            crcl = p.renal.creatinine_clearance_ml_min
            shown = f"creatinine clearance {crcl:g} mL/min" if crcl is not None else "renal impairment"
            shown_zh = f"肌酐清除率{crcl:g} mL/min" if crcl is not None else "肾功能不全"
            s.add(PREFERENCE, "COMORB-RENAL", ORDINARY, _t(
                f"{shown}: bortezomib is not renally cleared and acts fast",
                f"{shown_zh}:硼替佐米不经肾脏代谢且起效快"))
        if p.thrombosis_risk:
            s.add(PREFERENCE, "COMORB-VTE-BORT", ORDINARY, _t(
                "recent thrombosis or hypercoagulable state: bortezomib does not raise thrombosis risk",
                "近期血栓或高凝状态:硼替佐米不增加血栓风险,为首选"))
        lesions = sorted(p.findings & CYTO_BORT_LESIONS)
        if lesions:
            s.add(PREFERENCE, "CYTO-BORT", ORDINARY, _t(
                f"{', '.join(lesions)}: bortezomib overcomes their adverse effect",
                f"{'、'.join(lesions)}:硼替佐米可克服其不良预后影响"))
    if LENALIDOMIDE in r.drugs:
        if p.neuropathy >= NEUROPATHY_PREFER_LEN_GRADE:
            s.add(PREFERENCE, "COMORB-NEURO-LEN", ORDINARY, _t(
                f"grade {p.neuropathy} neuropathy: lenalidomide is the least neurotoxic",
                f"{p.neuropathy}级神经病变:来那度胺神经毒性最低"))
        if p.case.comorbidities.hepatic_impairment:
            s.add(PREFERENCE, "COMORB-HEPATIC", ORDINARY, _t(
                "hepatic impairment: lenalidomide is not metabolised by the liver",
                "肝功能不全:来那度胺不经肝脏代谢"))
        lesions = sorted(p.findings & CYTO_LEN_LESIONS)
        if lesions:
            s.add(PREFERENCE, "CYTO-LEN", ORDINARY, _t(
                f"{', '.join(lesions)}: lenalidomide-based therapy improves the outlook",
                f"{'、'.join(lesions)}:以来那度胺为基础的治疗可改善预后"))


# ---- level 4: sequencing and evidence -------------------------------------------------------

@evaluates("SEQ-NCCN", "SEQ-NOVEL", "SEQ-COMBINE", "PI-BORT", "PI-RETREAT", "PI-COMBO", "ASH-2012-TRIPLET",
           "IMID-THAL", "IMID-LEN", "AGE-75-RD")
def _sequencing(s: _Scored, p: _Patient) -> None:
    r = s.regimen
    seq = p.sequence
    if seq.previous_regimen == r.id and seq.may_repeat_previous:
        s.add(SEQUENCING, "SEQ-NCCN", ORDINARY, _t(
            f"remission of {seq.remission_months:.1f} months after it suggests sensitivity: may be repeated",
            f"该方案后缓解期{seq.remission_months:.1f}个月,提示敏感:可考虑重复使用"))
    if r.novel:
        s.add(SEQUENCING, "SEQ-NOVEL", ORDINARY, _t(
            "contains a novel agent, as salvage therapy should", "含新药,符合挽救治疗应含新药的原则"))
    if BORTEZOMIB in r.drugs:
        if p.first_relapse:
            s.add(SEQUENCING, "PI-BORT", ORDINARY, _t(
                "first relapse: bortezomib works best with fewer prior lines", "首次复发:硼替佐米早期使用疗效更好"))
        months = p.bortezomib_free_months
        if months is not None and months > PI_RETREAT_MIN_TFI_MONTHS + TOLERANCE:
            s.add(SEQUENCING, "PI-RETREAT", ORDINARY, _t(
                f"{months:.1f} months since the last bortezomib: retreatment is effective after > "
                f"{PI_RETREAT_MIN_TFI_MONTHS:g} months",
                f"距末次硼替佐米{months:.1f}个月:无治疗间隔>{PI_RETREAT_MIN_TFI_MONTHS:g}个月时再治疗有效"))
    if p.refractory:
        untried = tuple(d for d in r.drug_list if d not in p.used_drugs and d not in r.steroids)
        if untried:
            s.add(SEQUENCING, "SEQ-COMBINE", ORDINARY, _combine_text(p.refractory, untried))
    for rule in EVIDENCE_RULES:
        line = r.evidence.get(rule)
        if line is not None:
            s.add(SEQUENCING, rule, ORDINARY, _t(f"{line.en} ({line.figure}; {line.trial})", line.zh))
    if r.id == "Rd" and p.case.patient.age >= RD_PROVEN_AGE:
        s.add(SEQUENCING, "AGE-75-RD", ORDINARY, _t(
            f"age {p.case.patient.age}: Rd has proven efficacy at {RD_PROVEN_AGE} and over",
            f"年龄{p.case.patient.age}岁:Rd方案对{RD_PROVEN_AGE}岁以上患者疗效确切"))


# ---- cautions (never change the rank) -------------------------------------------------------

@evaluates("COMORB-LEN-CRCL", "IMID-CROSS")
def _cautions(s: _Scored, p: _Patient) -> None:
    r = s.regimen
    if LENALIDOMIDE in r.drugs and p.renal.impaired:
        s.caution("COMORB-LEN-CRCL", _len_dose_text(p))
    imids = [d for d in IMIDS if d in r.drugs]
    if imids:
        if p.thrombosis_risk and p.anticoagulated:
            s.caution("COMORB-VTE-IMID", _t(
                "recent thrombosis or hypercoagulable state: use only with continued anticoagulation",
                "近期血栓或高凝状态:仅在持续抗凝下谨慎使用"))
        elif p.thrombosis_risk:
            s.caution("COMORB-VTE-IMID", _t(
                "not advised without anticoagulation after recent thrombosis or when hypercoagulable",
                "近期血栓或高凝状态未抗凝:不推荐使用"))
        else:
            s.caution("COMORB-VTE-IMID", _t(
                f"{' and '.join(imids)} cause venous thromboembolism: give thromboprophylaxis",
                "沙利度胺/来那度胺可致静脉血栓栓塞:需预防性抗凝"))
    if BORTEZOMIB in r.drugs and p.neuropathy >= NEUROPATHY_PREFER_LEN_GRADE:
        s.caution("COMORB-NEURO-BORT", _t(
            f"grade {p.neuropathy} neuropathy: give bortezomib weekly and subcutaneously, adjust the dose",
            f"{p.neuropathy}级神经病变:硼替佐米应每周一次皮下注射并调整剂量"))
    if LENALIDOMIDE in r.drugs and p.prior_thalidomide:
        s.caution("IMID-CROSS", _t(
            "prior thalidomide shortens progression-free survival on lenalidomide (8.5 vs 14.2 months)",
            "既往用过沙利度胺者来那度胺疗效下降(中位PFS 8.5比14.2个月),可能存在交叉耐药"))
    months = p.bortezomib_free_months
    if BORTEZOMIB in r.drugs and (p.bortezomib_ongoing or (months is not None and months <= PI_RETREAT_MIN_TFI_MONTHS + TOLERANCE)):
        shown = "on bortezomib now" if p.bortezomib_ongoing else f"{months:.1f} months since the last bortezomib"
        shown_zh = "目前仍在使用硼替佐米" if p.bortezomib_ongoing else f"距末次硼替佐米仅{months:.1f}个月"
        s.caution("PI-RETREAT", _t(
            f"{shown}: retreatment evidence is for treatment-free intervals > {PI_RETREAT_MIN_TFI_MONTHS:g} months",
            f"{shown_zh}:再治疗的证据来自无治疗间隔>{PI_RETREAT_MIN_TFI_MONTHS:g}个月的患者"))


def _len_dose_text(p: _Patient) -> Text:
    crcl = p.renal.creatinine_clearance_ml_min
    if p.case.comorbidities.on_dialysis:
        return _t("on dialysis: lenalidomide 5 mg daily, after dialysis on dialysis days (label)",
                  "透析患者:来那度胺5 mg每日一次,透析日于透析后服用(说明书)")
    if crcl is None:
        return _t("renal impairment: adjust the lenalidomide dose to creatinine clearance",
                  "肾功能不全:来那度胺须按肌酐清除率调整剂量")
    if crcl < LEN_CRCL_SEVERE_BELOW:
        return _t(f"creatinine clearance {crcl:g} mL/min: lenalidomide 15 mg every 48 h (label tier < "
                  f"{LEN_CRCL_SEVERE_BELOW:g})",
                  f"肌酐清除率{crcl:g} mL/min:来那度胺15 mg每48小时一次(说明书<{LEN_CRCL_SEVERE_BELOW:g}档)")
    return _t(f"creatinine clearance {crcl:g} mL/min: lenalidomide 10 mg daily (label tier "
              f"{LEN_CRCL_SEVERE_BELOW:g}–59)",
              f"肌酐清除率{crcl:g} mL/min:来那度胺10 mg每日一次(说明书{LEN_CRCL_SEVERE_BELOW:g}~59档)")


@lru_cache(maxsize=256)
def _combine_text(refractory: tuple[str, ...], untried: tuple[str, ...]) -> Text:
    return _t(f"resistant to {', '.join(refractory)}: adds drugs not used before ({', '.join(untried)})",
              f"对{'、'.join(_zh_drug(d) for d in refractory)}耐药:加入未用过的药物"
              f"({'、'.join(_zh_drug(d) for d in untried)})")


def _zh_drug(drug: str) -> str:
    known = knowledge_base().drugs.get(drug)
    return known.zh if known else drug


_SCORERS: tuple[Callable[[_Scored, _Patient], None], ...] = (_safety, _drug_count, _preferences, _sequencing, _cautions)


def rank_regimens(case: Case, obs: Observations, history: History, status: Status, sequence: Sequence,
                  risk: Risk, goal: Goal, renal: Renal) -> Ranking:
    """Every regimen of the knowledge base, excluded with reasons or ranked best first."""
    p = _patient(case, obs, history, status, sequence, risk, goal, renal)
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
    if p.frail and p.high_risk:
        out.append("ASSUME-FRAIL-OVER-RISK")
    out += [r for e in excluded for r in e.rules if r.startswith("ASSUME-")]
    return sorted(set(out))
