"""Treatment goal and sequencing (rules.md section F).

- GOAL-FIT / GOAL-FRAIL (with ASSUME-FIT): a fit patient aims for the deepest response; an
  unfit one for disease control with quality of life.
- SEQ-NCCN / SEQ-EU / SEQ-NOVEL: remission ≥ 6 months suggests sensitivity (NCCN: the
  previous regimen may be repeated); the European school changes regimen at every relapse;
  a previous regimen without a novel agent is not repeated. Catalog 1.1: a refractory previous
  regimen (DEF-DRUG-REFRACTORY, class included) is neither "sensitive" nor repeated, whatever the
  remission; a regimen that gave no response at all (primary refractory) has no remission.
"""

from __future__ import annotations

from datetime import date

from .assessment import Goal, Sequence, Text
from .case import Case, Response, School
from .cross_resistance import class_refractory
from .history import History, LineFacts
from .regimens import find_regimen, knowledge_base
from .response import at_least
from .rules import evaluates
from .thresholds import (
    DAYS_PER_MONTH,
    FIT_AGE_BELOW,
    FIT_MAX_ECOG,
    REFRACTORY_WINDOW_DAYS,
    SENSITIVE_REMISSION_MONTHS,
    TOLERANCE,
)


@evaluates("GOAL-FIT", "GOAL-FRAIL")
def treatment_goal(case: Case) -> Goal:
    patient = case.patient
    if patient.fit_for_intensive_therapy is not None:
        fit, source, rules = patient.fit_for_intensive_therapy, "entered", []
    else:
        fit = patient.ecog <= FIT_MAX_ECOG and patient.age < FIT_AGE_BELOW
        source, rules = "default", ["ASSUME-FIT"]
    rules = ["GOAL-FIT" if fit else "GOAL-FRAIL", *rules]
    return Goal(aim="deep_response" if fit else "palliative", fit=fit, fit_source=source, rules=rules)


def months_between(start: date, end: date) -> float:
    return (end - start).days / DAYS_PER_MONTH


def has_novel_agent(drugs: tuple[str, ...]) -> bool:
    table = knowledge_base().drugs
    return any(table[d].novel for d in drugs if d in table)


@evaluates("SEQ-NCCN", "SEQ-EU", "SEQ-NOVEL")
def sequencing(case: Case, history: History) -> Sequence:
    school = case.settings.school
    school_rule = "SEQ-NCCN" if school == School.NCCN else "SEQ-EU"
    course = history.last_course
    if course is None or course.progression is None:
        return Sequence(school=school, remission_months=None, remission_from=None, sensitive=None,
                        may_repeat_previous=False, previous_regimen=None, rules=[school_rule])
    first = course.lines[0]
    regimen = find_regimen(first.regimen)
    previous = regimen.id if regimen else first.regimen
    response = history.course_response[len(history.courses) - 1]
    facts = [f for f in history.lines if f.line in course.lines]
    refractory_drugs = _refractory_in(first.drugs, history)
    no_response = _no_response(facts)
    remission, source = None, None
    if no_response:
        pass  # primary refractory: there was no remission to measure
    elif response.date is not None and response.best is not None and response.date <= course.progression:
        remission, source = months_between(response.date, course.progression), "response_date"
    else:
        ended = [ln.end for ln in course.lines if ln.end is not None and ln.end <= course.progression]
        if ended:
            remission, source = months_between(max(ended), course.progression), "end_date"
    sensitive = None if remission is None else remission >= SENSITIVE_REMISSION_MONTHS - TOLERANCE
    previous_refractory = bool(refractory_drugs) or any(f.refractory for f in facts if f.line is first)
    rules = [school_rule, "SEQ-NOVEL"]
    detail = None
    if no_response or previous_refractory:
        sensitive = False  # SEQ-NCCN / SEQ-EU, catalog 1.1: a refractory regimen is never "sensitive"
        rules.append("DEF-DRUG-REFRACTORY")
        detail = _not_sensitive_text(previous, refractory_drugs, no_response)
    novel = has_novel_agent(first.drugs)
    may_repeat = school == School.NCCN and bool(sensitive) and novel
    return Sequence(school=school, remission_months=None if remission is None else round(remission, 2),
                    remission_from=source, sensitive=sensitive, may_repeat_previous=may_repeat,
                    previous_regimen=previous, rules=rules, previous_refractory=previous_refractory or no_response,
                    no_response=no_response, detail=detail)


def _refractory_in(drugs: tuple[str, ...], history: History) -> tuple[str, ...]:
    """The drugs of a regimen the disease is refractory to, directly or by class (ASSUME-IMID-CLASS)."""
    carried = class_refractory(history.refractory_drugs)
    return tuple(d for d in drugs if d in history.refractory_drugs or d in carried)


def _no_response(facts: list[LineFacts]) -> bool:
    """Primary refractory course: every line judged, a response known, none reaching MR."""
    known = [f for f in facts if f.evaluable and f.best is not None]
    return bool(known) and len(known) == len(facts) and not any(at_least(f.best, Response.MR) for f in known)


def _not_sensitive_text(regimen: str, drugs: tuple[str, ...], no_response: bool) -> Text:
    if no_response:
        return Text(en=f"no response to {regimen} (primary refractory): not sensitive, do not repeat it",
                    zh=f"{regimen}治疗无效(原发难治):不属敏感,不应重复")
    if drugs:
        names = ", ".join(drugs)
        names_zh = "、".join(_zh(d) for d in drugs)
        return Text(en=f"{regimen} relies on {names}, to which the disease is refractory: not sensitive, "
                       "whatever the remission; do not repeat it",
                    zh=f"{regimen}含已耐药的{names_zh}:无论缓解期长短均不属敏感,不应重复")
    return Text(en=f"progression on {regimen} or within {REFRACTORY_WINDOW_DAYS} days of it (refractory): "
                   "not sensitive, do not repeat it",
                zh=f"{regimen}治疗中或停药{REFRACTORY_WINDOW_DAYS}天内进展(难治):不属敏感,不应重复")


def _zh(drug: str) -> str:
    known = knowledge_base().drugs.get(drug)
    return known.zh if known else drug
