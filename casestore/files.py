"""Files in and out: uploaded case JSON, the labs CSV of one case, library export/import.

Everything that reads outside data is defensive: any bytes give either a parsed case or an
``UploadRejected`` listing plain-language problems — never a traceback, never a write.
Everything that writes names its files from checked case ids (``names.file_in``) and writes
atomically (temporary file, fsync, rename).
"""

from __future__ import annotations

import csv
import io
import json
import os
import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pyzipper
from typing import TYPE_CHECKING, Any

from mmlogic.limits import MAX_INPUT_BYTES, MAX_LAB_ROWS

from .errors import CaseExists, CaseNotFound, LabsCsvInvalid, UnsafeInput, UploadRejected
from .models import ImportReport
from .names import check_case_id, file_in
from .privacy import IdentifierWarning, identifier_warnings

if TYPE_CHECKING:  # pragma: no cover
    from mmlogic.case import Case

    from .models import Revision
    from .store import CaseStore, Who

# One size and one row limit for every way in (mmlogic/limits.py, issue #16).
MAX_UPLOAD_BYTES = MAX_INPUT_BYTES
MAX_CSV_BYTES = MAX_INPUT_BYTES
MAX_CSV_ROWS = MAX_LAB_ROWS
MAX_IMPORT_FILES = 20_000
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
LAB_COLUMNS = ("date", "analyte", "value", "unit", "myeloma_related")
HISTORY_DIR = "_history"
MANIFEST = "_library.json"


# ---- one uploaded case ----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class UploadedCase:
    """A case file that passed every check: its JSON (as uploaded), the validated model, and
    warnings about identifying labels (shown, not blocking)."""

    case_json: dict[str, Any]
    case: "Case"
    warnings: list[IdentifierWarning] = field(default_factory=list)


def loads_strict(data: bytes | str, *, what: str = "the file") -> Any:
    """Parse JSON through the core's intake (size, UTF-8, depth, numbers, duplicate keys — the same
    limits as every other way in); ``UploadRejected`` listing the problems."""
    from mmlogic.errors import CaseInvalid
    from mmlogic.intake import loads

    if not isinstance(data, (bytes, bytearray, memoryview, str)):
        raise UploadRejected([f"{what} is not text"])
    try:
        return loads(bytes(data) if isinstance(data, (bytearray, memoryview)) else data, what)
    except CaseInvalid as error:
        raise UploadRejected(error.lines()) from None


def parse_upload(data: Any, *, name: str = "the file", max_bytes: int = MAX_UPLOAD_BYTES) -> UploadedCase:
    """Any uploaded bytes → a validated case, or ``UploadRejected`` saying what is wrong."""
    try:
        size = len(data)
    except TypeError:
        raise UploadRejected([f"{name} could not be read"]) from None
    if size > max_bytes:
        raise UploadRejected([f"{name} is {size / 1e6:.1f} MB; a case file may be at most {max_bytes / 1e6:.1f} MB "
                              "(expected a file of at most that size)"])
    raw = loads_strict(data, what=name)
    if not isinstance(raw, dict):
        raise UploadRejected([f"{name} holds a JSON {type(raw).__name__}, not a case object"])
    try:
        check_case_id(raw.get("case_id"))
    except UnsafeInput as error:
        raise UploadRejected([f"case_id: {p}" for p in error.problems]) from None
    case = _validate(raw, name)
    warnings = identifier_warnings(raw.get("label") if isinstance(raw.get("label"), str) else None)
    warnings += identifier_warnings(raw["case_id"])
    return UploadedCase(raw, case, warnings)


def _validate(raw: dict[str, Any], name: str) -> "Case":
    from mmlogic.case import parse_case  # the core's own validation: one set of rules
    from mmlogic.errors import CaseInvalid

    try:
        return parse_case(raw)
    except CaseInvalid as error:
        raise UploadRejected(error.lines()) from None
    except RecursionError:
        raise UploadRejected([f"{name} is nested too deeply to be a case"]) from None
    except Exception as error:  # a bug in validation must still not become a traceback
        raise UploadRejected([f"{name} could not be checked ({type(error).__name__}); it was not stored"]) from None


# ---- the labs of one case as CSV (long format) ----------------------------------------------

def escape_cell(value: Any) -> str:
    """Text of a CSV cell, with formula triggers neutralised by a leading single quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _unescape_cell(text: str) -> str:
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def _number_text(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def labs_csv(case_json: dict[str, Any]) -> str:
    """One row per lab: date, analyte, value, unit, myeloma_related (blank = default true)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(LAB_COLUMNS)
    for lab in case_json.get("labs") or []:
        if not isinstance(lab, dict):
            continue
        related = lab.get("myeloma_related")
        value = _number_text(lab.get("value"))
        if lab.get("below_detection") is True:  # ASSUME-BELOW-DETECTION: read back by the intake
            limit = lab.get("detection_limit")
            value = f"<{_number_text(limit)}" if limit is not None else "ND"
        writer.writerow([
            escape_cell(lab.get("date")), escape_cell(lab.get("analyte")),
            escape_cell(value), escape_cell(lab.get("unit")),
            "" if related is None else ("true" if related else "false"),
        ])
    return out.getvalue()


