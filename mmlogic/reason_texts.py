"""The words of the ranking: every reason and caution sentence, in English and Simplified Chinese.

One builder per sentence, cached: the same sentences recur for every regimen and on every rerun,
and frozen models can be shared. ``ranking`` decides *what* is said (which rule, which effect);
this module only says it. Built with checked types, so they skip re-validation on a hot path.
"""

from __future__ import annotations

from functools import lru_cache

from .assessment import Caution, Reason, Text
from .regimens import knowledge_base
from .thresholds import (
    FRAIL_MAX_DRUGS,
    HIGH_RISK_MAX_DRUGS,
    HIGH_RISK_MIN_DRUGS,
    LEN_CRCL_SEVERE_BELOW,
    PI_RETREAT_MIN_TFI_MONTHS,
    RD_PROVEN_AGE,
    STANDARD_RISK_MAX_DRUGS,
    STANDARD_RISK_MIN_DRUGS,
)


@lru_cache(maxsize=4096)
def reason(rule: str, effect: str, text: Text) -> Reason:
    return Reason.model_construct(rule=rule, effect=effect, text=text)


@lru_cache(maxsize=1024)
def caution(rule: str, text: Text) -> Caution:
    return Caution.model_construct(rule=rule, text=text)


@lru_cache(maxsize=4096)
def text(en: str, zh: str) -> Text:
    return Text.model_construct(en=en, zh=zh)


CONVENTIONAL_TEXT = text(
    "conventional chemotherapy alone works poorly in relapse (median survival 6–9 months): "
    "never before a novel-agent regimen",
    "单纯传统化疗对复发患者疗效差(中位生存6~9个月):不先于含新药方案")
VTE_BORT_TEXT = text("recent thrombosis or hypercoagulable state: bortezomib does not raise thrombosis risk",
                   "近期血栓或高凝状态:硼替佐米不增加血栓风险,为首选")
HEPATIC_TEXT = text("hepatic impairment: lenalidomide is not metabolised by the liver", "肝功能不全:来那度胺不经肝脏代谢")
NOVEL_TEXT = text("contains a novel agent, as salvage therapy should", "含新药,符合挽救治疗应含新药的原则")
FIRST_RELAPSE_BORT_TEXT = text("first relapse: bortezomib works best with fewer prior lines",
                             "首次复发:硼替佐米早期使用疗效更好")
CROSS_RESISTANCE_TEXT = text(
    "prior thalidomide shortens progression-free survival on lenalidomide (8.5 vs 14.2 months)",
    "既往用过沙利度胺者来那度胺疗效下降(中位PFS 8.5比14.2个月),可能存在交叉耐药")
VTE_ANTICOAGULATED_TEXT = text("recent thrombosis or hypercoagulable state: use only with continued anticoagulation",
                             "近期血栓或高凝状态:仅在持续抗凝下谨慎使用")
VTE_NOT_ADVISED_TEXT = text("not advised without anticoagulation after recent thrombosis or when hypercoagulable",
                          "近期血栓或高凝状态未抗凝:不推荐使用")


@lru_cache(maxsize=8)
def vte_down_text(imids: tuple[str, ...]) -> Text:
    return text(f"recent thrombosis or hypercoagulable state without anticoagulation: {', '.join(imids)} "
              "raises VTE risk", "近期血栓或高凝状态且未抗凝:沙利度胺/来那度胺增加静脉血栓风险")


@lru_cache(maxsize=64)
def refractory_text(drug: str) -> Text:
    return text(f"disease refractory to {drug}: a regimen relying on it ranks below untried or effective drugs",
              f"对{zh_drug(drug)}耐药:含该药的方案排在未用过或仍有效药物的方案之后")


@lru_cache(maxsize=16)
def steroid_text(steroids: tuple[str, ...]) -> Text:
    return text(f"steroid intolerance: contains {', '.join(steroids)}", "激素不耐受:该方案含糖皮质激素")


@lru_cache(maxsize=8)
def neurotoxic_text(grade: int) -> Text:
    return text(f"grade {grade} peripheral neuropathy: bortezomib and thalidomide are neurotoxic",
              f"{grade}级周围神经病变:硼替佐米和沙利度胺有神经毒性")


