"""The documentation names every assumption the registry holds, and the README's commands exist."""

from pathlib import Path

from mmlogic import registry

ROOT = Path(__file__).resolve().parents[2]


def test_core_doc_lists_every_assumption() -> None:
    text = (ROOT / "docs" / "core.md").read_text()
    missing = [r.id for r in registry().values() if r.is_assumption and f"| {r.id} |" not in text]
    assert not missing, f"docs/core.md lacks {missing}"


def test_readme_commands_exist() -> None:
    readme = (ROOT / "README.md").read_text()
    for script in ("run.sh", "test.sh"):
        assert f"./{script}" in readme
        assert (ROOT / script).stat().st_mode & 0o111, f"{script} is not executable"