def labs_from_csv(data: bytes | str, *, max_bytes: int = MAX_CSV_BYTES) -> list[dict[str, Any]]:
    """Labs (case-format dicts) from a CSV with columns date, analyte, value, unit
    [, myeloma_related], read by the core's intake (``mmlogic.intake.read_long_csv``: one reader,
    one size and row limit); strict: ``LabsCsvInvalid`` lists every bad row and any unknown column."""
    from mmlogic.errors import CaseInvalid
    from mmlogic.intake import read_long_csv

    if isinstance(data, (bytes, bytearray, str)) and len(data) > max_bytes:
        raise LabsCsvInvalid([f"the CSV is larger than {max_bytes // 1000} kB"])
    if not isinstance(data, (bytes, bytearray, str)):
        raise LabsCsvInvalid(["the CSV is not text"])
    try:
        table = read_long_csv(bytes(data) if isinstance(data, bytearray) else data, "the CSV")
    except CaseInvalid as error:
        raise LabsCsvInvalid([p.message for p in error.problems]) from None
    if table.unknown_columns:
        raise LabsCsvInvalid([f"header: unknown column {h!r} (expected {', '.join(LAB_COLUMNS)})"
                              for h in table.unknown_columns])
    problems = [f"row {row.line}: {p.message}" for row in table.rows for p in row.problems]
    if problems:
        raise LabsCsvInvalid(problems)
    return [row.lab for row in table.rows if row.lab is not None]


# ---- atomic writes and the library as a folder ----------------------------------------------

def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder, fsync, rename."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _history_entry(rev: "Revision", body: dict[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = {"revision": rev.number, "created_at": rev.created_at, "user": rev.user,
                             "action": rev.action, "summary": rev.summary, "status": rev.status}
    if rev.imported:  # our record says "imported"; what that file claimed goes along, apart
        entry["imported"] = {"by": rev.imported_by, "at": rev.imported_at}
        if rev.claimed_by is not None:
            entry["claimed"] = {"user": rev.claimed_by, "created_at": rev.claimed_at, "action": rev.claimed_action}
    entry["case"] = body
    return entry


def export_folder(store: "CaseStore", path: Path | str, *, user: "Who" = "system",
                  case_ids: list[str] | None = None) -> list[str]:
    """Write every case ``user`` may read (archived ones too) — or only ``case_ids`` — as
    ``<case_id>.json`` in the case format, every revision of each under
    ``_history/<case_id>.json``, and ``_library.json`` (archived flags, who/when). Returns the
    case ids written; each export is a row of the audit trail. A case id of another team is
    ``CaseNotFound`` (before anything is written), like an id never stored."""
    ids = store.all_case_ids(who=user) if case_ids is None else [store.get(i, who=user).case_id for i in case_ids]
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / HISTORY_DIR).mkdir(exist_ok=True)
    manifest = []
    for case_id in ids:
        stored = store.load(case_id, who=user)
        write_atomic(file_in(folder, case_id, ".json"), json.dumps(stored.case_json, ensure_ascii=False, indent=1))
        history = [_history_entry(rev, body) for rev, body in store.revisions_with_content(case_id, who=user)]
        write_atomic(file_in(folder / HISTORY_DIR, case_id, ".json"), json.dumps(history, ensure_ascii=False, indent=1))
        record = stored.record
        manifest.append({
            "case_id": case_id, "label": record.label, "archived": record.archived,
            "head_revision": record.head_revision, "created_at": record.created_at,
            "created_by": record.created_by, "updated_at": record.updated_at,
            "updated_by": record.updated_by, "status": record.status,
        })
    write_atomic(folder / MANIFEST, json.dumps({"format": "mmnav-library", "version": 1, "cases": manifest},
                                               ensure_ascii=False, indent=1))
    for entry in manifest:
        store.record_event(entry["case_id"], user, "export", revision=entry["head_revision"])
    return ids


def _archived_flags(folder: Path) -> dict[str, bool]:
    """{case_id: archived} from an export's ``_library.json``; {} when absent or unreadable."""
    path = folder / MANIFEST
    try:
        if not path.is_file() or path.is_symlink() or path.stat().st_size > 50 * MAX_UPLOAD_BYTES:
            return {}
        manifest = loads_strict(path.read_bytes(), what=MANIFEST)
        return {c["case_id"]: c.get("archived") is True for c in manifest.get("cases", [])
                if isinstance(c, dict) and isinstance(c.get("case_id"), str)}
    except (UnsafeInput, OSError, AttributeError):
        return {}


