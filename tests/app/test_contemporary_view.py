"""AppTest of the contemporary pack (issue 15): sidebar choice, side-by-side view, jurisdiction."""

from __future__ import annotations

from .helpers import start


def _markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_side_by_side_view_and_jurisdiction_switch():
    at = start("ex-04")
    at.radio(key="side_case_pack_en").set_value("contemporary").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["case"]["settings"]["pack"] == "contemporary"
    at.switch_page("pages/assessment.py").run()
    assert not at.exception, [e.value for e in at.exception]
    text = _markdown(at)
    headers = [h.value for h in at.subheader]
    assert "Seed pack: ranked suggestions" in headers and "Contemporary pack: evidence options" in headers
    assert "Evidence summary, not a recommendation; check the current label and guideline." in text
    assert "contemporary-2025.1" in "\n".join(c.value for c in at.caption)
    assert any("not directly comparable" in w.value for w in at.warning)
    # the jurisdiction is an explicit choice, stored with the case
    at.selectbox(key="side_case_jurisdiction_en").set_value("eu").run()
    assert at.session_state["case"]["settings"]["jurisdiction"] == "eu"
    assert any("European Union" in c.value for c in at.caption)
    # one pack at a time, as the user chooses
    at.radio(key="assess_pack_view_en").set_value("contemporary").run()
    assert "Seed pack: ranked suggestions" not in [h.value for h in at.subheader]
    at.radio(key="assess_pack_view_en").set_value("seed").run()
    assert "Contemporary pack: evidence options" not in [h.value for h in at.subheader]


def test_chinese_side_by_side_and_seed_default():
    at = start("ex-04")
    at.switch_page("pages/assessment.py").run()
    assert not any(h.value == "Contemporary pack: evidence options" for h in at.subheader)
    assert any("Choose the contemporary pack" in c.value for c in at.caption)
    at.radio(key="side_lang").set_value("zh").run()
    at.radio(key="side_case_pack_zh").set_value("contemporary").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "证据摘要,并非治疗推荐;请核对现行说明书与指南。" in _markdown(at)
    assert "当代证据包:证据选项" in [h.value for h in at.subheader]


def test_vocabulary_lookup_offers_names_and_accepts_free_text():
    from ui.vocabulary_lookup import resolution_text, suggestions

    assert {"KRd", "dara", "cilta-cel", "VRd", "daratumumab"} <= set(suggestions())
    assert resolution_text("Dara-Pd", "en") == "Dara-Pd → daratumumab, pomalidomide, dexamethasone"
    assert "not in the vocabulary" in resolution_text("XYZ-123", "en")
    at = start("ex-04")
    box = at.selectbox(key="patient_vocab_lookup_en")
    assert "KRd" in box.options
    box.set_value("KRd").run()
    assert any("KRd → carfilzomib, lenalidomide, dexamethasone" in c.value for c in at.caption)
