"""Case replay: the moments at which each criterion first fires, date by date.

When the assessment date steps through a case, the conclusions change: a line reaches its
response, a rise is seen once (unconfirmed) and then confirmed, the doubling time drops under
2 months (TIMING-DOUBLING), a clinical criterion (CLIN-*) appears, the disease status moves.
``milestones(case)`` finds these moments by calling ``assess(case, as_of=d)`` at every distinct
date of the case — nothing is recomputed here; the engine's own conclusions are compared from
one date to the next. A milestone's ``date`` is the first assessment date at which it is seen
(what the clinician could have known then); ``on`` is the date the criterion itself names
(for a confirmed rise: the first of the two qualifying values).

Pure: no clock, no I/O.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

from .assess import assess
from .assessment import Assessment, Text
from .case import Case
from .relapse import CLINICAL_RULES
from .summary import LABELS

MilestoneKind = Literal[
    "response", "progression_unconfirmed", "progression_confirmed", "clinical_relapse", "rapid_rise", "status",
]
#: Kinds in the order a teaching timeline lists them when they share a date.
KINDS: tuple[str, ...] = ("response", "progression_unconfirmed", "progression_confirmed", "clinical_relapse",
                          "rapid_rise", "status")
_RESPONDED = ("CR", "VGPR", "PR", "MR")
_RELAPSE_CATEGORIES = ("relapsed", "relapsed_refractory", "primary_refractory")


class Milestone(BaseModel):
    """One moment of the replay: what first became true at ``date``."""

    model_config = ConfigDict(frozen=True)
    date: date
    kind: MilestoneKind
    rules: list[str]
    text: Text
    on: date | None = None  # the date the criterion names, when it differs from ``date``


def replay_dates(case: Case, until: date | None = None) -> list[date]:
    """Every distinct date of the case up to its assessment date (or ``until``), ascending."""
    end = until or case.as_of or case.latest_date()
    if end is None:
        return []
    dates: set[date] = {lab.date for lab in case.labs} | {e.date for e in case.events}
    dates |= {t.date for t in case.transplants}
    for line in case.therapy_lines:
        dates |= {d for d in (line.start, line.end, line.progression_date) if d is not None}
    dates.add(end)
    return sorted(d for d in dates if d <= end)


def _status_text(a: Assessment) -> Text:
    label = LABELS[a.status.category.value]
    return Text(en=f"status: {label.en}", zh=f"疾病状态:{label.zh}")


def _step(a: Assessment, seen: set[tuple], state: dict[str, object]) -> list[Milestone]:
    """The milestones first visible in assessment ``a``, given what was seen before."""
    out: list[Milestone] = []
    when = a.as_of
    for line in a.lines:
        best = line.best_response.value if line.best_response else None
        if best in _RESPONDED:
            key = ("response", line.index, best)
            if key not in seen:
                seen.add(key)
                out.append(Milestone(
                    date=when, kind="response", rules=[r for r in line.rules if r.startswith("RESP-")],
                    on=line.response_date,
                    text=Text(en=f"line {line.index + 1} ({line.regimen}) reached {best}",
                              zh=f"第{line.index + 1}线({line.regimen})达到{best}"),
                ))
    for c in a.relapse.criteria:
        clinical = c.rule in CLINICAL_RULES
        if not c.confirmed:
            kind = "progression_unconfirmed"
        else:
            kind = "clinical_relapse" if clinical else "progression_confirmed"
        key = (kind, c.rule, c.date)
        if key in seen:
            continue
        seen.add(key)
        if kind == "progression_unconfirmed":
            text = Text(en=f"{c.rule}: a qualifying rise, not yet confirmed — {c.detail.en}",
                        zh=f"{c.rule}:出现符合标准的升高,尚待确认 — {c.detail.zh}")
        elif kind == "progression_confirmed":
            text = Text(en=f"{c.rule}: progression confirmed — {c.detail.en}",
                        zh=f"{c.rule}:进展已确认 — {c.detail.zh}")
        else:
            text = Text(en=f"{c.rule}: clinical relapse — {c.detail.en}", zh=f"{c.rule}:临床复发 — {c.detail.zh}")
        rules = [c.rule] + (["TIMING-CLINICAL"] if clinical else [])
        out.append(Milestone(date=when, kind=kind, rules=rules, text=text, on=c.date))
    rapid = a.kinetics.rapid_rise
    if rapid and not state.get("rapid"):
        fast = [(name, m) for name, m in a.kinetics.markers.items()
                if m.doubling_time_months is not None and "TIMING-DOUBLING" in a.kinetics.rules]
        fast.sort(key=lambda item: item[1].doubling_time_days or 0.0)
        name, m = fast[0]
        out.append(Milestone(
            date=when, kind="rapid_rise", rules=["KIN-DT", "TIMING-DOUBLING"],
            text=Text(en=f"{name}: doubling time {m.doubling_time_months:.2f} months, under 2 months",
                      zh=f"{name}:倍增时间{m.doubling_time_months:.2f}个月,短于2个月"),
        ))
    state["rapid"] = rapid
    category = a.status.category.value
    if category != state.get("status"):
        # Only the moves into a relapse category are teaching moments; "no relapse" after a
        # new line starts is already visible on the figure's therapy bands.
        if state.get("status") is not None and category in _RELAPSE_CATEGORIES:
            out.append(Milestone(date=when, kind="status", rules=list(a.status.rules), text=_status_text(a)))
        state["status"] = category
    return out


def replay(case: Case, until: date | None = None) -> list[tuple[date, Assessment]]:
    """(date, assessment as of that date) for every replay date."""
    return [(d, assess(case, as_of=d)) for d in replay_dates(case, until)]


def milestones(case: Case, until: date | None = None) -> list[Milestone]:
    """Every moment a criterion first fires, in date order (see the module docstring)."""
    seen: set[tuple] = set()
    state: dict[str, object] = {}
    out: list[Milestone] = []
    for _, a in replay(case, until):
        out += _step(a, seen, state)
    return sorted(out, key=lambda m: (m.date, KINDS.index(m.kind)))
