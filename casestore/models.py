"""What the store returns: small frozen records, never bare dicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Revision:
    """One save of a case: who, when, what changed. Revisions are numbered 1, 2, 3… per case."""

    case_id: str
    number: int
    created_at: str  # ISO 8601, UTC
    user: str
    action: str  # create | save | restore | import | duplicate
    summary: str  # short list of the top-level sections / fields that changed
    status: str | None = None  # last assessment status category, when the app gave it
    #: Import provenance (issue #13). ``user``/``created_at`` are always this database's own
    #: record (for an import: the importer, the time of the import); what the imported file
    #: said (author, date, action) is kept apart in ``claimed_*`` and never shown as fact.
    imported_by: str | None = None
    imported_at: str | None = None
    claimed_by: str | None = None
    claimed_at: str | None = None
    claimed_action: str | None = None

    @property
    def imported(self) -> bool:
        return self.imported_by is not None


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """A stored case's row in the library (no case content)."""

    case_id: str
    label: str | None
    head_revision: int
    created_at: str
    created_by: str
    updated_at: str
    updated_by: str
    archived: bool
    status: str | None
    team: str = ""  # every case belongs to one team (casestore.access)


CaseSummary = CaseRecord  # what list_cases returns: label, id, last status, last change


@dataclass(frozen=True, slots=True)
class StoredCase:
    """A case as loaded: its record, the revision read, and the case JSON of that revision."""

    record: CaseRecord
    revision: Revision
    case_json: dict[str, Any]

    @property
    def is_head(self) -> bool:
        return self.revision.number == self.record.head_revision


@dataclass(frozen=True, slots=True)
class Draft:
    """Unsaved work of one user on one case, autosaved while typing."""

    case_id: str
    user: str
    base_revision: int | None  # the revision the edits started from; None for a new case
    saved_at: str
    case_json: dict[str, Any]
    #: Which draft of this user: one per browser session (autosave), and one per "keep mine" (#13).
    slot: str = ""


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One row of the audit trail about a case (view, save, import, export, archive, …)."""

    case_id: str
    at: str
    user: str
    action: str
    detail: str = ""
    revision: int | None = None
    seq: int | None = None


@dataclass(slots=True)
class ImportReport:
    """What import_folder did with each file: nothing is replaced silently."""

    created: list[str] = field(default_factory=list)
    revised: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped_existing: list[str] = field(default_factory=list)
    rejected: dict[str, list[str]] = field(default_factory=dict)  # file name -> problems
