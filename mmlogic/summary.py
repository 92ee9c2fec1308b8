"""A readable clinician summary of an assessment, in English or Simplified Chinese.

What ``python -m mmlogic assess --format text`` prints: the verdict first (status, relapse,
timing), then the reasoning (lines, kinetics, risk, goal, sequence, transplant), then the
ranked regimens with their reasons and cautions, as a tumor board reads them.
"""

from __future__ import annotations

from .pack_text import pack_lines
from .assessment import Assessment, Text
from .rules import RULES_VERSION, SOURCE

LABELS: dict[str, Text] = {
    "untreated": Text(en="untreated", zh="未治疗"),
    "no_relapse": Text(en="no relapse", zh="未复发"),
    "relapsed": Text(en="relapsed", zh="复发"),
    "relapsed_refractory": Text(en="relapsed and refractory", zh="复发且难治"),
    "primary_refractory": Text(en="primary refractory", zh="原发难治"),
    "treat_now": Text(en="treat now", zh="立即治疗"),
    "monitor": Text(en="monitor", zh="密切监测"),
    "not_applicable": Text(en="not applicable", zh="不适用"),
    "confirm": Text(en="confirm — repeat the test", zh="复查确认"),
    "high": Text(en="high", zh="高危"),
    "standard": Text(en="standard", zh="标危"),
    "intermediate": Text(en="intermediate", zh="中危"),
    "unknown": Text(en="unknown", zh="未知"),
    "deep_response": Text(en="deepest response (fit)", zh="追求最大程度缓解(体能良好)"),
    "palliative": Text(en="palliative: control disease, keep quality of life", zh="姑息:控制疾病、维持生活质量"),
    "suggested": Text(en="an option", zh="可考虑"),
    "not_suggested": Text(en="not suggested", zh="不建议"),
    "trial_only": Text(en="only in a clinical trial", zh="仅限临床试验"),
    "ok": Text(en="ok", zh="可计算"),
    "insufficient_data": Text(en="insufficient data", zh="数据不足"),
    "not_rising": Text(en="not rising", zh="未上升"),
    "entered": Text(en="entered", zh="录入值"),
    "extensive_bone_disease": Text(en="extensive bone disease", zh="广泛骨病变"),
    "plasma_cell_leukemia": Text(en="plasma cell leukaemia", zh="浆细胞白血病"),
    "extramedullary_plasmacytoma": Text(en="extramedullary plasmacytoma", zh="髓外浆细胞瘤"),
    "raised_beta2_microglobulin": Text(en="raised β2-microglobulin", zh="β2-微球蛋白升高"),
    "low_albumin": Text(en="low albumin", zh="白蛋白降低"),
    "adverse_cytogenetics": Text(en="adverse cytogenetics", zh="不良细胞遗传学"),
    "short_previous_response": Text(en="short previous response", zh="既往缓解期短"),
    "poor_current_response": Text(en="poor current response", zh="目前疗效差"),
    "computed": Text(en="computed", zh="计算值"),
    "default": Text(en="default", zh="默认"),
}

HEADINGS: dict[str, Text] = {
    "title": Text(en="Myeloma Relapse Navigator — assessment", zh="骨髓瘤复发导航 — 评估"),
    "status": Text(en="Status", zh="疾病状态"),
    "relapse": Text(en="Relapse", zh="复发"),
    "timing": Text(en="Timing", zh="治疗时机"),
    "lines": Text(en="Lines of therapy", zh="治疗线"),
    "kinetics": Text(en="Doubling time", zh="倍增时间"),
    "risk": Text(en="Risk", zh="危险分层"),
    "goal": Text(en="Goal", zh="治疗目标"),
    "sequence": Text(en="Sequence", zh="治疗顺序"),
    "transplant": Text(en="Transplant", zh="移植"),
    "suggestions": Text(en="Suggested regimens (best first)", zh="建议方案(按优先顺序)"),
    "excluded": Text(en="Not suggested", zh="不建议的方案"),
    "assumptions": Text(en="Assumptions applied", zh="所用假设"),
    "warnings": Text(en="Data warnings", zh="数据提示"),
    "disclaimer": Text(
        en="Decision support for a clinician, not a prescription. Rules: {source}, version {version}.",
        zh="本结果为供临床医生参考的决策支持,并非处方。规则来源:{source},版本{version}。"),
}
MARKERS = {
    "serum_m_protein": Text(en="serum M-protein", zh="血清M蛋白"),
    "urine_m_protein": Text(en="urine M-protein", zh="尿M蛋白"),
    "involved_flc": Text(en="involved FLC", zh="受累游离轻链"),
    "dflc": Text(en="dFLC", zh="dFLC"),
}


def label(value: str, lang: str) -> str:
    text = LABELS.get(value)
    return text.get(lang) if text else value


def _relapse_words(a: Assessment, lang: str) -> str:
    """Each kind of relapse with its own first confirmed date, or 'none'."""
    r = a.relapse
    parts = []
    if r.biochemical and r.biochemical_date:
        parts.append(("生化复发 " if lang == "zh" else "biochemical ") + r.biochemical_date.isoformat())
    if r.clinical and r.clinical_date:
        parts.append(("临床复发 " if lang == "zh" else "clinical ") + r.clinical_date.isoformat())
    if not parts and r.date:
        parts.append(("疾病进展(录入)" if lang == "zh" else "progression (entered) ") + r.date.isoformat())
    if not parts:
        return "无" if lang == "zh" else "none"
    return ("、" if lang == "zh" else "; ").join(parts)