def _read_history(folder: Path, case_id: str, head: dict[str, Any], max_bytes: int) -> list[dict[str, Any]] | None:
    """The revisions of ``case_id`` from ``_history/``, when present, sound, and ending with the
    case file's content (so the history cannot contradict the file the clinician sees)."""
    try:
        path = file_in(folder / HISTORY_DIR, case_id, ".json")
        if not path.is_file() or path.is_symlink() or path.stat().st_size > 50 * max_bytes:
            return None
        history = loads_strict(path.read_bytes(), what=f"{HISTORY_DIR}/{case_id}.json")
    except (UnsafeInput, OSError):
        return None
    if not isinstance(history, list) or not history or not all(isinstance(h, dict) for h in history):
        return None
    return history if history[-1].get("case") == head else None


def import_folder(store: "CaseStore", path: Path | str, user: "Who", *, on_existing: str = "skip",
                  max_bytes: int = MAX_UPLOAD_BYTES) -> ImportReport:
    """Import every ``*.json`` case file at the top of ``path`` (``_``-prefixed files and
    sub-folders are export metadata, not cases). A new case comes with its whole revision
    history and archived flag when the folder is an export (``_history/``, ``_library.json``)
    and that history ends with the case file. A file whose case id is already stored is
    skipped (``on_existing="skip"``, the default) or appended as a new revision
    (``"new_revision"``, when the content differs) — never replaced. Each file is validated
    like an upload; rejected files are listed with their problems."""
    if on_existing not in ("skip", "new_revision"):
        raise ValueError("on_existing must be 'skip' or 'new_revision'")
    folder = Path(path).resolve()
    if not folder.is_dir():
        raise UnsafeInput([f"{path} is not a folder"])
    report = ImportReport()
    archived = _archived_flags(folder)
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".json" and not p.name.startswith(("_", ".")))
    for file in files[:MAX_IMPORT_FILES]:
        if file.is_symlink() or not file.is_file():
            report.rejected[file.name] = ["not a regular file (links are not followed)"]
            continue
        try:
            if file.stat().st_size > max_bytes:
                raise UploadRejected([f"larger than {max_bytes / 1e6:.1f} MB"])
            uploaded = parse_upload(file.read_bytes(), name=file.name, max_bytes=max_bytes)
            case_id = uploaded.case_json["case_id"]
            try:
                history = _read_history(folder, case_id, uploaded.case_json, max_bytes)
                if history is not None and not store.exists(case_id, who=user):
                    store.create_with_history(history, user, archived=archived.get(case_id, False))
                else:
                    store.create(uploaded.case_json, user, action="import")
                    if archived.get(case_id):
                        store.archive(case_id, user)
                report.created.append(case_id)
            except CaseExists:
                if on_existing == "skip":
                    report.skipped_existing.append(case_id)
                    continue
                head = store.load(case_id, who=user)  # another team's id: CaseNotFound, rejected below
                if head.case_json == uploaded.case_json:
                    report.unchanged.append(case_id)
                    continue
                store.save(case_id, uploaded.case_json, user, head.record.head_revision, action="import")
                report.revised.append(case_id)
        except UnsafeInput as error:
            report.rejected[file.name] = error.problems
        except CaseNotFound as error:  # the id is taken by a case this user cannot see
            report.rejected[file.name] = [str(error)]
        except OSError as error:
            report.rejected[file.name] = [f"could not be read: {error.strerror}"]
    if len(files) > MAX_IMPORT_FILES:
        report.rejected["(folder)"] = [f"only the first {MAX_IMPORT_FILES} files were read"]
    return report


# ---- private exports -------------------------------------------------------------------------

#: Bytes of the random key of an export archive (shown once to the user who asked for it).
EXPORT_KEY_BYTES = 18


def new_export_key() -> str:
    """A fresh key for one export: ~144 random bits, typed or pasted by the user to open it."""
    return secrets.token_urlsafe(EXPORT_KEY_BYTES)


def encrypted_archive(folder: Path, key: str) -> bytes:
    """Every file below ``folder`` in one ZIP, AES-256 encrypted (WinZip AES; 7-Zip and most archive
    tools open it) with ``key``.

    Why: Streamlit serves a download from ``/media/<id>`` to anyone who has the URL, without the
    session's cookie, for as long as it keeps the file (issue #13). Encrypted with a key that only
    the signed-in session shows, the bytes at that URL are useless to anyone else.
    """
    buffer = io.BytesIO()
    with pyzipper.AESZipFile(buffer, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES) as archive:
        archive.setpassword(key.encode("utf-8"))
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()
