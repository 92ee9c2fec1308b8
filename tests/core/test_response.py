"""IMWG response of a line (rules.md section B, RESP-*), computed against the course baseline."""

from __future__ import annotations

import pytest

from mmlogic.thresholds import (
    RESP_SERUM_MR_REDUCTION,
    RESP_SERUM_PR_REDUCTION,
    RESP_SERUM_VGPR_REDUCTION,
    RESP_URINE_PR_MAX_MG,
    RESP_URINE_VGPR_MAX_MG,
)

from .factory import day, line, make_case, run, serum, series

BASE_M = 40.0


def one_line(labs, **kw):
    return make_case(labs=labs, lines=[line("Vd", 0, 150, **kw)], as_of=200)


SERUM_ROWS = [
    ("10 % reduction", BASE_M * 0.9, "SD"),
    ("just below MR", BASE_M * (1 - RESP_SERUM_MR_REDUCTION) + 0.1, "SD"),
    ("exactly 25 %", BASE_M * (1 - RESP_SERUM_MR_REDUCTION), "MR"),
    ("exactly 50 %", BASE_M * (1 - RESP_SERUM_PR_REDUCTION), "PR"),
    ("just below 90 %", BASE_M * (1 - RESP_SERUM_VGPR_REDUCTION) + 0.1, "PR"),
    ("exactly 90 %", BASE_M * (1 - RESP_SERUM_VGPR_REDUCTION), "VGPR"),
]


@pytest.mark.parametrize(("value", "expected"), [r[1:] for r in SERUM_ROWS], ids=[r[0] for r in SERUM_ROWS])
def test_serum_response_categories(value, expected):
    a = run(one_line(serum([(-5, BASE_M), (60, value)])))
    assert a.lines[0].best_response == expected
    assert a.lines[0].best_response_source == "computed"
    assert a.lines[0].rules[0] == f"RESP-{expected}"


URINE_ROWS = [
    ("50 % reduction", 500.0, "MR"),
    ("just under 200 mg", RESP_URINE_PR_MAX_MG - 1, "PR"),
    ("90 % reduction, 100 mg", RESP_URINE_VGPR_MAX_MG, "PR"),
    ("under 100 mg", RESP_URINE_VGPR_MAX_MG - 1, "VGPR"),
    ("30 % reduction", 700.0, "SD"),
]


@pytest.mark.parametrize(("value", "expected"), [r[1:] for r in URINE_ROWS], ids=[r[0] for r in URINE_ROWS])
def test_urine_response_categories(value, expected):
    a = run(one_line(series("urine_m_protein", [(-5, 1000.0), (60, value)])))
    assert a.lines[0].best_response == expected


def test_cr_from_negative_immunofixation():
    a = run(one_line(serum([(-5, BASE_M), (60, 0.0)]) + series("serum_ife", [(-5, "positive"), (90, "negative")])))
    assert a.lines[0].best_response == "CR"
    assert a.lines[0].response_date.isoformat() == day(90)


def test_cr_needs_marrow_under_5_percent_when_recorded():
    labs = (serum([(-5, BASE_M), (60, 0.0)]) + series("serum_ife", [(90, "negative")])
            + series("marrow_plasma_cells", [(90, 8.0)]))
    assert run(one_line(labs)).lines[0].best_response == "VGPR"


def test_dflc_has_no_mr():
    labs = series("flc_kappa", [(-5, 1010.0), (60, 710.0), (90, 510.0)]) + series(
        "flc_lambda", [(-5, 10.0), (60, 10.0), (90, 10.0)])
    a = run(make_case(labs=labs, lines=[line("Vd", 0, 150)], as_of=200, disease={"isotype": "kappa light chain"}))
    assert a.lines[0].best_response == "PR"  # 30 % at day 60 is SD (no MR on dFLC); 50 % on day 90 is PR
    assert a.lines[0].response_date.isoformat() == day(90)


def test_response_date_is_the_first_date_the_best_was_reached():
    a = run(one_line(serum([(-5, BASE_M), (30, 30.0), (60, 18.0), (90, 15.0)])))
    assert a.lines[0].best_response == "PR"
    assert a.lines[0].response_date.isoformat() == day(60)


def test_entered_response_overrides_and_says_so():
    a = run(one_line(serum([(-5, BASE_M), (60, 18.0)]), best_response="VGPR"))
    assert a.lines[0].best_response == "VGPR"
    assert a.lines[0].best_response_source == "entered"
    assert a.lines[0].computed_best_response == "PR"


def test_no_measurable_marker_gives_unknown_response_with_a_warning():
    a = run(one_line(serum([(-5, 8.0), (60, 2.0)])))
    assert a.lines[0].best_response is None
    assert a.lines[0].best_response_source == "unknown"
    assert any("response unknown" in w.en for w in a.warnings)
