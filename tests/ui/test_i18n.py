"""One catalog: every key in every language, same placeholders, every key used exists."""

from __future__ import annotations

import re
import string
from pathlib import Path

from ui.i18n import CATALOG, LANGUAGES, tr

ROOT = Path(__file__).resolve().parents[2]


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_has_every_language():
    missing = [(key, lang) for key, entry in CATALOG.items() for lang in LANGUAGES if not entry.get(lang, "").strip()]
    assert not missing


def test_placeholders_match_between_languages():
    mismatched = [key for key, entry in CATALOG.items() if len({frozenset(fields(entry[lang])) for lang in LANGUAGES}) > 1]
    assert not mismatched


def test_chinese_is_not_a_copy_of_english_for_sentences():
    same = [k for k, e in CATALOG.items() if e["en"] == e["zh"] and len(e["en"]) > 12 and " " in e["en"]]
    assert not same


def test_every_literal_key_used_in_the_app_exists():
    pattern = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_.]*[a-z0-9_])["']""")
    used = set()
    for path in [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "ui").rglob("*.py")]:
        used |= set(pattern.findall(path.read_text("utf-8")))
    assert used, "no keys found: the pattern is wrong"
    assert not sorted(k for k in used if k not in CATALOG)


def test_enum_values_of_the_assessment_have_labels():
    from mmlogic.assessment import KineticsStatus, StatusCategory, TimingRecommendation, TransplantOption

    for prefix, enum in (("status.", StatusCategory), ("timing.", TimingRecommendation), ("kin.", KineticsStatus),
                         ("tx.", TransplantOption)):
        for member in enum:
            assert prefix + member.value in CATALOG


def test_tr_fills_placeholders_and_rejects_unknown_keys():
    assert tr("labs.row_problem", "zh", row=3, message="x") == "第 3 行,x"
    try:
        tr("no.such.key", "en")
    except KeyError as error:
        assert "no.such.key" in str(error)
    else:
        raise AssertionError("unknown key accepted")


def test_a_part_catalog_cannot_redefine_a_key(monkeypatch):
    import ui.i18n as i18n
    import ui.texts as texts

    monkeypatch.setattr(texts, "part_catalogs", lambda: [("clash", {"app.title": {"en": "x", "zh": "x"}})])
    try:
        i18n._merged({"app.title": {"en": "a", "zh": "b"}})
    except ValueError as error:
        assert "app.title" in str(error) and "clash" in str(error)
    else:
        raise AssertionError("a duplicated key was accepted")


def test_part_catalog_keys_are_merged(monkeypatch):
    import ui.i18n as i18n
    import ui.texts as texts

    monkeypatch.setattr(texts, "part_catalogs", lambda: [("extra", {"extra.key": {"en": "E", "zh": "中"}})])
    merged = i18n._merged({"app.title": {"en": "a", "zh": "b"}})
    assert merged["extra.key"]["zh"] == "中" and merged["app.title"]["en"] == "a"