@lru_cache(maxsize=64)
def count_text(kind: str, n: int) -> Text:
    if kind == "frail":
        return text(f"not fit for intensive therapy: 1–{FRAIL_MAX_DRUGS} drugs, lower toxicity ({n} here)",
                  f"不能耐受强烈治疗:宜用1~{FRAIL_MAX_DRUGS}种药物、低毒方案(本方案{n}种)")
    if kind == "high":
        return text(f"high-risk disease: combine {HIGH_RISK_MIN_DRUGS}–{HIGH_RISK_MAX_DRUGS} drugs ({n} here)",
                  f"高危患者:宜{HIGH_RISK_MIN_DRUGS}~{HIGH_RISK_MAX_DRUGS}药联合(本方案{n}种)")
    return text(f"standard-risk disease: {STANDARD_RISK_MIN_DRUGS}–{STANDARD_RISK_MAX_DRUGS} drugs ({n} here)",
              f"标危患者:宜{STANDARD_RISK_MIN_DRUGS}~{STANDARD_RISK_MAX_DRUGS}种药物(本方案{n}种)")


@lru_cache(maxsize=256)
def renal_text(crcl: float | None) -> Text:
    shown = f"creatinine clearance {crcl:g} mL/min" if crcl is not None else "renal impairment"
    shown_zh = f"肌酐清除率{crcl:g} mL/min" if crcl is not None else "肾功能不全"
    return text(f"{shown}: bortezomib is not renally cleared and acts fast", f"{shown_zh}:硼替佐米不经肾脏代谢且起效快")


@lru_cache(maxsize=16)
def cyto_bort_text(lesions: tuple[str, ...]) -> Text:
    return text(f"{', '.join(lesions)}: bortezomib overcomes their adverse effect",
              f"{'、'.join(lesions)}:硼替佐米可克服其不良预后影响")


@lru_cache(maxsize=16)
def cyto_len_text(lesions: tuple[str, ...]) -> Text:
    return text(f"{', '.join(lesions)}: lenalidomide-based therapy improves the outlook",
              f"{'、'.join(lesions)}:以来那度胺为基础的治疗可改善预后")


@lru_cache(maxsize=8)
def neuro_len_text(grade: int) -> Text:
    return text(f"grade {grade} neuropathy: lenalidomide is the least neurotoxic", f"{grade}级神经病变:来那度胺神经毒性最低")


@lru_cache(maxsize=256)
def repeat_text(months: float) -> Text:
    return text(f"remission of {months:.1f} months after it suggests sensitivity: may be repeated",
              f"该方案后缓解期{months:.1f}个月,提示敏感:可考虑重复使用")


@lru_cache(maxsize=256)
def retreat_text(months: float) -> Text:
    return text(f"{months:.1f} months since the last bortezomib: retreatment is effective after > "
              f"{PI_RETREAT_MIN_TFI_MONTHS:g} months",
              f"距末次硼替佐米{months:.1f}个月:无治疗间隔>{PI_RETREAT_MIN_TFI_MONTHS:g}个月时再治疗有效")


@lru_cache(maxsize=64)
def age_rd_text(age: int) -> Text:
    return text(f"age {age}: Rd has proven efficacy at {RD_PROVEN_AGE} and over",
              f"年龄{age}岁:Rd方案对{RD_PROVEN_AGE}岁以上患者疗效确切")


@lru_cache(maxsize=8)
def prophylaxis_text(imids: tuple[str, ...]) -> Text:
    return text(f"{' and '.join(imids)} cause venous thromboembolism: give thromboprophylaxis",
              "沙利度胺/来那度胺可致静脉血栓栓塞:需预防性抗凝")


@lru_cache(maxsize=8)
def bortezomib_route_text(grade: int) -> Text:
    return text(f"grade {grade} neuropathy: give bortezomib weekly and subcutaneously, adjust the dose",
              f"{grade}级神经病变:硼替佐米应每周一次皮下注射并调整剂量")


@lru_cache(maxsize=256)
def short_interval_text(months: float | None) -> Text:
    shown = "on bortezomib now" if months is None else f"{months:.1f} months since the last bortezomib"
    shown_zh = "目前仍在使用硼替佐米" if months is None else f"距末次硼替佐米仅{months:.1f}个月"
    return text(f"{shown}: retreatment evidence is for treatment-free intervals > {PI_RETREAT_MIN_TFI_MONTHS:g} months",
              f"{shown_zh}:再治疗的证据来自无治疗间隔>{PI_RETREAT_MIN_TFI_MONTHS:g}个月的患者")


