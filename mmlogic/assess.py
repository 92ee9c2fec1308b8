"""The orchestrator: case → assessment, and nothing else (no clock, no I/O).

Order of reasoning: time window and units (observations) → courses, responses and
progression per line (history) → disease status → relapse criteria of the current course →
kinetics → timing → sequence → risk → goal → transplant → renal function → ranked regimens.
"""

from __future__ import annotations

from datetime import date

from .assessment import (
    Assessment,
    Confirm,
    Criterion,
    FitPoint,
    FollowedMarker,
    Kinetics,
    LineResult,
    MarkerKinetics,
    Mark,
    QualityNote,
    Relapse,
    Series,
    SeriesPoint,
    StatusCategory,
    Text,
    Timing,
    TimingRecommendation,
)
from .case import Case, EventKind
from .errors import CaseInvalid, CaseProblem
from .goals import sequencing, treatment_goal
from .history import History, build_history
from .kinetics import KINETIC_MARKERS, doubling_time, nadir_index
from .observations import Observations, observe
from .packs import pack_parts
from .quality import noisy_markers, same_day_duplicates
from .ranking import rank_regimens
from .relapse import (
    CLINICAL_RULES,
    ESCAPE_LABEL,
    FLC_RISE,
    SERUM_RISE,
    URINE_RISE,
    CourseWindow,
    Found,
    course_points,
    flc_applies,
    follows_light_chain,
    haemoglobin_threshold,
    preexisting_renal_damage,
    progression_threshold,
    watches_escape,
)
from .renal import renal_function
from .response import RESPONSE_RULE, measurable_at
from .risk import overall_risk
from .rules import RULES_VERSION, evaluates
from .status import Status, disease_status
from .thresholds import (
    BIO_FLC_RISE_MG_L,
    BIO_SERUM_RISE_G_L,
    BIO_URINE_RISE_MG_24H,
    CLIN_CALCIUM_ABOVE_MMOL_L,
    CLIN_CREATININE_UMOL_L,
    DAYS_PER_MONTH,
    DT_PREFERRED_POINTS,
    RAPID_DOUBLING_DAYS,
    REFRACTORY_WINDOW_DAYS,
    TOLERANCE,
)
from .transplant import transplant_options

SERIES_UNITS = {
    "serum_m_protein": "g/L", "urine_m_protein": "mg/24h", "flc_kappa": "mg/L", "flc_lambda": "mg/L",
    "involved_flc": "mg/L", "dflc": "mg/L", "flc_ratio": "", "calcium": "mmol/L", "hemoglobin": "g/L",
    "creatinine": "umol/L", "beta2_microglobulin": "mg/L", "albumin": "g/L", "marrow_plasma_cells": "%",
}
_LEFT_OUT_ZH = {"labs": "项检验", "events": "个事件", "transplants": "次移植", "therapy lines": "条治疗线",
                "line ends": "个治疗结束日期", "progression dates": "个进展日期"}


