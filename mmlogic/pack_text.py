"""Plain-text lines for the pack parts of an assessment (CLI ``--format text``, printed report).

Words are bilingual here because the core has no message catalog for them; the UI uses ui/i18n.
"""

from __future__ import annotations

from .assessment import Assessment, EvidenceOption

__all__ = ["DISCLAIMER", "GROUP_TITLES", "NOT_COMPARABLE", "option_lines", "pack_lines"]

DISCLAIMER = {
    "en": "evidence summary, not a recommendation; check the current label and guideline",
    "zh": "证据摘要,并非治疗推荐;请核对现行说明书与指南",
}
NOT_COMPARABLE = {
    "en": "The trials differ in design and population; their PFS and hazard ratios are not directly comparable.",
    "zh": "各试验的设计与人群不同,其PFS与风险比不能直接比较。",
}
GROUP_TITLES = {
    1: {"en": "1 · matches the trial population and approved for this patient here",
        "zh": "1 · 符合试验人群且在本地区获批用于该患者"},
    2: {"en": "2 · matches, but not approved here (or not verified)", "zh": "2 · 符合人群,但在本地区未获批(或未核实)"},
    3: {"en": "3 · relies on a drug the disease is refractory to", "zh": "3 · 依赖患者已耐药的药物"},
    4: {"en": "4 · does not match the trial population", "zh": "4 · 不符合试验人群"},
}
_STATUS = {"approved": {"en": "approved", "zh": "已批准"}, "not_approved": {"en": "not approved", "zh": "未批准"},
           "not_verified": {"en": "not verified", "zh": "未核实"}}
_FOR_PATIENT = {True: {"en": "yes", "zh": "是"}, False: {"en": "no", "zh": "否"}, None: {"en": "not verified", "zh": "未核实"}}


def option_lines(o: EvidenceOption, lang: str) -> list[str]:
    pfs = o.pfs
    numbers = " vs ".join(x for x in (pfs.experimental_months, pfs.control_months) if x)
    hr = f", HR {pfs.hr}" + (f" ({pfs.ci})" if pfs.ci else "") if pfs.hr else ""
    out = [f"  {o.id} — {', '.join(o.drugs)} · {o.trial} [{o.design}] · {' '.join('[' + s + ']' for s in o.sources)}",
           f"     PFS {numbers or '—'}{hr}; {pfs.analysis}"]
    for j, approval in o.approvals.items():
        ind = f": {approval.indication.get(lang)}" if approval.indication else ""
        date = f" {approval.date}" if approval.date else ""
        out.append(f"     {j.upper()} {_STATUS[approval.status][lang]}{date}{ind} → "
                   f"{_FOR_PATIENT[o.approved_for_patient[j]][lang]}")
    out += [f"     ≠ {m.get(lang)}" for m in o.mismatches]
    out += [f"     ! {c.rule}: {c.text.get(lang)}" for c in o.cautions]
    out.append(f"     ({DISCLAIMER[lang]})")
    return out


def pack_lines(a: Assessment, lang: str) -> list[str]:
    out: list[str] = []
    if a.pack is not None:
        date = f" · {a.pack.evidence_date}" if a.pack.evidence_date else ""
        out.append(f"{'知识包' if lang == 'zh' else 'Pack'}: {a.pack.name.get(lang)} ({a.pack.version}{date})")
    e = a.exposure
    if e is not None:
        flags = [name for name in ("len_refractory", "anti_cd38_refractory", "pi_refractory", "triple_class_exposed",
                                   "triple_class_refractory", "penta_refractory", "bcma_exposed", "tcr_exposed")
                 if getattr(e, name)]
        out.append(f"{'既往线数' if lang == 'zh' else 'Prior lines'}: {e.prior_lines}; {', '.join(flags) or '—'}")
        out += [f"  - {note.get(lang)}" for note in e.notes]
    if a.high_risk_2025 is not None:
        h = a.high_risk_2025
        word = {True: {"en": "high", "zh": "高危"}, False: {"en": "not high", "zh": "非高危"},
                None: {"en": "not assessable", "zh": "无法判定"}}[h.high_risk][lang]
        out.append(f"IMS/IMWG 2025: {word} [CP-HIGH-RISK-2025]")
    if a.evidence_options:
        where = a.jurisdiction.upper() if a.jurisdiction else ("全部地区" if lang == "zh" else "all jurisdictions")
        out += ["", f"{'当代证据选项' if lang == 'zh' else 'Contemporary evidence options'} ({where}):", NOT_COMPARABLE[lang]]
        out += [f"  * {n.rule}: {n.text.get(lang)}" for n in a.pack_notes]
        for group in (1, 2, 3, 4):
            members = [o for o in a.evidence_options if o.group == group]
            if members:
                out.append(GROUP_TITLES[group][lang])
                for o in members:
                    out += option_lines(o, lang)
    return out
