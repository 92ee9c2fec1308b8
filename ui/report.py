"""The printable tumor-board report: one self-contained HTML file (pure function, no Streamlit).

``build_report(case, assessment, lang) -> str``. The figure is inline SVG drawn here from the
assessment's ``series`` (no plotly.js, no browser, no font or script fetched: the file opens with
no network). Print CSS lays it out for A4 and Letter alike (no fixed page size; the content is
narrower than both); the cited rules start on page 2 and fit there. Why HTML and not PDF:
docs/board-and-teaching.md.

Contents: case id and label, assessment date, rules version, the one-line patient summary, the
verdict (status, relapse, timing) with rule ids, the marker trend with therapy bands, nadir and
relapse threshold, the top suggestions with reasons and cautions, risk / goal / transplant, the
board's recorded decisions next to the app's ranking, every cited rule id with its one-line
explanation, and the decision-support disclaimer.
"""

from __future__ import annotations

import math
import re
from datetime import date, timedelta
from html import escape

from mmlogic import RULES_VERSION, SOURCE, Assessment, Case, registry
from mmlogic.assessment import Series

from . import board, suggestions_view
from .i18n import tr

TOP = 3
MARKER_ORDER = ("dflc", "serum_m_protein", "urine_m_protein")
BAND_FILLS = ("#DCE9F5", "#F2E6D0")
INK = "#1F2A36"
BLUE, ORANGE, VERMILLION = "#0072B2", "#E69F00", "#D55E00"

CSS = """
:root { --ink: #1F2A36; --muted: #5D6D7E; --rule: #C9D1DA; }
* { box-sizing: border-box; }
html { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
       "Helvetica Neue", Arial, sans-serif; color: var(--ink); }
body { margin: 0 auto; max-width: 180mm; padding: 8mm 0; font-size: 9.5pt; line-height: 1.3; }
h1 { font-size: 16pt; margin: 0 0 1mm; }
h2 { break-after: avoid; page-break-after: avoid; font-size: 11.5pt; margin: 4mm 0 1.5mm; border-bottom: 0.6pt solid var(--rule); padding-bottom: 0.8mm; }
.meta { color: var(--muted); font-size: 9pt; }
.oneline { font-size: 11pt; font-weight: 600; margin: 2.5mm 0; }
table.verdict { width: 100%; border-collapse: collapse; }
table.verdict th { text-align: left; width: 28mm; vertical-align: top; padding: 1mm 2mm 1mm 0; }
table.verdict td { padding: 1mm 0; vertical-align: top; }
.value { font-weight: 700; font-size: 11pt; }
.ids { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 8pt; color: var(--muted); }
.detail { font-size: 8.5pt; color: var(--muted); }
figure { margin: 2mm 0; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { font-size: 8.5pt; color: var(--muted); }
.more-trends { display: grid; grid-template-columns: 1fr 1fr; gap: 4mm; break-inside: avoid; }
ol.sugg { margin: 0; padding: 0; list-style: none; display: grid; grid-template-columns: 1fr 1fr 1fr; gap: 3mm; }
ol.sugg > li { break-inside: avoid; border-top: 1.2pt solid var(--ink); padding-top: 1mm; }
.rank { font-size: 12pt; font-weight: 700; }
ol.sugg ul { margin: 0.8mm 0 0; padding: 0; font-size: 7.8pt; line-height: 1.25; list-style: none; }
ol.sugg ul li { margin-bottom: 0.6mm; padding-left: 3mm; text-indent: -3mm; }
ol.sugg ul li::before { content: attr(data-sign) " "; font-weight: 700; }
.grid { display: grid; grid-template-columns: 1fr 1fr 1fr; gap: 3mm; font-size: 9pt; }
.decision { font-size: 9.5pt; margin: 1mm 0; }
.rules { break-before: auto; }
div.rules-list { columns: 2; column-gap: 5mm; font-size: 7.2pt; line-height: 1.18; }
div.rules-list p { margin: 0 0 0.9mm; break-inside: avoid; }
.rid { font-family: "DejaVu Sans Mono", Consolas, monospace; font-weight: 700; }
.disclaimer { margin-top: 4mm; padding: 2mm 3mm; border: 0.8pt solid var(--rule); font-size: 8.5pt; }
@page { margin: 12mm 12mm 14mm; }
/*FOOTER*/
@media print { body { padding: 0; } a { color: inherit; text-decoration: none; } }
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def first_sentence(text: str) -> str:
    """The explanation's first sentence: its one-line form for the report."""
    # Never inside brackets: the ";" of "t(4;14)" ends no sentence (issue #14).
    for match in re.finditer(r"(?<=[.;])\s+(?=[A-Z(“\"])|(?<=[。;;])", text):
        head = text[: match.start()]
        if head.count("(") == head.count(")") and head.count("（") == head.count("）"):
            return head.strip()
    return text.strip()


