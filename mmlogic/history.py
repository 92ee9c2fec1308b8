"""Treatment history: courses of therapy, response and progression per line, refractoriness.

Decides which line is *salvage* (it starts after a progression) and which continues the
previous one (consolidation, maintenance, a switch for toxicity: rules.md "Lines of therapy");
each line's best response (RESP-*, computed or entered), response date and progression date
(computed, or entered: it overrides); and whether a line — and so each of its drugs — is
refractory (DEF-DRUG-REFRACTORY: progression on it or within 60 days of its end, or no MR on
it once it can be judged, ASSUME-RESPONSE-PENDING). Steroids are never refractory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from .case import Response
from .observations import Line, Observations
from .regimens import knowledge_base
from .relapse import CourseWindow, Found, course_criteria, progression_date
from .response import LineResponse, at_least, best_response
from .rules import evaluates
from .thresholds import REFRACTORY_WINDOW_DAYS

_BASELINE_MARKERS = ("serum_m_protein", "urine_m_protein", "involved_flc", "dflc")


@dataclass
class Course:
    """Lines given from one (re)start of treatment until the next progression."""

    lines: list[Line]
    salvage: bool
    window: CourseWindow
    criteria: list[Found] = field(default_factory=list)
    computed_progression: date | None = None
    entered_progression: date | None = None

    @property
    def start(self) -> date:
        return self.lines[0].start

    @property
    def progression(self) -> date | None:
        # An entered progression date overrides the computed one (rules.md, "Progression date").
        return self.entered_progression or self.computed_progression


@dataclass(frozen=True)
class LineFacts:
    line: Line
    course_index: int
    salvage: bool
    computed: LineResponse
    best: Response | None
    best_source: str
    response_date: date | None
    progression: date | None
    progression_source: str | None
    evaluable: bool
    refractory: bool


@dataclass(frozen=True)
class History:
    courses: list[Course]
    lines: list[LineFacts]
    refractory_drugs: tuple[str, ...]
    course_response: dict[int, LineResponse]

    @property
    def last_course(self) -> Course | None:
        return self.courses[-1] if self.courses else None


def _baseline_date(obs: Observations, start: date) -> date:
    dates = [p.date for m in _BASELINE_MARKERS if (p := obs.series(m).last_on_or_before(start))]
    return max(dates) if dates else start


def _window(obs: Observations, start: date, until: date) -> CourseWindow:
    return CourseWindow(start=start, until=until, baseline_date=_baseline_date(obs, start))


def _evaluate_course(obs: Observations, course: Course, until: date) -> None:
    course.window = _window(obs, course.start, until)
    course.criteria = course_criteria(obs, course.window)
    course.computed_progression = progression_date(course.criteria)
    entered = [ln.entered_progression for ln in course.lines if ln.entered_progression]
    course.entered_progression = min(entered) if entered else None


def build_courses(obs: Observations) -> list[Course]:
    """Group lines into courses: a line after a progression starts a new (salvage) course."""
    if not obs.lines:
        return []
    courses = [Course([obs.lines[0]], salvage=False, window=_window(obs, obs.lines[0].start, obs.as_of))]
    for line in obs.lines[1:]:
        current = courses[-1]
        _evaluate_course(obs, current, line.start)
        if current.progression is not None and current.progression <= line.start:
            courses.append(Course([line], salvage=True, window=_window(obs, line.start, obs.as_of)))
        else:
            current.lines.append(line)
    _evaluate_course(obs, courses[-1], obs.as_of)
    return courses


def _line_until(lines: list[Line], i: int, as_of: date) -> date:
    return lines[i + 1].start if i + 1 < len(lines) else as_of


@evaluates("DEF-DRUG-REFRACTORY")
def line_is_refractory(line: Line, best: Response | None, evaluable: bool, progression: date | None, as_of: date) -> bool:
    """Progression on the line or within 60 days of its end, or no MR once it can be judged."""
    if progression is not None and progression >= line.start:
        last_dose = line.end or as_of
        if progression <= last_dose + timedelta(days=REFRACTORY_WINDOW_DAYS):
            return True
    return evaluable and best is not None and not at_least(best, Response.MR)


def build_history(obs: Observations) -> History:
    courses = build_courses(obs)
    all_lines = list(obs.lines)
    facts: list[LineFacts] = []
    course_response: dict[int, LineResponse] = {}
    for ci, course in enumerate(courses):
        baseline = course.window.baseline_date
        progression = course.progression
        course_until = min(course.window.until, progression) if progression and progression >= course.start \
            else course.window.until
        course_response[ci] = best_response(obs, baseline, course.start, course_until)
        for line in course.lines:
            i = all_lines.index(line)
            until = _line_until(all_lines, i, obs.as_of)
            # The course's progression belongs to the line running when it happened.
            if line.entered_progression is not None:
                line_prog, prog_source = line.entered_progression, "entered"
            elif progression is not None and line.start <= progression and (
                progression < until or (i + 1 == len(all_lines)) or all_lines[i + 1] not in course.lines
            ):
                line_prog, prog_source = progression, ("entered" if course.entered_progression else "computed")
            else:
                line_prog, prog_source = None, None
            # RESP-* (catalog 1.1): the best response counts values up to the first progression only.
            response_until = min(until, line_prog) if line_prog is not None and line_prog >= line.start else until
            computed = best_response(obs, baseline, line.start, response_until)
            best, source = computed.best, "computed" if computed.best else "unknown"
            if line.entered_response is not None:
                best, source = line.entered_response, "entered"
            evaluable = line.end is not None or line_prog is not None  # ASSUME-RESPONSE-PENDING
            facts.append(LineFacts(
                line=line, course_index=ci, salvage=course.salvage and line is course.lines[0],
                computed=computed, best=best, best_source=source,
                response_date=computed.date if source == "computed" else None,
                progression=line_prog, progression_source=prog_source, evaluable=evaluable,
                refractory=line_is_refractory(line, best, evaluable, line_prog or progression, obs.as_of),
            ))
    return History(courses, facts, _refractory_drugs(facts), course_response)


def _refractory_drugs(facts: list[LineFacts]) -> tuple[str, ...]:
    drugs = knowledge_base().drugs
    out: list[str] = []
    for fact in facts:
        if not fact.refractory:
            continue
        for drug in fact.line.drugs:
            known = drugs.get(drug)
            if known is not None and known.steroid:
                continue  # SEQ-REFRACTORY-DRUG: steroids are never marked refractory
            if drug not in out:
                out.append(drug)
    return tuple(out)
