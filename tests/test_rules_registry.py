"""The rule registry against its spec: every id of docs/spec/rules.md, complete texts in both
languages, thresholds quoted through named constants, assumptions tied to the rules they refine,
and explanations written in our own words rather than copied from the source article."""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from mmlogic import thresholds
from mmlogic.rules import registry

ROOT = Path(__file__).resolve().parents[1]
RULES_MD = ROOT / "docs" / "spec" / "rules.md"
SEED = ROOT / "docs" / "source" / "seed-article.txt"

CATALOG_SECTIONS = tuple("ABCDEFGHJK")
KINDS = {"computed", "knowledge", "assumption"}
CJK = re.compile(r"[\u4e00-\u9fff]")
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
COPY_RUN = 12  # characters: a run this long shared with the seed counts as copied


def spec_ids() -> dict[str, str]:
    """Rule id -> section letter: the `| id | …` tables of sections A–J, and the "(new)" ids of K."""
    ids: dict[str, str] = {}
    section: str | None = None
    in_id_table = False
    for line in RULES_MD.read_text("utf-8").splitlines():
        heading = re.match(r"^##\s+([A-Z])\.", line)
        if heading:
            section = heading.group(1)
            in_id_table = False
            continue
        if line.startswith("## "):
            section = None
        if section not in CATALOG_SECTIONS or not line.startswith("|"):
            in_id_table = False
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if section == "K":
            # Section K revises existing rules; its new ids are marked "(new)" (ASSUME-* aside).
            new = re.match(r"^([A-Z][A-Z0-9-]+) \(new\)$", cells[0])
            if new and not new.group(1).startswith("ASSUME-"):
                ids[new.group(1)] = section
            continue
        if cells[0] == "id":
            in_id_table = True
            continue
        if not in_id_table or set(cells[0]) <= set("-: "):
            continue
        for rule_id in cells[0].split("/"):
            ids[rule_id.strip()] = section
    return ids


def raw_catalog() -> list[dict]:
    """The unfilled templates, to compare placeholders with the declared thresholds."""
    text = resources.files("mmlogic").joinpath("rules_catalog.toml").read_text("utf-8")
    return tomllib.loads(text)["rule"]


