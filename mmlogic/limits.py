"""Every limit on what may enter the program, in one place (issues #13 and #16).

Each way a case or a lab enters (case JSON, lab CSV, wide laboratory exports, xlsx, FHIR, grid
rows, uploads to the app, imports into the case library) checks these same numbers *before* it
parses or converts anything, so hostile input becomes a problem naming the limit, never a
traceback, a frozen page or a server out of memory. The Streamlit upload limit
(``.streamlit/config.toml`` ``server.maxUploadSize``) is set to the same size by a test.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "MAX_CELL_CHARS",
    "MAX_EVENTS",
    "MAX_INPUT_BYTES",
    "MAX_INPUT_MB",
    "MAX_JSON_DEPTH",
    "MAX_LAB_ROWS",
    "MAX_NUMBER_CHARS",
    "MAX_TEXT_CHARS",
    "MAX_THERAPY_LINES",
    "MAX_UNPACKED_BYTES",
]

#: One size for every file that enters (case, CSV, xlsx, FHIR Bundle or NDJSON), in bytes.
MAX_INPUT_MB: Final = 5
MAX_INPUT_BYTES: Final = MAX_INPUT_MB * 1024 * 1024
#: An xlsx (a zip) may not unpack to more than this: a zip bomb is refused before it is read.
MAX_UNPACKED_BYTES: Final = 50 * 1024 * 1024
#: Nesting depth of JSON, checked before validation (a case nests 4 deep, a FHIR Bundle about 10).
MAX_JSON_DEPTH: Final = 64
#: Lab rows in one case or one import (10 years × 100 visits × 10 analytes fit twice over).
MAX_LAB_ROWS: Final = 20_000
#: Therapy lines and events in one case.
MAX_THERAPY_LINES: Final = 100
MAX_EVENTS: Final = 2_000
#: Characters of one cell of a table (a value, a unit, a regimen) and of one free text (label, rationale).
MAX_CELL_CHARS: Final = 200
MAX_TEXT_CHARS: Final = 2_000
#: Characters of a number as typed, checked before it is converted (a 4,000-digit value is refused).
MAX_NUMBER_CHARS: Final = 32
