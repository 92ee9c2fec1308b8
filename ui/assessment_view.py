"""The Assessment page as text: plain functions assessment -> Markdown/HTML blocks (no widgets).

Each section is ONE block: a few Markdown lines and its rule ids as an HTML ``<details>`` that
expands to the rules' explanations from the registry. One element per section instead of one
per line keeps a rerun cheap. Every text that can come from the user (regimen names typed as free
text, stop reasons) is HTML-escaped; texts of the core and registry are escaped too.
"""

from __future__ import annotations

from collections.abc import Iterable

from mmlogic.assessment import Assessment
from mmlogic.rules import registry

from . import safe
from .i18n import has, tr
from .phrases import features_text
from .watch import followed_text

WARN = ":orange[:material/warning:]"


e = safe.text  # every text in these blocks is made inert the one way (ui/safe.py)


def rules_html(rule_ids: Iterable[str], lang: str) -> str:
    ids = [r for r in dict.fromkeys(rule_ids) if r]
    if not ids:
        return ""
    try:
        rules = registry()
    except Exception:  # the registry must never take the page down
        rules = {}
    parts = []
    for rule_id in ids:
        rule = rules.get(rule_id)
        if rule is None:
            parts.append(f"<p><b>{e(rule_id)}</b> {e(tr('assess.rule_unknown', lang))}</p>")
        else:
            parts.append(f"<p><b>{e(rule_id)}</b> — {e(rule.title.get(lang))} (§{e(rule.section)})<br>"
                         f"{e(rule.explanation.get(lang))}</p>")
    summary = f"{e(tr('assess.rules', lang))}: {e(', '.join(ids))}"
    return f'\n\n<details class="mrn-rules"><summary>{summary}</summary>{"".join(parts)}</details>\n'


CARD_STYLE = ("border:1px solid #D5DBE1;border-radius:0.6rem;padding:0.2rem 1rem 0.6rem 1rem;"
              "margin-bottom:0.8rem;background:#FFFFFF")


def cards(blocks: Iterable[str]) -> str:
    """Blocks as bordered cards in ONE Markdown element (blank lines keep Markdown inside the div)."""
    return "\n\n".join(f'<div class="mrn-card" style="{CARD_STYLE}">\n\n{block}\n\n</div>' for block in blocks)


def _yes_no(value: bool | None, lang: str) -> str:
    return tr("assess.unknown", lang) if value is None else tr("assess.yes" if value else "assess.no", lang)


def _num(value: float | None, lang: str, fmt: str = "{:.1f}") -> str:
    return tr("assess.unknown", lang) if value is None else fmt.format(value)


def _marker(name: str, lang: str) -> str:
    key = f"analyte.{name}"
    return tr(key, lang) if has(key) else name


def _card(title: str, lines: list[str], rule_ids: Iterable[str], lang: str) -> str:
    body = "  \n".join(lines) if lines else ""
    return f"#### {e(title)}\n\n{body}{rules_html(rule_ids, lang)}"