def shown(value: float) -> str:
    """A threshold as the registry prints it (mmlogic.rules fills `{NAME}` this way)."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:g}"
    return str(int(value))


def texts(rule) -> dict[str, str]:
    return {
        "title_en": rule.title.en,
        "title_zh": rule.title.zh,
        "en": rule.explanation.en,
        "zh": rule.explanation.zh,
    }


CONTRACT = ROOT / "docs" / "spec" / "contemporary-pack.md"
#: computations the contract describes without naming an id (exposure axes, option grouping)
CP_EXTRA = {"CP-EXPOSURE", "CP-OPTIONS"}
CP_RENAL = {"CP-RENAL-DARA", "CP-RENAL-POM", "CP-RENAL-LEN", "CP-RENAL-IXA", "CP-RENAL-BORT", "CP-RENAL-ISAKD"}


def contract_ids() -> set[str]:
    """CP-* ids named in the contemporary-pack contract (CP-RENAL-* stands for the renal family)."""
    text = CONTRACT.read_text("utf-8")
    return {m for m in re.findall(r"`(CP-[A-Z0-9-]+)`", text) if not m.endswith("-")}


RULES = registry()
ALL_IDS = list(RULES)


# (a) ids ------------------------------------------------------------------------------------


def test_spec_parser_finds_every_section() -> None:
    ids = spec_ids()
    assert set(ids.values()) == set(CATALOG_SECTIONS)
    for expected in ("DEF-RELAPSED", "RESP-CR", "RESP-SD", "KIN-DT", "CLASS-PI-IMID", "AGE-75-RD"):
        assert expected in ids, f"parser missed {expected}"
    assert not any(rule_id.startswith("ASSUME-") for rule_id in ids)


def test_registry_holds_every_spec_id() -> None:
    missing = sorted(set(spec_ids()) - set(RULES))
    assert not missing, f"rules_catalog.toml lacks ids of docs/spec/rules.md: {missing}"


def test_registry_holds_no_id_outside_the_spec() -> None:
    extra = sorted(
        rule_id for rule_id in RULES
        if not rule_id.startswith(("ASSUME-", "CP-")) and rule_id not in spec_ids()
    )
    assert not extra, f"ids not in docs/spec/rules.md (and not ASSUME-*): {extra}"


def test_sections_and_kinds_match_the_spec() -> None:
    ids = spec_ids()
    for rule_id, rule in RULES.items():
        assert rule.kind in KINDS, f"{rule_id}: kind {rule.kind!r}"
        assert rule.source, f"{rule_id}: empty source"
        if rule_id.startswith("ASSUME-"):
            assert (rule.section, rule.kind) == ("ASSUME", "assumption"), rule_id
        elif rule_id.startswith("CP-"):
            assert rule.section == "CP" and rule.kind != "assumption", rule_id
            assert "[S" in rule.source or "contemporary-pack" in rule.source, f"{rule_id}: no source key"
        else:
            assert rule.section == ids[rule_id], f"{rule_id}: section {rule.section!r}"
            assert rule.kind != "assumption", rule_id


def test_catalog_order_follows_the_spec() -> None:
    """Spec rules in their section order, then the assumptions, then the contemporary pack."""
    order = {letter: i for i, letter in enumerate((*CATALOG_SECTIONS, "ASSUME", "CP"))}
    ranks = [order[rule.section] for rule in RULES.values()]
    assert ranks == sorted(ranks)


def test_every_computed_rule_has_an_evaluator() -> None:
    unattached = [
        rule_id for rule_id, rule in RULES.items() if rule.kind == "computed" and rule.evaluator is None
    ]
    assert not unattached, f"computed rules with no @evaluates function: {unattached}"


def test_contemporary_ids_match_the_contract() -> None:
    """Every CP-* id of docs/spec/contemporary-pack.md is in the registry, and no other CP-* id."""
    expected = contract_ids() | CP_RENAL | CP_EXTRA
    assert "CP-LEN-REF" in expected and "CP-HIGH-RISK-2025" in expected
    assert {r for r in RULES if r.startswith("CP-")} == expected


# (b) texts ----------------------------------------------------------------------------------


@pytest.mark.parametrize("rule_id", ALL_IDS)
def test_texts_are_complete(rule_id: str) -> None:
    rule = RULES[rule_id]
    for name, text in texts(rule).items():
        assert text.strip(), f"{rule_id}: empty {name}"
        assert "{" not in text and "}" not in text, f"{rule_id}: unfilled placeholder in {name}: {text}"
    assert CJK.search(rule.title.zh), f"{rule_id}: title_zh has no Chinese"
    assert CJK.search(rule.explanation.zh), f"{rule_id}: zh has no Chinese"
    assert not CJK.search(rule.explanation.en + rule.title.en), f"{rule_id}: Chinese in the English text"


# (c) thresholds -----------------------------------------------------------------------------


@pytest.mark.parametrize("rule_id", ALL_IDS)
def test_quoted_thresholds_exist_and_appear(rule_id: str) -> None:
    rule = RULES[rule_id]
    known = thresholds.public_thresholds()
    for name in rule.thresholds:
        assert name in known, f"{rule_id}: threshold {name} is not in mmlogic/thresholds.py"
        number = re.escape(shown(known[name]))
        for lang, text in (("en", rule.explanation.en), ("zh", rule.explanation.zh)):
            assert re.search(rf"(?<![\d.]){number}(?![\d])", text), (
                f"{rule_id}: {lang} text does not show {name} = {shown(known[name])}: {text}"
            )


def test_placeholders_match_declared_thresholds() -> None:
    """A number is written only through `{NAME}`, and `thresholds` lists exactly those names."""
    for entry in raw_catalog():
        used: set[str] = set()
        for field in ("title_en", "title_zh", "en", "zh"):
            used |= set(PLACEHOLDER.findall(entry[field]))
        declared = set(entry.get("thresholds", ()))
        assert used == declared, f"{entry['id']}: placeholders {sorted(used)} ≠ thresholds {sorted(declared)}"


# (d) assumptions ----------------------------------------------------------------------------


@pytest.mark.parametrize("rule_id", [rule_id for rule_id in ALL_IDS if rule_id.startswith("ASSUME-")])
def test_assumptions_refine_existing_rules(rule_id: str) -> None:
    rule = RULES[rule_id]
    assert rule.is_assumption
    assert rule.refines, f"{rule_id}: no `refines`"
    for target in rule.refines:
        assert target in RULES and not target.startswith("ASSUME-"), f"{rule_id} refines unknown {target}"


def test_only_assumptions_refine() -> None:
    assert all(not rule.refines for rule in RULES.values() if not rule.is_assumption)


# (e) own words ------------------------------------------------------------------------------


def test_no_chinese_text_copies_the_seed() -> None:
    seed = SEED.read_text("utf-8")
    copied: list[str] = []
    for rule_id, rule in RULES.items():
        for name, text in (("title_zh", rule.title.zh), ("zh", rule.explanation.zh)):
            for start in range(len(text) - COPY_RUN + 1):
                run = text[start : start + COPY_RUN]
                if run in seed:
                    copied.append(f"{rule_id} {name}: {run!r}")
                    break
    assert not copied, "texts copy the seed article:\n" + "\n".join(copied)
