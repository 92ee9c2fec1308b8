"""Every hostile file through every way in (issue #13 item 6, issue #16): a clear problem, exit 2,
no traceback, nothing changed. The pages' own handling is checked with AppTest below."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from casestore import UnsafeInput, parse_upload
from mmlogic.errors import CaseInvalid
from mmlogic.intake import case_from_bytes
from mmlogic.intake.preview import preview_import
from ui.labs import CsvUnreadable, parse_csv

from .files import CSV_FILES, JSON_FILES, ROOT, XLSX_FILES

ALL_FILES = {**JSON_FILES, **CSV_FILES, **XLSX_FILES}
TODAY = date(2026, 12, 6)


@pytest.mark.parametrize("name", sorted(JSON_FILES))
def test_case_reader_names_a_problem(name: str) -> None:
    with pytest.raises(CaseInvalid) as refused:
        case_from_bytes(JSON_FILES[name], name)
    problems = refused.value.problems
    assert problems and all(p.text("en") and p.text("zh") for p in problems)


@pytest.mark.parametrize("name", sorted(JSON_FILES))
def test_library_upload_refuses_with_a_problem(name: str) -> None:
    with pytest.raises(UnsafeInput) as refused:
        parse_upload(JSON_FILES[name], name=name)
    assert refused.value.problems


@pytest.mark.parametrize("name", sorted(CSV_FILES))
def test_labs_csv_import_refuses_the_file_or_each_bad_row(name: str) -> None:
    try:
        rows = parse_csv(CSV_FILES[name], "si", "zh")
    except CsvUnreadable as error:
        assert str(error).strip()
        return
    assert rows and all(row.row is None and row.problems for row in rows), rows[:3]


@pytest.mark.parametrize("name", sorted(ALL_FILES))
def test_import_preview_refuses_or_skips_with_reasons(name: str) -> None:
    try:
        preview = preview_import([(name, ALL_FILES[name])], today=TODAY)
    except CaseInvalid as error:
        assert error.problems and all(p.text("zh") for p in error.problems)
        return
    assert not preview.labs, f"{name} imported labs"
    assert preview.skipped or preview.problems, f"{name} was neither refused nor skipped with a reason"


@pytest.mark.parametrize("command", ["assess", "import"])
@pytest.mark.parametrize("name", sorted(ALL_FILES))
def test_command_line_exits_2_without_a_traceback(tmp_path, name: str, command: str) -> None:
    if command == "assess" and name not in JSON_FILES:
        pytest.skip("assess reads case files only")
    path = tmp_path / name
    path.write_bytes(ALL_FILES[name])
    out = tmp_path / "out.json"
    args = [sys.executable, "-m", "mmlogic", command, str(path)]
    args += ["--out", str(out)] if command == "import" else []
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, (done.returncode, done.stderr[-2000:])
    assert "Traceback" not in done.stderr and done.stderr.strip()
    assert not out.exists()