def render_text(a: Assessment, lang: str = "en", top: int = 5) -> str:
    h = {k: v.get(lang) for k, v in HEADINGS.items()}
    yes, no = ("是", "否") if lang == "zh" else ("yes", "no")
    ids = lambda rules: f"  [{', '.join(rules)}]" if rules else ""  # noqa: E731
    out = [f"{h['title']}: {a.case_id} · {a.as_of.isoformat()}", ""]
    if a.timing.confirm is not None and a.timing.detail:  # WATCH-CONFIRM leads (catalog 1.1)
        out += [f"!! {a.timing.detail.get(lang)}", ""]
    out.append(f"{h['status']}: {label(a.status.category.value, lang)}{ids(a.status.rules)}")
    if a.status.detail:
        out.append(f"  {a.status.detail.get(lang)}")
    out.append(f"{h['relapse']}: {_relapse_words(a, lang)}{ids(a.relapse.rules)}")
    for c in a.relapse.criteria:
        mark = "✓" if c.confirmed else "?"
        out.append(f"  {mark} {c.rule} {c.date.isoformat()}: {c.detail.get(lang)}")
    out.append(f"{h['timing']}: {label(a.timing.recommendation.value, lang)}{ids(a.timing.rules)}")
    if a.timing.detail and a.timing.confirm is None:
        out.append(f"  {a.timing.detail.get(lang)}")
    out += ["", f"{h['lines']}:"]
    for line in a.lines:
        best = line.best_response.value if line.best_response else "?"
        flags = [label(line.best_response_source.value, lang)]
        if line.refractory:
            flags.append("难治" if lang == "zh" else "refractory")
        if line.progression_date:
            flags.append(("进展 " if lang == "zh" else "progression ") + line.progression_date.isoformat())
        end = line.end.isoformat() if line.end else ("进行中" if lang == "zh" else "ongoing")
        out.append(f"  {line.index + 1}. {line.regimen} ({line.start.isoformat()} → {end}): {best} · {', '.join(flags)}")
    out.append(f"{h['kinetics']}:")
    for name, m in a.kinetics.markers.items():
        if m.status.value == "ok":
            unit = "个月" if lang == "zh" else "months"
            out.append(f"  {MARKERS[name].get(lang)}: {m.doubling_time_months:.1f} {unit} "
                       f"(r² {m.r2:.2f}, {m.points} {'点' if lang == 'zh' else 'points'})")
        elif m.points or m.nadir_value is not None:
            out.append(f"  {MARKERS[name].get(lang)}: {label(m.status.value, lang)}")
    r = a.risk
    out += ["", f"{h['risk']}: {label(r.overall, lang)} ({'细胞遗传学' if lang == 'zh' else 'cytogenetics'} "
                f"{label(r.cytogenetic.value, lang)}){ids(r.rules)}"]
    if r.features:
        out.append(f"  {', '.join(label(f, lang) for f in r.features)}")
    out.append(f"{h['goal']}: {label(a.goal.aim, lang)} · {label(a.goal.fit_source, lang)}{ids(a.goal.rules)}")
    s = a.sequence
    months = "—" if s.remission_months is None else f"{s.remission_months:.1f}"
    sens = "—" if s.sensitive is None else (yes if s.sensitive else no)
    repeat = yes if s.may_repeat_previous else no
    if lang == "zh":
        remission = "无效,无缓解" if s.no_response else f"缓解期{months}个月"
        out.append(f"{h['sequence']}: {s.school.value.upper()};{remission};敏感 {sens};可重复前方案 {repeat}{ids(s.rules)}")
    else:
        # Catalog 1.1: primary refractory disease had no remission: say "no response".
        remission = "no response" if s.no_response else f"remission {months} months"
        out.append(f"{h['sequence']}: {s.school.value}; {remission}; sensitive {sens}; "
                   f"may repeat previous {repeat}{ids(s.rules)}")
    if s.detail is not None:
        out.append(f"  {s.detail.get(lang)}")
    t = a.transplant
    if lang == "zh":
        out.append(f"{h['transplant']}: 首次自体移植 {label(t.first_asct.value, lang)};二次自体移植 "
                   f"{label(t.second_asct.value, lang)};异基因移植 {label(t.allogeneic, lang)}{ids(t.rules)}")
    else:
        out.append(f"{h['transplant']}: first ASCT {label(t.first_asct.value, lang)}; second ASCT "
                   f"{label(t.second_asct.value, lang)}; allogeneic {label(t.allogeneic, lang)}{ids(t.rules)}")
    out += [f"  {note.get(lang)}" for note in t.notes]
    out += ["", f"{h['suggestions']}:"]
    for sug in a.suggestions[:top]:
        drugs = ", ".join(sug.drugs) if lang != "zh" else f"{sug.n_drugs}药"
        out.append(f"  {sug.rank}. {sug.name.get(lang)} [{sug.regimen}] — {drugs}")
        for reason in sug.reasons:
            out.append(f"     {reason.effect} {reason.rule}: {reason.text.get(lang)}")
        for caution in sug.cautions:
            out.append(f"     ! {caution.rule}: {caution.text.get(lang)}")
    if len(a.suggestions) > top:
        rest = ", ".join(s.regimen for s in a.suggestions[top:])
        out.append(f"  … {rest}")
    if a.excluded:
        out += ["", f"{h['excluded']}:"]
        out += [f"  {e.regimen}: {e.why.get(lang)} [{', '.join(e.rules)}]" for e in a.excluded]
    pack = pack_lines(a, lang)
    if pack:
        out += ["", *pack]
    out += ["", f"{h['assumptions']}: {', '.join(a.assumptions) or '—'}"]
    if a.warnings:
        out.append(f"{h['warnings']}:")
        out += [f"  - {w.get(lang)}" for w in a.warnings]
    out += ["", h["disclaimer"].format(source=SOURCE.get(lang), version=RULES_VERSION)]
    return "\n".join(out)
