"""The regimen knowledge base: what each regimen is made of, how it is grouped, what supports it.

This module decides *what a regimen is*, never whether a patient should get it. For every regimen
the source review names (rules.md section I) it answers:

- which drugs it contains — the steroid counts, so ``n_drugs`` is the drug count of
  RISK-INTENSITY and GOAL-FRAIL (Rd = 2, VRd = 3);
- the drug classes and whether it contains a novel agent (bortezomib, thalidomide, lenalidomide;
  SEQ-NOVEL), and its novel-agent family CLASS-IMID / CLASS-PI / CLASS-PI-IMID;
- whether it is conventional chemotherapy only (OPT-CONVENTIONAL), too intensive for a frail
  patient (GOAL-FRAIL), or a transplant (TX-ASCT2, TX-ALLO);
- its evidence lines: figure, trial and the rule id of rules.md they come from.

The knowledge itself lives in ``regimens.toml`` (data, not code). It is validated when loaded;
an inconsistent file stops the load with a :class:`KnowledgeBaseError` whose message names the
entry and the field, e.g. ``regimen 'VRd': drugs[1]: unknown drug 'lenolidomide'``.

The comorbidity rules (rules.md section G) must ask :meth:`Regimen.contains`, not the family:
the source files VTd under "bortezomib-based" although it contains thalidomide.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictBool,
    StringConstraints,
    ValidationError,
)

from .errors import shown_value

__all__ = [
    "FAMILIES",
    "Drug",
    "DrugClass",
    "Evidence",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "KnowledgeBaseProblem",
    "Regimen",
    "find_regimen",
    "knowledge_base",
    "known_drugs",
    "load_knowledge_base",
    "normalise_drug",
]

PACKAGED_FILE = "regimens.toml"

#: Novel-agent families of rules.md (row "CLASS-IMID / CLASS-PI / CLASS-PI-IMID").
FAMILIES = ("CLASS-IMID", "CLASS-PI", "CLASS-PI-IMID")
Family = Literal["CLASS-IMID", "CLASS-PI", "CLASS-PI-IMID"]

RULE_ID_PATTERN = r"^[A-Z0-9-]+$"


class DrugClass(StrEnum):
    IMID = "imid"
    PROTEASOME_INHIBITOR = "proteasome_inhibitor"
    ALKYLATOR = "alkylator"
    ANTHRACYCLINE = "anthracycline"
    STEROID = "steroid"
    #: other cytotoxics: vincristine, etoposide, cisplatin
    CONVENTIONAL = "conventional"


def lookup_key(name: str) -> str:
    """The form under which names are compared: trimmed, inner whitespace collapsed, case-folded."""
    return " ".join(name.split()).casefold()


# Strict strings: a TOML number or boolean where text belongs is a data error, not something to coerce.
_Text = Annotated[str, StringConstraints(strict=True, min_length=1)]
_DrugName = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z0-9][a-z0-9 -]*[a-z0-9]$")]
_RegimenId = Annotated[str, StringConstraints(strict=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9-]*$")]


class _Entry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Drug(_Entry):
    """One drug: canonical lower-case name, Chinese name, classes, and whether it is a novel agent."""

    name: _DrugName
    zh: _Text
    classes: Annotated[tuple[DrugClass, ...], Field(min_length=1)]
    #: SEQ-NOVEL: only bortezomib, thalidomide and lenalidomide are "novel agents" in the source.
    novel: StrictBool
    aliases: tuple[_Text, ...]

    @property
    def steroid(self) -> bool:
        # STEROID-INTOL and SEQ-REFRACTORY-DRUG treat steroids apart (never marked refractory).
        return DrugClass.STEROID in self.classes


class Evidence(_Entry):
    """One line of evidence for a regimen: the figure, the trial and the rule id it comes from."""

    rule: Annotated[str, StringConstraints(strict=True, pattern=RULE_ID_PATTERN)]
    figure: _Text
    trial: _Text
    en: _Text
    zh: _Text


class Regimen(_Entry):
    """A regimen (or a transplant) of rules.md section I.

    Drug classes and novel agents need the drug table; the knowledge base resolves them once when
    it is built, so ``classes``, ``has_novel_agent`` and ``contains`` are plain look-ups.
    """

    id: _RegimenId
    name_en: _Text
    name_zh: _Text
    aliases: tuple[_Text, ...]
    #: canonical drug names, steroid included
    drugs: tuple[_Text, ...]
    family: Family | None = None
    conventional_only: StrictBool
    intensive: StrictBool
    kind: Literal["regimen", "transplant"]
    transplant: Literal["autologous", "allogeneic"] | None = None
    guideline: _Text | None = None
    evidence: Annotated[tuple[Evidence, ...], Field(min_length=1)]

    _classes: frozenset[DrugClass] | None = PrivateAttr(default=None)
    _novel_agents: tuple[str, ...] = PrivateAttr(default=())
    _drug_keys: frozenset[str] = PrivateAttr(default=frozenset())

    @property
    def n_drugs(self) -> int:
        """Number of drugs, the steroid counted (RISK-INTENSITY: Rd = 2, VRd = 3)."""
        return len(self.drugs)

    @property
    def is_transplant(self) -> bool:
        return self.kind == "transplant"

    @property
    def classes(self) -> tuple[DrugClass, ...]:
        """Union of the classes of its drugs, in the order of :class:`DrugClass`."""
        resolved = self._resolved()
        return tuple(c for c in DrugClass if c in resolved)

    @property
    def novel_agents(self) -> tuple[str, ...]:
        self._resolved()
        return self._novel_agents

    @property
    def has_novel_agent(self) -> bool:
        """SEQ-NOVEL / OPT-CONVENTIONAL: does it contain bortezomib, thalidomide or lenalidomide?"""
        return bool(self.novel_agents)

    def contains(self, drug: str) -> bool:
        """Whether the regimen contains ``drug`` (canonical name or alias, any case)."""
        self._resolved()
        return isinstance(drug, str) and lookup_key(drug) in self._drug_keys

    def name(self, lang: str = "en") -> str:
        if lang == "en":
            return self.name_en
        if lang == "zh":
            return self.name_zh
        raise ValueError(f"lang must be 'en' or 'zh' (got {lang!r})")

    def _resolved(self) -> frozenset[DrugClass]:
        if self._classes is None:
            raise RuntimeError(
                f"regimen {self.id!r} is not part of a knowledge base; "
                "get it from load_knowledge_base() or find_regimen()"
            )
        return self._classes


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KnowledgeBaseProblem:
    """One inconsistency: which entry (``regimen 'VRd'``, ``drug #3``), which field, what is wrong."""

    entry: str
    field: str
    detail: str

    @property
    def message(self) -> str:
        where = f"{self.entry}: {self.field}" if self.field else self.entry
        return f"{where}: {self.detail}"

    def __str__(self) -> str:
        return self.message


class KnowledgeBaseError(ValueError):
    """The regimen file cannot be used; ``problems`` lists every inconsistency found."""

    def __init__(self, problems: Sequence[KnowledgeBaseProblem], source: str = PACKAGED_FILE):
        self.problems = tuple(problems)
        self.source = source
        super().__init__("; ".join(p.message for p in self.problems))

    def lines(self) -> list[str]:
        return [p.message for p in self.problems]


# --------------------------------------------------------------------------------------------
# Consistency checks that span entries (pydantic checks each entry's shape and types)
# --------------------------------------------------------------------------------------------


def _regimen_label(regimen: Regimen) -> str:
    return f"regimen {regimen.id!r}"


def _consistency_problems(
    drugs: Sequence[Drug], regimens: Sequence[Regimen]
) -> list[KnowledgeBaseProblem]:
    problems: list[KnowledgeBaseProblem] = []

    def add(entry: str, field: str, detail: str) -> None:
        problems.append(KnowledgeBaseProblem(entry, field, detail))

    # Drug names, Chinese names and aliases share one namespace: each resolves to one drug.
    drug_owner: dict[str, str] = {}
    for drug in drugs:
        entry = f"drug {drug.name!r}"
        names = [("name", drug.name), ("zh", drug.zh)]
        names += [(f"aliases[{i}]", alias) for i, alias in enumerate(drug.aliases)]
        for field, text in names:
            key = lookup_key(text)
            if key in drug_owner:
                add(entry, field, f"duplicate name {text!r} (already names drug {drug_owner[key]!r})")
            else:
                drug_owner[key] = drug.name
        if drug.novel and not {DrugClass.IMID, DrugClass.PROTEASOME_INHIBITOR} & set(drug.classes):
            add(entry, "novel", "a novel agent must be an IMiD or a proteasome inhibitor")
    drug_table = {d.name: d for d in drugs}

    # Regimen ids and aliases share one namespace too, compared case-insensitively: a pure case
    # variant of a name already listed is a duplicate, since resolution ignores case.
    regimen_owner: dict[str, str] = {}
    for regimen in regimens:
        entry = _regimen_label(regimen)
        names = [("id", regimen.id)] + [(f"aliases[{i}]", a) for i, a in enumerate(regimen.aliases)]
        for field, text in names:
            key = lookup_key(text)
            if key in regimen_owner:
                add(
                    entry,
                    field,
                    f"duplicate name {text!r} (already names regimen {regimen_owner[key]!r}; "
                    "names are compared case-insensitively)",
                )
            else:
                regimen_owner[key] = regimen.id

        known: list[Drug] = []
        for i, name in enumerate(regimen.drugs):
            drug = drug_table.get(name)
            if drug is None:
                alias_of = drug_owner.get(lookup_key(name))
                hint = f" (an alias of {alias_of!r}: use the canonical name)" if alias_of else ""
                add(entry, f"drugs[{i}]", f"unknown drug {name!r}{hint}")
            elif drug in known:
                add(entry, f"drugs[{i}]", f"drug {name!r} is listed twice")
            else:
                known.append(drug)
        novel = [d.name for d in known if d.novel]
        all_known = len(known) == len(regimen.drugs)  # judge the contents only when complete

        if regimen.kind == "transplant":
            if regimen.transplant is None:
                add(entry, "transplant", "a transplant needs transplant = 'autologous' or 'allogeneic'")
            if regimen.conventional_only:
                add(entry, "conventional_only", "a transplant is not chemotherapy: must be false")
            if not regimen.intensive:
                add(entry, "intensive", "a transplant is intensive therapy (GOAL-FRAIL): must be true")
        else:
            if regimen.transplant is not None:
                add(entry, "transplant", "only an entry of kind = 'transplant' has a transplant type")
            if not regimen.drugs:
                add(entry, "drugs", "a regimen needs at least one drug")
            # OPT-CONVENTIONAL: "conventional only" means exactly "no novel agent".
            if regimen.conventional_only and novel:
                detail = f"true, but the regimen contains the novel agent {novel[0]!r}"
                add(entry, "conventional_only", detail)
            if not regimen.conventional_only and known and not novel and all_known:
                add(
                    entry,
                    "conventional_only",
                    "false, but the regimen contains no novel agent "
                    "(bortezomib, thalidomide, lenalidomide)",
                )

        if all_known:
            detail = _family_problem(regimen.family, known)
            if detail:
                add(entry, "family", detail)
    return problems


def _family_problem(family: str | None, drugs: Iterable[Drug]) -> str | None:
    """CLASS-*: the family must agree with the novel agents the regimen contains.

    The source files VTd (bortezomib + thalidomide) as bortezomib-based, so CLASS-PI asks only
    for bortezomib; CLASS-IMID excludes it; CLASS-PI-IMID needs both.
    """
    novel_classes = {c for d in drugs if d.novel for c in d.classes}
    has_pi = DrugClass.PROTEASOME_INHIBITOR in novel_classes
    has_imid = DrugClass.IMID in novel_classes
    if family is None:
        return "missing: a regimen with a novel agent needs a CLASS-* family" if novel_classes else None
    if not novel_classes:
        return f"{family!r} given, but the regimen contains no novel agent: leave family out"
    if family == "CLASS-IMID" and (has_pi or not has_imid):
        return "'CLASS-IMID' needs thalidomide or lenalidomide and no bortezomib"
    if family == "CLASS-PI" and not has_pi:
        return "'CLASS-PI' needs bortezomib"
    if family == "CLASS-PI-IMID" and not (has_pi and has_imid):
        return "'CLASS-PI-IMID' needs bortezomib and thalidomide or lenalidomide"
    return None


# --------------------------------------------------------------------------------------------
# The knowledge base
# --------------------------------------------------------------------------------------------


class KnowledgeBase(BaseModel):
    """The validated regimen table with its look-up indices (built once, at construction)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: Annotated[str, StringConstraints(strict=True, pattern=r"^\d+\.\d+\.\d+$")]
    drugs: dict[str, Drug]
    regimens: tuple[Regimen, ...]

    _regimen_by_key: dict[str, Regimen] = PrivateAttr(default_factory=dict)
    _drug_by_key: dict[str, str] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        problems = [
            KnowledgeBaseProblem(f"drug {key!r}", "name", f"differs from its table key ({drug.name!r})")
            for key, drug in self.drugs.items()
            if key != drug.name
        ]
        problems += _consistency_problems(list(self.drugs.values()), self.regimens)
        if problems:
            # Inside pydantic this surfaces as a ValidationError; load_knowledge_base() checks
            # first and raises KnowledgeBaseError, the error meant for users.
            raise ValueError("; ".join(p.message for p in problems))

        for drug in self.drugs.values():
            for text in (drug.name, drug.zh, *drug.aliases):
                self._drug_by_key[lookup_key(text)] = drug.name
        for regimen in self.regimens:
            members = [self.drugs[name] for name in regimen.drugs]
            regimen._classes = frozenset(c for d in members for c in d.classes)
            regimen._novel_agents = tuple(d.name for d in members if d.novel)
            regimen._drug_keys = frozenset(
                lookup_key(text) for d in members for text in (d.name, d.zh, *d.aliases)
            )
            for text in (regimen.id, *regimen.aliases):
                self._regimen_by_key[lookup_key(text)] = regimen

    def find(self, name: str) -> Regimen | None:
        """The regimen named ``name`` (id or alias, any case, whitespace trimmed), else None."""
        if not isinstance(name, str):
            return None
        return self._regimen_by_key.get(lookup_key(name))

    def regimen(self, id: str) -> Regimen:
        """The regimen with this id or alias; KeyError when the knowledge base has none."""
        found = self.find(id)
        if found is None:
            known = ", ".join(r.id for r in self.regimens)
            raise KeyError(f"unknown regimen {id!r}; known ids: {known}")
        return found

    def canonical_drug(self, name: str) -> str | None:
        """Canonical drug name from a canonical name, Chinese name or alias (any case), else None."""
        if not isinstance(name, str):
            return None
        return self._drug_by_key.get(lookup_key(name))

    def classes_of(self, regimen: Regimen | str) -> frozenset[DrugClass]:
        """Drug classes of a regimen (given as object, id or alias), from this drug table."""
        chosen = self.regimen(regimen) if isinstance(regimen, str) else regimen
        return frozenset(c for name in chosen.drugs for c in self.drugs[name].classes)


class _KnowledgeBaseFile(BaseModel):
    """The shape of regimens.toml: top-level ``version``, ``[[drug]]`` and ``[[regimen]]``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: Annotated[str, StringConstraints(strict=True, pattern=r"^\d+\.\d+\.\d+$")]
    drug: Annotated[tuple[Drug, ...], Field(min_length=1)]
    regimen: Annotated[tuple[Regimen, ...], Field(min_length=1)]


def _entry_name(kind: str, position: int, raw: Any) -> str:
    """'regimen 'VRd'' when the entry has a usable id/name, else its 1-based position."""
    label_key = "id" if kind == "regimen" else "name"
    label = raw.get(label_key) if isinstance(raw, Mapping) else None
    return f"{kind} {label!r}" if isinstance(label, str) and label else f"{kind} #{position + 1}"


def _field_path(loc: Sequence[int | str]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def _validation_problems(
    error: ValidationError, raw: Mapping[str, Any]
) -> list[KnowledgeBaseProblem]:
    problems = []
    for item in error.errors(include_url=False):
        loc = item["loc"]
        if len(loc) >= 2 and loc[0] in ("drug", "regimen") and isinstance(loc[1], int):
            entries = raw.get(loc[0])
            in_range = isinstance(entries, list) and loc[1] < len(entries)
            raw_entry = entries[loc[1]] if in_range else None
            entry, rest = _entry_name(str(loc[0]), loc[1], raw_entry), loc[2:]
        else:
            entry, rest = "knowledge base", loc
        if item["type"] == "missing":
            detail = "required field is missing"
        elif item["type"] == "extra_forbidden":
            detail = "unknown field (not part of the knowledge-base format)"
        else:
            detail = f"{item['msg']} (got {shown_value(item['input'])})"
        problems.append(KnowledgeBaseProblem(entry, _field_path(rest), detail))
    return problems


def load_knowledge_base(path: Path | None = None) -> KnowledgeBase:
    """Read and validate a regimen file (default: the packaged ``regimens.toml``).

    Raises KnowledgeBaseError listing every problem, each naming its entry and field.
    """
    source = str(path) if path is not None else f"mmlogic/{PACKAGED_FILE}"
    try:
        if path is None:
            text = resources.files(__package__).joinpath(PACKAGED_FILE).read_text("utf-8")
        else:
            text = Path(path).read_text("utf-8")
    except OSError as exc:
        problem = KnowledgeBaseProblem(source, "", f"cannot be read ({exc.strerror or exc})")
        raise KnowledgeBaseError([problem], source) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        problem = KnowledgeBaseProblem(source, "", f"is not valid TOML: {exc}")
        raise KnowledgeBaseError([problem], source) from None

    try:
        parsed = _KnowledgeBaseFile.model_validate(raw)
    except ValidationError as exc:
        raise KnowledgeBaseError(_validation_problems(exc, raw), source) from None

    problems = _consistency_problems(parsed.drug, parsed.regimen)
    if problems:
        raise KnowledgeBaseError(problems, source)
    return KnowledgeBase(
        version=parsed.version,
        drugs={drug.name: drug for drug in parsed.drug},
        regimens=parsed.regimen,
    )


# --------------------------------------------------------------------------------------------
# The packaged knowledge base, loaded once per process (find_regimen runs for every therapy line)
# --------------------------------------------------------------------------------------------


@cache
def knowledge_base() -> KnowledgeBase:
    return load_knowledge_base()


def find_regimen(name: str) -> Regimen | None:
    """The packaged regimen with this id or alias (case-insensitive, trimmed); None when unknown."""
    return knowledge_base().find(name)


@cache
def known_drugs() -> frozenset[str]:
    """Canonical drug names of the packaged knowledge base."""
    return frozenset(knowledge_base().drugs)


def normalise_drug(name: str) -> str | None:
    """Canonical drug name from a canonical name, Chinese name or alias (any case); None if unknown."""
    return knowledge_base().canonical_drug(name)
