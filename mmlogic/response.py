"""Measurable disease and IMWG response of a therapy line (rules.md section B; RESP-*).

Baseline = the last value on or before the start of the line's course (a continuation line
keeps its course's baseline); the response window runs from the line's start to the start of
the next line (or ``as_of``). The best response is the deepest category reached on every
measurable marker at once; its date is the first date it was reached. CR comes from
immunofixation (ASSUME-CR-IFE). With no measurable marker the response is unknown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .case import Response
from .observations import Observations
from .rules import evaluates
from .thresholds import (
    FLC_RATIO_NORMAL_HIGH,
    FLC_RATIO_NORMAL_LOW,
    MEASURABLE_INVOLVED_FLC_MG_L,
    MEASURABLE_SERUM_M_G_L,
    MEASURABLE_URINE_M_MG_24H,
    RESP_CR_MARROW_PC_MAX_PCT,
    RESP_DFLC_PR_REDUCTION,
    RESP_DFLC_VGPR_REDUCTION,
    RESP_SERUM_MR_REDUCTION,
    RESP_SERUM_PR_REDUCTION,
    RESP_SERUM_VGPR_REDUCTION,
    RESP_URINE_MR_REDUCTION,
    RESP_URINE_PR_MAX_MG,
    RESP_URINE_PR_REDUCTION,
    RESP_URINE_VGPR_MAX_MG,
    TOLERANCE,
)

# Ordered from worst to best, as admiralonco orders IMWG responses.
RESPONSE_ORDER: tuple[Response, ...] = (
    Response.PD,
    Response.SD,
    Response.MR,
    Response.PR,
    Response.VGPR,
    Response.CR,
)
_RANK = {r: i for i, r in enumerate(RESPONSE_ORDER)}
RESPONSE_RULE = {
    Response.CR: "RESP-CR",
    Response.VGPR: "RESP-VGPR",
    Response.PR: "RESP-PR",
    Response.MR: "RESP-MR",
    Response.SD: "RESP-SD",
    Response.PD: "RESP-SD",
}


def response_rank(response: Response) -> int:
    return _RANK[response]


def at_least(response: Response | None, floor: Response) -> bool:
    return response is not None and _RANK[response] >= _RANK[floor]


@dataclass(frozen=True, slots=True)
class Measurable:
    """Which markers carry measurable disease at a baseline (IMWG)."""

    serum: bool
    urine: bool
    flc: bool
    # Light-chain myeloma: dFLC is followed alongside any measurable spike (MARKER-LC).
    light_chain: bool = False

    @property
    def markers(self) -> tuple[str, ...]:
        # dFLC is used only when neither M-protein is measurable (RESP table, BIO-FLC), except in
        # light-chain disease, where it is the tumour marker itself (MARKER-LC, ASSUME-LC-MARKER).
        chosen = tuple(m for m, ok in (("serum_m_protein", self.serum), ("urine_m_protein", self.urine)) if ok)
        if self.flc and (not chosen or self.light_chain):
            return (*chosen, "dflc")
        return chosen

    @property
    def m_protein(self) -> bool:
        return self.serum or self.urine


def flc_ratio_abnormal(ratio: float) -> bool:
    return ratio < FLC_RATIO_NORMAL_LOW or ratio > FLC_RATIO_NORMAL_HIGH


def measurable_at(obs: Observations, when: date) -> Measurable:
    """Measurable disease judged on the last values on or before ``when``."""
    key = ("measurable", when)
    found = obs.memo.get(key)
    if not isinstance(found, Measurable):
        found = obs.memo[key] = _measurable_at(obs, when)
    return found


def _measurable_at(obs: Observations, when: date) -> Measurable:
    serum = obs.series("serum_m_protein").last_on_or_before(when)
    urine = obs.series("urine_m_protein").last_on_or_before(when)
    involved = obs.series("involved_flc").last_on_or_before(when)
    ratio = obs.series("flc_ratio").last_on_or_before(when)
    flc = (
        involved is not None
        and involved.value >= MEASURABLE_INVOLVED_FLC_MG_L - TOLERANCE
        and ratio is not None
        and ratio.date == involved.date
        and flc_ratio_abnormal(ratio.value)
    )
    return Measurable(
        serum=serum is not None and serum.value >= MEASURABLE_SERUM_M_G_L - TOLERANCE,
        urine=urine is not None and urine.value >= MEASURABLE_URINE_M_MG_24H - TOLERANCE,
        flc=flc,
        light_chain=obs.light_chain_disease,
    )


def _reduction(baseline: float, value: float) -> float:
    return 1.0 - value / baseline if baseline > 0 else 0.0


def serum_category(baseline: float, value: float) -> Response:
    reduction = _reduction(baseline, value)
    # SPEP-negative (0) with IFE still positive is VGPR; a 0 here also meets ≥ 90 %.
    if reduction >= RESP_SERUM_VGPR_REDUCTION - TOLERANCE:
        return Response.VGPR
    if reduction >= RESP_SERUM_PR_REDUCTION - TOLERANCE:
        return Response.PR
    if reduction >= RESP_SERUM_MR_REDUCTION - TOLERANCE:
        return Response.MR
    return Response.SD


def urine_category(baseline: float, value: float) -> Response:
    reduction = _reduction(baseline, value)
    if value < RESP_URINE_VGPR_MAX_MG:
        return Response.VGPR
    if reduction >= RESP_URINE_PR_REDUCTION - TOLERANCE or value < RESP_URINE_PR_MAX_MG:
        return Response.PR
    if reduction >= RESP_URINE_MR_REDUCTION - TOLERANCE:
        return Response.MR
    return Response.SD


def dflc_category(baseline: float, value: float) -> Response:
    reduction = _reduction(baseline, value)
    if reduction >= RESP_DFLC_VGPR_REDUCTION - TOLERANCE:
        return Response.VGPR
    if reduction >= RESP_DFLC_PR_REDUCTION - TOLERANCE:
        return Response.PR
    return Response.SD  # IMWG defines no MR on dFLC


_CATEGORY = {"serum_m_protein": serum_category, "urine_m_protein": urine_category, "dflc": dflc_category}


@dataclass(frozen=True, slots=True)
class LineResponse:
    best: Response | None
    date: date | None
    marker: str | None


def _first_cr(obs: Observations, after: date, until: date) -> date | None:
    """First date with negative serum IFE, urine IFE negative when measured, marrow < 5 % when recorded."""
    serum = [(d, pos) for d, pos in obs.qualitative.get("serum_ife", ()) if after < d <= until]
    urine = [(d, pos) for d, pos in obs.qualitative.get("urine_ife", ()) if after < d <= until]
    marrow = obs.series("marrow_plasma_cells").between(after, until)
    candidates = sorted({d for d, _ in serum} | {d for d, _ in urine} | {p.date for p in marrow})
    for when in candidates:
        s = [pos for d, pos in serum if d <= when]
        if not s or s[-1]:
            continue
        u = [pos for d, pos in urine if d <= when]
        if u and u[-1]:
            continue
        m = [p.value for p in marrow if p.date <= when]
        if m and m[-1] >= RESP_CR_MARROW_PC_MAX_PCT:
            continue
        return when
    return None


@evaluates("RESP-CR", "RESP-VGPR", "RESP-PR", "RESP-MR", "RESP-SD")
def best_response(obs: Observations, baseline_date: date, after: date, until: date) -> LineResponse:
    """Deepest IMWG response reached in (after, until], against the baseline at ``baseline_date``."""
    cr = _first_cr(obs, after, until)
    if cr is not None:
        return LineResponse(Response.CR, cr, "immunofixation")
    measurable = measurable_at(obs, baseline_date)
    baselines = {}
    for marker in measurable.markers:
        point = obs.series(marker).last_on_or_before(baseline_date)
        if point is not None:
            baselines[marker] = point.value
    if not baselines:
        return LineResponse(None, None, None)
    events = sorted(
        (p.date, marker, p.value) for marker in baselines for p in obs.series(marker).between(after, until)
    )
    latest: dict[str, Response] = {}
    best, best_date = Response.SD, None
    for when, marker, value in events:
        latest[marker] = _CATEGORY[marker](baselines[marker], value)
        overall = min(latest.values(), key=response_rank)
        if response_rank(overall) > response_rank(best):
            best, best_date = overall, when
    marker = "+".join(baselines)
    return LineResponse(best, best_date, marker)