def assess(case: Case, as_of: date | None = None, *, today: date | None = None, pack: str | None = None,
           jurisdiction: str | None = None) -> Assessment:
    """Assess ``case`` as of ``as_of`` (default: the case's own as_of, else its latest date).

    ``today`` is the caller's date (the CLI and the app pass it; the core never reads a clock):
    any date of the case after it is a problem naming its field (rules.md K, "Time window").
    ``pack`` / ``jurisdiction`` override the case's settings (CLI ``--pack``/``--jurisdiction``).
    The seed suggestions are always computed; the contemporary options when that pack is chosen.
    """
    if today is not None:
        future = [CaseProblem(path, f"a date on or before today ({today.isoformat()}): a later date is a "
                                    "typing slip or a future plan", d.isoformat())
                  for path, d in case.dated_fields() if d > today]
        if future:
            raise CaseInvalid(future)
    when = as_of or case.as_of or case.latest_date()
    if when is None:
        raise ValueError("the case has no dated data and no as_of: nothing to assess")
    obs = observe(case, when)
    history = build_history(obs)
    status = disease_status(obs, history)
    relapse = _relapse(obs, history)
    kinetics = _kinetics(obs, history)
    lines = _lines(obs, history)
    timing = _timing(relapse, kinetics, status, history, obs)
    sequence = sequencing(case, history)
    risk = overall_risk(case, obs, status.category, sequence.remission_months)
    goal = treatment_goal(case)
    transplant = transplant_options(obs, history, status.category, goal, risk, case.settings.school)
    renal = renal_function(case, obs)
    ranking = rank_regimens(case, obs, history, status, sequence, risk, goal, renal, transplant)
    quality = _quality(obs, history)
    warnings = _warnings(case, obs, history, kinetics, renal, relapse, quality)
    parts = [status.rules, relapse.rules, kinetics.rules, timing.rules, risk.rules, goal.rules, sequence.rules,
             transplant.rules, ranking.assumptions]
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
    if any(q.rule == "DATA-IMPLAUSIBLE" and "fold" in q.detail.en for q in quality):
        parts.append(["ASSUME-IMPLAUSIBLE-SPIKE"])
    assumptions = sorted({r for rules in parts for r in rules if r.startswith("ASSUME-")})
    return Assessment(
        case_id=case.case_id, as_of=when, rules_version=RULES_VERSION, status=status, lines=lines,
        relapse=relapse, kinetics=kinetics, timing=timing, risk=risk, goal=goal, sequence=sequence,
        transplant=transplant, renal=renal, suggestions=ranking.suggestions, excluded=ranking.excluded,
        cautions=ranking.cautions, assumptions=assumptions, warnings=warnings,
        series=_series(obs, history), marks=_marks(obs), quality=quality,
        **pack_parts(case, obs, history, renal, RULES_VERSION, pack, jurisdiction),
    )


def _quality(obs: Observations, history: History) -> list[QualityNote]:
    notes = [QualityNote(rule="DATA-IMPLAUSIBLE", field=x.field, detail=x.text) for x in obs.implausible]
    window = _current_window(history)
    start = window.start if window else None
    per_date = []
    for marker in ("serum_m_protein", "urine_m_protein", "dflc"):
        points = course_points(obs, marker, start)
        first: dict[date, float] = {}
        for p in points:
            first.setdefault(p.date, p.value)  # one value per visit: the lower of a same-day pair
        per_date.append((marker, sorted(first.items())))
    notes += [QualityNote(rule="DATA-NOISE", field=n.marker, detail=n.text) for n in noisy_markers(per_date)]
    return notes


@evaluates("MARKER-FOLLOWED")
def followed_markers(obs: Observations, baseline_date: date, start: date) -> list[FollowedMarker]:
    """When a line begins, Then it is judged on each marker measurable at its baseline, plus dFLC in
    light-chain disease (MARKER-LC) or watched for escape in heavy-chain disease (BIO-FLC-ESCAPE)."""
    m = measurable_at(obs, baseline_date)
    out = [FollowedMarker(marker=marker, why="measurable") for marker in m.markers]
    if not any(f.marker == "dflc" for f in out):
        if follows_light_chain(obs):
            out.append(FollowedMarker(marker="dflc", why="light_chain_isotype"))
        elif watches_escape(obs, start):
            out.append(FollowedMarker(marker="dflc", why="escape_watch"))
    elif obs.light_chain_disease and m.m_protein:
        out = [f if f.marker != "dflc" else FollowedMarker(marker="dflc", why="light_chain_isotype") for f in out]
    return out


