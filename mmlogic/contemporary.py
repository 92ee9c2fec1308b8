"""The contemporary evidence pack: today's regimens against this patient's history.

The pack (``contemporary.toml``, validated by pydantic at load, versioned) holds, per regimen or
product, the pivotal trial, its population as structured facts, PFS/HR with the analysis they
come from, approvals per jurisdiction (us, eu, cn) as structured indications, and its cautions.
This module matches those facts to the ``exposure`` axes and sorts each option into a group
(docs/spec/contemporary-pack.md):

1. matches the trial population and approved for this patient in the chosen jurisdiction;
2. matches, but not approved there (or not verified);
3. relies on a drug the disease is refractory to (CP-LEN-REF, CP-CD38-REF, CP-BORT-REF);
4. does not match the trial population (each mismatch in words).

Within a group: randomised phase 3, then phase 2, then single arm, then by id. Never a ranking
by PFS or HR across trials. This is an evidence summary, not a recommendation.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .assessment import (
    Approval,
    Caution,
    EvidenceOption,
    Exposure,
    PackInfo,
    Pfs,
    Renal,
    Text,
)
from .drugs import BCMA_CLASSES, DrugClass, vocabulary
from .rules import evaluates, rule

__all__ = ["ContemporaryPack", "JURISDICTIONS", "contemporary_pack", "evidence_options", "pack_info", "seed_pack_info"]

JURISDICTIONS = ("us", "eu", "cn")
DESIGN_ORDER = {"phase3": 0, "phase2": 1, "single_arm": 2, "not_verified": 3}

Token = str


class _Data(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Criteria(_Data):
    """Structured population or indication facts; every list holds criterion tokens."""

    min_prior: int | None = None
    max_prior: int | None = None
    exposed: tuple[Token, ...] = ()
    refractory: tuple[Token, ...] = ()
    refractory_if_one_prior: tuple[Token, ...] = ()
    not_exposed: tuple[Token, ...] = ()
    not_refractory: tuple[Token, ...] = ()
    requires_finding: tuple[str, ...] = ()
    ecog_max: int | None = None
    crcl_min: float | None = None
    note_en: str | None = None
    note_zh: str | None = None

    def tokens(self) -> Iterable[Token]:
        yield from (*self.exposed, *self.refractory, *self.refractory_if_one_prior, *self.not_exposed,
                    *self.not_refractory)


class Indication(Criteria):
    status: Literal["approved", "not_approved", "not_verified"]
    date: str | None = None
    #: false: approved, but the dossier does not verify the indication's facts
    indication_verified: bool = True
    sources: tuple[str, ...] = ()


class Trial(_Data):
    name: str
    nct: str | None = None
    design: Literal["phase3", "phase2", "single_arm", "not_verified"]
    comparator: str
    n: int | None = None


class PfsData(_Data):
    experimental_months: str | None = None
    control_months: str | None = None
    hr: str | None = None
    ci: str | None = None
    analysis: str


class Option(_Data):
    id: str
    drugs: Annotated[tuple[str, ...], Field(min_length=1)]
    trial: Trial
    population: Criteria
    pfs: PfsData
    sources: Annotated[tuple[str, ...], Field(min_length=1)]
    cautions: tuple[str, ...] = ()
    approvals: dict[Literal["us", "eu", "cn"], Indication]


class CautionTrigger(_Data):
    rule: str
    drugs: tuple[str, ...] = ()
    classes: tuple[DrugClass, ...] = ()
    renal: bool = False
    sources: tuple[str, ...]


class ContemporaryPack(_Data):
    id: Literal["contemporary"]
    version: str
    name_en: str
    name_zh: str
    evidence_date: str
    option: tuple[Option, ...]
    caution: tuple[CautionTrigger, ...]

    @model_validator(mode="after")
    def _consistent(self) -> ContemporaryPack:
        vocab = vocabulary()
        special = {"bcma", "triple_class", "penta", "last_line"} | {c.value for c in DrugClass}
        ids = [o.id for o in self.option]
        if len(ids) != len(set(ids)):
            raise ValueError("duplicate option id")
        triggers = {c.rule for c in self.caution}
        for o in self.option:
            for drug in o.drugs:
                if drug not in vocab.by_name:
                    raise ValueError(f"option {o.id!r}: unknown drug {drug!r}")
            if set(o.approvals) != set(JURISDICTIONS):
                raise ValueError(f"option {o.id!r}: approvals must name us, eu and cn")
            for criteria in (o.population, *o.approvals.values()):
                for token in criteria.tokens():
                    if token not in special and token not in vocab.by_name:
                        raise ValueError(f"option {o.id!r}: unknown criterion {token!r}")
            for caution in o.cautions:
                if caution not in triggers:
                    raise ValueError(f"option {o.id!r}: caution {caution!r} has no [[caution]] entry")
        return self

    def info(self) -> PackInfo:
        return PackInfo(id="contemporary", version=self.version, name=Text(en=self.name_en, zh=self.name_zh),
                        evidence_date=self.evidence_date)


@cache
def contemporary_pack() -> ContemporaryPack:
    """The packaged pack, validated once per process (a bad file stops the load naming the entry)."""
    text = resources.files(__package__).joinpath("contemporary.toml").read_text("utf-8")
    return ContemporaryPack.model_validate(tomllib.loads(text))


def pack_info() -> PackInfo:
    return contemporary_pack().info()


def seed_pack_info(rules_version: str) -> PackInfo:
    return PackInfo(id="seed", version=f"seed-{rules_version}",
                    name=Text(en="Seed pack (source review, evidence to about 2012)",
                              zh="种子知识包(来源综述,证据截至约2012年)"))


# ---- criterion tokens in words ------------------------------------------------------------------

_CLASS_WORDS = {
    "imid": ("an IMiD", "IMiD类药物"),
    "proteasome_inhibitor": ("a proteasome inhibitor", "蛋白酶体抑制剂"),
    "anti_cd38": ("an anti-CD38 antibody", "抗CD38单抗"),
    "anti_slamf7": ("an anti-SLAMF7 antibody", "抗SLAMF7单抗"),
    "bcma_adc": ("a BCMA antibody-drug conjugate", "BCMA抗体偶联药物"),
    "bcma_car_t": ("a BCMA CAR-T", "BCMA CAR-T"),
    "bcma_bispecific": ("a BCMA bispecific", "BCMA双特异性抗体"),
    "gprc5d_bispecific": ("a GPRC5D bispecific", "GPRC5D双特异性抗体"),
    "xpo1_inhibitor": ("an XPO1 inhibitor", "XPO1抑制剂"),
    "bcl2_inhibitor": ("a BCL2 inhibitor", "BCL2抑制剂"),
    "alkylator": ("an alkylating agent", "烷化剂"),
    "anthracycline": ("an anthracycline", "蒽环类药物"),
    "conventional": ("conventional chemotherapy", "传统化疗"),
    "steroid": ("a steroid", "激素"),
    "bcma": ("BCMA-directed therapy", "BCMA靶向治疗"),
    "triple_class": ("all three classes (IMiD, PI, anti-CD38)", "三类药物(IMiD、PI、抗CD38单抗)"),
    "penta": ("penta-refractory disease (2 PIs, 2 IMiDs, an anti-CD38)", "五药耐药(2种PI、2种IMiD、1种抗CD38单抗)"),
    "last_line": ("the most recent line", "最近一线治疗"),
}


def _words(token: Token) -> tuple[str, str]:
    if token in _CLASS_WORDS:
        return _CLASS_WORDS[token]
    drug = vocabulary().by_name[token]
    return drug.en, drug.zh


def _exposed(token: Token, exposure: Exposure) -> bool:
    if token == "bcma":
        return exposure.bcma_exposed
    if token == "triple_class":
        return exposure.triple_class_exposed
    if token == "penta":
        return exposure.penta_refractory
    if token in exposure.classes:
        return exposure.classes[token] != "naive"
    return token in exposure.drugs


def _refractory(token: Token, exposure: Exposure, last_line_refractory: bool) -> bool:
    if token == "last_line":
        return last_line_refractory
    if token == "triple_class":
        return exposure.triple_class_refractory
    if token == "penta":
        return exposure.penta_refractory
    if token == "bcma":
        return any(exposure.classes.get(c.value) == "refractory" for c in BCMA_CLASSES)
    if token in exposure.classes:
        return exposure.classes[token] == "refractory"
    return exposure.drugs.get(token) == "refractory"


class Patient(_Data):
    """What the pack needs besides exposure."""

    exposure: Exposure
    last_line_refractory: bool
    findings: frozenset[str]
    ecog: int
    renal: Renal
    on_dialysis: bool


def failed_criteria(c: Criteria, p: Patient) -> list[Text]:
    """Each fact of ``c`` this patient fails, in words (en + zh)."""
    out: list[Text] = []
    e = p.exposure
    if c.min_prior is not None and e.prior_lines < c.min_prior:
        out.append(Text(en=f"needs at least {c.min_prior} prior line(s); this patient has {e.prior_lines}",
                        zh=f"要求既往至少{c.min_prior}线治疗;该患者为{e.prior_lines}线"))
    if c.max_prior is not None and e.prior_lines > c.max_prior:
        out.append(Text(en=f"at most {c.max_prior} prior line(s); this patient has {e.prior_lines}",
                        zh=f"要求既往最多{c.max_prior}线治疗;该患者为{e.prior_lines}线"))
    for token in c.exposed:
        if not _exposed(token, e):
            en, zh = _words(token)
            out.append(Text(en=f"needs prior exposure to {en}", zh=f"要求既往使用过{zh}"))
    for token in c.refractory:
        if not _refractory(token, e, p.last_line_refractory):
            en, zh = _words(token)
            out.append(Text(en=f"needs disease refractory to {en}", zh=f"要求对{zh}耐药"))
    if e.prior_lines == 1:
        for token in c.refractory_if_one_prior:
            if not _refractory(token, e, p.last_line_refractory):
                en, zh = _words(token)
                out.append(Text(en=f"with only 1 prior line, needs disease refractory to {en}",
                                zh=f"既往仅1线时,要求对{zh}耐药"))
    for token in c.not_exposed:
        if _exposed(token, e):
            en, zh = _words(token)
            out.append(Text(en=f"excludes patients previously given {en}", zh=f"排除既往使用过{zh}者"))
    for token in c.not_refractory:
        if _refractory(token, e, p.last_line_refractory):
            en, zh = _words(token)
            out.append(Text(en=f"excludes patients whose disease is refractory to {en}", zh=f"排除对{zh}耐药者"))
    for finding in c.requires_finding:
        if finding.replace(" ", "").lower() not in p.findings:
            out.append(Text(en=f"needs {finding} (not recorded for this patient)", zh=f"要求存在{finding}(该患者未记录)"))
    if c.ecog_max is not None and p.ecog > c.ecog_max:
        out.append(Text(en=f"ECOG at most {c.ecog_max}; this patient {p.ecog}", zh=f"要求ECOG≤{c.ecog_max};该患者为{p.ecog}"))
    crcl = p.renal.creatinine_clearance_ml_min
    if c.crcl_min is not None and crcl is not None and crcl < c.crcl_min:
        out.append(Text(en=f"creatinine clearance at least {c.crcl_min:g} mL/min; this patient {crcl:.0f}",
                        zh=f"要求肌酐清除率≥{c.crcl_min:g} mL/min;该患者为{crcl:.0f}"))
    return out


def _indication_text(ind: Indication) -> Text | None:
    if ind.status != "approved":
        return Text(en=ind.note_en, zh=ind.note_zh) if ind.note_en and ind.note_zh else None
    if not ind.indication_verified:
        en, zh = "indication not verified", "适应证未核实"
    else:
        parts_en, parts_zh = [], []
        if ind.min_prior is not None or ind.max_prior is not None:
            lo, hi = ind.min_prior, ind.max_prior
            span = f"{lo}–{hi}" if lo is not None and hi is not None else (f"≥{lo}" if lo is not None else f"≤{hi}")
            parts_en.append(f"{span} prior lines")
            parts_zh.append(f"既往{span}线")
        for token in ind.exposed:
            en, zh = _words(token)
            parts_en.append(f"prior {en}")
            parts_zh.append(f"用过{zh}")
        for token in ind.refractory:
            en, zh = _words(token)
            parts_en.append(f"refractory to {en}")
            parts_zh.append(f"对{zh}耐药")
        en, zh = ", ".join(parts_en) or "as labelled", "、".join(parts_zh) or "按说明书"
    if ind.note_en and ind.note_zh:
        en, zh = f"{en} ({ind.note_en})", f"{zh}({ind.note_zh})"
    return Text(en=en, zh=zh)


def _approved_for(ind: Indication, p: Patient) -> bool | None:
    """CP-JURISDICTION: the indication's facts against this patient; None where not verified."""
    if ind.status == "not_approved":
        return False
    if ind.status == "not_verified" or not ind.indication_verified:
        return None
    return not failed_criteria(ind, p)


