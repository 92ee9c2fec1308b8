"""Decision axes of the contemporary evidence: what the disease has seen and resists.

From the treatment history (lines, their drugs and DEF-DRUG-REFRACTORY per line) this computes
``exposure`` for both packs (docs/spec/contemporary-pack.md, dossier §1b A2–A7): prior lines,
per-drug exposed/refractory, per-class naive/exposed/refractory, and the named flags trials and
labels use (len-refractory, anti-CD38-refractory, triple-class, penta-refractory, BCMA and
T-cell-redirection exposure).
"""

from __future__ import annotations

from .assessment import ClassExposure, Exposure, Text
from .drugs import BCMA_CLASSES, TCR_CLASSES, DrugClass, vocabulary
from .history import History
from .regimens import knowledge_base
from .rules import evaluates

__all__ = ["decision_axes", "exposure_from", "prior_lines"]

#: classes reported per class (steroids are never refractory: SEQ-REFRACTORY-DRUG)
REPORTED_CLASSES = tuple(c for c in DrugClass if c is not DrugClass.STEROID)


def prior_lines(history: History) -> int:
    """Lines before the decision at hand: every course (a maintenance continues its line), the
    current one included once it has progressed or ended; an ongoing, unprogressed one is not."""
    count = 0
    for i, course in enumerate(history.courses):
        last = i == len(history.courses) - 1
        finished = course.progression is not None or all(line.end is not None for line in course.lines)
        if not last or finished:
            count += 1
    return count


@evaluates("CP-EXPOSURE")
def decision_axes(history: History) -> Exposure:
    """When the history names drugs, Then classify each drug and class as exposed or refractory
    (refractory = DEF-DRUG-REFRACTORY on a line containing it) and derive the trial flags
    (CP-EXPOSURE; penta-refractory per dossier A6)."""
    vocab = vocabulary()
    seed_drugs = knowledge_base().drugs
    drugs: dict[str, str] = {}
    unrecognised: list[str] = []
    unresolved: list[str] = []
    for fact in history.lines:
        if not fact.line.drugs and fact.line.regimen not in unresolved:
            unresolved.append(fact.line.regimen)
        for drug in fact.line.drugs:
            if drug not in vocab.by_name:
                if drug not in unrecognised:
                    unrecognised.append(drug)
                continue
            if DrugClass.STEROID in vocab.classes(drug):
                continue
            if fact.refractory:
                drugs[drug] = "refractory"
            else:
                drugs.setdefault(drug, "exposed")

    exposure = exposure_from(drugs, prior_lines(history))
    notes = [_seed_note(d, vocab.classes(d)) for d in drugs if d not in seed_drugs]
    notes += [Text(en=f"'{d}' is not in the drug vocabulary: kept as free text, not counted in any class",
                   zh=f"“{d}”不在药物词表中:按自由文本保留,不计入任何药物类别") for d in unrecognised]
    notes += [Text(en=f"regimen '{r}' is not in the vocabulary and lists no drugs: its drugs are unknown",
                   zh=f"方案“{r}”不在词表中且未列出药物:其所含药物未知") for r in unresolved]
    return exposure.model_copy(update={"unrecognised_drugs": unrecognised, "notes": notes})


def exposure_from(drugs: dict[str, str], prior: int) -> Exposure:
    """The axes from per-drug states (canonical name -> 'exposed' | 'refractory') and prior lines."""
    vocab = vocabulary()
    class_of = {d: vocab.classes(d) for d in drugs}  # looked up once per drug, not once per question

    def members(cls: DrugClass, state: str | None = None) -> list[str]:
        return [d for d, s in drugs.items() if cls in class_of[d] and (state is None or s == state)]

    classes: dict[str, ClassExposure] = {}
    for cls in REPORTED_CLASSES:
        if members(cls, "refractory"):
            classes[cls.value] = ClassExposure.REFRACTORY
        elif members(cls):
            classes[cls.value] = ClassExposure.EXPOSED
        else:
            classes[cls.value] = ClassExposure.NAIVE
    triple = (DrugClass.IMID, DrugClass.PROTEASOME_INHIBITOR, DrugClass.ANTI_CD38)
    penta = (
        len(members(DrugClass.PROTEASOME_INHIBITOR, "refractory")) >= 2
        and len(members(DrugClass.IMID, "refractory")) >= 2
        and bool(members(DrugClass.ANTI_CD38, "refractory"))
    )
    return Exposure(
        prior_lines=prior,
        drugs=drugs,
        classes=classes,
        len_refractory=drugs.get("lenalidomide") == "refractory",
        anti_cd38_refractory=bool(members(DrugClass.ANTI_CD38, "refractory")),
        pi_refractory=bool(members(DrugClass.PROTEASOME_INHIBITOR, "refractory")),
        triple_class_exposed=all(members(c) for c in triple),
        triple_class_refractory=all(members(c, "refractory") for c in triple),
        penta_refractory=penta,
        bcma_exposed=any(vocab.classes(d) & BCMA_CLASSES for d in drugs),
        tcr_exposed=any(vocab.classes(d) & TCR_CLASSES for d in drugs),
        rules=["CP-EXPOSURE", "DEF-DRUG-REFRACTORY"],
    )


def _seed_note(drug: str, classes: frozenset[DrugClass]) -> Text:
    """How the seed pack's rules see a drug it does not know (SEQ-REFRACTORY-DRUG works per drug)."""
    if DrugClass.IMID in classes:
        return Text(
            en=f"{drug}: unknown to the seed pack; as an IMiD it counts in the history and, when refractory, "
            "in SEQ-REFRACTORY-DRUG; the seed's IMiD cross-resistance (IMID-CROSS) names only thalidomide "
            "and lenalidomide and is not extended to it",
            zh=f"{drug}:种子知识包未收录;作为IMiD类药物,计入治疗史,耐药时计入SEQ-REFRACTORY-DRUG;"
            "种子包的IMiD交叉耐药规则(IMID-CROSS)仅涉及沙利度胺与来那度胺,不推及此药",
        )
    return Text(
        en=f"{drug}: unknown to the seed pack and of a class its rules do not name: ignored by the seed "
        "suggestions (shown in the contemporary pack)",
        zh=f"{drug}:种子知识包未收录,且其药物类别不在种子规则中:种子建议不予考虑(见当代证据包)",
    )
