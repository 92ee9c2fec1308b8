"""The one intake: realistic files in, hostile files refused with a clear problem (en + zh), the
FHIR round trip exact, and the CLI contract (exit 0 / exit 2, never a traceback)."""

from __future__ import annotations

import copy
import io
import json
import zipfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from mmlogic.__main__ import main
from mmlogic.case import parse_case
from mmlogic.errors import CaseInvalid
from mmlogic.intake import case_from_bytes, case_to_bundle, cards, preview_import, read_fhir, read_long_csv
from mmlogic.intake.cards import SUMMARY_MAX
from mmlogic.limits import MAX_INPUT_BYTES, MAX_LAB_ROWS, MAX_UNPACKED_BYTES
from tests.core.strategies import cases as case_strategy

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures" / "intake"
TODAY = date(2025, 3, 1)
EX01 = json.loads((ROOT / "cases" / "ex-01.json").read_text())


def _zh(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _refused(files: list[tuple[str, bytes]], fragment: str) -> None:
    with pytest.raises(CaseInvalid) as caught:
        preview_import(files, today=TODAY)
    problems = caught.value.problems
    assert any(fragment in p.text("en") for p in problems), [p.text("en") for p in problems]
    assert all(_zh(p.text("zh")) for p in problems)


# ---- realistic files ----------------------------------------------------------------------------

def test_ehr_bundle_becomes_a_case_with_its_skipped_items():
    preview = preview_import([("ehr.json", (FIX / "ehr_bundle.json").read_bytes())], today=TODAY)
    assert preview.case is not None, preview.problems
    case = parse_case(preview.case)
    assert (case.patient.sex.value, case.patient.age, case.patient.ecog) == ("male", 63, 1)
    by = {(lab.date.isoformat(), lab.analyte.value): lab for lab in case.labs}
    # units kept as entered (the one conversion is mmlogic.units): g/dL and g/L side by side
    assert by[("2023-01-05", "serum_m_protein")].unit == "g/dL" and by[("2024-11-04", "serum_m_protein")].unit == "g/L"
    assert by[("2024-11-04", "beta2_microglobulin")].unit == "mg/L"  # ug/mL is the same unit
    lam = by[("2024-11-04", "flc_lambda")]
    assert (lam.value, lam.below_detection, lam.detection_limit, lam.unit) == (0.0, True, 0.65, "mg/dL")
    assert by[("2024-11-04", "serum_ife")].value == "positive"
    lines = [(line.regimen, line.drugs, line.start.isoformat(), line.end) for line in case.therapy_lines]
    assert lines[0][0] == "VRd" and lines[0][3] is not None
    assert set(lines[1][1]) == {"daratumumab", "pomalidomide", "dexamethasone"} and lines[1][3] is None
    assert [(t.date.isoformat(), t.type.value) for t in case.transplants] == [("2023-08-01", "autologous")]
    reasons = {s.where: s.en for s in preview.skipped}
    assert "not read" in reasons["Encounter/e1"]
    assert "computed" in reasons["Observation/r1"]
    assert "2345-7" in reasons["Observation/glu"]
    assert "no value" in reasons["Observation/nov"]
    assert "umol/L" in reasons["Observation/alb-bad"]
    assert "preliminary" in reasons["Observation/pre"]
    assert "vocabulary" in reasons["MedicationStatement/ms7"]
    assert all(_zh(s.text("zh")) for s in preview.skipped)


def test_wide_export_merged_header_below_limit_duplicated_date_and_formula():
    preview = preview_import([("wide.csv", (FIX / "wide_export.csv").read_bytes())], today=TODAY)
    labs = {(lab["date"], lab["analyte"]): lab for lab in preview.labs}
    assert labs[("2024-06-03", "flc_kappa")]["value"] == 40.0  # the merged "H" column is a flag, not a value
    assert labs[("2024-06-03", "flc_lambda")] == {"date": "2024-06-03", "analyte": "flc_lambda", "value": 0.0,
                                                  "unit": "mg/L", "below_detection": True, "detection_limit": 0.65}
    assert labs[("2024-11-04", "flc_lambda")]["below_detection"] is True
    assert "detection_limit" not in labs[("2024-11-04", "flc_lambda")]
    assert labs[("2024-11-04", "serum_ife")]["value"] == "negative"  # 未检出
    assert labs[("2024-09-02", "hemoglobin")]["value"] == 12.1  # duplicated date, same value: kept once
    assert ("2024-09-02", "flc_lambda") not in labs  # duplicated date, different values: none
    assert ("2024-11-04", "creatinine") not in labs  # a formula is never evaluated
    text = " | ".join(s.en for s in preview.skipped)
    assert "heads 2 columns" in text and "different values" in text and "formula" in text and "LDH" in \
        " ".join(s.got for s in preview.skipped)
    assert preview.case is None and any(p.path.startswith("patient") for p in preview.problems)
    merged = preview.merged_labs(EX01)
    assert len(merged["labs"]) == len(EX01["labs"]) + len(preview.labs)


def test_wide_xlsx_with_merged_cells_reads_like_the_csv(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (FIX / "wide_export.csv").read_text().splitlines():
        sheet.append([_typed(c) for c in row.split(",")])
    sheet.merge_cells("A1:H1")
    sheet.merge_cells("D2:E2")  # the date over its value and flag columns
    sheet["H9"] = "=B7*1"
    buffer = io.BytesIO()
    book.save(buffer)
    from_xlsx = preview_import([("wide.xlsx", buffer.getvalue())], today=TODAY)
    from_csv = preview_import([("wide.csv", (FIX / "wide_export.csv").read_bytes())], today=TODAY)
    assert from_xlsx.labs == from_csv.labs


def _typed(cell: str):
    try:
        return date.fromisoformat(cell)
    except ValueError:
        pass
    try:
        return float(cell)
    except ValueError:
        return cell or None


def test_fhir_bundle_plus_wide_export_combine_in_the_cli(tmp_path, capsys):
    out = tmp_path / "case.json"
    code = main(["import", str(FIX / "ehr_bundle.json"), str(FIX / "wide_export.csv"), "--today", "2025-03-01",
                 "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 0, err
    case = parse_case(json.loads(out.read_text()))
    assert len(case.therapy_lines) == 2 and "skipped:" in err and "Traceback" not in err
    assert any(lab.date.isoformat() == "2024-06-03" and lab.analyte.value == "flc_kappa" for lab in case.labs)


# ---- export -------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "cases").glob("ex-0*.json") if "expected" not in p.name))
def test_case_to_fhir_to_case_is_exact(name):
    case = case_from_bytes((ROOT / "cases" / name).read_bytes())
    bundle = json.dumps(case_to_bundle(case)).encode()
    preview = preview_import([("b.json", bundle)], today=TODAY)
    assert preview.case == case.to_json_dict() and not preview.skipped


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=case_strategy())
def test_fhir_round_trip_property(case):
    case = parse_case(case)
    bundle = json.dumps(case_to_bundle(case)).encode()
    found = read_fhir(bundle, "b.json", date(2100, 1, 1))
    preview = preview_import([("b.json", bundle)], today=date(2100, 1, 1))
    assert not found.skipped
    assert preview.case == case.to_json_dict()


def test_card_set_summaries_indicators_and_rule_ids():
    from mmlogic.assess import assess

    case = case_from_bytes((ROOT / "cases" / "ex-01.json").read_bytes())
    for lang in ("en", "zh"):
        found = cards(assess(case, today=date(2026, 1, 1)), lang)["cards"]
        assert found and all(len(c["summary"]) <= SUMMARY_MAX for c in found)
        assert {c["indicator"] for c in found} <= {"info", "warning", "critical"}
        assert all("rules 1." in c["source"]["label"] and "pack" in c["source"]["label"] for c in found)
        assert any("BIO-SERUM" in c["detail"] for c in found)


# ---- hostile files --------------------------------------------------------------------------------

def test_deep_json_is_refused_before_parsing():
    _refused([("deep.json", b"[" * 985 + b"]" * 985)], "nested too deeply")
    _refused([("deep-fhir.json", b'{"resourceType": "Bundle", "entry": ' + b"[" * 985 + b"]" * 985 + b"}")],
             "nested too deeply")


def test_huge_number_is_a_problem_not_an_overflow():
    data = copy.deepcopy(EX01)
    data["labs"][0]["value"] = 123456789
    text = json.dumps(data).replace("123456789", "9" * 4000, 1)
    assert "9" * 4000 in text
    _refused([("huge.json", text.encode())], "too large")


def test_oversized_and_wrong_encoding_and_duplicate_keys():
    _refused([("big.csv", b"date,analyte,value,unit\n" + b"x" * (MAX_INPUT_BYTES + 1))], "at most 5 MB")
    _refused([("gbk.csv", "日期,项目\n2024-01-01,血红蛋白\n".encode("gbk"))], "not UTF-8")
    _refused([("dup.json", b'{"case_id": "a", "case_id": "b"}')], "appears twice")


def test_zip_bomb_xlsx_is_refused_before_it_is_opened():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (MAX_UNPACKED_BYTES + 1))
    assert len(buffer.getvalue()) < MAX_INPUT_BYTES
    _refused([("bomb.xlsx", buffer.getvalue())], "zip bomb")


def test_not_a_workbook_and_200kb_cell():
    _refused([("fake.xlsx", b"PK\x03\x04 not really a zip")], "xlsx")
    _refused([("cell.csv", b"date,analyte,value,unit\n2024-01-01,hemoglobin," + b"9" * 200_000 + b",g/L\n")],
             "characters")


def test_100000_row_csv_is_refused_by_the_row_limit():
    rows = "date,analyte,value,unit\n" + "2024-01-01,hemoglobin,120,g/L\n" * 100_000
    assert len(rows) < MAX_INPUT_BYTES
    _refused([("rows.csv", rows.encode())], f"{MAX_LAB_ROWS:,}")


def test_formula_cells_in_a_long_csv_are_text():
    table = read_long_csv(b"date,analyte,value,unit\n2024-01-01,hemoglobin,=1+1,g/L\n")
    assert table.rows[0].lab is None and "formula" in table.rows[0].problems[0].text("en")


HOSTILE = {
    "deep.json": b"[" * 985 + b"]" * 985,
    "huge.json": b'{"case_id": "x", "v": ' + b"9" * 4000 + b"}",
    "gbk.csv": "日期\n".encode("gbk") + b"\xb0\xa1",
    "bomb.xlsx": None,
    "empty.json": b"",
    "nan.ndjson": b'{"resourceType": "Patient", "gender": NaN}\n{"resourceType": "Observation"}\n',
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_files_exit_2_without_a_traceback(tmp_path, capsys, name):
    data = HOSTILE[name]
    if data is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("a.xml", b"\0" * (MAX_UNPACKED_BYTES + 1))
        data = buffer.getvalue()
    path = tmp_path / name
    path.write_bytes(data)
    out = tmp_path / "out.json"
    code = main(["import", str(path), "--out", str(out), "--today", "2025-03-01"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and err.strip()
    assert not out.exists()  # nothing changed


def test_cli_refuses_an_oversized_file_before_reading_it(tmp_path, capsys):
    path = tmp_path / "big.json"
    with path.open("wb") as handle:
        handle.truncate(MAX_INPUT_BYTES + 1)
    code = main(["import", str(path), "--out", str(tmp_path / "o.json")])
    err = capsys.readouterr().err
    assert code == 2 and "at most 5 MB" in err and not (tmp_path / "o.json").exists()
    assert main(["assess", str(path)]) == 2 and "at most 5 MB" in capsys.readouterr().err


def test_export_cli_writes_fhir_and_cards(tmp_path, capsys):
    out = tmp_path / "b.json"
    assert main(["export", str(ROOT / "cases" / "ex-02.json"), "--format", "fhir", "--out", str(out)]) == 0
    assert json.loads(out.read_text())["resourceType"] == "Bundle"
    assert main(["export", str(ROOT / "cases" / "ex-02.json"), "--format", "cards"]) == 0
    assert json.loads(capsys.readouterr().out)["cards"]