def _ids(rule_ids: list[str]) -> str:
    ids = list(dict.fromkeys(r for r in rule_ids if r))
    return f'<span class="ids">[{_e(", ".join(ids))}]</span>' if ids else ""


def primary_marker(a: Assessment) -> str | None:
    """The marker the relapse rules watch: dFLC when BIO-FLC applies, else serum, else urine."""
    for key in MARKER_ORDER:
        s = a.series.get(key)
        # dFLC watched for escape leads only once escape is found (BIO-FLC-ESCAPE, catalog 1.1).
        escape = s is not None and s.threshold_rule == "BIO-FLC-ESCAPE"
        if escape and not any(c.rule == "BIO-FLC-ESCAPE" for c in a.relapse.criteria):
            continue
        if s is not None and s.points and (key != "dflc" or s.threshold is not None):
            return key
    return None


# -- inline SVG trend -------------------------------------------------------------------------


def _nice_step(span: float) -> float:
    raw = span / 5 if span > 0 else 1.0
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def report_markers(a: Assessment) -> list[str]:
    """The markers whose trend the report draws: the one the relapse rules watch, then every marker
    the current line is followed on (MARKER-FOLLOWED) and every marker that sets a doubling time
    (issue #14: dFLC's trend was missing when it set the doubling time)."""
    keys: list[str] = []
    primary = primary_marker(a)
    if primary is not None:
        keys.append(primary)
    if a.lines:
        keys += [m.marker for m in a.lines[-1].followed_markers]
    keys += [k for k, kin in a.kinetics.markers.items() if kin.doubling_time_months is not None]
    return [k for k in dict.fromkeys(keys) if k in a.series and a.series[k].points]


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def page_footer_css(lang: str, printed: date | None, pack_version: str | None) -> str:
    """Running footer of every printed page (CSS @page margin boxes, printed by Chromium ≥ 131):
    rules and pack version and the printed date on the left, 'Page n of N' on the right. Only the
    app's own texts go into CSS strings (no case text)."""
    left = tr("report.footer", lang, version=RULES_VERSION, pack=pack_version or "—")
    if printed is not None:
        left += " · " + tr("report.printed", lang, date=printed.isoformat())
    template = tr("report.page_of", lang, page="\0", pages="\1")
    head, rest = template.split("\0")
    middle, tail = rest.split("\1")
    pages = (f"{_css_string(head)} counter(page) {_css_string(middle)} counter(pages) {_css_string(tail)}")
    style = "font-size: 7.5pt; color: #5D6D7E;"
    return (f"@page {{ @bottom-left {{ content: {_css_string(left)}; {style} }} "
            f"@bottom-right {{ content: {pages}; {style} }} }}")


