"""The orchestrator: case → assessment, and nothing else (no clock, no I/O).

Order of reasoning: time window and units (observations) → courses, responses and
progression per line (history) → disease status → relapse criteria of the current course →
kinetics → timing → sequence → risk → goal → transplant → renal function → ranked regimens.
"""

from __future__ import annotations

from datetime import date

from .assessment import (
    Assessment,
    Criterion,
    Kinetics,
    LineResult,
    Mark,
    Relapse,
    Series,
    SeriesPoint,
    Text,
    Timing,
    TimingRecommendation,
)
from .case import Case, EventKind
from .goals import sequencing, treatment_goal
from .history import History, build_history
from .kinetics import KINETIC_MARKERS, doubling_time, nadir_index
from .observations import Observations, observe
from .packs import pack_parts
from .quality import same_day_duplicates, suspicious_values
from .ranking import rank_regimens
from .relapse import (
    CLINICAL_RULES,
    FLC_RISE,
    SERUM_RISE,
    URINE_RISE,
    CourseWindow,
    Found,
    course_points,
    flc_applies,
    haemoglobin_threshold,
    progression_threshold,
)
from .renal import renal_function
from .response import RESPONSE_RULE
from .risk import overall_risk
from .rules import RULES_VERSION, evaluates
from .status import disease_status
from .thresholds import CLIN_CALCIUM_ABOVE_MMOL_L, CLIN_CREATININE_UMOL_L, RAPID_DOUBLING_DAYS
from .transplant import transplant_options

SERIES_UNITS = {
    "serum_m_protein": "g/L", "urine_m_protein": "mg/24h", "flc_kappa": "mg/L", "flc_lambda": "mg/L",
    "involved_flc": "mg/L", "dflc": "mg/L", "flc_ratio": "", "calcium": "mmol/L", "hemoglobin": "g/L",
    "creatinine": "umol/L", "beta2_microglobulin": "mg/L", "albumin": "g/L", "marrow_plasma_cells": "%",
}
_LEFT_OUT_ZH = {"labs": "项检验", "events": "个事件", "transplants": "次移植", "therapy lines": "条治疗线",
                "line ends": "个治疗结束日期", "progression dates": "个进展日期"}


def assess(case: Case, as_of: date | None = None, *, pack: str | None = None,
           jurisdiction: str | None = None) -> Assessment:
    """Assess ``case`` as of ``as_of`` (default: the case's own as_of, else its latest date).

    ``pack`` / ``jurisdiction`` override the case's settings (CLI ``--pack``/``--jurisdiction``).
    The seed suggestions are always computed; the contemporary options when that pack is chosen.
    """
    when = as_of or case.as_of or case.latest_date()
    if when is None:
        raise ValueError("the case has no dated data and no as_of: nothing to assess")
    obs = observe(case, when)
    history = build_history(obs)
    status = disease_status(obs, history)
    relapse = _relapse(history)
    kinetics = _kinetics(obs, history)
    timing = _timing(relapse, kinetics)
    sequence = sequencing(case, history)
    risk = overall_risk(case, obs, status.category, sequence.remission_months)
    goal = treatment_goal(case)
    transplant = transplant_options(obs, history, status.category, goal, risk, case.settings.school)
    renal = renal_function(case, obs)
    ranking = rank_regimens(case, obs, history, status, sequence, risk, goal, renal)
    warnings = _warnings(case, obs, history, kinetics, renal, relapse)
    parts = [status.rules, relapse.rules, kinetics.rules, timing.rules, risk.rules, goal.rules, sequence.rules,
             transplant.rules, ranking.assumptions]
    lines = _lines(history)
    parts += [line.rules for line in lines]
    if obs.involved_chain_assumed:
        parts.append(["ASSUME-INVOLVED-LC"])
    if renal.source == "cockcroft_gault":
        parts.append(["ASSUME-CRCL"])
    elif renal.source == "unknown":
        parts.append(["ASSUME-RENAL-UNKNOWN"])
    if any(c.rule in CLINICAL_RULES for c in relapse.criteria) or obs.series("creatinine"):
        parts.append(["ASSUME-CLIN-AFTER-START"])
    if obs.series("creatinine"):
        parts.append(["ASSUME-CREAT"])
    assumptions = sorted({r for rules in parts for r in rules if r.startswith("ASSUME-")})
    return Assessment(
        case_id=case.case_id, as_of=when, rules_version=RULES_VERSION, status=status, lines=lines,
        relapse=relapse, kinetics=kinetics, timing=timing, risk=risk, goal=goal, sequence=sequence,
        transplant=transplant, renal=renal, suggestions=ranking.suggestions, excluded=ranking.excluded,
        cautions=ranking.cautions, assumptions=assumptions, warnings=warnings,
        series=_series(obs, history), marks=_marks(obs),
        **pack_parts(case, obs, history, renal, RULES_VERSION, pack, jurisdiction),
    )


