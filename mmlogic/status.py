"""Disease status (rules.md section A): untreated, no relapse, relapsed, relapsed-and-refractory,
primary refractory — exclusive, in that order of precedence from the last.

- DEF-PRIMARY-REFRACTORY: no line has reached MR, and at least one line can be judged.
- DEF-RR: progression on the last therapy or within 60 days of it after reaching MR, or no
  MR on a salvage line that can be judged (ASSUME-RESPONSE-PENDING).
- DEF-RELAPSED: progression (section C, or entered: ASSUME-ENTERED-PROGRESSION) since the
  current course began.
"""

from __future__ import annotations

from datetime import date, timedelta

from .assessment import Status, StatusCategory, Text
from .case import Response
from .history import History
from .observations import Observations
from .response import at_least
from .rules import evaluates
from .thresholds import REFRACTORY_WINDOW_DAYS


def _last_therapy_end(obs: Observations, history: History, progression: date) -> date | None:
    """End of the last therapy given before ``progression`` (None: still on it)."""
    started = [f.line for f in history.lines if f.line.start <= progression]
    if not started:
        return None
    last = max(started, key=lambda line: line.start)
    if last.end is None or last.end >= progression:
        return None
    transplants = [t.date for t in obs.transplants if t.date <= progression]
    return max([last.end, *transplants])


@evaluates("DEF-RELAPSED", "DEF-RR", "DEF-PRIMARY-REFRACTORY")
def disease_status(obs: Observations, history: History) -> Status:
    if not history.lines:
        return Status(category=StatusCategory.UNTREATED, rules=[], refractory_drugs=[],
                      detail=Text(en="no therapy line recorded", zh="尚无治疗线记录"))
    refractory = list(history.refractory_drugs)
    reached_mr = any(at_least(f.best, Response.MR) for f in history.lines)
    judged_no_mr = any(f.evaluable and f.best is not None and not at_least(f.best, Response.MR) for f in history.lines)
    if not reached_mr and judged_no_mr:
        return Status(category=StatusCategory.PRIMARY_REFRACTORY, rules=["DEF-PRIMARY-REFRACTORY",
                      "ASSUME-RESPONSE-PENDING"], refractory_drugs=refractory,
                      detail=Text(en="no line has reached at least minor response",
                                  zh="所有治疗线均未达到微小缓解(MR)及以上"))
    course = history.last_course
    progression = course.progression
    current = [f for f in history.lines if f.course_index == len(history.courses) - 1]
    salvage_no_mr = course.salvage and any(
        f.evaluable and f.best is not None and not at_least(f.best, Response.MR) for f in current[:1]
    )
    if progression is not None:
        end = _last_therapy_end(obs, history, progression)
        on_or_soon_after = end is None or progression <= end + timedelta(days=REFRACTORY_WINDOW_DAYS)
        rules = ["DEF-RELAPSED"] + (["ASSUME-ENTERED-PROGRESSION"] if course.entered_progression and
                                    course.computed_progression is None else [])
        if reached_mr and on_or_soon_after:
            return Status(category=StatusCategory.RELAPSED_REFRACTORY, rules=["DEF-RR", *rules],
                          refractory_drugs=refractory, detail=Text(
                              en=f"progression on {progression.isoformat()}, on therapy or within "
                                 f"{REFRACTORY_WINDOW_DAYS} days of its end, after at least minor response",
                              zh=f"{progression.isoformat()}疾病进展,发生于治疗期间或末次治疗后"
                                 f"{REFRACTORY_WINDOW_DAYS}天内(此前曾达MR及以上)"))
        if salvage_no_mr:
            return _no_response_to_salvage(refractory)
        return Status(category=StatusCategory.RELAPSED, rules=rules, refractory_drugs=refractory,
                      detail=Text(en=f"progression on {progression.isoformat()} after prior therapy",
                                  zh=f"既往治疗后于{progression.isoformat()}疾病进展"))
    if salvage_no_mr:
        return _no_response_to_salvage(refractory)
    return Status(category=StatusCategory.NO_RELAPSE, rules=[], refractory_drugs=refractory,
                  detail=Text(en="no progression since the current course began",
                              zh="本程治疗开始以来未见疾病进展"))


def _no_response_to_salvage(refractory: list[str]) -> Status:
    return Status(category=StatusCategory.RELAPSED_REFRACTORY,
                  rules=["DEF-RR", "ASSUME-RESPONSE-PENDING"], refractory_drugs=refractory,
                  detail=Text(en="no minor response or better to salvage therapy",
                              zh="挽救治疗未达到微小缓解(MR)及以上"))
