"""Data-quality warnings: valid values that look like a unit mix-up or a typing slip.

These are not clinical thresholds: they flag values implausible in the unit given (a
calcium of 10 "mmol/L" is almost surely mg/dL), so the clinician checks the entry. Each
warning names the field path, as a validation error would.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Final

from .assessment import Text
from .case import Case
from .rules import evaluates
from .thresholds import DATA_NOISE_SWING_FRACTION, DATA_NOISE_SWING_PCT, IMPLAUSIBLE_JUMP_FACTOR, TOLERANCE
from .units import Analyte, canonical_unit, to_canonical

# (analyte, low, high) in the canonical unit: outside this range a value is implausible and
# the likely cause is the unit named in the hint.
PLAUSIBLE: Final[dict[Analyte, tuple[float, float, str]]] = {
    Analyte.SERUM_M_PROTEIN: (0.0, 150.0, "g/dL entered as g/L?"),
    Analyte.CALCIUM: (1.0, 5.0, "mg/dL entered as mmol/L (or the reverse)?"),
    Analyte.HEMOGLOBIN: (30.0, 250.0, "g/dL entered as g/L?"),
    Analyte.CREATININE: (15.0, 2500.0, "mg/dL entered as µmol/L?"),
    Analyte.ALBUMIN: (10.0, 70.0, "g/dL entered as g/L?"),
    Analyte.BETA2_MICROGLOBULIN: (0.0, 100.0, "mg/dL instead of mg/L?"),
    Analyte.MARROW_PLASMA_CELLS: (0.0, 100.0, "a percentage above 100?"),
}


def same_day_duplicates(case: Case) -> list[Text]:
    """Two different values of one analyte on one date: both are used, lower first."""
    seen: dict[tuple[str, object], int] = {}
    out = []
    for i, lab in enumerate(case.labs):
        key = (lab.analyte.value, lab.date)
        if key in seen and case.labs[seen[key]].value != lab.value:
            j = seen[key]
            out.append(Text(
                en=f"labs[{j}] and labs[{i}]: two {lab.analyte.value} values on {lab.date.isoformat()} — "
                   "both are used, the lower first, and neither confirms the other (BIO-*: a later date confirms); "
                   "check for a duplicate entry",
                zh=f"labs[{j}]与labs[{i}]:{lab.date.isoformat()}有两个{lab.analyte.value}数值,均已采用"
                   "(较低者在前),同日数值不能互相确认进展(须后续日期确认),请核对是否重复录入",
            ))
        seen.setdefault(key, i)
    return out


# Markers judged for a ten-fold jump against both neighbours (DATA-IMPLAUSIBLE, ASSUME-IMPLAUSIBLE-SPIKE).
JUMP_ANALYTES: Final = frozenset({
    Analyte.SERUM_M_PROTEIN, Analyte.URINE_M_PROTEIN, Analyte.FLC_KAPPA, Analyte.FLC_LAMBDA,
    Analyte.HEMOGLOBIN, Analyte.CALCIUM, Analyte.CREATININE, Analyte.ALBUMIN, Analyte.BETA2_MICROGLOBULIN,
})


@dataclass(frozen=True, slots=True)
class Implausible:
    """A lab value set aside by DATA-IMPLAUSIBLE: where it is, what it says and why."""

    index: int
    field: str
    text: Text


@evaluates("DATA-IMPLAUSIBLE")
def implausible_labs(case: Case, as_of: date, canonical: dict[int, float] | None = None) -> list[Implausible]:
    """When a value is implausible in its unit, or jumps ten-fold against both neighbouring visits
    of the same marker (ASSUME-IMPLAUSIBLE-SPIKE), Then it is left out of every rule and fit and
    listed with its field, value and why (rules.md K, DATA-IMPLAUSIBLE).

    Only labs dated on or before ``as_of`` are judged, so a later value never changes the answer.
    ``canonical`` (lab index -> value in the canonical unit) spares a second conversion.
    """
    out: list[Implausible] = []
    kept: dict[Analyte, list[tuple[date, float, int]]] = {}
    for i, lab in enumerate(case.labs):
        if isinstance(lab.value, str) or lab.date > as_of:
            continue
        value = canonical[i] if canonical is not None else to_canonical(lab.analyte, lab.value, lab.unit)
        limits = PLAUSIBLE.get(lab.analyte)
        if limits is not None and not limits[0] <= value <= limits[1]:
            low, high, hint = limits
            unit = canonical_unit(lab.analyte)
            out.append(Implausible(i, f"labs[{i}].value", Text(
                en=f"labs[{i}].value: {lab.analyte.value} {lab.value:g} {lab.unit} is outside the plausible "
                   f"range {low:g}–{high:g} {unit} — {hint} Left out of every rule until corrected (DATA-IMPLAUSIBLE).",
                zh=f"labs[{i}].value:{lab.analyte.value} {lab.value:g} {lab.unit} 超出合理范围"
                   f"{low:g}–{high:g} {unit},请核对单位;更正前不参与任何规则判断(DATA-IMPLAUSIBLE)。",
            )))
            continue
        if lab.analyte in JUMP_ANALYTES:
            kept.setdefault(lab.analyte, []).append((lab.date, value, i))
    for analyte, values in kept.items():
        out += _isolated_jumps(case, analyte, values)
    return sorted(out, key=lambda x: x.index)


def _isolated_jumps(case: Case, analyte: Analyte, values: list[tuple[date, float, int]]) -> list[Implausible]:
    values.sort()
    positive = [v for _, v, _ in values if v > 0]
    if len(values) < 3 or not positive or max(positive) < IMPLAUSIBLE_JUMP_FACTOR * min(positive) - TOLERANCE:
        return []  # no two values are ten-fold apart: nothing can jump
    groups: list[list[tuple[float, int]]] = []
    last: date | None = None
    for when, value, i in values:
        if when == last:
            groups[-1].append((value, i))
        else:
            groups.append([(value, i)])
            last = when
    out = []
    lows = [min(v for v, _ in g) for g in groups]
    highs = [max(v for v, _ in g) for g in groups]
    for k in range(1, len(groups) - 1):
        here = groups[k]
        if len(here) != 1 or here[0][0] <= 0:
            continue  # a same-day pair is a duplicate question (quality warning), not a jump
        value, i = here[0]
        low, high = min(lows[k - 1], lows[k + 1]), max(highs[k - 1], highs[k + 1])
        if low <= 0:
            continue  # zero values are never judged by ratio
        up = value >= IMPLAUSIBLE_JUMP_FACTOR * high - TOLERANCE
        down = value * IMPLAUSIBLE_JUMP_FACTOR <= low + TOLERANCE
        if up or down:
            lab = case.labs[i]
            out.append(Implausible(i, f"labs[{i}].value", Text(
                en=f"labs[{i}].value: {analyte.value} {lab.value:g} {lab.unit} on {lab.date.isoformat()} is "
                   f"{IMPLAUSIBLE_JUMP_FACTOR:g}-fold {'above' if up else 'below'} both neighbouring visits — "
                   "left out of every rule until corrected or confirmed (DATA-IMPLAUSIBLE)",
                zh=f"labs[{i}].value:{lab.date.isoformat()}的{analyte.value} {lab.value:g} {lab.unit}"
                   f"与前后两次就诊相比均{'高' if up else '低'}出{IMPLAUSIBLE_JUMP_FACTOR:g}倍,"
                   "更正或确认前不参与任何规则判断(DATA-IMPLAUSIBLE)",
            )))
    return out


@dataclass(frozen=True, slots=True)
class NoisyMarker:
    marker: str
    dates: tuple[date, ...]
    text: Text


NOISE_MARKERS: Final = {"serum_m_protein": "serum M-protein", "urine_m_protein": "urine M-protein",
                        "dflc": "dFLC", "involved_flc": "involved FLC"}
_NOISE_ZH: Final = {"serum_m_protein": "血清M蛋白", "urine_m_protein": "尿M蛋白", "dflc": "dFLC",
                    "involved_flc": "受累游离轻链"}


@evaluates("DATA-NOISE")
def noisy_markers(series: Iterable[tuple[str, list[tuple[date, float]]]]) -> list[NoisyMarker]:
    """When a followed marker goes up then down (or down then up) by more than 25 % between
    consecutive visits and comes back near where it started, Then it is named as noisy with the visits concerned (rules.md J,
    DATA-NOISE); progression still needs two later-dated qualifying values."""
    out = []
    for marker, points in series:
        if marker not in NOISE_MARKERS:
            continue
        swings: list[date] = []
        for (d0, v0), (d1, v1), (d2, v2) in zip(points, points[1:], points[2:]):
            if v0 <= 0 or v1 <= 0:
                continue
            first = (v1 - v0) / v0
            second = (v2 - v1) / v1
            # A swing goes out and comes back (within 25 % of where it started): a nadir followed by
            # a real relapse (48 → 17 → 138) is a trend, not noise.
            back = abs(v2 - v0) <= DATA_NOISE_SWING_FRACTION * v0
            if abs(first) > DATA_NOISE_SWING_FRACTION and abs(second) > DATA_NOISE_SWING_FRACTION \
                    and first * second < 0 and back:
                swings += [d for d in (d0, d1, d2) if d not in swings]
        if swings:
            shown = ", ".join(d.isoformat() for d in swings[:6]) + (" …" if len(swings) > 6 else "")
            out.append(NoisyMarker(marker, tuple(swings), Text(
                en=f"{NOISE_MARKERS[marker]} swings up and down by more than {DATA_NOISE_SWING_PCT:g} % between "
                   f"visits ({shown}): a noisy marker — progression still needs two qualifying values on "
                   "different dates (DATA-NOISE)",
                zh=f"{_NOISE_ZH[marker]}在相邻就诊间反复升降超过{DATA_NOISE_SWING_PCT:g}%({shown}):指标波动大,"
                   "判定进展仍需不同日期连续两次达标(DATA-NOISE)",
            )))
    return out
