"""Reading the registry's long-format tables and writing the outputs, with DuckDB (issue 18).

Every input column is read as text (CSV ``all_varchar``; Parquet columns cast to VARCHAR) so that
no value is coerced before the per-patient validation in ``mmlogic.cohort.tables`` names it.
A missing file or a missing required column stops the run (exit 2); everything else is a problem
of one patient.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd

REQUIRED = {
    "labs": ("patient_id", "date", "analyte", "value", "unit"),
    "lines": ("patient_id", "start", "end", "regimen", "drugs"),
    "patients": ("patient_id",),
    "events": ("patient_id", "date", "kind"),
    "transplants": ("patient_id", "date", "type"),
}


class InputError(ValueError):
    """A table that cannot be read at all (missing file, unknown format, missing column)."""


def read_table(path: str | Path, table: str) -> pd.DataFrame:
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{table}: no such file {path}")
    suffix = path.suffix.lower()
    con = duckdb.connect()
    try:
        if suffix == ".csv":
            rel = con.sql("SELECT * FROM read_csv(?, header = true, all_varchar = true)", params=[str(path)])
        elif suffix in (".parquet", ".pq"):
            rel = con.sql("SELECT * FROM read_parquet(?)", params=[str(path)])
            rel = rel.select(", ".join(f'CAST("{c}" AS VARCHAR) AS "{c}"' for c in rel.columns))
        else:
            raise InputError(f"{table}: {path.name} is neither .csv nor .parquet")
        frame = rel.df()
    except duckdb.Error as error:
        raise InputError(f"{table}: cannot read {path.name}: {error}") from None
    finally:
        con.close()
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in REQUIRED[table] if c not in frame.columns]
    if missing:
        raise InputError(f"{table}: {path.name} lacks the column(s) {', '.join(missing)}")
    return frame


def unified(tables: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, list[str]]:
    """All tables as one frame of (patient_id, table, row, payload) and the rows without a patient id."""
    parts, orphans = [], []
    for table, frame in tables.items():
        frame = frame.astype(object).where(frame.notna(), None)
        rows = pd.RangeIndex(1, len(frame) + 1)
        pid = frame["patient_id"].map(lambda v: None if v is None or not str(v).strip() else str(v).strip())
        payload = [json.dumps(r, ensure_ascii=False) for r in frame.drop(columns=["patient_id"]).to_dict("records")]
        part = pd.DataFrame({"patient_id": pid, "table": table, "row": rows, "payload": payload})
        orphans += [f"{table} row {n}: no patient_id" for n in part.loc[part["patient_id"].isna(), "row"]]
        parts.append(part[part["patient_id"].notna()])
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["patient_id", "table", "row", "payload"])
    out["row"] = out["row"].astype("int64")
    return out, orphans


_SQL = {
    "visits": """SELECT CAST(patient_id AS VARCHAR) AS patient_id, CAST(date AS DATE) AS date, CAST(line_index AS INTEGER) AS line_index,
                 CAST(response AS VARCHAR) AS response, CAST(progression AS BOOLEAN) AS progression, CAST(progression_confirmed AS BOOLEAN) AS progression_confirmed, CAST(timing AS VARCHAR) AS timing,
                 CAST(from_json(rules, '["VARCHAR"]') AS VARCHAR[]) AS rules FROM frame ORDER BY patient_id, date""",
    "lines": """SELECT CAST(patient_id AS VARCHAR) AS patient_id, CAST(line_index AS INTEGER) AS line_index, CAST(regimen AS VARCHAR) AS regimen, CAST(from_json(drugs, '["VARCHAR"]') AS VARCHAR[]) AS drugs,
                CAST(start AS DATE) AS start, CAST("end" AS DATE) AS "end", CAST(salvage AS BOOLEAN) AS salvage,
                CAST(best_response AS VARCHAR) AS best_response, CAST(response_date AS DATE) AS response_date,
                CAST(progression_date AS DATE) AS progression_date, CAST(ttp_days AS INTEGER) AS ttp_days,
                CAST(followup_days AS INTEGER) AS followup_days, CAST(progressed AS BOOLEAN) AS progressed, CAST(refractory AS BOOLEAN) AS refractory
                FROM frame ORDER BY patient_id, line_index""",
    "patients": """SELECT CAST(patient_id AS VARCHAR) AS patient_id, CAST(as_of AS DATE) AS as_of, CAST(visits AS INTEGER) AS visits,
                   CAST(first_visit AS DATE) AS first_visit, CAST(status AS VARCHAR) AS status, CAST(from_json(status_rules, '["VARCHAR"]') AS VARCHAR[]) AS status_rules,
                   CAST(biochemical_relapse AS BOOLEAN) AS biochemical_relapse, CAST(clinical_relapse AS BOOLEAN) AS clinical_relapse, CAST(relapse_date AS DATE) AS relapse_date,
                   CAST(from_json(relapse_kinds, '["VARCHAR"]') AS VARCHAR[]) AS relapse_kinds, CAST(timing AS VARCHAR) AS timing,
                   CAST(lines AS INTEGER) AS lines, CAST(prior_lines AS INTEGER) AS prior_lines,
                   CAST(from_json(refractory_drugs, '["VARCHAR"]') AS VARCHAR[]) AS refractory_drugs,
                   CAST(from_json(exposed_drugs, '["VARCHAR"]') AS VARCHAR[]) AS exposed_drugs, CAST(triple_class_exposed AS BOOLEAN) AS triple_class_exposed,
                   CAST(triple_class_refractory AS BOOLEAN) AS triple_class_refractory, CAST(penta_refractory AS BOOLEAN) AS penta_refractory FROM frame ORDER BY patient_id""",
    "problems": """SELECT CAST(patient_id AS VARCHAR) AS patient_id, CAST(from_json(problems, '["VARCHAR"]') AS VARCHAR[]) AS problems
                   FROM frame ORDER BY patient_id""",
}
COLUMNS = {
    "visits": ["patient_id", "date", "line_index", "response", "progression", "progression_confirmed", "timing",
               "rules"],
    "lines": ["patient_id", "line_index", "regimen", "drugs", "start", "end", "salvage", "best_response",
              "response_date", "progression_date", "ttp_days", "followup_days", "progressed", "refractory"],
    "patients": ["patient_id", "as_of", "visits", "first_visit", "status", "status_rules", "biochemical_relapse",
                 "clinical_relapse", "relapse_date", "relapse_kinds", "timing", "lines", "prior_lines",
                 "refractory_drugs", "exposed_drugs", "triple_class_exposed", "triple_class_refractory",
                 "penta_refractory"],
    "problems": ["patient_id", "problems"],
}


def frames_from_output(out: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The engines' (patient_id, table, payload) rows as one frame per output table."""
    frames = {}
    for table, cols in COLUMNS.items():
        items = [json.loads(p) for p in out.loc[out["table"] == table, "payload"]]
        frames[table] = pd.DataFrame(items, columns=cols)
    return frames


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Explicit pandas dtypes. DuckDB types an object column from its first rows: a column empty
    there (a response date, an empty rules list) would become NULL-typed and fail on a later value.
    Lists travel as JSON text (read back with from_json in the SQL)."""
    frame = frame.copy()
    for column in frame.columns:
        values = frame[column]
        if values.dtype != object:
            continue
        if values.map(lambda v: isinstance(v, (list, tuple))).any():
            frame[column] = values.map(lambda v: None if v is None else json.dumps(list(v))).astype("string")
        elif values.map(lambda v: v is None or isinstance(v, str)).all():
            frame[column] = values.astype("string")
        elif values.map(lambda v: v is None or isinstance(v, bool)).all():
            frame[column] = values.astype("boolean")
        else:
            frame[column] = pd.to_numeric(values).astype("Int64")
    return frame


def write_outputs(frames: dict[str, pd.DataFrame], out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    try:
        for table, sql in _SQL.items():
            frame = _typed(frames[table])  # noqa: F841  (DuckDB reads the local pandas frame by name)
            con.sql(f"COPY ({sql}) TO '{(out_dir / f'{table}.parquet').as_posix()}' (FORMAT parquet)")
    finally:
        con.close()
    with open(out_dir / "problems.txt", "w", encoding="utf-8") as fh:
        for pid, problems in zip(frames["problems"]["patient_id"], frames["problems"]["problems"]):
            for p in problems:
                fh.write(f"{pid}: {p}\n")


def read_output(out_dir: Path, table: str) -> pd.DataFrame:
    con = duckdb.connect()
    try:
        return con.sql("SELECT * FROM read_parquet(?)", params=[str(out_dir / f"{table}.parquet")]).df()
    finally:
        con.close()
