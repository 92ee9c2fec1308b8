"""Seeded synthetic registry in the cohort's long format (issue 18): for tests and the benchmark.

``synthetic_registry(n_patients, visits=60, seed=0)`` returns the five tables as pandas frames:

- ``patients`` (patient_id, age, sex, weight_kg, ecog, isotype): IgG/IgA κ or λ, or light-chain
  myeloma (about one in five: dFLC is then the followed marker, MARKER-LC);
- ``labs`` (patient_id, date, analyte, value, unit): a visit every 3–5 weeks, ``visits`` visits;
  serum M-protein (reported 0 below 1 g/L; a few patients in g/dL), κ and λ free light chains
  (±25 % visit-to-visit noise, floor 0.6 mg/L), haemoglobin, creatinine, calcium every third visit,
  serum immunofixation when the spike reads 0; about 2 % of patients carry one ten-fold typing slip
  (DATA-IMPLAUSIBLE);
- ``lines`` (patient_id, start, end, regimen, drugs): 1–4 lines, each started at a regrowth; the
  drugs column is empty for a known regimen id and ``;``-separated for free text;
- ``events`` (a new bone lesion at a late regrowth for some) and ``transplants`` (an autologous
  transplant after the first line for some).

The tumour follows the model of tests/core/realworld.py: each line shrinks the burden by a random
depth, it plateaus, then regrows with a random doubling time (1.5–8 months). Every patient is drawn
from ``random.Random(seed * 1_000_003 + i)``: the same seed gives the same registry, and patient
``i`` does not depend on how many patients are drawn. Nothing here is a real patient.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

import pandas as pd

START = date(2015, 1, 5)
REGIMENS = ("VRd", "Rd", "Vd", "VTd", "CTd", "RCd", "KRd", "DRd")
FREE_TEXT = ("Dara-Pom-dex", "daratumumab;pomalidomide;dexamethasone")
ISOTYPES = ("IgG kappa", "IgG lambda", "IgA kappa", "kappa light chain", "lambda light chain")


def _patient(i: int, visits: int, seed: int) -> dict[str, list[dict]]:
    rng = random.Random(seed * 1_000_003 + i)
    pid = f"P{i:06d}"
    isotype = rng.choices(ISOTYPES, weights=(40, 15, 15, 15, 15))[0]
    light_chain = "light chain" in isotype
    involved = "kappa" if "kappa" in isotype else "lambda"
    offset = timedelta(days=rng.randint(0, 2000))
    days, t = [], 0
    for _ in range(visits):
        days.append(t)
        t += rng.randint(21, 35)
    horizon = days[-1]
    # Lines: the first at day 3; each next one starts at a regrowth (about 1.6x the nadir).
    depth = rng.choice((0.01, 0.05, 0.15, 0.4))
    dt_days = rng.uniform(45, 240)
    plateau = rng.uniform(60, 400)
    level, nadir = 1.0, None
    line_starts, burden = [3], []
    line_k, max_lines = 0, rng.randint(1, 4)
    for k, d in enumerate(days):
        since = d - line_starts[-1]
        if since < 0:
            since = 0
        if since <= 120:
            value = level * (1 - since / 120) + level * depth * since / 120
            nadir = level * depth
        elif since <= 120 + plateau:
            value = nadir
        else:
            value = nadir * math.pow(2.0, (since - 120 - plateau) / dt_days)
            if value >= 1.6 * nadir and value >= 0.15 and line_k + 1 < max_lines and k + 1 < len(days):
                line_k += 1
                line_starts.append(days[k + 1] - 1 if days[k + 1] - 1 > d else d + 1)
                level = max(value, 0.2)
                depth = rng.choice((0.05, 0.15, 0.4, 0.8))
                dt_days = rng.uniform(45, 240)
                plateau = rng.uniform(30, 300)
        burden.append(min(max(value, 1e-4), 2.0))

    def when(d: int) -> str:
        return (START + offset + timedelta(days=d)).isoformat()

    labs: list[dict] = []
    gdl = rng.random() < 0.1
    spike_scale = 6.0 if light_chain else rng.uniform(20, 50)
    flc_scale = rng.uniform(400, 2000) if light_chain else rng.uniform(50, 300)
    slip = rng.randrange(3, visits - 1) if visits > 5 and rng.random() < 0.02 else None
    for k, (d, b) in enumerate(zip(days, burden)):
        spike = spike_scale * b * math.exp(rng.uniform(-0.08, 0.08))
        spike = round(spike, 1) if spike >= 1.0 else 0.0
        if light_chain and spike < 2.0:
            spike = 0.0
        if gdl:
            labs.append({"date": when(d), "analyte": "serum_m_protein", "value": round(spike / 10, 2), "unit": "g/dL"})
        else:
            labs.append({"date": when(d), "analyte": "serum_m_protein", "value": spike, "unit": "g/L"})
        if spike == 0.0:
            ife = "positive" if b > 0.02 else "negative"
            labs.append({"date": when(d), "analyte": "serum_ife", "value": ife, "unit": None})
        inv = max(0.6, round((12.0 + flc_scale * b) * math.exp(rng.uniform(-0.25, 0.25)), 1))
        uninv = max(0.6, round(12.0 * math.exp(rng.uniform(-0.15, 0.15)), 1))
        if k == slip:
            inv = round(inv * 10 + 500, 1)  # a ten-fold typing slip, set aside by DATA-IMPLAUSIBLE
        kappa, lam = (inv, uninv) if involved == "kappa" else (uninv, inv)
        labs.append({"date": when(d), "analyte": "flc_kappa", "value": kappa, "unit": "mg/L"})
        labs.append({"date": when(d), "analyte": "flc_lambda", "value": lam, "unit": "mg/L"})
        labs.append({"date": when(d), "analyte": "hemoglobin", "value": round(120 * math.exp(rng.uniform(-.05, .05))),
                     "unit": "g/L"})
        labs.append({"date": when(d), "analyte": "creatinine", "value": round(85 * math.exp(rng.uniform(-.05, .05))),
                     "unit": "umol/L"})
        if k % 3 == 0:
            labs.append({"date": when(d), "analyte": "calcium", "value": round(2.35 * math.exp(rng.uniform(-.03, .03)), 2),
                         "unit": "mmol/L"})
    lines = []
    for j, s in enumerate(line_starts):
        nxt = line_starts[j + 1] if j + 1 < len(line_starts) else None
        length = rng.randint(120, 360)
        end = min(s + length, nxt - 1) if nxt is not None else s + length
        free = rng.random() < 0.15
        lines.append({"start": when(s), "end": when(end) if end <= horizon else None,
                      "regimen": FREE_TEXT[0] if free else REGIMENS[(i + j) % len(REGIMENS)],
                      "drugs": FREE_TEXT[1] if free else None})
    events, transplants = [], []
    if len(line_starts) > 1 and rng.random() < 0.15:
        events.append({"date": when(line_starts[-1] - 2), "kind": "new_bone_lesion"})
    if rng.random() < 0.3 and len(line_starts) > 0:
        tx = line_starts[0] + 150
        if tx < horizon and (len(line_starts) == 1 or tx < line_starts[1]):
            transplants.append({"date": when(tx), "type": "autologous"})
    patient = {"age": rng.randint(45, 85), "sex": rng.choice(("male", "female")),
               "weight_kg": rng.randint(50, 95), "ecog": rng.choice((0, 1, 1, 2)), "isotype": isotype}
    tag = {"patient_id": pid}
    return {"labs": [tag | r for r in labs], "lines": [tag | r for r in lines], "patients": [tag | patient],
            "events": [tag | r for r in events], "transplants": [tag | r for r in transplants]}


COLUMNS = {
    "labs": ["patient_id", "date", "analyte", "value", "unit"],
    "lines": ["patient_id", "start", "end", "regimen", "drugs"],
    "patients": ["patient_id", "age", "sex", "weight_kg", "ecog", "isotype"],
    "events": ["patient_id", "date", "kind"],
    "transplants": ["patient_id", "date", "type"],
}


def synthetic_registry(n_patients: int, visits: int = 60, seed: int = 0) -> dict[str, pd.DataFrame]:
    """The five long-format tables of ``n_patients`` synthetic patients (see the module docstring)."""
    rows: dict[str, list[dict]] = {k: [] for k in COLUMNS}
    for i in range(n_patients):
        for table, items in _patient(i, visits, seed).items():
            rows[table] += items
    out = {}
    for table, cols in COLUMNS.items():
        frame = pd.DataFrame(rows[table], columns=cols)
        if table == "labs":
            frame["value"] = frame["value"].astype(str)  # numbers and positive/negative in one text column
        out[table] = frame
    return out
