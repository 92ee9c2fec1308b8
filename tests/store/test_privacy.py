"""The label check warns on names and numbers that may identify a patient, and stays quiet on
clinical descriptions."""

from __future__ import annotations

import pytest

from casestore import identifier_warnings
from store_helpers import example_cases


@pytest.mark.parametrize("label, kind", [
    ("John Smith relapse", "name"),
    ("Smith, John", "name"),
    ("Mr Zhang, early relapse", "name"),
    ("Dr. Wang's patient", "name"),
    ("张伟", "name"),
    ("王小明 复发", "name"),
    ("MRN 1234567", "record_number"),
    ("H0012345 t(4;14)", "record_number"),
    ("bed 12, 住院号 558812", "record_number"),
    ("case 00123456", "record_number"),
    ("11010519491231002X", "id_number"),
    ("id 110105194912310021 relapse", "id_number"),
    ("call 13800138000", "phone"),
    ("+44 20 7946 0958", "phone"),
    ("(555) 123-4567", "phone"),
])
def test_identifying_labels_are_flagged(label, kind):
    kinds = {w.kind for w in identifier_warnings(label)}
    assert kind in kinds, (label, kinds)


@pytest.mark.parametrize("label", [
    "Early relapse after VTd, t(4;14)",
    "t(4;14): bone relapse 10 months after VTd and ASCT",
    "IgG kappa, del(17p), 2024-06-01 progression",
    "Light chain only, renal impairment, second line",
    "高危 t(4;14) 早期复发",
    "马法兰 后 复发",
    "Relapsed Refractory Myeloma",
    "R-ISS III, 72 y, frail",
    "",
    None,
])
def test_clinical_labels_are_not_flagged(label):
    assert identifier_warnings(label) == []


def test_example_labels_and_ids_are_clean():
    for case in example_cases():
        assert identifier_warnings(case["label"]) == [], case["label"]
        assert identifier_warnings(case["case_id"]) == []


def test_each_warning_says_what_and_where():
    [warning] = identifier_warnings("call 13800138000")
    assert warning.excerpt == "13800138000" and "phone" in warning.message


@pytest.mark.parametrize("disguised", [
    "John\u200bSmith relapse",          # zero-width space between the names
    "Mr\u200b Smith",
    "MRN \uff11\uff12\uff13\uff14\uff15\uff16\uff17",  # full-width digits
    "\u202e1234567 NRM",                 # a bidi override in front of a record number
    "张\u200d伟",                          # zero-width joiner inside a Chinese name
])
def test_invisible_or_wide_characters_do_not_hide_an_identifier(disguised):
    assert identifier_warnings(disguised), disguised
