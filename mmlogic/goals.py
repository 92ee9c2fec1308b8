"""Treatment goal and sequencing (rules.md section F).

- GOAL-FIT / GOAL-FRAIL (with ASSUME-FIT): a fit patient aims for the deepest response; an
  unfit one for disease control with quality of life.
- SEQ-NCCN / SEQ-EU / SEQ-NOVEL: remission ≥ 6 months suggests sensitivity (NCCN: the
  previous regimen may be repeated); the European school changes regimen at every relapse;
  a previous regimen without a novel agent is not repeated.
"""

from __future__ import annotations

from datetime import date

from .assessment import Goal, Sequence
from .case import Case, School
from .history import History
from .regimens import find_regimen, knowledge_base
from .rules import evaluates
from .thresholds import DAYS_PER_MONTH, FIT_AGE_BELOW, FIT_MAX_ECOG, SENSITIVE_REMISSION_MONTHS, TOLERANCE


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
    remission, source = None, None
    if response.date is not None and response.best is not None and response.date <= course.progression:
        remission, source = months_between(response.date, course.progression), "response_date"
    else:
        ended = [ln.end for ln in course.lines if ln.end is not None and ln.end <= course.progression]
        if ended:
            remission, source = months_between(max(ended), course.progression), "end_date"
    sensitive = None if remission is None else remission >= SENSITIVE_REMISSION_MONTHS - TOLERANCE
    novel = has_novel_agent(first.drugs)
    may_repeat = school == School.NCCN and bool(sensitive) and novel
    return Sequence(school=school, remission_months=None if remission is None else round(remission, 2),
                    remission_from=source, sensitive=sensitive, may_repeat_previous=may_repeat,
                    previous_regimen=previous, rules=[school_rule, "SEQ-NOVEL"])
