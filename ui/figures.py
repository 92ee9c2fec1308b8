"""Figure builders: plain functions of an assessment -> ``go.Figure`` (no Streamlit in here).

Everything drawn comes from the assessment (``series``, ``kinetics``, ``lines``, ``marks``);
the only arithmetic here is unit conversion for display and evaluating the core's fitted line
``ln(value) = intercept + slope · days since nadir`` at a few dates. Colours are Okabe-Ito
(colour-blind safe) on a white background, so figures print as they look.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, timedelta
from html import escape
from types import MappingProxyType
from typing import Final

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from mmlogic.assessment import Assessment, MarkerKinetics, Series
from mmlogic.units import Analyte, display_unit, from_canonical, to_canonical

from . import display as precision
from .i18n import has, tr

# Okabe & Ito (2008), "Color Universal Design".
OKABE_ITO: Final = MappingProxyType({
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
})
COLOURS: Final = MappingProxyType({
    "serum_m_protein": OKABE_ITO["blue"],
    "urine_m_protein": OKABE_ITO["bluish_green"],
    "flc_kappa": OKABE_ITO["vermillion"],
    "flc_lambda": OKABE_ITO["sky_blue"],
    "dflc": OKABE_ITO["reddish_purple"],
    "flc_ratio": OKABE_ITO["black"],
    "calcium": OKABE_ITO["orange"],
    "hemoglobin": OKABE_ITO["reddish_purple"],
    "creatinine": OKABE_ITO["blue"],
})
BAND_FILLS: Final = ("#DCE9F5", "#F2E6D0")  # light tints of blue and orange, alternating
FONT: Final = "Source Sans Pro, 'Noto Sans CJK SC', 'Noto Sans SC', 'Microsoft YaHei', sans-serif"

# Series key -> the analyte whose units it is shown in (None: unitless).
UNIT_OF: Final[Mapping[str, Analyte | None]] = MappingProxyType({
    "serum_m_protein": Analyte.SERUM_M_PROTEIN,
    "urine_m_protein": Analyte.URINE_M_PROTEIN,
    "flc_kappa": Analyte.FLC_KAPPA,
    "flc_lambda": Analyte.FLC_LAMBDA,
    "dflc": Analyte.FLC_KAPPA,
    "involved_flc": Analyte.FLC_KAPPA,
    "flc_ratio": None,
    "calcium": Analyte.CALCIUM,
    "hemoglobin": Analyte.HEMOGLOBIN,
    "creatinine": Analyte.CREATININE,
})
RATIO_KEYS: Final = ("flc_ratio", "kappa_lambda_ratio", "ratio")
# Rows of the marker figure: series keys drawn together, and the kinetics markers they carry.
MARKER_ROWS: Final = (
    (("serum_m_protein",), ("serum_m_protein",)),
    (("urine_m_protein",), ("urine_m_protein",)),
    (("flc_kappa", "flc_lambda", "dflc"), ("involved_flc", "dflc")),
    (RATIO_KEYS, ()),
)
ORGAN_ROWS: Final = (("calcium",), ("hemoglobin",), ("creatinine",))
ORGAN_KEYS: Final = frozenset(k for row in ORGAN_ROWS for k in row)
MARK_SYMBOLS: Final = MappingProxyType({
    "transplant": "diamond",
    "autologous": "diamond",
    "allogeneic": "diamond-open",
    "new_bone_lesion": "x",
    "new_plasmacytoma": "circle",
    "lesion_growth": "triangle-up",
})


def _unit(key: str, system: str, fallback: str) -> str:
    analyte = UNIT_OF.get(key)
    if analyte is None:
        return fallback
    return display_unit(analyte, system) or fallback


def _convert(key: str, value: float, system: str, unit_from: str | None = None) -> float:
    analyte = UNIT_OF.get(key)
    if analyte is None:
        return value
    canonical = to_canonical(analyte, value, unit_from) if unit_from else value
    return from_canonical(analyte, canonical, display_unit(analyte, system) or "")


def _label(key: str, lang: str) -> str:
    name = "flc_ratio" if key in RATIO_KEYS else key
    return tr(f"analyte.{name}", lang)


def _hover(name: str, unit: str, key: str = "") -> str:
    unit_text = f" {unit}" if unit else ""
    return "%{y:" + precision.d3_format(key, unit) + "}" + unit_text + "<br>%{x|%Y-%m-%d}<extra>" + name + "</extra>"


# Legend and panel sizes (issue #14: the board chart was crushed to ~60 px on a tablet and the trend
# legend overprinted itself at 390 px). The legend sits below the plot, horizontal, and wraps; the
# figure's height reserves room for one entry per line — what a 390 px phone needs — so the plot area
# never shrinks to make room for the legend, whatever the screen width. On a wide screen the legend
# wraps into fewer lines and leaves white space below it, never over the plot.
PANEL_PX: Final = 230  # height of one data panel (≥ MIN_PANEL_PX once margins are taken)
MIN_PANEL_PX: Final = 120  # smallest data panel the browser tests accept: 4-5 labelled y ticks at 13 px
LEGEND_WRAP: Final = 34  # characters per legend line before a long name breaks (fits 390 px at 12 px)


def text_width(text: str) -> int:
    """Width in Latin-character units: a CJK character counts as two."""
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)


def wrap_name(name: str, width: int = LEGEND_WRAP) -> str:
    """A legend name broken before its " · " parts when it is wider than ``width`` characters (CJK
    counted double), so no entry is wider than a phone (the parts themselves are short labels)."""
    if text_width(name) <= width or " · " not in name:
        return name
    return "<br>· ".join(name.split(" · "))


def _base_layout(fig: go.Figure, title: str, rows: float, font_size: int = 13) -> None:
    """White, print-friendly layout; the legend below the plot, clear of the date ticks."""
    legend_font = font_size - 1
    line_px = round(legend_font * 1.75)
    lines = 0
    for trace in fig.data:
        if trace.showlegend is not False:
            trace.name = wrap_name(trace.name or "", LEGEND_WRAP * 12 // legend_font)
            trace.legendgroup = trace.legendgroup or None
            lines += trace.name.count("<br>") + 1
    plot_height = int(PANEL_PX * rows) + 40
    ticks = 56 + 2 * (font_size - 13)  # rotated date ticks under the plot
    bottom = ticks + line_px * max(lines, 1) + 16
    top = 80 + 2 * (font_size - 13)
    fig.update_layout(
        title={"text": title, "x": 0.0, "xanchor": "left", "font": {"size": font_size + 4}},
        template="plotly_white",
        paper_bgcolor="white",
        plot_bgcolor="white",
        font={"family": FONT, "size": font_size, "color": "#1F2A36"},
        height=plot_height + top + bottom,
        margin={"l": 64, "r": 16, "t": top, "b": bottom, "autoexpand": False},
        legend={"orientation": "h", "yanchor": "top", "y": -ticks / plot_height, "x": 0.0, "xanchor": "left",
                "font": {"size": legend_font}, "itemsizing": "constant", "tracegroupgap": 4},
        hovermode="closest",
    )
    # ISO-like ticks read the same in both languages (Plotly's month names are English only).
    fig.update_xaxes(showgrid=True, gridcolor="#E5E8EC", linecolor="#8A96A3", ticks="outside", type="date",
                     tickformat="%Y-%m", automargin=False)
    fig.update_yaxes(showgrid=True, gridcolor="#E5E8EC", linecolor="#8A96A3", ticks="outside", zeroline=False,
                     title_font={"size": font_size - 1}, automargin=False)


def _bands(fig: go.Figure, assessment: Assessment, lang: str) -> None:
    """One shaded band per therapy line, labelled, behind every panel."""
    for line in assessment.lines:
        end = line.end or assessment.as_of
        if end < line.start:
            end = line.start
        fill = BAND_FILLS[line.index % len(BAND_FILLS)]
        label = tr("fig.line_band", lang, n=line.index + 1, regimen=escape(line.regimen))  # Plotly renders <a href> in text: case text stays text
        fig.add_shape(
            type="rect",
            xref="x",
            yref="paper",
            x0=line.start.isoformat(),
            x1=(end + timedelta(days=1) if end == line.start else end).isoformat(),
            y0=0,
            y1=1,
            fillcolor=fill,
            opacity=0.55,
            line={"width": 0},
            layer="below",
            name=f"band-line-{line.index}",
        )
        fig.add_annotation(
            x=line.start.isoformat(),
            y=1.0,
            xref="x",
            yref="paper",
            text=label,
            showarrow=False,
            xanchor="left",
            yanchor="bottom",
            font={"size": 12, "color": "#34495E"},
            name=f"band-label-{line.index}",
        )


def _mark_lines(fig: go.Figure, assessment: Assessment) -> None:
    for i, mark in enumerate(assessment.marks):
        fig.add_shape(
            type="line",
            xref="x",
            yref="paper",
            x0=mark.date.isoformat(),
            x1=mark.date.isoformat(),
            y0=0,
            y1=1,
            line={"color": "#5D6D7E", "width": 1, "dash": "dot"},
            layer="below",
            name=f"mark-{i}",
        )


def _marks_trace(fig: go.Figure, assessment: Assessment, lang: str, row: int) -> None:
    """Transplants and events as markers on a timeline strip (row 1)."""
    by_kind: dict[str, list] = {}
    for mark in assessment.marks:
        by_kind.setdefault(mark.kind, []).append(mark)
    for kind, marks in by_kind.items():
        key = f"event.{kind}"
        name = tr(key, lang) if has(key) else kind
        fig.add_trace(
            go.Scatter(
                x=[m.date.isoformat() for m in marks],
                y=[name] * len(marks),
                mode="markers",
                name=name,
                marker={"symbol": MARK_SYMBOLS.get(kind, "square"), "size": 13, "color": OKABE_ITO["black"],
                        "line": {"width": 1.5, "color": OKABE_ITO["black"]}},
                text=[m.label.get(lang) for m in marks],
                hovertemplate="%{text}<br>%{x|%Y-%m-%d}<extra></extra>",
                meta={"role": "mark", "kind": kind},
            ),
            row=row,
            col=1,
        )


def _series_traces(
    fig: go.Figure, key: str, series: Series, assessment: Assessment, lang: str, system: str, row: int,
) -> None:
    unit = _unit(key, system, series.unit)
    name = _label(key, lang)
    colour = COLOURS.get(key if key not in RATIO_KEYS else "flc_ratio", OKABE_ITO["black"])
    fig.add_trace(
        go.Scatter(
            x=[d.isoformat() for d in series.dates],
            y=[_convert(key, v, system) for v in series.values],
            mode="lines+markers",
            name=name,
            line={"color": colour, "width": 2},
            marker={"size": 7, "color": colour},
            hovertemplate=_hover(name, unit, key),
            meta={"role": "series", "key": key},
        ),
        row=row,
        col=1,
    )
    if series.nadir is not None:
        fig.add_trace(
            go.Scatter(
                x=[series.nadir.date.isoformat()],
                y=[_convert(key, series.nadir.value, system)],
                mode="markers",
                name=f"{tr('fig.nadir', lang)} · {name}",
                marker={"symbol": "star", "size": 15, "color": OKABE_ITO["orange"],
                        "line": {"width": 1, "color": OKABE_ITO["black"]}},
                hovertemplate=_hover(f"{tr('fig.nadir', lang)} · {name}", unit, key),
                meta={"role": "nadir", "key": key},
            ),
            row=row,
            col=1,
        )
    if series.threshold is not None:
        # A threshold from the nadir (BIO-*) starts at the nadir; a fixed clinical level (CLIN-*)
        # spans the whole chart, so it shows even with a single value.
        start = series.nadir.date if series.nadir is not None and key not in ORGAN_KEYS else _start(assessment)
        if start >= assessment.as_of:
            start = assessment.as_of - timedelta(days=30)
        value = _convert(key, series.threshold, system)
        rule = series.threshold_rule or ""
        label = tr("fig.threshold", lang, rule=rule)
        if rule == "BIO-FLC-ESCAPE":  # catalog 1.1: light-chain escape is labelled wherever it appears
            label += f" — {tr('watch.escape', lang)}"
        fig.add_trace(
            go.Scatter(
                x=[start.isoformat(), assessment.as_of.isoformat()],
                y=[value, value],
                mode="lines",
                name=f"{label} · {name}",
                line={"color": OKABE_ITO["vermillion"], "width": 1.5, "dash": "dash"},
                hovertemplate=_hover(label, unit, key),
                meta={"role": "threshold", "key": key, "rule": rule},
            ),
            row=row,
            col=1,
        )


def dt_label(kinetics: MarkerKinetics, lang: str) -> str:
    months = kinetics.doubling_time_months
    return tr(
        "fig.dt",
        lang,
        months="–" if months is None else f"{months:.1f}",
        r2="–" if kinetics.r2 is None else f"{kinetics.r2:.2f}",
        points=kinetics.points,
    )


def _dt_trace(
    fig: go.Figure, marker: str, kinetics: MarkerKinetics, lang: str, system: str, row: int, log: bool = False,
) -> None:
    if kinetics.slope_per_day is None or kinetics.intercept is None or kinetics.nadir_date is None:
        return
    if kinetics.doubling_time_days is None:
        return
    dates = [p.date for p in kinetics.fit_points] or [kinetics.nadir_date]
    start, end = kinetics.nadir_date, max(dates)
    span = max((end - start).days, 1)
    xs = [start + timedelta(days=round(span * i / 24)) for i in range(25)]
    ys = []
    for x in xs:
        raw = math.exp(kinetics.intercept + kinetics.slope_per_day * (x - start).days)
        ys.append(_convert(marker, raw, system, unit_from=kinetics.unit))
    label = dt_label(kinetics, lang)
    fig.add_trace(
        go.Scatter(
            x=[x.isoformat() for x in xs],
            y=ys,
            mode="lines",
            name=f"{label} · {_label(marker, lang)}",
            line={"color": OKABE_ITO["black"], "width": 1.5, "dash": "dot"},
            hovertemplate=_hover(label, _unit(marker, system, kinetics.unit), marker),
            meta={"role": "dt", "key": marker},
        ),
        row=row,
        col=1,
    )
    # On a log axis Plotly places annotations in log10 units.
    fig.add_annotation(x=xs[-1].isoformat(), y=math.log10(ys[-1]) if log and ys[-1] > 0 else ys[-1], text=label, showarrow=True, arrowhead=0, ax=-40, ay=-28,
                       font={"size": 11, "color": OKABE_ITO["black"]}, bgcolor="rgba(255,255,255,0.85)",
                       row=row, col=1, name=f"dt-label-{marker}")


def _present(assessment: Assessment, keys: tuple[str, ...]) -> list[str]:
    return [k for k in keys if k in assessment.series and assessment.series[k].dates]


def marker_figure(assessment: Assessment, *, lang: str = "en", system: str = "si", log: bool = False,
                  font_size: int = 13) -> go.Figure | None:
    """M-protein (serum, urine), κ, λ, dFLC and the κ/λ ratio over time; None if none measured."""
    rows = [(keys, kin) for keys, kin in MARKER_ROWS if _present(assessment, keys)]
    if not rows:
        return None
    has_marks = bool(assessment.marks)
    offset = 1 if has_marks else 0
    titles = []
    for keys, _ in rows:
        present = _present(assessment, keys)
        unit = _unit(present[0], system, assessment.series[present[0]].unit)
        names = tr("fig.flc_row", lang) if "flc_kappa" in keys else " · ".join(_label(k, lang) for k in present)
        titles.append(f"{names} ({unit})" if unit else names)
    heights = ([0.5] if has_marks else []) + [2.0] * len(rows)
    fig = make_subplots(rows=len(heights), cols=1, shared_xaxes=True, vertical_spacing=0.05, row_heights=heights)
    if has_marks:
        _marks_trace(fig, assessment, lang, row=1)
    for i, (keys, kin_keys) in enumerate(rows, start=1 + offset):
        for key in _present(assessment, keys):
            _series_traces(fig, key, assessment.series[key], assessment, lang, system, row=i)
        for marker in kin_keys:
            kinetics = assessment.kinetics.markers.get(marker)
            if kinetics is not None:
                _dt_trace(fig, marker, kinetics, lang, system, row=i, log=log)
        fig.update_yaxes(title_text=titles[i - 1 - offset], row=i, col=1)
        if log:
            fig.update_yaxes(type="log", row=i, col=1)
    if has_marks:  # the legend names each symbol; category labels here crushed the plot at 390 px
        fig.update_yaxes(showgrid=False, showticklabels=False, row=1, col=1)
    _base_layout(fig, tr("fig.markers_title", lang), len(rows) + (0.3 if has_marks else 0), font_size)
    _bands(fig, assessment, lang)
    _mark_lines(fig, assessment)
    return fig


def organ_figure(assessment: Assessment, *, lang: str = "en", system: str = "si",
                 font_size: int = 13) -> go.Figure | None:
    """Calcium, haemoglobin and creatinine with their clinical-relapse thresholds."""
    rows = [keys for keys in ORGAN_ROWS if _present(assessment, keys)]
    if not rows:
        return None
    titles = [f"{_label(k[0], lang)} ({_unit(k[0], system, assessment.series[k[0]].unit)})" for k in rows]
    fig = make_subplots(rows=len(rows), cols=1, shared_xaxes=True, vertical_spacing=0.07)
    for i, keys in enumerate(rows, start=1):
        fig.update_yaxes(title_text=titles[i - 1], row=i, col=1)
        for key in keys:
            _series_traces(fig, key, assessment.series[key], assessment, lang, system, row=i)
    _base_layout(fig, tr("fig.organ_title", lang), len(rows), font_size)
    _bands(fig, assessment, lang)
    _mark_lines(fig, assessment)
    return fig


def _start(assessment: Assessment) -> date:
    dates = [d for s in assessment.series.values() for d in s.dates] + [line.start for line in assessment.lines]
    return min(dates) if dates else assessment.as_of


def first_date(assessment: Assessment) -> date | None:
    dates = [d for s in assessment.series.values() for d in s.dates]
    return min(dates) if dates else None
