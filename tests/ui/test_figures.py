"""Figure builders on real assessments of the example cases: traces, shapes, axes, units."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mmlogic import assess, parse_case
from ui.figures import OKABE_ITO, dt_label, marker_figure, organ_figure

ROOT = Path(__file__).resolve().parents[2]


def assessment(name: str, **changes):
    data = json.loads((ROOT / "cases" / f"{name}.json").read_text())
    data.update(changes)
    return assess(parse_case(data))


def roles(fig, role):
    return [t for t in fig.data if (t.meta or {}).get("role") == role]


@pytest.mark.parametrize("name", ["ex-01", "ex-02", "ex-03", "ex-04", "ex-05", "ex-06"])
def test_one_band_per_therapy_line(name):
    a = assessment(name)
    fig = marker_figure(a)
    assert fig is not None
    bands = [s for s in fig.layout.shapes if (s.name or "").startswith("band-line-")]
    assert len(bands) == len(a.lines)
    labels = [x.text for x in fig.layout.annotations if (x.name or "").startswith("band-label-")]
    assert labels == [f"Line {line.index + 1}: {line.regimen}" for line in a.lines]
    assert fig.layout.paper_bgcolor == "white" and fig.layout.plot_bgcolor == "white"


def test_threshold_nadir_and_dt_line_present_when_the_assessment_has_them():
    a = assessment("ex-01")
    serum = a.series["serum_m_protein"]
    assert serum.threshold is not None and a.kinetics.markers["serum_m_protein"].doubling_time_days
    fig = marker_figure(a)
    thresholds = roles(fig, "threshold")
    assert len(thresholds) == 1 and thresholds[0].y[0] == pytest.approx(serum.threshold)
    assert "BIO-SERUM" in thresholds[0].name
    nadirs = roles(fig, "nadir")
    assert nadirs and nadirs[0].y[0] == pytest.approx(serum.nadir.value)
    dt = roles(fig, "dt")
    k = a.kinetics.markers["serum_m_protein"]
    assert len(dt) == 1 and dt[0].name.startswith(f"DT = {k.doubling_time_months:.1f} months (r² {k.r2:.2f}, {k.points} points)")


def test_no_dt_line_without_a_doubling_time():
    a = assessment("ex-05")
    fig = marker_figure(a)
    keys = {t.meta["key"] for t in roles(fig, "dt")}
    ok = {m for m, k in a.kinetics.markers.items() if k.doubling_time_days}
    assert keys == ok and "serum_m_protein" not in keys


def test_marks_for_transplants_and_events():
    a = assessment("ex-01")
    fig = marker_figure(a)
    marks = roles(fig, "mark")
    assert sum(len(t.x) for t in marks) == len(a.marks) == 2
    assert {t.meta["kind"] for t in marks} == {m.kind for m in a.marks}


def test_log_axis_when_asked():
    a = assessment("ex-05")
    linear = marker_figure(a, log=False)
    log = marker_figure(a, log=True)
    assert all(ax.type != "log" for ax in (linear.layout[k] for k in linear.layout if k.startswith("yaxis")))
    log_axes = [log.layout[k].type for k in log.layout if k.startswith("yaxis")]
    assert log_axes and all(t == "log" for t in log_axes)
    # annotations on a log axis are placed in log10 units (else the axis range explodes)
    dt_labels = [a for a in log.layout.annotations if (a.name or "").startswith("dt-label")]
    assert dt_labels and all(0 < a.y < 6 for a in dt_labels)


def test_flc_rows_and_us_units():
    a = assessment("ex-05")
    fig = marker_figure(a, system="us")
    series = {t.meta["key"]: t for t in roles(fig, "series")}
    assert {"flc_kappa", "flc_lambda", "dflc", "flc_ratio"} <= set(series)
    kappa = a.series["flc_kappa"].points[0].value
    assert series["flc_kappa"].y[0] == pytest.approx(kappa / 10)  # mg/L -> mg/dL
    assert "mg/dL" in series["flc_kappa"].hovertemplate
    titles = [fig.layout[k].title.text for k in fig.layout if k.startswith("yaxis") and fig.layout[k].title.text]
    assert any("(mg/dL)" in t for t in titles)


def test_organ_panel_with_clinical_thresholds():
    a = assessment("ex-03")
    fig = organ_figure(a)
    thresholds = {t.meta["key"]: t.meta["rule"] for t in roles(fig, "threshold")}
    assert thresholds == {"creatinine": "CLIN-CREAT", "hemoglobin": "CLIN-HB"}
    assert organ_figure(assessment("ex-02")) is None


def test_chinese_titles_and_okabe_ito_colours():
    a = assessment("ex-01")
    fig = marker_figure(a, lang="zh")
    assert fig.layout.title.text == "骨髓瘤标志物随时间变化"
    assert "血清 M 蛋白" in roles(fig, "series")[0].name
    colours = {t.line.color for t in fig.data if t.line is not None and t.line.color}
    assert colours <= set(OKABE_ITO.values())


def test_dt_label_format():
    k = assessment("ex-01").kinetics.markers["serum_m_protein"]
    assert dt_label(k, "en") == f"DT = {k.doubling_time_months:.1f} months (r² {k.r2:.2f}, {k.points} points)"
