"""Message catalogs of the app's parts, one module per part (``TEXTS = {key: {"en": …, "zh": …}}``).

``ui/i18n.py`` merges the core catalog with every module here; a key defined twice is an error at
import, so two parts never silently overwrite each other's wording.
"""

from __future__ import annotations

import importlib
import pkgutil


def part_catalogs() -> list[tuple[str, dict[str, dict[str, str]]]]:
    """(module name, TEXTS) of every part catalog, in name order (deterministic)."""
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        found.append((info.name, module.TEXTS))
    return found
