"""The patient case library of the app: revisions, drafts, conflicts, files. Not clinical logic
(that is ``mmlogic``); this package never imports streamlit nor ``ui`` (the session glue is ``ui/library_session.py``).

    store = CaseStore.open()                 # MMNAV_DATABASE_URL, or SQLite in MMNAV_DATA_DIR
    record = store.create(case_json, user)   # revision 1
    rev = store.save(case_id, case_json, user, expected_revision=record.head_revision)
"""

from .access import CLINICIAN, REVIEWER, ROLES, TEACHER, Principal, parse_teams
from .audit import AuditRow, ChainStatus
from .changes import summarize_changes
from .config import StoreConfig
from .errors import (
    CaseExists,
    CaseNotFound,
    LabsCsvInvalid,
    PermissionDenied,
    RevisionConflict,
    RevisionNotFound,
    StoreError,
    UnsafeInput,
    UnsafeName,
    UploadRejected,
)
from .files import (
    MAX_UPLOAD_BYTES,
    UploadedCase,
    encrypted_archive,
    escape_cell,
    export_folder,
    import_folder,
    labs_csv,
    labs_from_csv,
    new_export_key,
    parse_upload,
)
from .models import AuditEvent, CaseRecord, CaseSummary, Draft, ImportReport, Revision, StoredCase
from .names import check_case_id, file_in, new_case_id
from .privacy import IdentifierWarning, identifier_warnings
from .store import MAX_CASE_BYTES, CaseStore

__all__ = [
    "AuditRow", "CLINICIAN", "ChainStatus", "PermissionDenied", "Principal", "REVIEWER", "ROLES", "TEACHER",
    "parse_teams",
    "AuditEvent", "CaseExists", "CaseNotFound", "CaseRecord", "CaseStore", "CaseSummary", "Draft",
    "IdentifierWarning", "ImportReport", "LabsCsvInvalid", "MAX_CASE_BYTES", "MAX_UPLOAD_BYTES",
    "Revision", "RevisionConflict", "RevisionNotFound", "StoreConfig", "StoreError", "StoredCase",
    "UnsafeInput", "UnsafeName", "UploadRejected", "UploadedCase", "check_case_id", "encrypted_archive", "escape_cell",
    "export_folder", "file_in", "identifier_warnings", "import_folder", "labs_csv", "labs_from_csv",
    "new_case_id", "new_export_key", "parse_upload", "summarize_changes",
]