@lru_cache(maxsize=256)
def len_dose_text(crcl: float | None, on_dialysis: bool) -> Text:
    """COMORB-LEN-CRCL: the label's lenalidomide dose tier for this clearance (for information)."""
    if on_dialysis:
        return text("on dialysis: lenalidomide 5 mg daily, after dialysis on dialysis days (label)",
                  "透析患者:来那度胺5 mg每日一次,透析日于透析后服用(说明书)")
    if crcl is None:
        return text("renal impairment: adjust the lenalidomide dose to creatinine clearance",
                  "肾功能不全:来那度胺须按肌酐清除率调整剂量")
    if crcl < LEN_CRCL_SEVERE_BELOW:
        return text(f"creatinine clearance {crcl:g} mL/min: lenalidomide 15 mg every 48 h (label tier < "
                  f"{LEN_CRCL_SEVERE_BELOW:g})",
                  f"肌酐清除率{crcl:g} mL/min:来那度胺15 mg每48小时一次(说明书<{LEN_CRCL_SEVERE_BELOW:g}档)")
    return text(f"creatinine clearance {crcl:g} mL/min: lenalidomide 10 mg daily (label tier "
              f"{LEN_CRCL_SEVERE_BELOW:g}–59)",
              f"肌酐清除率{crcl:g} mL/min:来那度胺10 mg每日一次(说明书{LEN_CRCL_SEVERE_BELOW:g}~59档)")


@lru_cache(maxsize=256)
def combine_text(refractory: tuple[str, ...], untried: tuple[str, ...]) -> Text:
    return text(f"resistant to {', '.join(refractory)}: adds drugs not used before ({', '.join(untried)})",
              f"对{'、'.join(zh_drug(d) for d in refractory)}耐药:加入未用过的药物"
              f"({'、'.join(zh_drug(d) for d in untried)})")


def zh_drug(drug: str) -> str:
    known = knowledge_base().drugs.get(drug)
    if known:
        return known.zh
    from .drugs import vocabulary  # contemporary drugs (issue 15) have their Chinese name there

    other = vocabulary().by_name.get(drug)
    return other.zh if other else drug


# -- catalog 1.1 (rules.md K): class refractoriness, single agents, stem-cell harvest, repeats ----

HARVEST_TEXT = text(
    "a first autologous transplant is an option and no stem cells are stored: melphalan before "
    "collection impairs the stem-cell harvest",
    "可行首次自体移植且尚未保存干细胞:采集前使用美法仑会损害干细胞采集")


@lru_cache(maxsize=64)
def class_refractory_text(drug: str, through: str) -> Text:
    """DEF-DRUG-REFRACTORY across the IMiD class: never "not used before" (catalog 1.1)."""
    return text(f"refractory (class) to {drug}: the disease is refractory to {through}, and resistance carries "
              "across thalidomide and lenalidomide",
              f"对{zh_drug(drug)}类别耐药:已对{zh_drug(through)}耐药,沙利度胺与来那度胺之间存在交叉耐药")


@lru_cache(maxsize=16)
def monotherapy_text(drug: str, doublet: str) -> Text:
    return text(f"{drug} alone is the option for steroid-intolerant patients: {doublet} (with a steroid) "
              "works better and ranks above it",
              f"{zh_drug(drug)}单药用于不能耐受激素的患者:联合激素的{doublet}疗效更好,排在其前")


@lru_cache(maxsize=256)
def not_repeated_text(refractory: bool, no_response: bool, months: float | None) -> Text:
    """Why SEQ-NCCN does not repeat the previous regimen (catalog 1.1: refractory, no response)."""
    if no_response:
        return text("no response to it (primary refractory): switch", "该方案治疗无效(原发难治):应更换方案")
    if refractory:
        return text("the disease is refractory to it: switch, whatever the remission",
                  "疾病对该方案耐药:无论缓解期长短均应更换方案")
    if months is None:
        return text("remission after it unknown: not shown to be sensitive, switch",
                  "该方案后缓解期未知:未证实敏感,应更换方案")
    return text(f"remission of {months:.1f} months after it suggests resistance: switch",
              f"该方案后缓解期{months:.1f}个月,提示耐药:应更换方案")
