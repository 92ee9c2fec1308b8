"""Class refractoriness: resistance that carries from one drug to its class-mate (rules.md K).

DEF-DRUG-REFRACTORY (revised, catalog 1.1) with IMID-CROSS: prior thalidomide shortens the
benefit of lenalidomide, so disease refractory to one IMiD is treated as refractory to the other
("refractory (class)", ASSUME-IMID-CLASS). Only the IMiD class carries refractoriness in the seed
pack: a proteasome inhibitor, an alkylator or a steroid carries nothing to its class-mates.
"""

from __future__ import annotations

from collections.abc import Iterable

from .regimens import knowledge_base
from .rules import evaluates

__all__ = ["CROSS_RESISTANT_CLASSES", "class_refractory"]

# The drug classes within which refractoriness carries (ASSUME-IMID-CLASS; IMID-CROSS is about
# thalidomide and lenalidomide only).
CROSS_RESISTANT_CLASSES = ("imid",)


@evaluates("ASSUME-IMID-CLASS")
def class_refractory(refractory: Iterable[str]) -> dict[str, str]:
    """When the disease is refractory to a drug of a cross-resistant class (ASSUME-IMID-CLASS),
    Then every class-mate not itself refractory is refractory (class): class-mate -> the drug
    it is refractory through (the first such drug, in the order given)."""
    drugs = knowledge_base().drugs
    direct = tuple(refractory)
    out: dict[str, str] = {}
    for source in direct:
        known = drugs.get(source)
        if known is None:
            continue
        shared = set(known.classes) & set(CROSS_RESISTANT_CLASSES)
        if not shared:
            continue
        for name, other in drugs.items():
            if name in direct or name in out or not shared & set(other.classes):
                continue
            out[name] = source
    return out
