"""The regimen knowledge base against rules.md sections G, H and I: the regimens it must hold, drug
counts with the steroid counted (RISK-INTENSITY), names and aliases resolved case-insensitively,
families and flags (CLASS-*, OPT-CONVENTIONAL, GOAL-FRAIL), evidence traced to rule ids, and
broken copies of the file rejected with a message that names the entry and the field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mmlogic.regimens import (
    FAMILIES,
    DrugClass,
    KnowledgeBase,
    KnowledgeBaseError,
    find_regimen,
    knowledge_base,
    known_drugs,
    load_knowledge_base,
    normalise_drug,
)

ROOT = Path(__file__).resolve().parents[1]
PACKAGED = ROOT / "mmlogic" / "regimens.toml"
RULES_MD = ROOT / "docs" / "spec" / "rules.md"
SEED = ROOT / "docs" / "source" / "seed-article.txt"
COPY_RUN = 12  # characters: a run this long shared with the seed counts as copied

# rules.md section I, under the ids the ranking code uses.
EXPECTED_IDS = {
    "T", "Td", "CT", "CTd", "MPT", "T-Md", "T-PLD-d", "DT-PACE", "T-CED",
    "R", "Rd", "RAD", "RCP", "RCd",
    "V", "Vd", "V-PLD", "VTd", "VRd", "VBd", "VMPT",
    "HD-MEL", "HD-MP", "HD-DEX", "VAD", "VMPC", "CEVAD", "DCEP",
    "ASCT2", "ALLO",
}  # fmt: skip
# OPT-CONVENTIONAL lists these seven as conventional chemotherapy.
CONVENTIONAL_ONLY = {"HD-MEL", "HD-MP", "HD-DEX", "VAD", "VMPC", "CEVAD", "DCEP"}
INTENSIVE = {"HD-MEL", "DT-PACE", "CEVAD", "DCEP", "VMPC", "ASCT2", "ALLO"}
NOVEL_AGENTS = {"bortezomib", "thalidomide", "lenalidomide"}


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return knowledge_base()


def packaged_text() -> str:
    return PACKAGED.read_text("utf-8")


# --------------------------------------------------------------------------------------------
# The packaged file
# --------------------------------------------------------------------------------------------


def test_packaged_file_loads_and_is_versioned(kb: KnowledgeBase) -> None:
    assert kb.version == "1.0.0"
    # The packaged resource and the file on disk are the same knowledge.
    assert load_knowledge_base(PACKAGED) == kb


def test_knowledge_base_is_loaded_once() -> None:
    assert knowledge_base() is knowledge_base()


def test_regimen_ids_are_exactly_those_of_section_i(kb: KnowledgeBase) -> None:
    ids = [r.id for r in kb.regimens]
    assert len(ids) == len(set(ids))
    assert set(ids) == EXPECTED_IDS


@pytest.mark.parametrize(
    ("regimen_id", "n_drugs"),
    [("T", 1), ("Rd", 2), ("Vd", 2), ("VRd", 3), ("VTd", 3), ("VMPT", 4), ("CEVAD", 5), ("DT-PACE", 6)],
)
def test_n_drugs_counts_the_steroid(kb: KnowledgeBase, regimen_id: str, n_drugs: int) -> None:
    regimen = kb.regimen(regimen_id)
    assert regimen.n_drugs == n_drugs == len(regimen.drugs)


def test_steroid_is_in_the_drug_list_of_steroid_regimens(kb: KnowledgeBase) -> None:
    assert kb.regimen("Rd").drugs == ("lenalidomide", "dexamethasone")
    assert set(kb.regimen("VRd").drugs) == {"bortezomib", "lenalidomide", "dexamethasone"}
    assert set(kb.regimen("DT-PACE").drugs) == {
        "dexamethasone", "thalidomide", "cisplatin", "doxorubicin", "cyclophosphamide", "etoposide",
    }  # fmt: skip
    # VMPC as the source spells it out: methylprednisolone, not prednisone.
    vmpc = {"vincristine", "melphalan", "cyclophosphamide", "methylprednisolone"}
    assert set(kb.regimen("VMPC").drugs) == vmpc


# --------------------------------------------------------------------------------------------
# Names and aliases
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "regimen_id"),
    [
        ("VRd", "VRd"), ("RVd", "VRd"), ("vrd", "VRd"), ("VRD", "VRd"),
        ("BD", "Vd"), ("Vd", "Vd"), ("vd", "Vd"),
        (" rd ", "Rd"), ("Ld", "Rd"), ("RD", "Rd"), ("len-dex", "Rd"),
        ("VTD", "VTd"), ("TVd", "VTd"), ("BTD", "VTd"),
        ("TD", "Td"), ("thal-dex", "Td"), ("CTD", "CTd"),
        ("dt-pace", "DT-PACE"), ("  DT   PACE ", "DT-PACE"),
        ("Bortezomib", "V"), ("lenalidomide", "R"), ("t-pld-d", "T-PLD-d"),
        ("allo-SCT", "ALLO"), ("Second ASCT", "ASCT2"),
    ],
)  # fmt: skip
def test_names_resolve_case_insensitively(name: str, regimen_id: str) -> None:
    regimen = find_regimen(name)
    assert regimen is not None, name
    assert regimen.id == regimen_id


@pytest.mark.parametrize(
    "name", ["", "   ", "VRdX", "pomalidomide", "Dara-Rd", "KRd", "lenalidomide maintenance"]
)
def test_unknown_names_give_none(name: str) -> None:
    assert find_regimen(name) is None


def test_non_text_gives_none() -> None:
    assert find_regimen(None) is None  # type: ignore[arg-type]


def _all_names(kb: KnowledgeBase) -> list[tuple[str, str]]:
    return [(name, r.id) for r in kb.regimens for name in (r.id, *r.aliases)]


@given(data=st.data())
def test_any_casing_and_padding_of_any_name_resolves(data: st.DataObject) -> None:
    name, regimen_id = data.draw(st.sampled_from(_all_names(knowledge_base())))
    flips = data.draw(st.lists(st.booleans(), min_size=len(name), max_size=len(name)))
    mangled = "".join(c.swapcase() if flip else c for c, flip in zip(name, flips, strict=True))
    pad = st.text(alphabet=" \t\n", max_size=3)
    found = find_regimen(data.draw(pad) + mangled + data.draw(pad))
    assert found is not None and found.id == regimen_id


@given(st.text(max_size=30))
def test_arbitrary_text_resolves_only_to_a_matching_name(text: str) -> None:
    found = find_regimen(text)
    if found is not None:
        names = {" ".join(n.split()).casefold() for n in (found.id, *found.aliases)}
        assert " ".join(text.split()).casefold() in names


def test_no_alias_is_listed_twice_or_as_a_case_variant(kb: KnowledgeBase) -> None:
    keys = [name.casefold() for name, _ in _all_names(kb)]
    assert len(keys) == len(set(keys))


def test_drug_names_normalise(kb: KnowledgeBase) -> None:
    assert normalise_drug("Velcade") == "bortezomib"
    assert normalise_drug(" DEX ") == "dexamethasone"
    assert normalise_drug("PLD") == "liposomal doxorubicin"
    assert normalise_drug("pegylated liposomal doxorubicin") == "liposomal doxorubicin"
    assert normalise_drug("Revlimid") == "lenalidomide"
    assert normalise_drug("thalidomide") == "thalidomide"
    assert normalise_drug("硼替佐米") == "bortezomib"
    assert normalise_drug("aspirin") is None
    assert all(normalise_drug(name) == name for name in known_drugs())


def test_known_drugs_is_the_drug_table(kb: KnowledgeBase) -> None:
    assert known_drugs() == frozenset(kb.drugs)
    assert {
        "thalidomide", "lenalidomide", "bortezomib", "dexamethasone", "prednisone", "methylprednisolone",
        "cyclophosphamide", "melphalan", "bendamustine", "doxorubicin", "liposomal doxorubicin",
        "cisplatin", "etoposide", "vincristine",
    } == known_drugs()  # fmt: skip
    assert all(name == name.lower() for name in known_drugs())


# --------------------------------------------------------------------------------------------
# Drugs, classes, families and flags
# --------------------------------------------------------------------------------------------


def test_every_regimen_drug_is_in_the_drug_table(kb: KnowledgeBase) -> None:
    for regimen in kb.regimens:
        for drug in regimen.drugs:
            assert drug in kb.drugs, (regimen.id, drug)


def test_only_the_three_novel_agents_are_novel(kb: KnowledgeBase) -> None:
    assert {name for name, drug in kb.drugs.items() if drug.novel} == NOVEL_AGENTS


def test_steroids_are_marked(kb: KnowledgeBase) -> None:
    steroids = {name for name, drug in kb.drugs.items() if drug.steroid}
    assert steroids == {"dexamethasone", "prednisone", "methylprednisolone"}


@pytest.mark.parametrize(
    ("regimen_id", "family"),
    [("Td", "CLASS-IMID"), ("Rd", "CLASS-IMID"), ("CTd", "CLASS-IMID"), ("DT-PACE", "CLASS-IMID"),
     ("Vd", "CLASS-PI"), ("V-PLD", "CLASS-PI"), ("VTd", "CLASS-PI"), ("VMPT", "CLASS-PI-IMID"),
     ("VAD", None), ("HD-DEX", None), ("ASCT2", None)],
)  # fmt: skip
def test_family_follows_the_source_grouping(
    kb: KnowledgeBase, regimen_id: str, family: str | None
) -> None:
    assert kb.regimen(regimen_id).family == family


def test_family_is_set_exactly_for_novel_agent_regimens(kb: KnowledgeBase) -> None:
    for regimen in kb.regimens:
        assert (regimen.family in FAMILIES) == regimen.has_novel_agent, regimen.id


def test_conventional_only_and_intensive_flags(kb: KnowledgeBase) -> None:
    assert {r.id for r in kb.regimens if r.conventional_only} == CONVENTIONAL_ONLY
    assert {r.id for r in kb.regimens if r.intensive} == INTENSIVE
    for regimen in kb.regimens:
        if regimen.kind == "regimen":
            assert regimen.conventional_only == (not regimen.has_novel_agent), regimen.id


def test_transplants(kb: KnowledgeBase) -> None:
    assert {r.id: r.transplant for r in kb.regimens if r.kind == "transplant"} == {
        "ASCT2": "autologous",
        "ALLO": "allogeneic",
    }
    assert all(r.transplant is None for r in kb.regimens if r.kind == "regimen")


def test_classes_contains_and_names(kb: KnowledgeBase) -> None:
    vrd = kb.regimen("VRd")
    assert vrd.classes == (DrugClass.IMID, DrugClass.PROTEASOME_INHIBITOR, DrugClass.STEROID)
    assert kb.classes_of(vrd) == kb.classes_of("rvd") == frozenset(vrd.classes)
    assert vrd.contains("lenalidomide") and vrd.contains("Revlimid") and vrd.contains("DEX")
    assert not vrd.contains("thalidomide")
    vad_classes = (DrugClass.ANTHRACYCLINE, DrugClass.STEROID, DrugClass.CONVENTIONAL)
    assert kb.regimen("VAD").classes == vad_classes
    assert kb.regimen("V-PLD").contains("PLD") and not kb.regimen("V-PLD").contains("doxorubicin")
    assert vrd.name("en") == vrd.name_en and vrd.name("zh") == vrd.name_zh
    with pytest.raises(ValueError, match="lang"):
        vrd.name("fr")
    with pytest.raises(KeyError, match="unknown regimen"):
        kb.regimen("XYZ")


def test_guideline_categories_from_the_source(kb: KnowledgeBase) -> None:
    assert kb.regimen("Rd").guideline == "NCCN category 1; ESMO category 1"
    assert "2A" in (kb.regimen("Td").guideline or "")
    assert "2A" in (kb.regimen("DT-PACE").guideline or "")
    assert kb.regimen("VRd").guideline is None


# --------------------------------------------------------------------------------------------
# Evidence
# --------------------------------------------------------------------------------------------


def spec_rule_ids() -> set[str]:
    """Every id in the first column of the tables of rules.md (`A / B / C` rows split)."""
    ids: set[str] = set()
    for line in RULES_MD.read_text("utf-8").splitlines():
        if not line.startswith("|"):
            continue
        first = line.split("|")[1].strip()
        if re.fullmatch(r"[A-Z0-9-]+( / [A-Z0-9-]+)*", first):
            ids.update(first.split(" / "))
    return ids


def test_spec_parser_sees_the_rule_tables() -> None:
    ids = spec_rule_ids()
    assert {"IMID-LEN", "OPT-CONVENTIONAL", "TX-ALLO", "CLASS-PI-IMID", "BIO-SERUM"} <= ids


def test_every_regimen_has_evidence_citing_a_spec_rule(kb: KnowledgeBase) -> None:
    ids = spec_rule_ids()
    for regimen in kb.regimens:
        assert regimen.evidence, regimen.id
        for line in regimen.evidence:
            assert line.rule in ids, (regimen.id, line.rule)
            assert line.figure and line.trial and line.en and line.zh


@pytest.mark.parametrize(
    ("regimen_id", "rule", "figure_part"),
    [("Rd", "IMID-LEN", "60.6 % vs 21.9 %"), ("V-PLD", "PI-COMBO", "27 % vs 19 %"),
     ("VAD", "OPT-CONVENTIONAL", "6–9 months"), ("ASCT2", "TX-ASCT2", "55–69 %"),
     ("ALLO", "TX-ALLO", "1 %"), ("Vd", "PI-RETREAT", "58 %"), ("RCd", "IMID-LEN", "75.0 %")],
)  # fmt: skip
def test_key_figures_are_traced(kb: KnowledgeBase, regimen_id: str, rule: str, figure_part: str) -> None:
    lines = [e for e in kb.regimen(regimen_id).evidence if e.rule == rule]
    assert any(figure_part in e.figure for e in lines), (regimen_id, rule)


def test_conventional_and_transplant_evidence_rules(kb: KnowledgeBase) -> None:
    for regimen_id in CONVENTIONAL_ONLY:
        assert "OPT-CONVENTIONAL" in {e.rule for e in kb.regimen(regimen_id).evidence}
    assert "TX-ASCT2" in {e.rule for e in kb.regimen("ASCT2").evidence}
    assert "TX-ALLO" in {e.rule for e in kb.regimen("ALLO").evidence}


def test_evidence_is_written_in_our_own_words(kb: KnowledgeBase) -> None:
    if not SEED.exists():
        pytest.skip("seed article not present in docs/source")
    seed = re.sub(r"\s+", "", SEED.read_text("utf-8"))
    for regimen in kb.regimens:
        for line in regimen.evidence:
            text = re.sub(r"\s+", "", line.zh)
            for start in range(max(0, len(text) - COPY_RUN + 1)):
                assert text[start : start + COPY_RUN] not in seed, (regimen.id, line.zh)


# --------------------------------------------------------------------------------------------
# Broken copies of the file
# --------------------------------------------------------------------------------------------


def edit_entry(text: str, header: str, key_line: str, old: str, new: str) -> str:
    """Replace ``old`` by ``new`` in the ``[[header]]`` block whose first line is ``key_line``."""
    marker = f"[[{header}]]\n{key_line}\n"
    start = text.index(marker)
    end = text.find(f"\n[[{header}]]\n", start + len(marker))
    end = len(text) if end == -1 else end
    block = text[start:end]
    assert old in block, f"{old!r} not in the {key_line} block"
    return text[:start] + block.replace(old, new, 1) + text[end:]


def edit_regimen(text: str, regimen_id: str, old: str, new: str) -> str:
    return edit_entry(text, "regimen", f'id = "{regimen_id}"', old, new)


def load_broken(tmp_path: Path, text: str) -> KnowledgeBaseError:
    path = tmp_path / "regimens.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(KnowledgeBaseError) as caught:
        load_knowledge_base(path)
    return caught.value


def test_unmodified_copy_loads(tmp_path: Path) -> None:
    path = tmp_path / "regimens.toml"
    path.write_text(packaged_text(), "utf-8")
    assert {r.id for r in load_knowledge_base(path).regimens} == EXPECTED_IDS


def test_unknown_drug_names_the_regimen_and_position(tmp_path: Path) -> None:
    text = edit_regimen(
        packaged_text(), "VRd",
        'drugs = ["bortezomib", "lenalidomide",', 'drugs = ["bortezomib", "lenolidomide",',
    )  # fmt: skip
    error = load_broken(tmp_path, text)
    assert str(error) == "regimen 'VRd': drugs[1]: unknown drug 'lenolidomide'"


def test_drug_alias_in_a_regimen_is_refused_with_a_hint(tmp_path: Path) -> None:
    text = edit_regimen(packaged_text(), "Vd", 'drugs = ["bortezomib",', 'drugs = ["velcade",')
    error = load_broken(tmp_path, text)
    assert str(error).startswith("regimen 'Vd': drugs[0]: unknown drug 'velcade'")
    assert "'bortezomib'" in str(error)


def test_missing_field_names_the_regimen_and_field(tmp_path: Path) -> None:
    text = edit_regimen(packaged_text(), "Rd", 'name_zh = "来那度胺 + 地塞米松"\n', "")
    error = load_broken(tmp_path, text)
    assert str(error) == "regimen 'Rd': name_zh: required field is missing"


def test_missing_id_names_the_position(tmp_path: Path) -> None:
    text = edit_regimen(packaged_text(), "Td", 'id = "Td"\n', "")
    # The block lost its id line, so find its position from the order of the file.
    position = [r.id for r in knowledge_base().regimens].index("Td") + 1
    error = load_broken(tmp_path, text)
    assert str(error) == f"regimen #{position}: id: required field is missing"


def test_duplicate_alias_across_regimens(tmp_path: Path) -> None:
    text = edit_regimen(packaged_text(), "VRd", 'aliases = ["RVd",', 'aliases = ["RVd", "bd",')
    error = load_broken(tmp_path, text)
    message = str(error)
    assert message.startswith("regimen 'VRd': aliases[1]: duplicate name 'bd'")
    assert "'Vd'" in message


def test_pure_case_variant_alias_is_a_duplicate(tmp_path: Path) -> None:
    text = edit_regimen(packaged_text(), "VRd", 'aliases = ["RVd",', 'aliases = ["RVd", "VRD",')
    error = load_broken(tmp_path, text)
    assert str(error).startswith("regimen 'VRd': aliases[1]: duplicate name 'VRD'")


def test_duplicate_id(tmp_path: Path) -> None:
    text = edit_regimen(packaged_text(), "RCd", 'id = "RCd"', 'id = "RAD"')
    error = load_broken(tmp_path, text)
    assert "regimen 'RAD': id: duplicate name 'RAD'" in str(error)


def test_conventional_only_lie_on_a_conventional_regimen(tmp_path: Path) -> None:
    text = edit_regimen(packaged_text(), "VAD", "conventional_only = true", "conventional_only = false")
    error = load_broken(tmp_path, text)
    assert str(error).startswith(
        "regimen 'VAD': conventional_only: false, but the regimen contains no novel agent"
    )


def test_conventional_only_lie_on_a_novel_regimen(tmp_path: Path) -> None:
    text = edit_regimen(packaged_text(), "Vd", "conventional_only = false", "conventional_only = true")
    error = load_broken(tmp_path, text)
    assert str(error) == (
        "regimen 'Vd': conventional_only: true, but the regimen contains the novel agent 'bortezomib'"
    )


def test_unknown_family(tmp_path: Path) -> None:
    text = edit_regimen(packaged_text(), "Td", 'family = "CLASS-IMID"', 'family = "CLASS-XYZ"')
    error = load_broken(tmp_path, text)
    assert str(error).startswith(
        "regimen 'Td': family: Input should be 'CLASS-IMID', 'CLASS-PI' or 'CLASS-PI-IMID'"
    )


def test_family_disagreeing_with_the_drugs(tmp_path: Path) -> None:
    text = edit_regimen(packaged_text(), "Rd", 'family = "CLASS-IMID"', 'family = "CLASS-PI"')
    error = load_broken(tmp_path, text)
    assert str(error) == "regimen 'Rd': family: 'CLASS-PI' needs bortezomib"


def test_unknown_drug_class(tmp_path: Path) -> None:
    text = edit_entry(
        packaged_text(), "drug", 'name = "thalidomide"', 'classes = ["imid"]', 'classes = ["imid", "kinase"]'
    )
    error = load_broken(tmp_path, text)
    assert str(error).startswith("drug 'thalidomide': classes[1]: Input should be 'imid'")


def test_transplant_without_its_type(tmp_path: Path) -> None:
    text = edit_regimen(packaged_text(), "ALLO", 'transplant = "allogeneic"\n', "")
    error = load_broken(tmp_path, text)
    assert str(error).startswith("regimen 'ALLO': transplant: a transplant needs")


def test_malformed_evidence_rule_id(tmp_path: Path) -> None:
    text = edit_regimen(packaged_text(), "Rd", 'rule = "IMID-LEN"', 'rule = "imid len"')
    error = load_broken(tmp_path, text)
    assert str(error).startswith("regimen 'Rd': evidence[0].rule: String should match pattern")


def test_regimen_without_evidence(tmp_path: Path) -> None:
    text = packaged_text()
    start = text.index('[[regimen]]\nid = "CT"\n')
    block_end = text.index("\n[[regimen]]\n", start + 1)
    block = text[start:block_end]
    text = text[:start] + block[: block.index("[[regimen.evidence]]")] + text[block_end:]
    error = load_broken(tmp_path, text)
    assert str(error).startswith("regimen 'CT': evidence: required field is missing")


def test_every_problem_is_reported(tmp_path: Path) -> None:
    text = edit_regimen(packaged_text(), "VRd", '"lenalidomide",', '"lenolidomide",')
    text = edit_regimen(text, "VAD", "conventional_only = true", "conventional_only = false")
    error = load_broken(tmp_path, text)
    assert error.lines() == [
        "regimen 'VRd': drugs[1]: unknown drug 'lenolidomide'",
        "regimen 'VAD': conventional_only: false, but the regimen contains no novel agent "
        "(bortezomib, thalidomide, lenalidomide)",
    ]
    assert isinstance(error, ValueError)


def test_invalid_toml_and_missing_file(tmp_path: Path) -> None:
    error = load_broken(tmp_path, packaged_text().replace('version = "1.0.0"', "version = "))
    assert "is not valid TOML" in str(error)
    with pytest.raises(KnowledgeBaseError, match="cannot be read"):
        load_knowledge_base(tmp_path / "absent.toml")
