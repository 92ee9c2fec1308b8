"""The drug vocabulary for history entry, shared by the seed and the contemporary pack.

``drugs.toml`` (data) lists every drug of the seed and of the contemporary dossier with its
classes, synonyms as clinicians type them and names in en/zh, plus regimen shorthands (KRd,
DPd, ...) that resolve to their drugs. It is validated by pydantic when loaded; a name that
resolves to two drugs stops the load naming the entry.

A drug outside the vocabulary is never rejected: it stays free text and the assessment carries a
warning (contract: docs/spec/contemporary-pack.md, "Drug vocabulary").
"""

from __future__ import annotations

import tomllib
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints, model_validator

__all__ = [
    "DrugClass",
    "VocabularyDrug",
    "Vocabulary",
    "canonical_drug",
    "drugs_of_regimen",
    "vocabulary",
]


class DrugClass(StrEnum):
    IMID = "imid"
    PROTEASOME_INHIBITOR = "proteasome_inhibitor"
    ANTI_CD38 = "anti_cd38"
    ANTI_SLAMF7 = "anti_slamf7"
    BCMA_ADC = "bcma_adc"
    BCMA_CAR_T = "bcma_car_t"
    BCMA_BISPECIFIC = "bcma_bispecific"
    GPRC5D_BISPECIFIC = "gprc5d_bispecific"
    XPO1_INHIBITOR = "xpo1_inhibitor"
    BCL2_INHIBITOR = "bcl2_inhibitor"
    ALKYLATOR = "alkylator"
    ANTHRACYCLINE = "anthracycline"
    STEROID = "steroid"
    CONVENTIONAL = "conventional"


#: BCMA-directed classes (dossier A7) and T-cell redirection (CAR-T or bispecific, A7).
BCMA_CLASSES = frozenset({DrugClass.BCMA_ADC, DrugClass.BCMA_CAR_T, DrugClass.BCMA_BISPECIFIC})
TCR_CLASSES = frozenset({DrugClass.BCMA_CAR_T, DrugClass.BCMA_BISPECIFIC, DrugClass.GPRC5D_BISPECIFIC})

_Text = Annotated[str, StringConstraints(strict=True, min_length=1)]


def lookup_key(name: str) -> str:
    """Names compare trimmed, inner whitespace collapsed, case-folded."""
    return " ".join(name.split()).casefold()


class VocabularyDrug(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    name: Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z0-9][a-z0-9 -]*[a-z0-9]$")]
    en: _Text
    zh: _Text
    classes: Annotated[tuple[DrugClass, ...], Field(min_length=1)]
    synonyms: tuple[_Text, ...] = ()

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class RegimenShorthand(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    id: _Text
    synonyms: tuple[_Text, ...] = ()
    drugs: Annotated[tuple[_Text, ...], Field(min_length=1)]


class Vocabulary(BaseModel):
    """The validated vocabulary with its look-up indices."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    version: _Text
    drug: Annotated[tuple[VocabularyDrug, ...], Field(min_length=1)]
    regimen: tuple[RegimenShorthand, ...] = ()

    _by_name: dict[str, VocabularyDrug] = PrivateAttr(default_factory=dict)
    _drug_index: dict[str, str] = PrivateAttr(default_factory=dict)
    _regimen_index: dict[str, RegimenShorthand] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _one_owner_per_name(self) -> Vocabulary:
        owners: dict[str, str] = {}
        for drug in self.drug:
            for text in (drug.name, drug.zh, drug.en, *drug.synonyms):
                key = lookup_key(text)
                if owners.setdefault(key, drug.name) != drug.name:
                    raise ValueError(f"drug {drug.name!r}: name {text!r} already names {owners[key]!r}")
        regimen_owner: dict[str, str] = {}
        for regimen in self.regimen:
            for text in (regimen.id, *regimen.synonyms):
                key = lookup_key(text)
                if regimen_owner.setdefault(key, regimen.id) != regimen.id:
                    raise ValueError(f"regimen {regimen.id!r}: name {text!r} already names {regimen_owner[key]!r}")
            for name in regimen.drugs:
                if name not in {d.name for d in self.drug}:
                    raise ValueError(f"regimen {regimen.id!r}: unknown drug {name!r}")
        return self

    def model_post_init(self, context: object, /) -> None:
        # Look-up indices, built once (the model is frozen; private attributes are not fields).
        self._by_name = {d.name: d for d in self.drug}
        self._drug_index = {lookup_key(t): d.name for d in self.drug for t in (d.name, d.en, d.zh, *d.synonyms)}
        self._regimen_index = {lookup_key(t): r for r in self.regimen for t in (r.id, *r.synonyms)}

    @property
    def by_name(self) -> dict[str, VocabularyDrug]:
        return self._by_name

    def canonical(self, text: str) -> str | None:
        return self._drug_index.get(lookup_key(text))

    def regimen_drugs(self, text: str) -> tuple[str, ...] | None:
        found = self._regimen_index.get(lookup_key(text))
        return found.drugs if found else None

    def classes(self, name: str) -> frozenset[DrugClass]:
        drug = self.by_name.get(name)
        return frozenset(drug.classes) if drug else frozenset()


@cache
def vocabulary() -> Vocabulary:
    """The packaged vocabulary, validated once per process."""
    text = resources.files(__package__).joinpath("drugs.toml").read_text("utf-8")
    return Vocabulary.model_validate(tomllib.loads(text))


def canonical_drug(text: str) -> str | None:
    """Canonical drug name for a name, Chinese name or synonym (any case); None when unknown."""
    return vocabulary().canonical(text) if isinstance(text, str) else None


def drugs_of_regimen(text: str) -> tuple[str, ...] | None:
    """Drugs of a regimen as entered: seed regimen first, then a shorthand, then a single drug."""
    from .regimens import find_regimen

    seed = find_regimen(text)
    if seed is not None:
        return tuple(seed.drugs)
    shorthand = vocabulary().regimen_drugs(text)
    if shorthand is not None:
        return shorthand
    single = canonical_drug(text)
    return (single,) if single else None
