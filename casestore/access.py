"""Who may do what with the cases: a principal (user, role, teams) and the rules the store
enforces. Pure (no Streamlit): ``ui/auth.py`` builds the principal from the sign-in's claims.

=========  ====================================================================
clinician  reads and changes the cases of their teams (create, save, import, archive, drafts)
reviewer   reads the cases of their teams (list, open, history, export); changes nothing
teacher    the teaching gallery only: no patient case, not even in a list
=========  ====================================================================

A case belongs to exactly one team. A case of a team the principal is not in does not exist
for them: every read or write answers ``CaseNotFound`` with the same words as for an id that
was never stored (no existence leak through load, history, export or a URL).

A plain user name (``str``) instead of a principal is the trusted local caller (command line,
maintenance scripts, tests): every team, clinician rights. The app always passes a principal.
"""

from __future__ import annotations

from dataclasses import dataclass

CLINICIAN, REVIEWER, TEACHER = "clinician", "reviewer", "teacher"
ROLES = (CLINICIAN, REVIEWER, TEACHER)
TEAM_MAX = 100


@dataclass(frozen=True, slots=True)
class Principal:
    """The signed-in user as the store sees them. ``teams`` in the order the identity provider
    listed them; the first is where a new case goes unless the user picks another."""

    user: str
    role: str
    teams: tuple[str, ...]

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)} (got {self.role!r})")
        if not isinstance(self.user, str) or not self.user.strip():
            raise ValueError("a principal needs a user name")

    @property
    def can_read_cases(self) -> bool:
        return self.role in (CLINICIAN, REVIEWER)

    @property
    def can_edit(self) -> bool:
        return self.role == CLINICIAN

    @property
    def home_team(self) -> str | None:
        return self.teams[0] if self.teams else None


def parse_teams(value: object) -> tuple[str, ...]:
    """Teams from a claim: a list of names, or one string separated by spaces or commas.
    Blank and over-long names are dropped, duplicates kept once, order kept."""
    if isinstance(value, str):
        items: list[object] = value.replace(",", " ").split()
    elif isinstance(value, (list, tuple)):
        items = list(value)
    else:
        return ()
    out: list[str] = []
    for item in items:
        if isinstance(item, str) and item.strip() and len(item.strip()) <= TEAM_MAX and item.strip() not in out:
            out.append(item.strip())
    return tuple(out)


__all__ = ["CLINICIAN", "Principal", "REVIEWER", "ROLES", "TEACHER", "parse_teams"]
