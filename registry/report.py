"""The HTML cohort report (issue 18): report.html (English) and report.zh.html (简体中文).

Plotly figures — a swimmer plot of lines and responses, best response by line, Kaplan–Meier time
to progression per line (lifelines) — and the summary and skipped-patient tables. Plotly's
JavaScript is inlined (the report opens offline; no network). Every text that comes from the data
(patient ids, regimens, problems) is HTML-escaped before it reaches the page or a figure label.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from lifelines import KaplanMeierFitter

from mmlogic import RULES_VERSION

from .report_texts import RESPONSE_ORDER, STATUS_ORDER, TEXTS

RESPONSE_COLOURS = {"CR": "#1a9850", "VGPR": "#66bd63", "PR": "#a6d96a", "MR": "#fee08b", "SD": "#fdae61",
                    "PD": "#d73027", None: "#bdbdbd"}
SWIMMERS = 40  # patients shown in the swimmer plot (the longest follow-up first)
SKIPPED_SHOWN = 200
LINE_GROUPS = ("1", "2", "3", "4+")


def _t(key: str, lang: str) -> str:
    return TEXTS[key][lang]


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _group(index: int) -> str:
    return LINE_GROUPS[min(int(index), 3)]


def swimmer_figure(lines: pd.DataFrame, lang: str) -> go.Figure:
    fig = go.Figure()
    if lines.empty:
        return fig
    lines = lines.copy()
    lines["start"] = pd.to_datetime(lines["start"])
    first = lines.groupby("patient_id")["start"].transform("min")
    lines["x0"] = (lines["start"] - first).dt.days
    lines["x1"] = lines["x0"] + lines["followup_days"].astype(int)
    span = lines.groupby("patient_id")["x1"].max().sort_values(ascending=False)
    shown = list(span.index[:SWIMMERS])
    part = lines[lines["patient_id"].isin(shown)]
    labels = {pid: _e(pid) for pid in shown}
    for response in RESPONSE_ORDER:
        rows = part[part["best_response"].isna()] if response is None else part[part["best_response"] == response]
        if rows.empty:
            continue
        fig.add_trace(go.Bar(
            orientation="h", y=[labels[p] for p in rows["patient_id"]], x=rows["x1"] - rows["x0"], base=rows["x0"],
            marker_color=RESPONSE_COLOURS[response], name=response or _t("unknown", lang),
            hovertext=[f"{_t('line', lang)} {int(i) + 1}: {_e(r)}" for i, r in zip(rows["line_index"], rows["regimen"])],
            hoverinfo="text+x", marker_line_width=0.5, marker_line_color="white",
        ))
    prog = part[part["progressed"]]
    if not prog.empty:
        fig.add_trace(go.Scatter(x=prog["x0"] + prog["ttp_days"], y=[labels[p] for p in prog["patient_id"]],
                                 mode="markers", marker_symbol="x", marker_color="black", marker_size=8,
                                 name=_t("progression", lang)))
    fig.update_layout(barmode="overlay", height=max(300, 18 * len(shown) + 120),
                      title=_t("swimmer_title", lang).format(n=len(shown)), xaxis_title=_t("days_since_first", lang),
                      yaxis={"categoryorder": "array", "categoryarray": [labels[p] for p in reversed(shown)]},
                      legend_title_text=_t("best_response", lang))
    return fig


def response_by_line_figure(lines: pd.DataFrame, lang: str) -> go.Figure:
    fig = go.Figure()
    if lines.empty:
        return fig
    groups = lines["line_index"].map(_group)
    for response in RESPONSE_ORDER:
        mask = lines["best_response"].isna() if response is None else lines["best_response"] == response
        counts = groups[mask].value_counts()
        fig.add_trace(go.Bar(x=[f"{_t('line', lang)} {g}" for g in LINE_GROUPS],
                             y=[int(counts.get(g, 0)) for g in LINE_GROUPS],
                             name=response or _t("unknown", lang), marker_color=RESPONSE_COLOURS[response]))
    fig.update_layout(barmode="stack", title=_t("response_title", lang), yaxis_title=_t("lines_count", lang),
                      legend_title_text=_t("best_response", lang))
    return fig


def km_figure(lines: pd.DataFrame, lang: str) -> tuple[go.Figure, list[tuple[str, int, int, float | None]]]:
    """Kaplan–Meier time to progression per line (censored at the next line or the last visit)."""
    fig = go.Figure()
    medians = []
    if lines.empty:
        return fig, medians
    groups = lines["line_index"].map(_group)
    for g in LINE_GROUPS:
        part = lines[groups == g]
        if len(part) < 2:
            continue
        km = KaplanMeierFitter().fit(part["followup_days"].astype(float) / 30.4375, part["progressed"].astype(bool))
        sf = km.survival_function_.reset_index()
        median = km.median_survival_time_
        median = None if median == float("inf") else float(median)
        medians.append((g, len(part), int(part["progressed"].sum()), median))
        fig.add_trace(go.Scatter(x=sf.iloc[:, 0], y=sf.iloc[:, 1], mode="lines", line_shape="hv",
                                 name=f"{_t('line', lang)} {g} (n={len(part)})"))
    fig.update_layout(title=_t("km_title", lang), xaxis_title=_t("months_from_start", lang),
                      yaxis_title=_t("free_of_progression", lang), yaxis_range=[0, 1.02])
    return fig, medians


def _table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render(frames: dict[str, pd.DataFrame], lang: str) -> str:
    visits, lines, patients, problems = (frames[k] for k in ("visits", "lines", "patients", "problems"))
    other = "report.zh.html" if lang == "en" else "report.html"
    skipped = problems[problems["patient_id"].notna()]
    status_counts = patients["status"].value_counts() if not patients.empty else pd.Series(dtype=int)
    summary = _table([_t("what", lang), _t("count", lang)], [
        [_t("patients_assessed", lang), str(len(patients))],
        [_t("patients_skipped", lang), str(len(skipped))],
        [_t("visits", lang), str(len(visits))],
        [_t("progression_visits", lang), str(int(visits["progression"].sum()) if not visits.empty else 0)],
        [_t("lines", lang), str(len(lines))],
    ] + [[_e(_t("status_" + s, lang)), str(int(status_counts.get(s, 0)))] for s in STATUS_ORDER])
    km, medians = km_figure(lines, lang)
    median_rows = [[f"{_t('line', lang)} {g}", str(n), str(ev), f"{m:.1f}" if m is not None else _t("not_reached", lang)]
                   for g, n, ev, m in medians]
    figures = [swimmer_figure(lines, lang), response_by_line_figure(lines, lang), km]
    parts = [f.to_html(full_html=False, include_plotlyjs=(i == 0), config={"displaylogo": False})
             for i, f in enumerate(figures)]
    skipped_rows = [[_e(pid), "<br>".join(_e(p) for p in ps)]
                    for pid, ps in zip(skipped["patient_id"][:SKIPPED_SHOWN], skipped["problems"][:SKIPPED_SHOWN])]
    orphan = problems[problems["patient_id"].isna()]
    orphan_html = "".join(f"<li>{_e(p)}</li>" for ps in orphan["problems"] for p in ps)
    return f"""<!DOCTYPE html>
