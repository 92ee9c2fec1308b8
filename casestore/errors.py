"""Errors of the case store, each built from structured fields so a page, a test and a log line
share one message.

::

    Exception
     └── StoreError                   anything the case store refuses
          ├── CaseNotFound            no case with that id (LookupError too)
          ├── RevisionNotFound        the case exists, that revision does not
          ├── CaseExists              create/duplicate/import with an id already stored
          ├── RevisionConflict        optimistic concurrency: the stored head moved on
          ├── PermissionDenied        the principal's role may not do that (reviewer saves…)
          └── UnsafeInput (ValueError)
               ├── UnsafeName         a case id / file name that could escape its folder
               ├── UploadRejected     bytes that are not an acceptable case file; .problems
               └── LabsCsvInvalid     a labs CSV with bad rows; .problems
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .models import Revision


class StoreError(Exception):
    """Base class: the case store refused an operation."""


class CaseNotFound(StoreError, LookupError):
    def __init__(self, case_id: str):
        self.case_id = case_id
        super().__init__(f"no stored case with id {case_id!r}")


class RevisionNotFound(StoreError, LookupError):
    def __init__(self, case_id: str, revision: int):
        self.case_id, self.revision = case_id, revision
        super().__init__(f"case {case_id!r} has no revision {revision}")


class CaseExists(StoreError):
    def __init__(self, case_id: str):
        self.case_id = case_id
        super().__init__(
            f"a case with id {case_id!r} is already stored; open it, or duplicate it under a new id"
        )


class RevisionConflict(StoreError):
    """The case was saved by someone else (or another tab) since this copy was loaded.

    ``expected`` is the revision the caller started from; ``head`` the stored newest revision
    (who saved it, when, what changed) so the page can ask what to do.
    """

    def __init__(self, case_id: str, expected: int, head: "Revision"):
        self.case_id, self.expected, self.head = case_id, expected, head
        super().__init__(
            f"case {case_id!r} was saved as revision {head.number} by {head.user} at "
            f"{head.created_at} ({head.summary}); this copy started from revision {expected}"
        )


class PermissionDenied(StoreError, PermissionError):
    """The principal's role does not allow the operation (a reviewer saving, a teacher opening a
    patient case). Never raised for another team's case: that one is ``CaseNotFound``."""

    def __init__(self, role: str, operation: str):
        self.role, self.operation = role, operation
        super().__init__(f"the role {role!r} may not {operation}")


class UnsafeInput(StoreError, ValueError):
    """Input refused for safety; ``problems`` lists each reason in plain words."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


class UnsafeName(UnsafeInput):
    def __init__(self, name: object, why: str):
        self.name = name
        super().__init__([f"{name!r} cannot be used as a case id or file name: {why}"])


class UploadRejected(UnsafeInput):
    """An uploaded or imported case file that cannot be stored (never a traceback)."""


class LabsCsvInvalid(UnsafeInput):
    """A labs CSV with rows that are not valid labs; every bad row is listed."""