def sections(a: Assessment, lang: str) -> tuple[list[str], list[str]]:
    """(left column blocks, right column blocks)."""
    t = lambda key, **kw: tr(key, lang, **kw)  # noqa: E731
    status = t(f"status.{a.status.category.value}") + (f" — {e(a.status.detail.get(lang))}" if a.status.detail else "")
    left = [_card(t("assess.status"), [f"**{status}**"], a.status.rules, lang)]

    lines = []
    line_rules: list[str] = []
    for line in a.lines:
        text = t("assess.line_row", n=line.index + 1, regimen=e(line.regimen), start=line.start.isoformat(),
                 end=line.end.isoformat() if line.end else t("assess.ongoing"),
                 response=line.best_response.value if line.best_response else "–",
                 source=t(f"source.{line.best_response_source.value}"),
                 refractory=t("assess.refractory") if line.refractory else "")
        if line.progression_date:
            text += " · " + t("assess.progression", date=line.progression_date.isoformat(),
                              source=t(f"source.{line.progression_source or 'computed'}"))
        # MARKER-FOLLOWED (catalog 1.1): which markers the line is judged on, and why.
        text += f"  \n  {e(t('watch.followed'))}: {e(followed_text(line, lang))}"
        lines.append("- " + text)
        line_rules += line.rules
    left.append(f"#### {e(t('assess.lines'))}\n\n" + ("\n".join(lines) if lines else t("assess.no_lines"))
                + rules_html(line_rules, lang))

    relapse = [f"{t('assess.biochemical')}: **{_yes_no(a.relapse.biochemical, lang)}** · "
               f"{t('assess.clinical')}: **{_yes_no(a.relapse.clinical, lang)}**"]
    if a.relapse.date:
        relapse.append(t("assess.relapse_date", date=a.relapse.date.isoformat()))
    criteria = [f"- **{e(c.rule)}** · {c.date.isoformat()} · "
                f"{t('assess.confirmed') if c.confirmed else t('assess.unconfirmed')} — {e(c.detail.get(lang))}"
                for c in a.relapse.criteria]
    left.append(f"#### {e(t('assess.relapse'))}\n\n" + "  \n".join(relapse) + "\n\n"
                + ("\n".join(criteria) if criteria else t("assess.no_criteria"))
                + rules_html([*a.relapse.rules, *(c.rule for c in a.relapse.criteria)], lang))

    timing = f"**{t('timing.' + a.timing.recommendation.value)}**" + (
        f" — {e(a.timing.detail.get(lang))}" if a.timing.detail else "")
    left.append(_card(t("assess.timing"), [timing], a.timing.rules, lang))

    kin = []
    if a.kinetics.rapid_rise:
        kin.append(f"{WARN} **{t('assess.rapid_rise')}**")
    measured = {n: k for n, k in a.kinetics.markers.items() if k.points > 0}
    for name, k in measured.items():
        kin.append("- " + t("assess.dt_row", marker=_marker(name, lang), months=_num(k.doubling_time_months, lang),
                            days=_num(k.doubling_time_days, lang, "{:.0f}"), r2=_num(k.r2, lang, "{:.2f}"),
                            points=k.points, status=t(f"kin.{k.status.value}")))
        kin += [f"  *{e(note.get(lang))}*" for note in k.notes]
    unmeasured = [_marker(n, lang) for n in a.kinetics.markers if n not in measured]
    if unmeasured:
        kin.append("\n" + t("assess.not_measured", markers=", ".join(unmeasured)))
    if not a.kinetics.markers:
        kin.append(t("assess.no_kinetics"))
    left.append(f"#### {e(t('assess.kinetics'))}\n\n" + "\n".join(kin) + rules_html(a.kinetics.rules, lang))

    right = []
    risk = [t("assess.cyto_risk", value=t(f"risk.{a.risk.cytogenetic.value}")),
            t("assess.overall_risk", value=f"**{t('risk.' + a.risk.overall)}**")]
    if a.risk.features:
        risk.append(t("assess.features", value=e(features_text(a.risk.features, lang))))
    right.append(_card(t("assess.risk"), risk, a.risk.rules, lang))
    right.append(_card(t("assess.goal"), [f"**{t('aim.' + a.goal.aim)}**",
                                          t("assess.fit", value=_yes_no(a.goal.fit, lang),
                                            source=t(f"source.{a.goal.fit_source}"))], a.goal.rules, lang))
    s = a.sequence
    right.append(_card(t("assess.sequence"), [
        f"{t('side.school')}: **{t('school.' + s.school.value)}**",
        t("assess.no_response") if s.no_response else
        t("assess.remission", months=_num(s.remission_months, lang),
          source=t(f"source.{s.remission_from}") if s.remission_from else t("assess.unknown"))
        if s.remission_months is not None else t("assess.remission_unknown"),
        t("assess.sensitive", value=_yes_no(s.sensitive, lang)),
        t("assess.may_repeat", regimen=e(s.previous_regimen or "–"), value=_yes_no(s.may_repeat_previous, lang)),
        # Catalog 1.1 (SEQ-NCCN / SEQ-EU): why a refractory previous regimen is not "sensitive".
        *([f"*{e(s.detail.get(lang))}*"] if s.detail else []),
    ], s.rules, lang))
    tx = a.transplant
    tx_lines = [t("assess.first_asct", value=t(f"tx.{tx.first_asct.value}")),
                t("assess.second_asct", value=t(f"tx.{tx.second_asct.value}")),
                t("assess.allo", value=t(f"tx.{tx.allogeneic}"))]
    if tx.ttp_after_asct_months is not None:
        tx_lines.append(t("assess.ttp", months=_num(tx.ttp_after_asct_months, lang)))
    tx_lines += [f"*{e(n.get(lang))}*" for n in tx.notes]
    right.append(_card(t("assess.transplant"), tx_lines, tx.rules, lang))
    r = a.renal
    crcl = (t("assess.crcl", value=_num(r.creatinine_clearance_ml_min, lang, "{:.0f}"), source=t(f"source.{r.source}"),
              impaired=_yes_no(r.impaired, lang)) if r.creatinine_clearance_ml_min is not None
            else t("assess.crcl_unknown", impaired=_yes_no(r.impaired, lang)))
    right.append(_card(t("assess.renal"), [crcl], [], lang))
    return left, right


def excluded_block(a: Assessment, lang: str) -> str:
    return "\n".join(f"- **{e(x.regimen)}** " + tr("assess.why_excluded", lang, name=e(x.name.get(lang)),
                                                    why=e(x.why.get(lang))) + f" ({e(', '.join(x.rules))})"
                     for x in a.excluded)


def assumptions_block(a: Assessment, lang: str) -> str:
    if not a.assumptions:
        return tr("assess.none", lang)
    rules = registry()
    out = []
    for rule_id in a.assumptions:
        rule = rules.get(rule_id)
        text = rule.explanation.get(lang) if rule else tr("assess.rule_unknown", lang)
        out.append(f"- **{e(rule_id)}** — {e(text)}")
    return "\n".join(out)
