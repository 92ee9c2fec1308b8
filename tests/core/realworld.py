"""Seeded synthetic long histories that behave like hospital laboratory data (issue 12, rules.md J).

``long_history(seed, kind)`` returns a valid case dict of 7–10 years: a visit every 3–6 weeks
(100+ visits), 6–8 lines of therapy each started at a progression, free light chains swinging
±40 % from visit to visit, electrophoresis spikes that read 0 near the detection limit, light
chains at the assay's floor, same-day duplicates, and — depending on ``kind`` — light-chain disease
with a small spike, light-chain escape, reappearance after a spike of 0, an accelerating rise after a
long plateau, or stable kidney damage. Nothing here is a real patient.

The tumour follows a simple model: each line shrinks it by a random depth, it stays on a plateau,
then regrows with a random doubling time; markers are the burden times a scale, plus noise.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from typing import Any

KINDS = ("heavy", "light_chain", "escape", "reappear", "accelerating", "ckd")
REGIMENS = ("VRd", "Rd", "Vd", "VTd", "CTd", "RCd", "MPT", "VBd", "Td")
START = date(2014, 1, 6)
SPEP_DETECTION_G_L = 1.0  # below this the lab reports the spike as 0
FLC_FLOOR_MG_L = 0.6  # the assay's lower limit: lower values are reported at the floor


def _visit_days(rng: random.Random, years: float) -> list[int]:
    days, t = [], 0
    while t < years * 365:
        days.append(t)
        t += rng.randint(14, 35)
    return days


def _burden(rng: random.Random, days: list[int], n_lines: int) -> tuple[list[float], list[tuple[int, int]]]:
    """Relative tumour burden per visit (1.0 = diagnosis) and the (start, end) day of each line."""
    horizon = days[-1]
    starts = sorted(rng.sample(range(20, horizon - 120), n_lines - 1))
    starts = [3] + [s for s in starts]
    lines = []
    for i, s in enumerate(starts):
        nxt = starts[i + 1] if i + 1 < len(starts) else horizon + 1
        lines.append((s, min(nxt - 1, s + rng.randint(120, 400))))
    # Depth of each line's response: the first is deep (the spike reads 0), later ones shallower.
    depths = [0.01] + [rng.choice((0.01, 0.03, 0.08, 0.2, 0.4)) for _ in starts[1:]]
    burden, level = [], 1.0
    k = 0
    nadir_level = 1.0
    for d in days:
        while k + 1 < len(starts) and d >= starts[k + 1]:
            k += 1
            level = max(level, 0.2)
        s, _ = lines[k]
        since = d - s
        depth = depths[k]
        fall_days = 120.0
        plateau_days = 200.0
        if since <= fall_days:
            frac = since / fall_days
            value = level * (1 - frac) + level * depth * frac
            nadir_level = level * depth
        elif since <= fall_days + plateau_days:
            value = nadir_level
        else:
            dt = 60 + (k * 37 % 5) * 40
            value = nadir_level * math.pow(2.0, (since - fall_days - plateau_days) / dt)
        burden.append(min(max(value, 1e-4), 2.2))  # a burden beyond ~90 g/L of spike is not seen
    return burden, lines


def _noisy(rng: random.Random, value: float, swing: float) -> float:
    return value * math.exp(rng.uniform(-swing, swing))


def long_history(seed: int, kind: str = "heavy") -> dict[str, Any]:
    """One synthetic hospital history (see the module docstring); valid for ``parse_case``."""
    rng = random.Random(seed)
    years = rng.uniform(7, 10)
    days = _visit_days(rng, years)
    n_lines = rng.randint(6, 8)
    burden, lines = _burden(rng, days, n_lines)
    light_chain = kind == "light_chain"
    isotype = "kappa light chain" if light_chain else "IgG kappa"
    spike_scale = 8.0 if light_chain else 40.0  # g/L at diagnosis: a small spike in light-chain disease
    flc_scale = 1500.0 if light_chain or kind == "escape" else 180.0
    labs: list[dict[str, Any]] = []

    def add(d: int, analyte: str, value: Any, unit: str | None) -> None:
        row = {"date": (START + timedelta(days=d)).isoformat(), "analyte": analyte, "value": value}
        if unit:
            row["unit"] = unit
        labs.append(row)

    rise_from = len(days) - 3
    for i, (d, b) in enumerate(zip(days, burden)):
        if kind == "accelerating" and i >= rise_from - 8:
            # a plateau of eight visits, then a rise that accelerates over the last three
            b = min(max(burden[rise_from - 9], 0.2), 0.4) * (1.0 if i < rise_from else 1.7 ** (i - rise_from + 1))
        spike = spike_scale * b
        if kind == "escape" and i > len(days) // 2:
            spike = min(spike, 3.0)  # the spike stays low while the light chain escapes
        if kind == "reappear" and len(days) // 3 < i < len(days) // 2:
            spike = 0.0
        spike_shown = round(_noisy(rng, spike, 0.08), 1)
        add(d, "serum_m_protein", spike_shown if spike_shown >= SPEP_DETECTION_G_L else 0.0, "g/L")
        kappa = max(FLC_FLOOR_MG_L, round(_noisy(rng, 12.0 + flc_scale * b, 0.4), 1))
        lam = max(FLC_FLOOR_MG_L, round(_noisy(rng, 12.0, 0.2), 1))
        add(d, "flc_kappa", kappa, "mg/L")
        add(d, "flc_lambda", lam, "mg/L")
        creat = 190.0 if kind == "ckd" else 80.0
        add(d, "creatinine", round(_noisy(rng, creat, 0.05)), "umol/L")
        add(d, "hemoglobin", round(_noisy(rng, 118.0, 0.05)), "g/L")
        if rng.random() < 0.04:  # a same-day duplicate, slightly different
            add(d, "serum_m_protein", round(spike_shown * 1.05, 1) if spike_shown >= 1 else 0.0, "g/L")
    therapy = []
    for j, (s, e) in enumerate(lines):
        end = START + timedelta(days=e)
        last = START + timedelta(days=days[-1])
        therapy.append({
            "regimen": REGIMENS[(seed + j) % len(REGIMENS)],
            "drugs": None,
            "start": (START + timedelta(days=s)).isoformat(),
            "end": end.isoformat() if end <= last else None,
        })
    return {
        "schema_version": 1,
        "case_id": f"rw-{kind}-{seed}",
        "patient": {"age": 58, "sex": "female", "weight_kg": 62, "ecog": 1},
        "disease": {"isotype": isotype, "cytogenetics": {"tested": False, "findings": []}},
        "comorbidities": {},
        "labs": labs,
        "events": [],
        "therapy_lines": therapy,
        "transplants": [],
    }
