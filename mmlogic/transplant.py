"""Transplant options (rules.md section H: TX-ASCT1, TX-ASCT2, TX-ALLO; GOAL-FRAIL).

- First autologous transplant: an option for a fit patient who has not had one.
- Second autologous transplant: for a fit patient whose time to progression after the
  (latest) first transplant exceeds 12 months (NCCN) or 24 months (European) — ASSUME-TTP-ASCT.
- Allogeneic transplant: only for high-risk disease, and only in a clinical trial.
A frail patient gets no transplant option. Transplants are reported here, never as regimens.
"""

from __future__ import annotations

from .assessment import Goal, Risk, StatusCategory, Text, TransplantOption, TransplantOptions
from .case import School
from .goals import months_between
from .history import History
from .observations import Observations
from .rules import evaluates
from .thresholds import ASCT2_MIN_TTP_MONTHS_EUROPEAN, ASCT2_MIN_TTP_MONTHS_NCCN, TOLERANCE

NEEDS_TREATMENT = (StatusCategory.RELAPSED, StatusCategory.RELAPSED_REFRACTORY, StatusCategory.PRIMARY_REFRACTORY)


def _first_progression_after(history: History, when) -> object:
    dates = sorted(c.progression for c in history.courses if c.progression is not None and c.progression > when)
    return dates[0] if dates else None


@evaluates("TX-ASCT1", "TX-ASCT2", "TX-ALLO")
def transplant_options(obs: Observations, history: History, status: StatusCategory, goal: Goal,
                       risk: Risk, school: School) -> TransplantOptions:
    rules: list[str] = []
    notes: list[Text] = []
    autologous = obs.autologous_transplants
    ttp = None
    if not goal.fit:
        rules.append("GOAL-FRAIL")
        first = TransplantOption.NOT_SUGGESTED if not autologous else TransplantOption.NOT_APPLICABLE
        second = TransplantOption.NOT_SUGGESTED if autologous else TransplantOption.NOT_APPLICABLE
        allo = "not_suggested"
        notes.append(Text(en="not fit for intensive therapy: no transplant", zh="不能耐受强烈治疗:不建议移植"))
        return TransplantOptions(first_asct=first, second_asct=second, allogeneic=allo,
                                 ttp_after_asct_months=None, rules=rules + ["TX-ALLO"], notes=notes)
    needs = status in NEEDS_TREATMENT
    if autologous:
        first = TransplantOption.NOT_APPLICABLE
        progression = _first_progression_after(history, autologous[-1])
        limit = ASCT2_MIN_TTP_MONTHS_NCCN if school == School.NCCN else ASCT2_MIN_TTP_MONTHS_EUROPEAN
        rules += ["TX-ASCT2", "ASSUME-TTP-ASCT"]
        if progression is None:
            second = TransplantOption.NOT_APPLICABLE
        else:
            ttp = round(months_between(autologous[-1], progression), 2)
            second = TransplantOption.SUGGESTED if ttp > limit + TOLERANCE else TransplantOption.NOT_SUGGESTED
            notes.append(Text(
                en=f"time to progression after transplant {ttp:.1f} months (needs > {limit:g} for {school.value})",
                zh=f"移植后至进展时间{ttp:.1f}个月(按{'NCCN' if school == School.NCCN else '欧洲专家'}标准需>{limit:g}个月)",
            ))
    else:
        second = TransplantOption.NOT_APPLICABLE
        first = TransplantOption.SUGGESTED if needs else TransplantOption.NOT_APPLICABLE
        rules.append("TX-ASCT1")
    rules.append("TX-ALLO")
    allo = "trial_only" if risk.overall == "high" and needs else "not_suggested"
    return TransplantOptions(first_asct=first, second_asct=second, allogeneic=allo, ttp_after_asct_months=ttp,
                             rules=["GOAL-FIT", *rules], notes=notes)