def _lines(obs: Observations, history: History) -> list[LineResult]:
    out = []
    for f in history.lines:
        rules = [RESPONSE_RULE[f.best]] if f.best is not None else []
        if f.refractory:
            rules.append("DEF-DRUG-REFRACTORY")
        followed = followed_markers(obs, history.courses[f.course_index].window.baseline_date, f.line.start)
        # MARKER-FOLLOWED is cited where it adds to IMWG's measurable markers (section B, cited by
        # RESP-*): dFLC for light-chain disease or for the escape watch. The list is always reported.
        if any(m.why != "measurable" for m in followed):
            rules.append("MARKER-FOLLOWED")
        if any(m.why == "light_chain_isotype" for m in followed):
            rules += ["MARKER-LC", "ASSUME-LC-MARKER"]
        out.append(LineResult(
            index=f.line.index, regimen=f.line.regimen, regimen_id=f.line.regimen_id, drugs=list(f.line.drugs),
            start=f.line.start, end=f.line.end, salvage=f.salvage, best_response=f.best,
            best_response_source=f.best_source, computed_best_response=f.computed.best,
            response_marker=f.computed.marker, response_date=f.response_date, progression_date=f.progression,
            progression_source=f.progression_source, refractory=f.refractory, rules=rules,
            followed_markers=followed,
        ))
    return out


