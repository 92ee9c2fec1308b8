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
    imids: tuple[str, ...]
    evidence_texts: tuple[tuple[str, Text], ...]
    family: str | None


@cache
def _facts() -> tuple[_Facts, ...]:
    kb = knowledge_base()
    out = []
    for r in kb.regimens:
        if r.kind != "regimen":
            continue
        steroids = tuple(d for d in r.drugs if kb.drugs[d].steroid)
        evidence: dict[str, Any] = {}
        for line in r.evidence:
            evidence.setdefault(line.rule, line)
        # Evidence rules of section H favour the regimens whose knowledge-base evidence cites them.
        evidence_texts = tuple((rule, _t(f"{e.en} ({e.figure}; {e.trial})", e.zh))
                               for rule in EVIDENCE_RULES if (e := evidence.get(rule)) is not None)
        out.append(_Facts(id=r.id, name=Text(en=r.name_en, zh=r.name_zh), drug_list=tuple(r.drugs),
                          drugs=frozenset(r.drugs), n_drugs=r.n_drugs, novel=r.has_novel_agent,
                          conventional_only=r.conventional_only, intensive=r.intensive, steroids=steroids,
                          imids=tuple(d for d in IMIDS if d in r.drugs), evidence_texts=evidence_texts,
                          family=r.family))
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
             risk: Risk, goal: Goal, renal: Renal) -> _Patient:
    comorb = case.comorbidities
    interval, ongoing = _bortezomib_interval(obs)
    findings = frozenset(normalised_findings(case))
    return _Patient(
        case=case, refractory=tuple(status.refractory_drugs), frail=not goal.fit, high_risk=risk.overall == "high",
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
        s.add(SAFETY, "OPT-CONVENTIONAL", CONVENTIONAL_ONLY_WEIGHT, CONVENTIONAL_TEXT)
    if r.imids and p.thrombosis_risk and not p.anticoagulated:
        s.add(SAFETY, "COMORB-VTE-IMID", VTE_IMID_WEIGHT, _vte_down_text(r.imids))
    for drug in p.refractory:
        if drug in r.drugs:
            s.add(SAFETY, "SEQ-REFRACTORY-DRUG", -ORDINARY, _refractory_text(drug))
    if r.steroids and p.case.patient.steroid_intolerant:
        s.add(SAFETY, "STEROID-INTOL", -ORDINARY, _steroid_text(r.steroids))
    if p.neuropathy >= NEUROPATHY_RANK_DOWN_GRADE and (BORTEZOMIB in r.drugs or THALIDOMIDE in r.drugs):
        s.add(SAFETY, "COMORB-NEURO-BORT", -ORDINARY, _neurotoxic_text(p.neuropathy))


# ---- level 2: the number of drugs -----------------------------------------------------------

@evaluates("RISK-INTENSITY", "GOAL-FRAIL")
def _drug_count(s: _Scored, p: _Patient) -> None:
    n = s.regimen.n_drugs
    if p.frail:
        ok = n <= FRAIL_MAX_DRUGS
        s.add(DRUG_COUNT, "GOAL-FRAIL", ORDINARY if ok else -ORDINARY, _count_text("frail", n))
        return  # ASSUME-FRAIL-OVER-RISK: the palliative drug count governs
    if p.high_risk:
        ok = HIGH_RISK_MIN_DRUGS <= n <= HIGH_RISK_MAX_DRUGS
        s.add(DRUG_COUNT, "RISK-INTENSITY", ORDINARY if ok else -ORDINARY, _count_text("high", n))
    else:
        ok = STANDARD_RISK_MIN_DRUGS <= n <= STANDARD_RISK_MAX_DRUGS
        s.add(DRUG_COUNT, "RISK-INTENSITY", ORDINARY if ok else -ORDINARY, _count_text("standard", n))


# ---- level 3: comorbidity and cytogenetic preferences ---------------------------------------

@evaluates("COMORB-RENAL", "COMORB-VTE-BORT", "COMORB-NEURO-LEN", "COMORB-HEPATIC", "CYTO-BORT", "CYTO-LEN")
def _preferences(s: _Scored, p: _Patient) -> None:
    r = s.regimen
    if BORTEZOMIB in r.drugs:
        if p.renal.impaired:
            s.add(PREFERENCE, "COMORB-RENAL", ORDINARY, _renal_text(p.renal.creatinine_clearance_ml_min))
        if p.thrombosis_risk:
            s.add(PREFERENCE, "COMORB-VTE-BORT", ORDINARY, VTE_BORT_TEXT)
        if p.bortezomib_lesions:
            s.add(PREFERENCE, "CYTO-BORT", ORDINARY, _cyto_bort_text(p.bortezomib_lesions))
    if LENALIDOMIDE in r.drugs:
        if p.neuropathy >= NEUROPATHY_PREFER_LEN_GRADE:
            s.add(PREFERENCE, "COMORB-NEURO-LEN", ORDINARY, _neuro_len_text(p.neuropathy))
        if p.case.comorbidities.hepatic_impairment:
            s.add(PREFERENCE, "COMORB-HEPATIC", ORDINARY, HEPATIC_TEXT)
        if p.lenalidomide_lesions:
            s.add(PREFERENCE, "CYTO-LEN", ORDINARY, _cyto_len_text(p.lenalidomide_lesions))


# ---- level 4: sequencing and evidence -------------------------------------------------------

@evaluates("SEQ-NCCN", "SEQ-NOVEL", "SEQ-COMBINE", "PI-BORT", "PI-RETREAT", "PI-COMBO", "ASH-2012-TRIPLET",
           "IMID-THAL", "IMID-LEN", "AGE-75-RD")
def _sequencing(s: _Scored, p: _Patient) -> None:
    r = s.regimen
    seq = p.sequence
    if seq.previous_regimen == r.id and seq.may_repeat_previous:
        s.add(SEQUENCING, "SEQ-NCCN", ORDINARY, _repeat_text(round(seq.remission_months, 1)))
    if r.novel:
        s.add(SEQUENCING, "SEQ-NOVEL", ORDINARY, NOVEL_TEXT)
    if BORTEZOMIB in r.drugs:
        if p.first_relapse:
            s.add(SEQUENCING, "PI-BORT", ORDINARY, FIRST_RELAPSE_BORT_TEXT)
        months = p.bortezomib_free_months
        if months is not None and months > PI_RETREAT_MIN_TFI_MONTHS + TOLERANCE:
            s.add(SEQUENCING, "PI-RETREAT", ORDINARY, _retreat_text(round(months, 1)))
    if p.refractory:
        untried = tuple(d for d in r.drug_list if d not in p.used_drugs and d not in r.steroids)
        if untried:
            s.add(SEQUENCING, "SEQ-COMBINE", ORDINARY, _combine_text(p.refractory, untried))
    for rule, text in r.evidence_texts:
        s.add(SEQUENCING, rule, ORDINARY, text)
    if r.id == "Rd" and p.case.patient.age >= RD_PROVEN_AGE:
        s.add(SEQUENCING, "AGE-75-RD", ORDINARY, _age_rd_text(p.case.patient.age))


# ---- cautions (never change the rank) -------------------------------------------------------

@evaluates("COMORB-LEN-CRCL", "IMID-CROSS")
def _cautions(s: _Scored, p: _Patient) -> None:
    r = s.regimen
    if LENALIDOMIDE in r.drugs:
        if p.renal.impaired:
            s.caution("COMORB-LEN-CRCL", _len_dose_text(p.renal.creatinine_clearance_ml_min,
                                                        p.case.comorbidities.on_dialysis))
        if p.prior_thalidomide:
            s.caution("IMID-CROSS", CROSS_RESISTANCE_TEXT)
    if r.imids:
        if p.thrombosis_risk:
            s.caution("COMORB-VTE-IMID", VTE_ANTICOAGULATED_TEXT if p.anticoagulated else VTE_NOT_ADVISED_TEXT)
        else:
            s.caution("COMORB-VTE-IMID", _prophylaxis_text(r.imids))
    if BORTEZOMIB in r.drugs:
        if p.neuropathy >= NEUROPATHY_PREFER_LEN_GRADE:
            s.caution("COMORB-NEURO-BORT", _bortezomib_route_text(p.neuropathy))
        months = p.bortezomib_free_months
        if p.bortezomib_ongoing:
            s.caution("PI-RETREAT", _short_interval_text(None))
        elif months is not None and months <= PI_RETREAT_MIN_TFI_MONTHS + TOLERANCE:
            s.caution("PI-RETREAT", _short_interval_text(round(months, 1)))


# ---- the words: one builder per sentence, cached (the same sentences recur on every rerun) ----

CONVENTIONAL_TEXT = _t(
    "conventional chemotherapy alone works poorly in relapse (median survival 6–9 months): "
    "never before a novel-agent regimen",
    "单纯传统化疗对复发患者疗效差(中位生存6~9个月):不先于含新药方案")
VTE_BORT_TEXT = _t("recent thrombosis or hypercoagulable state: bortezomib does not raise thrombosis risk",
                   "近期血栓或高凝状态:硼替佐米不增加血栓风险,为首选")
HEPATIC_TEXT = _t("hepatic impairment: lenalidomide is not metabolised by the liver", "肝功能不全:来那度胺不经肝脏代谢")
NOVEL_TEXT = _t("contains a novel agent, as salvage therapy should", "含新药,符合挽救治疗应含新药的原则")
FIRST_RELAPSE_BORT_TEXT = _t("first relapse: bortezomib works best with fewer prior lines",
                             "首次复发:硼替佐米早期使用疗效更好")
CROSS_RESISTANCE_TEXT = _t(
    "prior thalidomide shortens progression-free survival on lenalidomide (8.5 vs 14.2 months)",
    "既往用过沙利度胺者来那度胺疗效下降(中位PFS 8.5比14.2个月),可能存在交叉耐药")
VTE_ANTICOAGULATED_TEXT = _t("recent thrombosis or hypercoagulable state: use only with continued anticoagulation",
                             "近期血栓或高凝状态:仅在持续抗凝下谨慎使用")
VTE_NOT_ADVISED_TEXT = _t("not advised without anticoagulation after recent thrombosis or when hypercoagulable",
                          "近期血栓或高凝状态未抗凝:不推荐使用")


@lru_cache(maxsize=8)
def _vte_down_text(imids: tuple[str, ...]) -> Text:
    return _t(f"recent thrombosis or hypercoagulable state without anticoagulation: {', '.join(imids)} "
              "raises VTE risk", "近期血栓或高凝状态且未抗凝:沙利度胺/来那度胺增加静脉血栓风险")


@lru_cache(maxsize=64)
def _refractory_text(drug: str) -> Text:
    return _t(f"disease refractory to {drug}: a regimen relying on it ranks below untried or effective drugs",
              f"对{_zh_drug(drug)}耐药:含该药的方案排在未用过或仍有效药物的方案之后")


@lru_cache(maxsize=16)
def _steroid_text(steroids: tuple[str, ...]) -> Text:
    return _t(f"steroid intolerance: contains {', '.join(steroids)}", "激素不耐受:该方案含糖皮质激素")


@lru_cache(maxsize=8)
def _neurotoxic_text(grade: int) -> Text:
    return _t(f"grade {grade} peripheral neuropathy: bortezomib and thalidomide are neurotoxic",
              f"{grade}级周围神经病变:硼替佐米和沙利度胺有神经毒性")


@lru_cache(maxsize=64)
def _count_text(kind: str, n: int) -> Text:
    if kind == "frail":
        return _t(f"not fit for intensive therapy: 1–{FRAIL_MAX_DRUGS} drugs, lower toxicity ({n} here)",
                  f"不能耐受强烈治疗:宜用1~{FRAIL_MAX_DRUGS}种药物、低毒方案(本方案{n}种)")
    if kind == "high":
        return _t(f"high-risk disease: combine {HIGH_RISK_MIN_DRUGS}–{HIGH_RISK_MAX_DRUGS} drugs ({n} here)",
                  f"高危患者:宜{HIGH_RISK_MIN_DRUGS}~{HIGH_RISK_MAX_DRUGS}药联合(本方案{n}种)")
    return _t(f"standard-risk disease: {STANDARD_RISK_MIN_DRUGS}–{STANDARD_RISK_MAX_DRUGS} drugs ({n} here)",
              f"标危患者:宜{STANDARD_RISK_MIN_DRUGS}~{STANDARD_RISK_MAX_DRUGS}种药物(本方案{n}种)")


@lru_cache(maxsize=256)
def _renal_text(crcl: float | None) -> Text:
    shown = f"creatinine clearance {crcl:g} mL/min" if crcl is not None else "renal impairment"
    shown_zh = f"肌酐清除率{crcl:g} mL/min" if crcl is not None else "肾功能不全"
    return _t(f"{shown}: bortezomib is not renally cleared and acts fast", f"{shown_zh}:硼替佐米不经肾脏代谢且起效快")


@lru_cache(maxsize=16)
def _cyto_bort_text(lesions: tuple[str, ...]) -> Text:
    return _t(f"{', '.join(lesions)}: bortezomib overcomes their adverse effect",
              f"{'、'.join(lesions)}:硼替佐米可克服其不良预后影响")


@lru_cache(maxsize=16)
def _cyto_len_text(lesions: tuple[str, ...]) -> Text:
    return _t(f"{', '.join(lesions)}: lenalidomide-based therapy improves the outlook",
              f"{'、'.join(lesions)}:以来那度胺为基础的治疗可改善预后")


@lru_cache(maxsize=8)
def _neuro_len_text(grade: int) -> Text:
    return _t(f"grade {grade} neuropathy: lenalidomide is the least neurotoxic", f"{grade}级神经病变:来那度胺神经毒性最低")


@lru_cache(maxsize=256)
def _repeat_text(months: float) -> Text:
    return _t(f"remission of {months:.1f} months after it suggests sensitivity: may be repeated",
              f"该方案后缓解期{months:.1f}个月,提示敏感:可考虑重复使用")


@lru_cache(maxsize=256)
def _retreat_text(months: float) -> Text:
    return _t(f"{months:.1f} months since the last bortezomib: retreatment is effective after > "
              f"{PI_RETREAT_MIN_TFI_MONTHS:g} months",
              f"距末次硼替佐米{months:.1f}个月:无治疗间隔>{PI_RETREAT_MIN_TFI_MONTHS:g}个月时再治疗有效")


@lru_cache(maxsize=64)
def _age_rd_text(age: int) -> Text:
    return _t(f"age {age}: Rd has proven efficacy at {RD_PROVEN_AGE} and over",
              f"年龄{age}岁:Rd方案对{RD_PROVEN_AGE}岁以上患者疗效确切")


@lru_cache(maxsize=8)
def _prophylaxis_text(imids: tuple[str, ...]) -> Text:
    return _t(f"{' and '.join(imids)} cause venous thromboembolism: give thromboprophylaxis",
              "沙利度胺/来那度胺可致静脉血栓栓塞:需预防性抗凝")


@lru_cache(maxsize=8)
def _bortezomib_route_text(grade: int) -> Text:
    return _t(f"grade {grade} neuropathy: give bortezomib weekly and subcutaneously, adjust the dose",
              f"{grade}级神经病变:硼替佐米应每周一次皮下注射并调整剂量")


@lru_cache(maxsize=256)
def _short_interval_text(months: float | None) -> Text:
    shown = "on bortezomib now" if months is None else f"{months:.1f} months since the last bortezomib"
    shown_zh = "目前仍在使用硼替佐米" if months is None else f"距末次硼替佐米仅{months:.1f}个月"
    return _t(f"{shown}: retreatment evidence is for treatment-free intervals > {PI_RETREAT_MIN_TFI_MONTHS:g} months",
              f"{shown_zh}:再治疗的证据来自无治疗间隔>{PI_RETREAT_MIN_TFI_MONTHS:g}个月的患者")


@lru_cache(maxsize=256)
def _len_dose_text(crcl: float | None, on_dialysis: bool) -> Text:
    """COMORB-LEN-CRCL: the label's lenalidomide dose tier for this clearance (for information)."""
    if on_dialysis:
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
