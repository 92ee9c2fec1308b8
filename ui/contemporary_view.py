"""The contemporary evidence pack on screen: plain functions assessment -> Markdown/HTML blocks.

Every text is escaped with ``assessment_view.e`` (pack data and case text alike). Next to every
option: "evidence summary, not a recommendation; check the current label and guideline"
(contemporary-pack.md); its source keys; its mismatches in words. No ranking across trials.
"""

from __future__ import annotations

from mmlogic.assessment import Assessment, EvidenceOption, Exposure

from .assessment_view import WARN, cards, e, rules_html
from .i18n import tr
from .phrases import drugs_text

__all__ = ["exposure_block", "group_blocks", "pack_caption"]

FLAGS = ("len_refractory", "anti_cd38_refractory", "pi_refractory", "triple_class_exposed",
         "triple_class_refractory", "penta_refractory", "bcma_exposed", "tcr_exposed")


def pack_caption(a: Assessment, lang: str) -> str:
    """'Pack: <name> · <version> · evidence <date>' for the footer, board and report."""
    if a.pack is None:
        return ""
    date = a.pack.evidence_date or "—"
    return tr("cp.pack_caption", lang, name=a.pack.name.get(lang), version=a.pack.version, date=date)


def exposure_block(x: Exposure, lang: str) -> str:
    flags = [tr(f"cp.flag.{f}", lang) for f in FLAGS if getattr(x, f)]
    lines = [f"**{e(tr('cp.prior_lines', lang))}**: {x.prior_lines}",
             f"**{e(tr('cp.flags', lang))}**: {e(', '.join(flags)) if flags else '—'}"]
    refractory = [d for d, s in x.drugs.items() if s == "refractory"]
    exposed = [d for d, s in x.drugs.items() if s == "exposed"]
    if refractory:
        lines.append(f"{e(tr('cp.refractory_to', lang))}: {e(drugs_text(refractory, lang))}")
    if exposed:
        lines.append(f"{e(tr('cp.exposed_to', lang))}: {e(drugs_text(exposed, lang))}")
    lines += [f"{WARN} {e(n.get(lang))}" for n in x.notes]
    return f"#### {e(tr('cp.exposure', lang))}\n\n" + "  \n".join(lines) + rules_html(x.rules, lang)


def _approval_line(o: EvidenceOption, lang: str) -> list[str]:
    out = []
    for where, approval in o.approvals.items():
        status = tr(f"cp.status.{approval.status}", lang)
        date = f" {e(approval.date)}" if approval.date else ""
        indication = f" — {e(approval.indication.get(lang))}" if approval.indication else ""
        mine = o.approved_for_patient[where]
        mine_text = tr("cp.for_patient." + ("unknown" if mine is None else ("yes" if mine else "no")), lang)
        keys = f" [{e(', '.join(approval.sources))}]" if approval.sources else ""
        out.append(f"{e(tr('cp.where.' + where, lang))}: {e(status)}{date}{indication} → **{e(mine_text)}**{keys}")
    return out


def option_block(o: EvidenceOption, lang: str) -> str:
    head = f"**{e(o.id)}** — {e(drugs_text(o.drugs, lang))} · {e(o.trial)} · {e(tr('cp.design.' + o.design, lang))}"
    pfs = o.pfs
    numbers = " vs ".join(x for x in (pfs.experimental_months, pfs.control_months) if x) or "—"
    hr = f" · HR {e(pfs.hr)}" + (f" ({e(pfs.ci)})" if pfs.ci else "") if pfs.hr else ""
    lines = [head, f"{e(tr('cp.pfs', lang))}: {e(numbers)}{hr} · {e(pfs.analysis)}"]
    lines += _approval_line(o, lang)
    if o.refractory_drugs:
        lines.append(f"{WARN} {e(tr('cp.relies_on', lang, drugs=drugs_text(o.refractory_drugs, lang)))}")
    lines += [f"≠ {e(m.get(lang))}" for m in o.mismatches]
    lines += [f"{WARN} `{e(c.rule)}` {e(c.text.get(lang))}" for c in o.cautions]
    lines.append(f"{e(tr('cp.sources', lang))}: {e(', '.join(o.sources))}")
    lines.append(f"_{e(tr('cp.disclaimer', lang))}_")
    return "  \n".join(lines) + rules_html(o.rules, lang)


def group_blocks(a: Assessment, lang: str) -> list[tuple[int, str, str]]:
    """(group, title, cards HTML) for each non-empty group, in order 1–4."""
    out = []
    for group in (1, 2, 3, 4):
        members = [o for o in a.evidence_options if o.group == group]
        if members:
            title = tr(f"cp.group.{group}", lang) + f" ({len(members)})"
            out.append((group, title, cards(option_block(o, lang) for o in members)))
    return out
