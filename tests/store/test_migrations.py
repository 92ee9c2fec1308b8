"""Alembic: a database of the previous schema (revision 1, as main wrote it before migrations)
upgrades on open and keeps every case, revision, draft and audit event — SQLite and PostgreSQL.

The revision-1 database is built here with its own DDL and plain SQL, not with today's code."""

from __future__ import annotations

import json

from sqlalchemy import create_engine, inspect, text

from casestore import CaseStore, Principal
from casestore.migrate import HEAD
from casestore.schema import metadata

V1_DDL = """
CREATE TABLE store_meta ("key" VARCHAR(64) NOT NULL, value VARCHAR(200) NOT NULL, PRIMARY KEY ("key"));
CREATE TABLE cases (
    case_id VARCHAR(64) NOT NULL, label VARCHAR(200), search VARCHAR(300) NOT NULL,
    head_revision INTEGER NOT NULL, created_at VARCHAR(40) NOT NULL, created_by VARCHAR(200) NOT NULL,
    updated_at VARCHAR(40) NOT NULL, updated_by VARCHAR(200) NOT NULL, archived BOOLEAN NOT NULL,
    status VARCHAR(40), PRIMARY KEY (case_id));
CREATE INDEX ix_cases_updated ON cases (archived, updated_at);
CREATE TABLE drafts (
    case_id VARCHAR(64) NOT NULL, user_name VARCHAR(200) NOT NULL, base_revision INTEGER,
    saved_at VARCHAR(40) NOT NULL, case_json TEXT NOT NULL, PRIMARY KEY (case_id, user_name));
CREATE TABLE revisions (
    case_id VARCHAR(64) NOT NULL, number INTEGER NOT NULL, created_at VARCHAR(40) NOT NULL,
    user_name VARCHAR(200) NOT NULL, action VARCHAR(20) NOT NULL, summary VARCHAR(300) NOT NULL,
    status VARCHAR(40), case_json TEXT NOT NULL, PRIMARY KEY (case_id, number),
    FOREIGN KEY(case_id) REFERENCES cases (case_id));
CREATE TABLE audit (
    id {serial} NOT NULL, case_id VARCHAR(64) NOT NULL, at VARCHAR(40) NOT NULL,
    user_name VARCHAR(200) NOT NULL, action VARCHAR(20) NOT NULL, detail VARCHAR(300) NOT NULL,
    PRIMARY KEY (id));
CREATE INDEX ix_audit_case ON audit (case_id, id);
"""


def _build_v1(url: str, examples: list[dict]) -> dict[str, list[dict]]:
    """A revision-1 database with three cases (one archived), 2–3 revisions each, a draft and
    audit events; returns {case_id: [case JSON of revision 1, 2, …]}."""
    engine = create_engine(url)
    serial = "SERIAL" if engine.dialect.name == "postgresql" else "INTEGER"
    written: dict[str, list[dict]] = {}
    with engine.begin() as conn:
        for statement in V1_DDL.format(serial=serial).split(";"):
            if statement.strip():
                conn.exec_driver_sql(statement)
        conn.execute(text("INSERT INTO store_meta (key, value) VALUES ('schema_version', '1')"))
        for index, case in enumerate(examples[:3]):
            bodies = [case] + [{**case, "label": f"{case.get('label')} v{n}"} for n in range(2, 3 + index % 2)]
            written[case["case_id"]] = bodies
            last = bodies[-1]
            conn.execute(text(
                "INSERT INTO cases VALUES (:id, :label, :search, :head, '2025-03-01T10:00:00+00:00', 'alice', "
                "'2025-03-02T10:00:00+00:00', 'bob', :archived, 'relapsed')"),
                {"id": case["case_id"], "label": last["label"], "search": last["label"].lower(),
                 "head": len(bodies), "archived": index == 2})
            for number, body in enumerate(bodies, start=1):
                conn.execute(text(
                    "INSERT INTO revisions VALUES (:id, :n, :at, :who, :action, 'label', NULL, :body)"),
                    {"id": case["case_id"], "n": number, "at": f"2025-03-0{number}T10:00:00+00:00",
                     "who": "alice" if number == 1 else "bob", "action": "create" if number == 1 else "save",
                     "body": json.dumps(body)})
        conn.execute(text("INSERT INTO drafts VALUES (:id, 'alice', 2, '2025-03-03T10:00:00+00:00', :body)"),
                     {"id": examples[0]["case_id"], "body": json.dumps({**examples[0], "label": "typing"})})
        conn.execute(text("INSERT INTO audit (case_id, at, user_name, action, detail) VALUES "
                          "(:id, '2025-03-04T10:00:00+00:00', 'bob', 'archive', ''), "
                          "(:id, '2025-03-05T10:00:00+00:00', 'bob', 'export', '')"),
                     {"id": examples[2]["case_id"]})
    engine.dispose()
    return written


def test_revision_1_database_upgrades_and_keeps_everything(store_url, examples, monkeypatch):
    monkeypatch.setenv("MMNAV_DEFAULT_TEAM", "haematology")
    written = _build_v1(store_url, examples)
    store = CaseStore.open(store_url)
    try:
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD
            assert "audit" not in inspect(conn).get_table_names()
        team = Principal("h@hosp", "reviewer", ("haematology",))
        assert sorted(store.all_case_ids(who=team)) == sorted(written)
        for case_id, bodies in written.items():
            history = store.history(case_id, who=team)
            assert [r.number for r in history] == list(range(len(bodies), 0, -1))
            for number, body in enumerate(bodies, start=1):
                assert store.load(case_id, revision=number, who=team).case_json == body
            assert history[-1].user == "alice" and not history[-1].imported
            assert store.get(case_id, who=team).team == "haematology"
        assert store.get(examples[2]["case_id"]).archived
        assert store.load_draft(examples[0]["case_id"], "alice").case_json["label"] == "typing"
        # The old audit events lead the hash chain, followed by the migration itself.
        rows = store.audit_rows()
        assert [(r.action, r.who, r.case_id) for r in rows] == [
            ("archive", "bob", examples[2]["case_id"]), ("export", "bob", examples[2]["case_id"]),
            ("migrate", "system", None)]
        assert store.verify_chain().ok
        # And the upgraded store works: a save on top, chained.
        case_id = examples[0]["case_id"]
        editor = Principal("e@hosp", "clinician", ("haematology",))
        rev = store.save(case_id, {**examples[0], "label": "after"}, editor, expected_revision=2)
        assert rev.number == 3 and store.verify_chain().rows == 4
    finally:
        store.close()
    again = CaseStore.open(store_url)  # opening an up-to-date store changes nothing
    try:
        assert again.verify_chain().rows == 4
    finally:
        again.close()


def test_the_migrations_build_exactly_the_schema_of_the_code(store_url):
    """A fresh database (built by running every revision) has no difference from schema.py."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    store = CaseStore.open(store_url)
    try:
        with store.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
        assert diff == []
    finally:
        store.close()


def test_a_database_of_a_newer_version_is_refused(store_url):
    import pytest

    from casestore.migrate import NewerSchema

    CaseStore.open(store_url).close()
    engine = create_engine(store_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(NewerSchema, match="9999"):
        CaseStore.open(store_url)
