"""``ui.safe.plain`` has an ASCII fast path (speed of every rerun): it drops exactly what the
character-by-character rule drops, for any text."""

from __future__ import annotations

import unicodedata

from hypothesis import given, strategies as st

from ui.safe import plain, text


def _reference(value: str) -> str:
    return "".join(ch for ch in value if unicodedata.category(ch) != "Cf")


def test_no_format_character_is_ascii():
    assert all(unicodedata.category(chr(c)) != "Cf" for c in range(128))


@given(st.text())
def test_plain_equals_the_reference_rule(value):
    assert plain(value) == _reference(value)


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_ascii_text_is_returned_unchanged(value):
    assert plain(value) == value


def test_invisible_controls_are_still_dropped():
    assert plain("a\u200bb\u202ec\u2066d\ufeff") == "abcd"
    assert text("x\u200b[y](javascript:z)") == "x&#91;y&#93;(javascript:\u2060z)"


@given(st.one_of(st.text(), st.integers(), st.floats(allow_nan=False)))
def test_text_is_the_same_on_a_second_call(value):
    """``text`` is cached on the string: a repeat gives the same inert text as the first call."""
    first = text(value)
    assert text(value) == first == text(str(value))
