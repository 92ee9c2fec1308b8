"""The example cases of cases/ pass every check of their .expected.json, through the CLI itself."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .checks import check_holds

ROOT = Path(__file__).resolve().parents[2]
CASES = sorted((ROOT / "cases").glob("ex-*.expected.json"))


def _run_cli(case: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mmlogic", "assess", str(case), *extra],
                          capture_output=True, text=True, cwd=ROOT, check=False)


def _params():
    for expected in CASES:
        case = expected.with_name(expected.name.replace(".expected", ""))
        for i, check in enumerate(json.loads(expected.read_text())):
            yield pytest.param(case, check, id=f"{case.stem}-{i}-{check[0]}")


@pytest.fixture(scope="module")
def outputs() -> dict[Path, subprocess.CompletedProcess[str]]:
    return {}


@pytest.mark.parametrize(("case", "check"), list(_params()))
def test_example_check(case: Path, check: list, outputs) -> None:
    if case not in outputs:
        outputs[case] = _run_cli(case)
    result = outputs[case]
    if check[0] == "invalid":
        assert result.returncode == 2 and check[1] in result.stderr
        return
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert check_holds(check, output), f"{check} does not hold; output excerpt: " + json.dumps(
        {k: output[k] for k in ("status", "relapse", "timing", "sequence", "transplant")}, default=str)[:1500]


def test_every_example_has_checks() -> None:
    assert len(CASES) >= 6


def test_text_format_runs_in_both_languages() -> None:
    for lang in ("en", "zh"):
        result = _run_cli(ROOT / "cases" / "ex-01.json", "--format", "text", "--lang", lang)
        assert result.returncode == 0, result.stderr
        assert "ex-01" in result.stdout
    assert "复发" in _run_cli(ROOT / "cases" / "ex-01.json", "--format", "text", "--lang", "zh").stdout