def trend_svg(a: Assessment, key: str, lang: str, width: int = 680, height: int = 195) -> str:
    """The marker over time with therapy bands, nadir, relapse threshold and event marks."""
    s: Series = a.series[key]
    left, right, top, bottom = 52, 12, 26, 34
    pw, ph = width - left - right, height - top - bottom
    dates = [p.date for p in s.points] + [line.start for line in a.lines] + [m.date for m in a.marks] + [a.as_of]
    d0, d1 = min(dates), max(dates)
    if d1 <= d0:
        d1 = d0 + timedelta(days=1)
    values = [p.value for p in s.points] + ([s.threshold] if s.threshold is not None else [])
    vmax = max(values + [1e-9]) * 1.12
    step = _nice_step(vmax)
    vmax = math.ceil(vmax / step) * step

    def x(d: date) -> float:
        return left + pw * (d - d0).days / (d1 - d0).days

    def y(v: float) -> float:
        return top + ph * (1 - v / vmax)

    out = [f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{_e(tr("analyte." + key, lang))}" '
           f'font-size="11" font-family="inherit">']
    for line in a.lines:  # therapy bands
        end = line.end or a.as_of
        x0, x1 = x(line.start), max(x(end), x(line.start) + 2)
        out.append(f'<rect x="{x0:.1f}" y="{top}" width="{x1 - x0:.1f}" height="{ph}" '
                   f'fill="{BAND_FILLS[line.index % 2]}"/>')
        label = tr("fig.line_band", lang, n=line.index + 1, regimen=line.regimen)
        out.append(f'<text x="{x0 + 3:.1f}" y="{top - 6}" fill="#34495E">{_e(label)}</text>')
    tick = 0.0
    while tick <= vmax + 1e-9:  # y grid
        out.append(f'<line x1="{left}" x2="{left + pw}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#E5E8EC"/>')
        out.append(f'<text x="{left - 5}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick:g}</text>')
        tick += step
    months = (d1 - d0).days / 30.4
    for yr in range(d0.year, d1.year + 2):  # x ticks: quarters when short, else years
        for month in ((1, 4, 7, 10) if months <= 30 else (1,)):
            d = date(yr, month, 1)
            if d0 <= d <= d1 and x(d) <= left + pw - 24:
                text = d.isoformat()[:7] if months <= 30 else str(yr)
                out.append(f'<line x1="{x(d):.1f}" x2="{x(d):.1f}" y1="{top + ph}" y2="{top + ph + 4}" stroke="#8A96A3"/>')
                out.append(f'<text x="{x(d):.1f}" y="{top + ph + 16}" text-anchor="middle">{text}</text>')
    out.append(f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#8A96A3"/>')
    for m in a.marks:  # events and transplants
        out.append(f'<line x1="{x(m.date):.1f}" x2="{x(m.date):.1f}" y1="{top}" y2="{top + ph}" stroke="#5D6D7E" '
                   f'stroke-dasharray="2 3"/>')
        near_right = x(m.date) > left + pw * 0.8
        anchor = f'x="{x(m.date) - 3:.1f}" text-anchor="end"' if near_right else f'x="{x(m.date) + 3:.1f}"'
        out.append(f'<text {anchor} y="{top + 12}" font-size="9.5" fill="#5D6D7E">{_e(m.label.get(lang))}</text>')
    if s.threshold is not None:
        start = s.nadir.date if s.nadir is not None else s.points[0].date
        out.append(f'<line x1="{x(start):.1f}" x2="{x(a.as_of):.1f}" y1="{y(s.threshold):.1f}" y2="{y(s.threshold):.1f}" '
                   f'stroke="{VERMILLION}" stroke-width="1.5" stroke-dasharray="6 4"/>')
        label = tr("fig.threshold", lang, rule=s.threshold_rule or "")
        out.append(f'<text x="{x(start) + 3:.1f}" y="{y(s.threshold) - 5:.1f}" '
                   f'fill="{VERMILLION}">{_e(label)}: {s.threshold:g} {_e(s.unit)}</text>')
        if s.threshold_rule == "BIO-FLC-ESCAPE":  # catalog 1.1: labelled wherever it appears (own line)
            out.append(f'<text x="{x(start) + 3:.1f}" y="{y(s.threshold) + 12:.1f}" font-size="9.5" '
                       f'fill="{VERMILLION}">{_e(tr("watch.escape", lang))}</text>')
    path = " ".join(f"{'M' if i == 0 else 'L'}{x(p.date):.1f},{y(p.value):.1f}" for i, p in enumerate(s.points))
    out.append(f'<path d="{path}" fill="none" stroke="{BLUE}" stroke-width="2"/>')
    for p in s.points:
        out.append(f'<circle cx="{x(p.date):.1f}" cy="{y(p.value):.1f}" r="3.2" fill="{BLUE}"/>')
    if s.nadir is not None:
        cx, cy = x(s.nadir.date), y(s.nadir.value)
        star = " ".join(
            f"{cx + r * math.sin(k * math.pi / 5):.1f},{cy - r * math.cos(k * math.pi / 5):.1f}"
            for k, r in ((k, 7 if k % 2 == 0 else 3) for k in range(10)))
        out.append(f'<polygon points="{star}" fill="{ORANGE}" stroke="#000" stroke-width="0.7"/>')
    out.append(f'<line x1="{x(a.as_of):.1f}" x2="{x(a.as_of):.1f}" y1="{top}" y2="{top + ph}" stroke="{INK}" stroke-width="1.2"/>')
    unit = s.unit
    out.append(f'<text x="{left}" y="{height - 4}" fill="#5D6D7E">{_e(tr("analyte." + key, lang))} ({_e(unit)}) · '
               f'★ {_e(tr("fig.nadir", lang))} · │ {_e(tr("report.as_of_line", lang))}</text>')
    out.append("</svg>")
    return "".join(out)


# -- the report -------------------------------------------------------------------------------


def _kinetics_caption(a: Assessment, key: str, lang: str) -> str:
    k = a.kinetics.markers.get(key)
    if k is None:
        return ""
    if k.doubling_time_months is not None:
        return tr("report.dt", lang, months=f"{k.doubling_time_months:.1f}", points=k.points,
                  r2="–" if k.r2 is None else f"{k.r2:.2f}")
    return tr("report.dt_none", lang, status=tr(f"kin.{k.status.value}", lang))


def _suggestions(a: Assessment, lang: str) -> str:
    return suggestions_view.html(a.suggestions[:TOP], lang)  # the one renderer of suggestions (issue #16)


def _decisions(case: Case, a: Assessment, lang: str) -> str:
    if not case.board_decisions:
        return ""
    rows = []
    for d in case.board_decisions:
        c = board.compare(d.regimen, a)
        who = ", ".join(d.attendees) or "–"
        rows.append(f'<p class="decision"><b>{_e(d.date.isoformat())}</b> — {_e(board.comparison_text(c, lang))}'
                    f"<br>{_e(tr('board.rationale', lang))}: {_e(d.rationale or '–')} · "
                    f"{_e(tr('board.attendees', lang))}: {_e(who)}</p>")
    return f"<h2>{_e(tr('report.decisions', lang))}</h2>{''.join(rows)}"


def _rules(a: Assessment, lang: str) -> str:
    cited = a.cited_rules()
    reg = registry()
    ordered = [r for r in reg if r in cited] + sorted(r for r in cited if r not in reg)
    items = []
    for rule_id in ordered:
        rule = reg.get(rule_id)
        if rule is None:
            items.append(f'<p><span class="rid">{_e(rule_id)}</span> {_e(tr("assess.rule_unknown", lang))}</p>')
            continue
        section = f"§{rule.section}" if rule.section != "ASSUME" else tr("report.assumption", lang)
        # An assumption is named by its title (the report lists what was assumed; the teaching view
        # explains it); a rule of the source gets its one-line explanation.
        line = "" if rule.is_assumption else f" {_e(first_sentence(rule.explanation.get(lang)))}"
        items.append(f'<p><span class="rid">{_e(rule_id)}</span> <span class="ids">{_e(section)}</span> '
                     f"<b>{_e(rule.title.get(lang))}.</b>{line}</p>")
    return (f'<section class="rules"><h2>{_e(tr("report.rules", lang, n=len(ordered)))}</h2>'
            f'<div class="rules-list">{"".join(items)}</div></section>')


def _evidence_options(a: Assessment, lang: str) -> str:
    """Issue 15: the contemporary options of groups 1 and 2 (ids, trial, sources), with the disclaimer."""
    chosen = [o for o in a.evidence_options if o.group in (1, 2)]
    if not chosen:
        return ""
    items = "".join(
        f"<li><b>{_e(o.id)}</b> ({_e(tr('cp.group.' + str(o.group), lang))}) · {_e(o.trial)} · "
        f"{_e(', '.join(o.sources))} · <i>{_e(tr('cp.disclaimer', lang))}</i></li>" for o in chosen)
    return f"<h2>{_e(tr('cp.title', lang))}</h2><p>{_e(tr('cp.not_comparable', lang))}</p><ul>{items}</ul>"


def build_report(case: Case, assessment: Assessment, lang: str = "en", *, printed: date | None = None,
                 out_of_date: bool = False) -> str:
    """The whole report as one HTML document (UTF-8 text), in ``lang`` ('en' or 'zh'); ``printed``
    (the day it is made, passed in: no clock here) goes into the header and every page's footer.

    ``out_of_date``: the assessment is the last valid one of a case that has changed since (it has
    problems to fix); the report then says so on its first line (issue #14)."""
    a = assessment
    title = tr("report.title", lang, case_id=case.case_id)
    meta = tr("report.meta", lang, case_id=case.case_id, date=a.as_of.isoformat(), version=RULES_VERSION)
    if a.pack is not None:  # issue 15: the pack and its version on the same line (keeps the page count)
        meta += tr("cp.pack_short", lang, version=a.pack.version, date=a.pack.evidence_date or "—")
    verdict_rows = "".join(
        f"<tr><th>{_e(head)}</th><td><span class=\"value\">{_e(value)}</span> {_ids(rules)}"
        + (f'<div class="detail">{_e(detail)}</div>' if detail else "") + "</td></tr>"
        for head, value, rules, detail in board.verdict(a, lang))
    figures = [(key, _kinetics_caption(a, key, lang)) for key in report_markers(a)]
    if len(figures) == 1:
        figure = f"<figure>{trend_svg(a, figures[0][0], lang)}<figcaption>{_e(figures[0][1])}</figcaption></figure>"
    else:  # every followed marker, half width, two a row (keeps the page budget); the watched one first
        figure = '<div class="more-trends">' + "".join(
            f"<figure>{trend_svg(a, key, lang, width=400, height=190)}<figcaption>{_e(caption)}</figcaption></figure>"
            for key, caption in figures) + "</div>"
    if printed is not None:
        meta += " · " + tr("report.printed", lang, date=printed.isoformat())
    grid = (
        f"<div><b>{_e(tr('assess.risk', lang))}</b><br>{_e(tr('assess.overall_risk', lang, value=tr('risk.' + a.risk.overall, lang)))}"
        f" {_ids(a.risk.rules)}</div>"
        f"<div><b>{_e(tr('assess.goal', lang))}</b><br>{_e(tr('aim.' + a.goal.aim, lang))} {_ids(a.goal.rules)}</div>"
        f"<div><b>{_e(tr('assess.transplant', lang))}</b><br>"
        f"{_e(tr('assess.first_asct', lang, value=tr('tx.' + a.transplant.first_asct.value, lang)))}<br>"
        f"{_e(tr('assess.second_asct', lang, value=tr('tx.' + a.transplant.second_asct.value, lang)))}<br>"
        f"{_e(tr('assess.allo', lang, value=tr('tx.' + a.transplant.allogeneic, lang)))} {_ids(a.transplant.rules)}</div>"
    )
    disclaimer = tr("assess.disclaimer", lang, source=SOURCE.get(lang), version=RULES_VERSION)
    html_lang = "zh-CN" if lang == "zh" else "en"
    return (
        f'<!DOCTYPE html><html lang="{html_lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{_e(title)}</title>'
        f"<style>{CSS.replace('/*FOOTER*/', page_footer_css(lang, printed, a.pack.version if a.pack else None))}"
        "</style></head><body>"
        + (f'<p class="out-of-date" role="alert" style="margin:0 0 3mm;padding:2mm 3mm;border:2px solid #8A1C00;'
           f'color:#8A1C00;font-weight:700">{_e(tr("report.out_of_date", lang))}</p>' if out_of_date else "")
        + f"<header><h1>{_e(title)}</h1><div class=\"meta\">{_e(meta)}</div>"
        + (f'<div class="meta">{_e(case.label)}</div>' if case.label else "")
        + f"</header>"
        f'<p class="oneline">{_e(board.patient_summary(case, a, lang))}</p>'
        f'<table class="verdict">{verdict_rows}</table>'
        f"{figure}"
        f"<h2>{_e(tr('report.suggestions', lang, n=min(TOP, len(a.suggestions))))}</h2>{_suggestions(a, lang)}"
        f"{_evidence_options(a, lang)}"
        f'<div class="grid">{grid}</div>'
        f"{_decisions(case, a, lang)}"
        f"{_rules(a, lang)}"
        f'<p class="disclaimer">{_e(disclaimer)}</p>'
        "</body></html>"
    )


def report_filename(case: Case, assessment: Assessment, lang: str) -> str:
    return f"{case.case_id}-{assessment.as_of.isoformat()}-board-{lang}.html"