def _cautions(option: Option, pack: ContemporaryPack, p: Patient) -> list[Caution]:
    vocab = vocabulary()
    impaired = bool(p.renal.impaired) or p.on_dialysis
    out: list[Caution] = []
    for trigger in pack.caution:
        if trigger.rule not in option.cautions or (trigger.renal and not impaired):
            continue
        out.append(Caution(rule=trigger.rule, text=rule(trigger.rule).explanation))
    e = p.exposure
    classes = {c for d in option.drugs for c in vocab.classes(d)}
    # Refractoriness rules of the pack (dossier R1–R3), named where they bear on this option.
    if e.len_refractory and "lenalidomide" in option.drugs:
        out.append(Caution(rule="CP-LEN-REF", text=rule("CP-LEN-REF").explanation))
    trial_excludes_cd38 = {"anti_cd38", "daratumumab"} & set(
        (*option.population.not_refractory, *option.population.not_exposed))
    if e.anti_cd38_refractory and (DrugClass.ANTI_CD38 in classes or trial_excludes_cd38):
        out.append(Caution(rule="CP-CD38-REF", text=rule("CP-CD38-REF").explanation))
    if e.drugs.get("bortezomib") == "refractory" and "bortezomib" in option.drugs:
        out.append(Caution(rule="CP-BORT-REF", text=rule("CP-BORT-REF").explanation))
    return out