<html lang="{'zh-Hans' if lang == 'zh' else 'en'}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:; font-src data:">
<title>{_t('title', lang)}</title>
<style>body{{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:2em;max-width:1100px}}
table{{border-collapse:collapse;margin:1em 0}}td,th{{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}}
.note{{color:#555;font-size:90%}}</style></head><body>
<p><a href="{other}">{_t('other_language', lang)}</a></p>
<h1>{_t('title', lang)}</h1>
<p class="note">{_t('disclaimer', lang)} {_t('rules_version', lang)} {_e(RULES_VERSION)}.</p>
<h2>{_t('summary', lang)}</h2>{summary}
<h2>{_t('swimmer', lang)}</h2><p class="note">{_t('swimmer_note', lang)}</p>{parts[0]}
<h2>{_t('response_by_line', lang)}</h2>{parts[1]}
<h2>{_t('km', lang)}</h2><p class="note">{_t('km_note', lang)}</p>{parts[2]}
{_table([_t('line', lang), 'n', _t('progressions', lang), _t('median_ttp', lang)], median_rows)}
<h2>{_t('skipped', lang)}</h2><p class="note">{_t('skipped_note', lang)}</p>
{_table([_t('patient', lang), _t('problems', lang)], skipped_rows) if skipped_rows else '<p>' + _t('none', lang) + '</p>'}
{('<ul>' + orphan_html + '</ul>') if orphan_html else ''}
</body></html>
"""


def write_reports(frames: dict[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    out = []
    for lang, name in (("en", "report.html"), ("zh", "report.zh.html")):
        path = out_dir / name
        path.write_text(render(frames, lang), encoding="utf-8")
        out.append(path)
    return out
