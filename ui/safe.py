"""The one rule for untrusted text (issue #13): text from a case is data, never markup.

Everything a case carries — labels, ids, regimens typed as free text, isotypes, rationales,
attendee names, file names, values quoted back in problems — may reach ``st.markdown``,
``st.caption``, widget labels (which render Markdown, images included) or HTML built for
``unsafe_allow_html``. ``text()`` makes it inert in every one of those contexts at once: HTML
special characters become entities, and so does every character that starts Markdown syntax
(emphasis, code, the brackets of links and images, headings, tables, Streamlit's ``:color[...]`` and
``:material/...:`` directives) and what GFM turns into links by itself (``http:``, ``www.``,
``a@b``: an invisible word joiner breaks those). CommonMark decodes the entities back to the same characters *as text*, so the
clinician reads exactly what was typed, and nothing can run, load or link.

Trusted texts (the message catalog, rule explanations, knowledge-base names) do not need it, but
passing them through is harmless.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["plain", "text"]

_ENTITIES = str.maketrans({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
    "*": "&#42;", "`": "&#96;", "~": "&#126;", "#": "&#35;", "|": "&#124;",
    "[": "&#91;", "]": "&#93;", "\\": "&#92;", "@": "\u2060@\u2060", "$": "&#36;", "\n": " ", "\r": " ",
})
# "http:", ":red[", ":material/…:" — a colon that touches the next character; "a: b" stays as typed.
# The browser's Markdown decodes entities *before* it turns http://… or www.… into links, so these
# get an invisible WORD JOINER (U+2060) that breaks the pattern and changes nothing on screen.
WORD_JOINER = "\u2060"
_COLON = re.compile(r":(?=\S)")
# An underscore inside a word (serum_m_protein) is never emphasis in CommonMark; at its edges it can be.
_EDGE_UNDERSCORE = re.compile(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")
_LEADING = frozenset("-+=")
_NUMBERED = re.compile(r"^(\d+)\.")
_WWW = re.compile(r"(?i)(www)\.")


def plain(value: object) -> str:
    """The text without invisible controls that could disguise it (zero-width, bidi overrides)."""
    string = str(value)
    if string.isascii():  # no format (Cf) character is below U+00AD: the common case costs nothing
        return string
    return "".join(ch for ch in string if unicodedata.category(ch) != "Cf")


def text(value: object) -> str:
    """Inert in Markdown and in HTML: shows exactly the characters typed, renders no markup."""
    if value is None:
        return ""
    return _text(str(value))


@lru_cache(maxsize=8192)  # the same texts (rule explanations, labels) come back on every rerun
def _text(value: str) -> str:
    out = _WWW.sub(r"\1" + WORD_JOINER + ".", _COLON.sub(":" + WORD_JOINER, _EDGE_UNDERSCORE.sub("&#95;", plain(value).translate(_ENTITIES))))
    # A list item or a setext heading starts with one of these; a numbered list with "12.".
    if out[:1] in _LEADING:
        out = f"&#{ord(out[0])};{out[1:]}"
    return _NUMBERED.sub(r"\1&#46;", out)