@evaluates("CP-OPTIONS", "CP-JURISDICTION", "CP-LEN-REF", "CP-CD38-REF", "CP-BORT-REF")
def evidence_options(p: Patient, jurisdiction: str | None) -> list[EvidenceOption]:
    """When the contemporary pack is chosen, Then every option of the pack is matched to this
    patient: a drug the disease is refractory to puts it in group 3 (CP-LEN-REF, CP-CD38-REF,
    CP-BORT-REF); a failed trial criterion in group 4; otherwise group 1 when approved for this
    patient in the chosen jurisdiction (CP-JURISDICTION; none chosen: in any), else group 2.
    Sorted by group, then trial design, then id (CP-OPTIONS) — never by PFS or HR."""
    pack = contemporary_pack()
    vocab = vocabulary()
    out: list[EvidenceOption] = []
    for option in pack.option:
        mismatches = failed_criteria(option.population, p)
        approvals = {j: Approval(status=ind.status, date=ind.date, indication=_indication_text(ind),
                                 sources=list(ind.sources)) for j, ind in option.approvals.items()}
        approved = {j: _approved_for(ind, p) for j, ind in option.approvals.items()}
        refractory = [d for d in option.drugs if p.exposure.drugs.get(d) == "refractory"
                      and DrugClass.STEROID not in vocab.classes(d)]
        chosen = [approved[jurisdiction]] if jurisdiction else list(approved.values())
        if refractory:
            group = 3
        elif mismatches:
            group = 4
        elif any(a is True for a in chosen):
            group = 1
        else:
            group = 2
        cautions = _cautions(option, pack, p)
        out.append(EvidenceOption(
            id=option.id,
            name=Text(en=" + ".join(vocab.by_name[d].en for d in option.drugs),
                      zh=" + ".join(vocab.by_name[d].zh for d in option.drugs)),
            drugs=list(option.drugs),
            trial=option.trial.name + (f" ({option.trial.nct})" if option.trial.nct else ""),
            design=option.trial.design,
            population_matches=not mismatches,
            mismatches=mismatches,
            approvals=approvals,
            approved_for_patient=approved,
            pfs=Pfs(**option.pfs.model_dump()),
            cautions=cautions,
            sources=list(option.sources),
            group=group,
            refractory_drugs=refractory,
            rules=["CP-OPTIONS", "CP-JURISDICTION", *sorted({c.rule for c in cautions})],
        ))
    design = {o.id: DESIGN_ORDER[o.trial.design] for o in pack.option}
    return sorted(out, key=lambda o: (o.group, design[o.id], o.id.casefold()))