def _lines(history: History) -> list[LineResult]:
    out = []
    for f in history.lines:
        rules = [RESPONSE_RULE[f.best]] if f.best is not None else []
        if f.refractory:
            rules.append("DEF-DRUG-REFRACTORY")
        out.append(LineResult(
            index=f.line.index, regimen=f.line.regimen, regimen_id=f.line.regimen_id, drugs=list(f.line.drugs),
            start=f.line.start, end=f.line.end, salvage=f.salvage, best_response=f.best,
            best_response_source=f.best_source, computed_best_response=f.computed.best,
            response_marker=f.computed.marker, response_date=f.response_date, progression_date=f.progression,
            progression_source=f.progression_source, refractory=f.refractory, rules=rules,
        ))
    return out


@evaluates("DEF-RELAPSED")
def _relapse(history: History) -> Relapse:
    course = history.last_course
    criteria: list[Found] = course.criteria if course else []
    biochemical = any(f.confirmed and not f.clinical for f in criteria)
    clinical = any(f.confirmed and f.clinical for f in criteria)
    date_ = course.progression if course else None
    rules = sorted({f.rule for f in criteria if f.confirmed})
    if any(f.rule in ("BIO-SERUM", "BIO-URINE", "BIO-FLC") for f in criteria):
        rules.append("ASSUME-NADIR-COURSE")
    bio_dates = [f.date for f in criteria if f.confirmed and not f.clinical]
    clin_dates = [f.date for f in criteria if f.confirmed and f.clinical]
    return Relapse(
        biochemical=biochemical, clinical=clinical, date=date_,
        biochemical_date=min(bio_dates) if bio_dates else None,
        clinical_date=min(clin_dates) if clin_dates else None,
        criteria=[Criterion(rule=f.rule, date=f.date, confirmed=f.confirmed, detail=f.detail) for f in criteria],
        rules=rules,
    )


def _current_window(history: History) -> CourseWindow | None:
    course = history.last_course
    return course.window if course else None


def _kinetics(obs: Observations, history: History) -> Kinetics:
    window = _current_window(history)
    start = window.start if window else None
    markers = {marker: doubling_time(course_points(obs, marker, start), unit)
               for marker, unit in KINETIC_MARKERS.items()}
    rapid = any(m.doubling_time_days is not None and m.doubling_time_days < RAPID_DOUBLING_DAYS
                for m in markers.values())
    rules = ["KIN-DT", "ASSUME-NADIR-COURSE"] + (["TIMING-DOUBLING"] if rapid else [])
    return Kinetics(markers=markers, rapid_rise=rapid, rules=rules)


@evaluates("TIMING-CLINICAL", "TIMING-DOUBLING")
def _timing(relapse: Relapse, kinetics: Kinetics) -> Timing:
    clinical_rules = sorted({c.rule for c in relapse.criteria if c.confirmed and c.rule in CLINICAL_RULES})
    bio_rules = sorted({c.rule for c in relapse.criteria if c.confirmed and c.rule not in CLINICAL_RULES})
    if relapse.clinical:
        return Timing(recommendation=TimingRecommendation.TREAT_NOW, rules=["TIMING-CLINICAL", *clinical_rules],
                      detail=Text(en="clinical relapse: start treatment", zh="临床复发:应开始治疗"))
    if relapse.biochemical and kinetics.rapid_rise:
        return Timing(recommendation=TimingRecommendation.TREAT_NOW,
                      rules=["TIMING-DOUBLING", "KIN-DT", *bio_rules],
                      detail=Text(en="biochemical relapse with a doubling time under 2 months: treat now",
                                  zh="生化复发且倍增时间<2个月:即使无症状也应开始治疗"))
    if relapse.biochemical or relapse.date is not None:
        return Timing(recommendation=TimingRecommendation.MONITOR, rules=["TIMING-CLINICAL", *bio_rules],
                      detail=Text(en="biochemical relapse without clinical signs: monitor closely",
                                  zh="生化复发而无临床表现:密切监测"))
    return Timing(recommendation=TimingRecommendation.NOT_APPLICABLE, rules=[],
                  detail=Text(en="no relapse: no new treatment decision", zh="无复发:暂无需新的治疗决策"))