def _relapse(obs: Observations, history: History) -> Relapse:
    """The relapse of the last course from its criteria (DEF-RELAPSED itself: status.disease_status)."""
    course = history.last_course
    criteria: list[Found] = course.criteria if course else []
    biochemical = any(f.confirmed and not f.clinical for f in criteria)
    clinical = any(f.confirmed and f.clinical for f in criteria)
    date_ = course.progression if course else None
    rules = sorted({f.rule for f in criteria if f.confirmed} | {r for f in criteria for r in f.cites})
    if any(f.rule in ("BIO-SERUM", "BIO-URINE", "BIO-FLC", "BIO-FLC-ESCAPE") for f in criteria):
        rules.append("ASSUME-NADIR-COURSE")
    if any(f.rule == "BIO-FLC-ESCAPE" for f in criteria):
        rules.append("ASSUME-LC-ESCAPE")
    bio_dates = [f.date for f in criteria if f.confirmed and not f.clinical]
    clin_dates = [f.date for f in criteria if f.confirmed and f.clinical]
    return Relapse(
        biochemical=biochemical, clinical=clinical, date=date_,
        biochemical_date=min(bio_dates) if bio_dates else None,
        clinical_date=min(clin_dates) if clin_dates else None,
        criteria=[Criterion(rule=f.rule, date=f.date, confirmed=f.confirmed, detail=f.detail, nadir=f.nadir,
                            marker=f.marker)
                  for f in criteria],
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
    rapid = [m for m in markers.values() if _is_rapid(m)]
    rules = ["KIN-DT", "ASSUME-NADIR-COURSE"] + (["TIMING-DOUBLING"] if rapid else [])
    # KIN-DT-RECENT is cited where its window decides: a rise that is rapid only over the last values.
    if any(m.timing_window == "recent" for m in rapid):
        rules += ["KIN-DT-RECENT", "ASSUME-RECENT-WINDOW"]
    return Kinetics(markers=markers, rapid_rise=bool(rapid), rules=rules)


def _is_rapid(m: MarkerKinetics) -> bool:
    """DT < 2 months by the doubling time timing uses (the shorter window, KIN-DT-RECENT)."""
    dt = m.timing_doubling_time_days
    return dt is not None and dt < RAPID_DOUBLING_DAYS


def _window_words(kinetics: Kinetics) -> Text:
    """Which window gave the doubling time timing used (KIN-DT-RECENT: say which)."""
    rapid = [(name, m) for name, m in kinetics.markers.items() if _is_rapid(m)]
    if not rapid:
        return Text(en="", zh="")
    return _window_of(*min(rapid, key=lambda x: x[1].timing_doubling_time_days))


def _window_of(name: str, m: MarkerKinetics) -> Text:
    months = m.timing_doubling_time_days / DAYS_PER_MONTH
    if m.timing_window == "recent":
        return Text(en=f" ({name}: DT {months:.1f} months over the last {m.recent_points} values, from "
                       f"{m.recent_from.isoformat()}; whole rising phase {m.doubling_time_months:.1f} months)",
                    zh=f"({name}:最近{m.recent_points}个数值(自{m.recent_from.isoformat()})倍增时间{months:.1f}个月;"
                       f"整个上升期{m.doubling_time_months:.1f}个月)")
    return Text(en=f" ({name}: DT {months:.1f} months over the whole rising phase)",
                zh=f"({name}:整个上升期倍增时间{months:.1f}个月)")


_REFRACTORY_NOW = Text(en="progressing on current therapy — change therapy", zh="当前治疗中进展——应更换治疗")


@evaluates("TIMING-REFRACTORY")
def _refractory_now(status: Status, history: History, as_of: date) -> bool:
    """When the disease never responded to the current line (primary refractory) or progresses on
    it or within 60 days of it (refractory), Then treat now: change therapy (rules.md K)."""
    if status.category == StatusCategory.PRIMARY_REFRACTORY:
        return True
    if not history.lines or not history.lines[-1].refractory:
        return False
    last = history.lines[-1]
    if last.progression is not None:
        return True  # refractory by progression: on the line or within 60 days of its last dose
    # Refractory by no response: only while the line is current (running, or stopped ≤ 60 days ago).
    return last.line.end is None or (as_of - last.line.end).days <= REFRACTORY_WINDOW_DAYS


@evaluates("TIMING-CLINICAL", "TIMING-DOUBLING")
def _timing(relapse: Relapse, kinetics: Kinetics, status: Status, history: History, obs: Observations) -> Timing:
    """When relapse is clinical, or biochemical with DT < 2 months, Then treat now; biochemical
    otherwise, monitor (rules.md C). Precedence treat_now > monitor > confirm > not_applicable."""
    clinical_rules = sorted({c.rule for c in relapse.criteria if c.confirmed and c.rule in CLINICAL_RULES})
    bio_rules = sorted({c.rule for c in relapse.criteria if c.confirmed and c.rule not in CLINICAL_RULES})
    recent = ["KIN-DT-RECENT"] if "KIN-DT-RECENT" in kinetics.rules else []
    base = _relapse_timing(relapse, kinetics, obs, clinical_rules, bio_rules, recent)
    if _refractory_now(status, history, obs.as_of):
        # TIMING-REFRACTORY (K) overrides whatever the relapse kind; the base rules stay cited.
        rules = ["TIMING-REFRACTORY"] + [r for r in base.rules if r != "WATCH-CONFIRM"]
        return Timing(recommendation=TimingRecommendation.TREAT_NOW, rules=rules, detail=_REFRACTORY_NOW)
    return base


def _relapse_timing(relapse: Relapse, kinetics: Kinetics, obs: Observations, clinical_rules: list[str],
                    bio_rules: list[str], recent: list[str]) -> Timing:
    if relapse.clinical:
        return Timing(recommendation=TimingRecommendation.TREAT_NOW, rules=["TIMING-CLINICAL", *clinical_rules],
                      detail=Text(en="clinical relapse: start treatment", zh="临床复发:应开始治疗"))
    if relapse.biochemical and kinetics.rapid_rise:
        words = _window_words(kinetics)
        return Timing(recommendation=TimingRecommendation.TREAT_NOW,
                      rules=["TIMING-DOUBLING", "KIN-DT", *recent, *bio_rules],
                      detail=Text(en="biochemical relapse with a doubling time under 2 months: treat now" + words.en,
                                  zh="生化复发且倍增时间<2个月:即使无症状也应开始治疗" + words.zh))
    if relapse.biochemical or relapse.date is not None:
        return Timing(recommendation=TimingRecommendation.MONITOR, rules=["TIMING-CLINICAL", *bio_rules],
                      detail=Text(en="biochemical relapse without clinical signs: monitor closely",
                                  zh="生化复发而无临床表现:密切监测"))
    confirm = _watch_confirm(relapse, kinetics, obs)
    if confirm is not None:
        return confirm
    return Timing(recommendation=TimingRecommendation.NOT_APPLICABLE, rules=[],
                  detail=Text(en="no relapse: no new treatment decision", zh="无复发:暂无需新的治疗决策"))


_ABSOLUTE_PART = {"serum_m_protein": (BIO_SERUM_RISE_G_L, False), "urine_m_protein": (BIO_URINE_RISE_MG_24H, False),
                  "dflc": (BIO_FLC_RISE_MG_L, True)}
_MARKER_OF_RULE = {"BIO-SERUM": "serum_m_protein", "BIO-URINE": "urine_m_protein", "BIO-FLC": "dflc",
                   "BIO-FLC-ESCAPE": "dflc"}
_RISE_OF_RULE = {"BIO-SERUM": SERUM_RISE, "BIO-URINE": URINE_RISE, "BIO-FLC": FLC_RISE, "BIO-FLC-ESCAPE": FLC_RISE}
_MARKER_TEXT = {"serum_m_protein": Text(en="serum M-protein", zh="血清M蛋白"),
                "urine_m_protein": Text(en="urine M-protein", zh="尿M蛋白"), "dflc": Text(en="dFLC", zh="dFLC")}


def _latest(obs: Observations, marker: str, n: int = 3) -> list[FitPoint]:
    return [FitPoint(date=p.date, value=p.value) for p in obs.series(marker).between(None, obs.as_of)[-n:]]


@evaluates("WATCH-CONFIRM")
def _watch_confirm(relapse: Relapse, kinetics: Kinetics, obs: Observations) -> Timing | None:
    """When there is no confirmed relapse but a single qualifying value, or a marker doubling in
    < 2 months over ≥ 3 points clearly above its nadir (or reappeared), Then timing `confirm`:
    repeat the test, naming the marker, the qualifying value and the value that confirms it (J)."""
    for c in relapse.criteria:
        if c.confirmed or c.rule in CLINICAL_RULES:
            continue
        marker = c.marker or _MARKER_OF_RULE.get(c.rule)
        if c.rule == "BIO-REAPPEAR":
            fluid = c.marker or "serum_m_protein"
            box = Confirm(marker=fluid, rule=c.rule, qualifying_date=c.date, unit=SERIES_UNITS[fluid],
                          latest_values=_latest(obs, fluid), confirming_value=None, confirming_detectable=True)
        elif marker is not None:
            nadir = c.nadir
            value = obs.series(marker).last_on_or_before(c.date)
            box = Confirm(marker=marker, rule=c.rule, qualifying_date=c.date,
                          qualifying_value=value.value if value else None, unit=SERIES_UNITS[marker],
                          latest_values=_latest(obs, marker),
                          confirming_value=(round(progression_threshold(_RISE_OF_RULE[c.rule], nadir), 3)
                                            if nadir is not None else None),
                          label=ESCAPE_LABEL if c.rule == "BIO-FLC-ESCAPE" else None)
        else:
            continue
        return _confirm_timing(box, [c.rule])
    for marker, (absolute, strict) in _ABSOLUTE_PART.items():
        m = kinetics.markers.get(marker)
        if m is None or not _is_rapid(m) or m.nadir_value is None:
            continue
        fit = m.fit_points
        if len(fit) < DT_PREFERRED_POINTS:
            continue
        latest = fit[-1]
        above = latest.value - m.nadir_value
        clear = above > absolute + TOLERANCE if strict else above >= absolute - TOLERANCE
        reappeared = m.nadir_value <= 0 < latest.value
        if not (clear or reappeared):
            continue
        rise = {"serum_m_protein": SERUM_RISE, "urine_m_protein": URINE_RISE, "dflc": FLC_RISE}[marker]
        box = Confirm(marker=marker, rule="KIN-DT", qualifying_date=latest.date, qualifying_value=latest.value,
                      unit=SERIES_UNITS[marker], latest_values=_latest(obs, marker),
                      confirming_value=round(progression_threshold(rise, m.nadir_value), 3))
        rules = ["KIN-DT"] + (["KIN-DT-RECENT"] if m.timing_window == "recent" else [])
        timing = _confirm_timing(box, rules)
        words = _window_of(marker, m)  # which window gave the doubling time (KIN-DT-RECENT)
        return timing.model_copy(update={"detail": Text(en=timing.detail.en + words.en, zh=timing.detail.zh + words.zh)})
    return None


def _confirm_timing(box: Confirm, rules: list[str]) -> Timing:
    name = _MARKER_TEXT.get(box.marker, Text(en=box.marker, zh=box.marker))
    label_en = f" ({box.label.en})" if box.label else ""
    label_zh = f"({box.label.zh})" if box.label else ""
    if box.confirming_detectable:
        need_en, need_zh = "a detectable value on a later date confirms it", "后续日期再次检出即可确认"
    elif box.confirming_value is not None:
        need_en = f"a value of {box.confirming_value:g} {box.unit} or more on a later date confirms progression"
        need_zh = f"后续日期数值≥{box.confirming_value:g} {box.unit}即可确认进展"
    else:
        need_en, need_zh = "a qualifying value on a later date confirms it", "后续日期再次达标即可确认"
    shown = f" {box.qualifying_value:g} {box.unit}" if box.qualifying_value is not None else ""
    return Timing(
        recommendation=TimingRecommendation.CONFIRM, rules=["WATCH-CONFIRM", *rules], confirm=box,
        detail=Text(
            en=f"possible progression — repeat the test: {name.en}{label_en}{shown} on "
               f"{box.qualifying_date.isoformat()}; {need_en}",
            zh=f"可能进展——请复查:{name.zh}{label_zh}{shown}({box.qualifying_date.isoformat()});{need_zh}"),
    )


def _warnings(case: Case, obs: Observations, history: History, kinetics: Kinetics, renal, relapse: Relapse,
              quality: list[QualityNote]) -> list[Text]:
    out: list[Text] = []
    if obs.left_out:
        en = ", ".join(f"{n} {k}" for k, n in obs.left_out.items())
        zh = "、".join(f"{n}{_LEFT_OUT_ZH.get(k, k)}" for k, n in obs.left_out.items())
        out.append(Text(en=f"dated after the assessment date {obs.as_of.isoformat()} and left out: {en}",
                        zh=f"晚于评估日期{obs.as_of.isoformat()}而未纳入:{zh}"))
    out += [q.detail for q in quality]
    out += same_day_duplicates(case)
    window = _current_window(history)
    renal_note = preexisting_renal_damage(obs, window) if window else None
    if renal_note is not None:
        out.append(renal_note)
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
    for c in relapse.criteria:
        if c.rule == "BIO-FLC-ESCAPE":
            out.append(Text(en=f"BIO-FLC-ESCAPE: {ESCAPE_LABEL.en}", zh=f"BIO-FLC-ESCAPE:{ESCAPE_LABEL.zh}"))
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
        # Heavy-chain disease with a measurable spike: dFLC is watched for escape (BIO-FLC-ESCAPE).
        escape = (rise is FLC_RISE and window is not None and not flc_applies(obs, window)
                  and watches_escape(obs, window.start))
        if rise is not None and (rise is not FLC_RISE or window is None or flc_applies(obs, window) or escape):
            tail = course_points(obs, name, window.start if window else None)
            i = nadir_index(tail)
            if i is not None:
                nadir = SeriesPoint(date=tail[i].date, value=tail[i].value)
                threshold, direction = progression_threshold(rise, nadir.value), "above"
                rule = "BIO-FLC-ESCAPE" if escape else rise.rule
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

