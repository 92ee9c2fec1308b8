"""The case store: every save a new revision, nothing overwritten, conflicts detected.

One code path (SQLAlchemy Core) for the embedded SQLite file and for PostgreSQL. Each write is
one transaction. SQLite runs in WAL mode with ``synchronous=FULL`` (an acknowledged save is on
disk), foreign keys on, and write transactions start with ``BEGIN IMMEDIATE`` so two writers
queue instead of failing halfway.

Optimistic concurrency: a save names the revision it started from; the head is moved with
``UPDATE cases SET head_revision = expected + 1 WHERE head_revision = expected``; when no row
moves, someone saved first and ``RevisionConflict`` carries their revision so the page can ask.

Access (``casestore.access``): every method takes the acting user — a ``Principal`` (user, role,
teams) from the app, or a plain name for the trusted local caller. A case of another team is
``CaseNotFound``; a role that may not do something gets ``PermissionDenied``. Every change, and
every view / export / sign-in / report print the app reports, is a row of the hash-chained audit
trail (``casestore.audit``), written in the same transaction as the change.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, create_engine, delete, event, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.pool import StaticPool

from . import audit as trail
from . import schema as t
from .access import CLINICIAN, TEACHER, Principal
from .changes import summarize_changes
from .config import DEFAULT_TEAM, StoreConfig, normalise_url
from .errors import (
    CaseExists,
    CaseNotFound,
    PermissionDenied,
    RevisionConflict,
    RevisionNotFound,
    UploadRejected,
)
from .models import AuditEvent, CaseRecord, CaseSummary, Draft, Revision, StoredCase
from .names import check_case_id, new_case_id
from mmlogic.limits import MAX_INPUT_BYTES

# One size for every way a case enters or is kept (mmlogic/limits.py): a case the app can load is a
# case it can save and autosave (issue #16: a 2–5 MB case used to load and then lose its drafts).
MAX_CASE_BYTES = MAX_INPUT_BYTES
LABEL_MAX = 200
USER_MAX = 200
LIST_LIMIT_MAX = 500


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def dump_case(case_json: Any) -> str:
    """Strict JSON text of a case (no NaN/Infinity), or ``UploadRejected`` saying why not."""
    if not isinstance(case_json, dict):
        raise UploadRejected([f"a case must be a JSON object (got {type(case_json).__name__})"])
    try:
        text_ = json.dumps(case_json, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError, RecursionError) as error:
        raise UploadRejected([f"the case is not plain JSON data: {error}"]) from None
    if len(text_.encode("utf-8")) > MAX_CASE_BYTES:
        raise UploadRejected([f"the case is larger than {MAX_CASE_BYTES // 1000} kB"])
    return text_


def _case_id_of(case_json: dict[str, Any]) -> str:
    return check_case_id(case_json.get("case_id"))


def _label_of(case_json: dict[str, Any]) -> str | None:
    label = case_json.get("label")
    return label[:LABEL_MAX] if isinstance(label, str) and label else None


def _user(user: str) -> str:
    if not isinstance(user, str) or not user.strip():
        raise ValueError("every change needs the name of the user who made it")
    return user.strip()[:USER_MAX]


#: Between a user's name and the draft slot in ``drafts.user_name``: a user has one draft per
#: browser session (and one per "keep mine as a draft"), so no session overwrites or deletes
#: another's unsaved work (issue #13). No migration needed: the column holds both parts.
DRAFT_SLOT_SEP = "\x1f"
SLOT_MAX = 40


def _draft_owner(user: str, slot: str) -> str:
    user = _user(user)
    if not slot:
        return user
    return f"{user[:USER_MAX - SLOT_MAX - 1]}{DRAFT_SLOT_SEP}{slot[:SLOT_MAX]}"


def _draft(row: Any) -> Draft:
    user, _, slot = row.user_name.partition(DRAFT_SLOT_SEP)
    return Draft(row.case_id, user, row.base_revision, row.saved_at, json.loads(row.case_json), slot)


#: Who acts: a principal from the app, or a plain name (the trusted local caller: all teams).
Who = str | Principal


@dataclass(frozen=True, slots=True)
class _Actor:
    name: str
    role: str
    teams: frozenset[str] | None  # None: every team (trusted local caller)
    home: str | None

    def need_read(self, operation: str) -> None:
        if self.role == TEACHER:
            raise PermissionDenied(self.role, operation)

    def need_edit(self, operation: str) -> None:
        if self.role != CLINICIAN:
            raise PermissionDenied(self.role, operation)

    def visible(self, stmt: Any) -> Any:
        return stmt if self.teams is None else stmt.where(t.cases.c.team.in_(sorted(self.teams)))


def _escape_like(text_: str) -> str:
    return text_.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (below)
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


class CaseStore:
    """The patient case library. Open with ``CaseStore.open()`` (configuration from the
    environment) or ``CaseStore.open(url)``; every method is one transaction. Opening upgrades
    the schema to the newest migration (``casestore.migrate``)."""

    def __init__(self, engine: Engine, clock: Callable[[], str] = _now, *, default_team: str | None = None):
        from .migrate import upgrade

        self.engine = engine
        self._clock = clock
        self.is_sqlite = engine.dialect.name == "sqlite"
        self.default_team = (default_team or StoreConfig.from_env().default_team or DEFAULT_TEAM)[:100]
        upgrade(engine, self.default_team)

    # ---- opening ---------------------------------------------------------------------------

    @classmethod
    def open(cls, url: str | None = None, **kwargs: Any) -> "CaseStore":
        """Open (and create when new) the store at ``url``, or the configured one."""
        url = normalise_url(url) if url else StoreConfig.from_env().url()
        if url.startswith("sqlite"):
            memory = url in ("sqlite://", "sqlite:///:memory:")
            engine = create_engine(
                url,
                connect_args={"check_same_thread": False, "timeout": 10},
                **({"poolclass": StaticPool} if memory else {}),
            )
            _sqlite_pragmas(engine)
        else:
            engine = create_engine(url, pool_pre_ping=True)
        return cls(engine, **kwargs)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            if self.is_sqlite:
                conn = conn.execution_options(sqlite_begin="IMMEDIATE")
            with conn.begin():
                yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    def _actor(self, who: Who) -> _Actor:
        if isinstance(who, Principal):
            return _Actor(_user(who.user), who.role, frozenset(who.teams), who.home_team)
        return _Actor(_user(who), CLINICIAN, None, self.default_team)

    def _team_for_new(self, actor: _Actor, team: str | None) -> str:
        chosen = team or actor.home
        if not chosen or (actor.teams is not None and chosen not in actor.teams):
            raise PermissionDenied(actor.role, f"create a case in team {chosen!r}")
        return chosen[:100]

    # ---- rows → records --------------------------------------------------------------------

    @staticmethod
    def _record(row: Any) -> CaseRecord:
        return CaseRecord(
            case_id=row.case_id, label=row.label, head_revision=row.head_revision,
            created_at=row.created_at, created_by=row.created_by, updated_at=row.updated_at,
            updated_by=row.updated_by, archived=bool(row.archived), status=row.status, team=row.team,
        )

    @staticmethod
    def _revision(row: Any) -> Revision:
        return Revision(
            case_id=row.case_id, number=row.number, created_at=row.created_at, user=row.user_name,
            action=row.action, summary=row.summary, status=row.status,
            imported_by=row.imported_by, imported_at=row.imported_at, claimed_by=row.claimed_by,
            claimed_at=row.claimed_at, claimed_action=row.claimed_action,
        )

    _REV_COLS = (
        t.revisions.c.case_id, t.revisions.c.number, t.revisions.c.created_at,
        t.revisions.c.user_name, t.revisions.c.action, t.revisions.c.summary, t.revisions.c.status,
        t.revisions.c.imported_by, t.revisions.c.imported_at, t.revisions.c.claimed_by,
        t.revisions.c.claimed_at, t.revisions.c.claimed_action,
    )

    def _get_record(self, conn: Connection, case_id: str, actor: _Actor | None = None) -> CaseRecord:
        stmt = select(t.cases).where(t.cases.c.case_id == case_id)
        if actor is not None:
            stmt = actor.visible(stmt)
        row = conn.execute(stmt).first()
        if row is None:  # missing, or another team's: the same answer
            raise CaseNotFound(case_id)
        return self._record(row)

    def _get_revision(self, conn: Connection, case_id: str, number: int) -> tuple[Revision, str]:
        row = conn.execute(
            select(*self._REV_COLS, t.revisions.c.case_json).where(
                t.revisions.c.case_id == case_id, t.revisions.c.number == number
            )
        ).first()
        if row is None:
            raise RevisionNotFound(case_id, number)
        return self._revision(row), row.case_json

    def _audit(self, conn: Connection, actor: _Actor | str, action: str, case_id: str | None = None,
               revision: int | None = None, detail: str = "") -> None:
        name = actor.name if isinstance(actor, _Actor) else _user(actor)
        trail.append(conn, at=self._clock(), who=name, action=action, case_id=case_id,
                     revision=revision, detail=detail)

    # ---- writing revisions -----------------------------------------------------------------

    def _insert_case(self, conn: Connection, case_json: dict, actor: _Actor, action: str, team: str,
                     summary: str | None = None, status: str | None = None) -> CaseRecord:
        body = dump_case(case_json)
        case_id = _case_id_of(case_json)
        if conn.execute(select(t.cases.c.case_id).where(t.cases.c.case_id == case_id)).first():
            raise CaseExists(case_id)
        now = self._clock()
        label = _label_of(case_json)
        conn.execute(insert(t.cases).values(
            case_id=case_id, label=label, search=f"{(label or '').lower()} {case_id.lower()}",
            head_revision=1, created_at=now, created_by=actor.name, updated_at=now, updated_by=actor.name,
            archived=False, status=status, team=team,
        ))
        imported = action == "import"
        conn.execute(insert(t.revisions).values(
            case_id=case_id, number=1, created_at=now, user_name=actor.name, action=action,
            summary=(summary or summarize_changes(None, case_json))[:300], status=status,
            case_json=body, imported_by=actor.name if imported else None, imported_at=now if imported else None,
        ))
        conn.execute(delete(t.drafts).where(t.drafts.c.case_id == case_id, t.drafts.c.user_name == actor.name))
        self._audit(conn, actor, action, case_id, 1)
        return self._get_record(conn, case_id)

    def _append_revision(self, conn: Connection, case_id: str, case_json: dict, actor: _Actor,
                         expected_revision: int, action: str, status: str | None,
                         summary_prefix: str = "") -> Revision:
        body = dump_case(case_json)
        self._get_record(conn, case_id, actor)  # CaseNotFound when absent or another team's
        if _case_id_of(case_json) != case_id:
            raise UploadRejected([
                f"the case's case_id {case_json.get('case_id')!r} differs from the stored case "
                f"{case_id!r}; to keep both, duplicate the case instead"
            ])
        now = self._clock()
        label = _label_of(case_json)
        moved = conn.execute(
            update(t.cases)
            .where(t.cases.c.case_id == case_id, t.cases.c.head_revision == expected_revision)
            .values(
                head_revision=expected_revision + 1, label=label,
                search=f"{(label or '').lower()} {case_id.lower()}",
                updated_at=now, updated_by=actor.name, status=status,
            )
        ).rowcount
        if moved != 1:
            record = self._get_record(conn, case_id)
            head, _ = self._get_revision(conn, case_id, record.head_revision)
            raise RevisionConflict(case_id, expected_revision, head)
        _, previous = self._get_revision(conn, case_id, expected_revision)
        summary = summary_prefix + summarize_changes(json.loads(previous), case_json)
        imported = action == "import"
        conn.execute(insert(t.revisions).values(
            case_id=case_id, number=expected_revision + 1, created_at=now, user_name=actor.name,
            action=action, summary=summary[:300], status=status, case_json=body,
            imported_by=actor.name if imported else None, imported_at=now if imported else None,
        ))
        conn.execute(delete(t.drafts).where(t.drafts.c.case_id == case_id, t.drafts.c.user_name == actor.name))
        self._audit(conn, actor, action, case_id, expected_revision + 1)
        return Revision(case_id, expected_revision + 1, now, actor.name, action, summary[:300], status,
                        imported_by=actor.name if imported else None, imported_at=now if imported else None)

    def create(self, case_json: dict[str, Any], user: Who, *, status: str | None = None,
               action: str = "create", team: str | None = None) -> CaseRecord:
        """Store a new case as revision 1 (its id from ``case_json['case_id']``) in ``team``
        (default: the principal's first team; the configured default team for a plain name).

        Raises ``CaseExists`` when that id is taken — nothing is replaced."""
        actor = self._actor(user)
        actor.need_edit("store a case")
        team = self._team_for_new(actor, team)
        with self._write() as conn:
            return self._insert_case(conn, case_json, actor, action, team, status=status)

    def create_with_history(self, entries: list[dict[str, Any]], user: Who, *, archived: bool = False,
                            team: str | None = None) -> CaseRecord:
        """Store a case with its whole revision history, as written by ``export_folder``
        (``[{revision, created_at, user, action, summary, status, case}, …]`` oldest first).

        Every revision is recorded as imported by ``user`` now; the author, date and action the
        file states are kept apart as *claims* (``Revision.claimed_*``), never as our own record
        (issue #13). Revision numbers must run 1, 2, 3…; all belong to one case id;
        ``CaseExists`` when the id is taken."""
        actor = self._actor(user)
        actor.need_edit("import a case")
        team = self._team_for_new(actor, team)
        if not entries:
            raise UploadRejected(["the history is empty"])
        bodies = [dump_case(e.get("case")) for e in entries]
        case_id = _case_id_of(entries[-1]["case"])
        problems = []
        for index, entry in enumerate(entries, start=1):
            if entry.get("revision") != index:
                problems.append(f"revision {index}: numbered {entry.get('revision')!r}")
            if not isinstance(entry.get("case"), dict) or entry["case"].get("case_id") != case_id:
                problems.append(f"revision {index}: belongs to another case id")
            for key in ("created_at", "user", "action", "summary"):
                if not isinstance(entry.get(key), str) or not entry[key]:
                    problems.append(f"revision {index}: {key} missing")
        if problems:
            raise UploadRejected(problems)
        last = entries[-1]
        label = _label_of(last["case"])
        with self._write() as conn:
            if conn.execute(select(t.cases.c.case_id).where(t.cases.c.case_id == case_id)).first():
                raise CaseExists(case_id)
            now = self._clock()
            conn.execute(insert(t.cases).values(
                case_id=case_id, label=label, search=f"{(label or '').lower()} {case_id.lower()}",
                head_revision=len(entries), created_at=now, created_by=actor.name, updated_at=now,
                updated_by=actor.name, archived=bool(archived), team=team,
                status=last.get("status") if isinstance(last.get("status"), str) else None,
            ))
            conn.execute(insert(t.revisions), [
                dict(case_id=case_id, number=i, created_at=now, user_name=actor.name, action="import",
                     summary=e["summary"][:300],
                     status=e.get("status") if isinstance(e.get("status"), str) else None, case_json=body,
                     imported_by=actor.name, imported_at=now, claimed_by=e["user"].strip()[:USER_MAX],
                     claimed_at=e["created_at"][:40], claimed_action=e["action"][:20])
                for i, (e, body) in enumerate(zip(entries, bodies), start=1)
            ])
            self._audit(conn, actor, "import", case_id, len(entries), f"with {len(entries)} revisions")
            return self._get_record(conn, case_id)

    def save(self, case_id: str, case_json: dict[str, Any], user: Who, expected_revision: int,
             *, status: str | None = None, action: str = "save") -> Revision:
        """Append a revision. ``expected_revision`` is the revision this copy was loaded at;
        raises ``RevisionConflict`` when the stored head is newer (never overwrites)."""
        check_case_id(case_id)
        actor = self._actor(user)
        actor.need_edit("save a case")
        with self._write() as conn:
            return self._append_revision(conn, case_id, case_json, actor, expected_revision, action, status)

    def restore(self, case_id: str, revision: int, user: Who, expected_revision: int) -> Revision:
        """Make an old revision's content the newest revision (history is kept)."""
        check_case_id(case_id)
        actor = self._actor(user)
        actor.need_edit("restore a revision")
        with self._write() as conn:
            self._get_record(conn, case_id, actor)
            old, body = self._get_revision(conn, case_id, revision)
            return self._append_revision(
                conn, case_id, json.loads(body), actor, expected_revision, "restore", old.status,
                summary_prefix=f"restored revision {revision}: ",
            )

    def duplicate(self, case_id: str, user: Who, *, new_id: str | None = None,
                  revision: int | None = None, label_suffix: str = " (copy)") -> CaseRecord:
        """A new case (new pseudonymous id, same team) with the content of ``case_id`` at ``revision``."""
        actor = self._actor(user)
        actor.need_edit("duplicate a case")
        with self._write() as conn:
            record = self._get_record(conn, check_case_id(case_id), actor)
            source, body = self._get_revision(conn, case_id, revision or record.head_revision)
            data = json.loads(body)
            data["case_id"] = new_id or new_case_id()
            label = data.get("label")
            if isinstance(label, str):
                data["label"] = (label + label_suffix)[:LABEL_MAX]
            return self._insert_case(
                conn, data, actor, "duplicate", record.team,
                summary=f"duplicated from {case_id} revision {source.number}", status=source.status,
            )

    def set_status(self, case_id: str, status: str | None, user: Who | None = None) -> None:
        """Record the latest assessment status of the head revision (shown in the list)."""
        actor = None if user is None else self._actor(user)
        if actor is not None:
            actor.need_edit("change a case")
        with self._write() as conn:
            record = self._get_record(conn, case_id, actor)
            conn.execute(update(t.cases).where(t.cases.c.case_id == case_id).values(status=status))
            conn.execute(update(t.revisions).where(
                t.revisions.c.case_id == case_id, t.revisions.c.number == record.head_revision
            ).values(status=status))

    # ---- archive ---------------------------------------------------------------------------

    def _set_archived(self, case_id: str, user: Who, archived: bool) -> CaseRecord:
        actor = self._actor(user)
        actor.need_edit("archive a case" if archived else "unarchive a case")
        with self._write() as conn:
            record = self._get_record(conn, check_case_id(case_id), actor)
            if record.archived != archived:
                conn.execute(update(t.cases).where(t.cases.c.case_id == case_id).values(archived=archived))
                self._audit(conn, actor, "archive" if archived else "unarchive", case_id, record.head_revision)
            return self._get_record(conn, case_id)

    def archive(self, case_id: str, user: Who) -> CaseRecord:
        """Hide a case from the list (kept with all its revisions; ``unarchive`` shows it again)."""
        return self._set_archived(case_id, user, True)

    def unarchive(self, case_id: str, user: Who) -> CaseRecord:
        return self._set_archived(case_id, user, False)

    # ---- the audit trail -------------------------------------------------------------------

    def record_event(self, case_id: str | None, user: Who, action: str, detail: str = "",
                     *, revision: int | None = None) -> None:
        """Add an audit row for something that is not a change: ``view``, ``export``,
        ``sign_in`` (no case), ``report_print``. Ids only — never pass case text in ``detail``."""
        actor = self._actor(user)
        with self._write() as conn:
            self._audit(conn, actor, action, case_id, revision, detail)

    def events(self, case_id: str, *, who: Who | None = None) -> list[AuditEvent]:
        """The audit rows of one case, oldest first."""
        with self._read() as conn:
            if who is not None:
                actor = self._actor(who)
                actor.need_read("see a patient case")
                self._get_record(conn, case_id, actor)
            rows = trail.read_rows(conn, case_id=case_id)
        return [AuditEvent(r.case_id or "", r.at, r.who, r.action, r.detail, r.revision, r.seq) for r in rows]

    def audit_rows(self, *, limit: int | None = None, newest_first: bool = False) -> list[trail.AuditRow]:
        """Rows of the whole trail (administrators: the audit page and the CLI)."""
        with self._read() as conn:
            return trail.read_rows(conn, newest_first=newest_first, limit=limit)

    def verify_chain(self) -> trail.ChainStatus:
        """Recompute every hash of the audit trail: ``ok`` or the first row that was changed."""
        with self._read() as conn:
            return trail.verify_chain(conn)

    # ---- reading ---------------------------------------------------------------------------

    def _reader(self, who: Who | None) -> _Actor | None:
        if who is None:
            return None
        actor = self._actor(who)
        actor.need_read("see a patient case")
        return actor

    def get(self, case_id: str, *, who: Who | None = None) -> CaseRecord:
        actor = self._reader(who)
        with self._read() as conn:
            return self._get_record(conn, case_id, actor)

    def exists(self, case_id: str, *, who: Who | None = None) -> bool:
        actor = self._reader(who)
        stmt = select(t.cases.c.case_id).where(t.cases.c.case_id == case_id)
        if actor is not None:
            stmt = actor.visible(stmt)
        with self._read() as conn:
            return conn.execute(stmt).first() is not None

    def load(self, case_id: str, revision: int | None = None, *, who: Who | None = None) -> StoredCase:
        """The case at ``revision`` (default: the newest). With ``who``: ``CaseNotFound`` for a
        case of another team, ``PermissionDenied`` for a teacher."""
        actor = self._reader(who)
        with self._read() as conn:
            record = self._get_record(conn, case_id, actor)
            rev, body = self._get_revision(conn, case_id, revision or record.head_revision)
        return StoredCase(record, rev, json.loads(body))

    def history(self, case_id: str, *, who: Who | None = None) -> list[Revision]:
        """Every revision, newest first."""
        actor = self._reader(who)
        with self._read() as conn:
            self._get_record(conn, case_id, actor)
            rows = conn.execute(
                select(*self._REV_COLS).where(t.revisions.c.case_id == case_id)
                .order_by(t.revisions.c.number.desc())
            ).all()
        return [self._revision(r) for r in rows]

    def _filtered(self, stmt: Any, query: str, include_archived: bool, actor: _Actor | None) -> Any:
        if not include_archived:
            stmt = stmt.where(t.cases.c.archived == False)  # noqa: E712 (SQL expression)
        needle = (query or "").strip().lower()
        if needle:
            stmt = stmt.where(t.cases.c.search.like(f"%{_escape_like(needle)}%", escape="\\"))
        return stmt if actor is None else actor.visible(stmt)

    def list_cases(self, query: str = "", *, include_archived: bool = False, limit: int = 50,
                   offset: int = 0, who: Who | None = None) -> list[CaseSummary]:
        """Cases whose label or id contains ``query`` (case-insensitive), last changed first;
        with ``who``, only the cases of their teams."""
        actor = self._reader(who)
        limit = max(1, min(int(limit), LIST_LIMIT_MAX))
        stmt = self._filtered(select(t.cases), query, include_archived, actor)
        stmt = stmt.order_by(t.cases.c.updated_at.desc(), t.cases.c.case_id).limit(limit).offset(max(0, int(offset)))
        with self._read() as conn:
            return [self._record(r) for r in conn.execute(stmt).all()]

    def count_cases(self, query: str = "", *, include_archived: bool = False, who: Who | None = None) -> int:
        actor = self._reader(who)
        stmt = self._filtered(select(func.count()).select_from(t.cases), query, include_archived, actor)
        with self._read() as conn:
            return int(conn.execute(stmt).scalar() or 0)

    def all_case_ids(self, *, who: Who | None = None) -> list[str]:
        actor = self._reader(who)
        stmt = select(t.cases.c.case_id).order_by(t.cases.c.case_id)
        if actor is not None:
            stmt = actor.visible(stmt)
        with self._read() as conn:
            return list(conn.execute(stmt).scalars())

    def revisions_with_content(self, case_id: str, *, who: Who | None = None) -> list[tuple[Revision, dict[str, Any]]]:
        """Every revision with its case JSON, oldest first (for a full export)."""
        actor = self._reader(who)
        with self._read() as conn:
            self._get_record(conn, case_id, actor)
            rows = conn.execute(
                select(*self._REV_COLS, t.revisions.c.case_json)
                .where(t.revisions.c.case_id == case_id).order_by(t.revisions.c.number)
            ).all()
        return [(self._revision(r), json.loads(r.case_json)) for r in rows]

    # ---- drafts ----------------------------------------------------------------------------

    def save_draft(self, case_id: str, case_json: dict[str, Any], user: Who,
                   base_revision: int | None = None, slot: str = "") -> Draft:
        """Keep unsaved edits, replacing the previous draft of this case in the same slot only.
        Only a role that edits keeps drafts (a reviewer's session changes are never stored)."""
        check_case_id(case_id)
        actor = self._actor(user)
        actor.need_edit("keep a draft")
        body = dump_case(case_json)
        owner = _draft_owner(actor.name, slot)
        now = self._clock()
        with self._write() as conn:
            conn.execute(delete(t.drafts).where(t.drafts.c.case_id == case_id, t.drafts.c.user_name == owner))
            conn.execute(insert(t.drafts).values(
                case_id=case_id, user_name=owner, base_revision=base_revision, saved_at=now, case_json=body
            ))
        return Draft(case_id, actor.name, base_revision, now, case_json, slot[:SLOT_MAX])

    def load_draft(self, case_id: str, user: Who, slot: str = "") -> Draft | None:
        name = self._actor(user).name
        with self._read() as conn:
            row = conn.execute(select(t.drafts).where(
                t.drafts.c.case_id == case_id, t.drafts.c.user_name == _draft_owner(name, slot)
            )).first()
        return None if row is None else _draft(row)

    def discard_draft(self, case_id: str, user: Who, slot: str = "") -> None:
        """Delete one draft: this user's, in this slot — never another session's."""
        name = self._actor(user).name
        with self._write() as conn:
            conn.execute(delete(t.drafts).where(t.drafts.c.case_id == case_id,
                                                t.drafts.c.user_name == _draft_owner(name, slot)))

    def list_drafts(self, user: Who) -> list[Draft]:
        """Every unsaved draft of this user, in any slot, newest first (offered for recovery)."""
        user = self._actor(user).name
        prefix = _escape_like(user[:USER_MAX - SLOT_MAX - 1] + DRAFT_SLOT_SEP)
        with self._read() as conn:
            rows = conn.execute(select(t.drafts).where(
                (t.drafts.c.user_name == user) | t.drafts.c.user_name.like(prefix + "%", escape="\\")
            ).order_by(t.drafts.c.saved_at.desc())).all()
        return [_draft(r) for r in rows]

    # ---- maintenance -----------------------------------------------------------------------

    def integrity_check(self) -> str:
        """'ok' when the database file is sound (SQLite); 'ok' on PostgreSQL (server-checked)."""
        if not self.is_sqlite:
            return "ok"
        with self.engine.connect() as conn:
            return str(conn.exec_driver_sql("PRAGMA integrity_check").scalar())


__all__ = ["CaseStore", "MAX_CASE_BYTES", "Who", "dump_case"]