def _warnings(case: Case, obs: Observations, history: History, kinetics: Kinetics, renal, relapse: Relapse) -> list[Text]:
    out: list[Text] = []
    if obs.left_out:
        en = ", ".join(f"{n} {k}" for k, n in obs.left_out.items())
        zh = "、".join(f"{n}{_LEFT_OUT_ZH.get(k, k)}" for k, n in obs.left_out.items())
        out.append(Text(en=f"dated after the assessment date {obs.as_of.isoformat()} and left out: {en}",
                        zh=f"晚于评估日期{obs.as_of.isoformat()}而未纳入:{zh}"))
    out += suspicious_values(case)
    out += same_day_duplicates(case)
    for marker, result in kinetics.markers.items():
        for note in result.notes:
            out.append(Text(en=f"{marker}: {note.en}", zh=f"{marker}:{note.zh}"))
    for f in history.lines:
        if f.best is None:
            out.append(Text(
                en=f"line {f.line.index + 1} ({f.line.regimen}): response unknown — no measurable marker at baseline",
                zh=f"第{f.line.index + 1}线({f.line.regimen}):基线无可测量指标,疗效无法判定"))
    for c in relapse.criteria:
        if not c.confirmed:
            out.append(Text(en=f"{c.rule} on {c.date.isoformat()} is not confirmed yet: repeat the test",
                            zh=f"{c.rule}({c.date.isoformat()})尚未确认:请复查"))
    if renal.source == "unknown":
        out.append(Text(en="creatinine clearance unknown (needs creatinine and weight): renal rules not applied",
                        zh="肌酐清除率未知(需肌酐与体重):未应用肾功能相关规则"))
    if obs.involved_chain_assumed:
        out.append(Text(en=f"isotype does not name the light chain: {obs.involved_chain} taken as involved",
                        zh=f"分型未注明轻链类型:按{obs.involved_chain}为受累轻链"))
    return out


_RISES = {"serum_m_protein": SERUM_RISE, "urine_m_protein": URINE_RISE, "dflc": FLC_RISE}


def _series(obs: Observations, history: History) -> dict[str, Series]:
    """Every marker for the figures, with its nadir and the value that would qualify as relapse."""
    window = _current_window(history)
    out = {}
    for name, series in obs.numeric.items():
        if not series:
            continue
        nadir = threshold = direction = rule = None
        rise = _RISES.get(name)
        if rise is not None and (rise is not FLC_RISE or window is None or flc_applies(obs, window)):
            tail = course_points(obs, name, window.start if window else None)
            i = nadir_index(tail)
            if i is not None:
                nadir = SeriesPoint(date=tail[i].date, value=tail[i].value)
                threshold, direction, rule = progression_threshold(rise, nadir.value), "above", rise.rule
        elif name == "calcium":
            threshold, direction, rule = CLIN_CALCIUM_ABOVE_MMOL_L, "above", "CLIN-CALCIUM"
        elif name == "creatinine":
            threshold, direction, rule = CLIN_CREATININE_UMOL_L, "above", "CLIN-CREAT"
        elif name == "hemoglobin" and window is not None:
            threshold = haemoglobin_threshold(obs, window)
            direction, rule = ("below", "CLIN-HB") if threshold is not None else (None, None)
        out[name] = Series(unit=SERIES_UNITS.get(name, ""), dates=list(series.dates),
                           values=[p.value for p in series.points], nadir=nadir, threshold=threshold,
                           threshold_direction=direction, threshold_rule=rule)
    return out


_MARK_LABELS = {
    "autologous": Text(en="autologous transplant", zh="自体造血干细胞移植"),
    "allogeneic": Text(en="allogeneic transplant", zh="异基因造血干细胞移植"),
    EventKind.NEW_BONE_LESION.value: Text(en="new bone lesion", zh="新发骨质破坏"),
    EventKind.NEW_PLASMACYTOMA.value: Text(en="new plasmacytoma", zh="新发浆细胞瘤"),
    EventKind.LESION_GROWTH.value: Text(en="lesion growth", zh="病灶增大"),
}


def _marks(obs: Observations) -> list[Mark]:
    marks = [Mark(date=t.date, kind=t.type.value, label=_MARK_LABELS[t.type.value]) for t in obs.transplants]
    marks += [Mark(date=e.date, kind=e.kind.value, label=_MARK_LABELS[e.kind.value]) for e in obs.events]
    return sorted(marks, key=lambda m: m.date)

