"""Myeloma Relapse Navigator — the pure clinical core.

``assess(case) -> Assessment`` applies the rule catalog of docs/spec/rules.md to one
patient's record; ``parse_case(data)`` validates raw case data into a ``Case`` or raises
``CaseInvalid`` naming every field at fault. No Streamlit, no Plotly, no clock, no I/O
(except in ``mmlogic.io`` and the command line).
"""

from .assess import assess
from .assessment import Assessment, Text
from .case import Case, parse_case
from .errors import CaseInvalid, CaseProblem
from .rules import RULES_VERSION, SOURCE, registry

__all__ = [
    "RULES_VERSION",
    "SOURCE",
    "Assessment",
    "Case",
    "CaseInvalid",
    "CaseProblem",
    "Text",
    "assess",
    "parse_case",
    "registry",
]
