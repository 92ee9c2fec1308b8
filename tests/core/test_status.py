"""Disease status (rules.md section A) and the course model of "Lines of therapy": the 60-day
refractoriness window, continuation versus salvage lines, primary-refractory precedence."""

from __future__ import annotations

import pytest

from mmlogic.thresholds import REFRACTORY_WINDOW_DAYS

from .factory import asct, day, line, make_case, run, serum

END = 150
# Vd days 0–150: 40 → 10 g/L (75 %, PR), nadir 4 g/L on day 120.
RESPONDING = [(-5, 40.0), (60, 10.0), (120, 4.0)]


def rising_from(n):
    """A confirmed BIO-SERUM rise whose progression date (first qualifying value) is day n."""
    return [(n, 12.0), (n + 20, 14.0)]


@pytest.mark.parametrize(("days_after_end", "expected", "refractory"), [
    (REFRACTORY_WINDOW_DAYS - 1, "relapsed_refractory", True),
    (REFRACTORY_WINDOW_DAYS, "relapsed_refractory", True),
    (REFRACTORY_WINDOW_DAYS + 1, "relapsed", False),
], ids=["59 days", "60 days", "61 days"])
def test_sixty_day_window_computed(days_after_end, expected, refractory):
    n = END + days_after_end
    a = run(make_case(labs=serum(RESPONDING + rising_from(n)), lines=[line("Vd", 0, END)], as_of=n + 30))
    assert a.relapse.date.isoformat() == day(n)
    assert a.status.category == expected
    assert a.lines[0].refractory is refractory
    assert ("DEF-RR" in a.status.rules) is refractory
    assert "DEF-RELAPSED" in a.status.rules
    assert sorted(a.status.refractory_drugs) == (["bortezomib"] if refractory else [])


@pytest.mark.parametrize(("days_after_end", "expected"), [(60, "relapsed_refractory"), (61, "relapsed")])
def test_sixty_day_window_entered_progression(days_after_end, expected):
    n = END + days_after_end
    a = run(make_case(labs=serum(RESPONDING), lines=[line("Vd", 0, END, progression_date=n)], as_of=n + 10))
    assert a.status.category == expected
    assert "ASSUME-ENTERED-PROGRESSION" in a.status.rules


def test_progression_on_therapy_is_refractory():
    a = run(make_case(labs=serum(RESPONDING + rising_from(200)), lines=[line("Vd", 0)], as_of=230))
    assert a.status.category == "relapsed_refractory"
    assert a.lines[0].refractory is True


def test_transplant_counts_as_the_last_therapy():
    # Progression 100 days after the line but 30 days after an autologous transplant.
    a = run(make_case(labs=serum(RESPONDING + rising_from(250)), lines=[line("Vd", 0, END)],
                      transplants=[asct(220)], as_of=280))
    assert a.status.category == "relapsed_refractory"


def test_untreated_and_no_relapse():
    assert run(make_case(labs=serum([(0, 30.0)]), as_of=10)).status.category == "untreated"
    a = run(make_case(labs=serum(RESPONDING), lines=[line("Vd", 0, END)], as_of=200))
    assert a.status.category == "no_relapse" and a.status.rules == []


def test_primary_refractory_takes_precedence_over_rr():
    # Never reached MR (40 → 36 g/L is 10 %), then progression within 60 days of the end.
    rows = [(-5, 40.0), (60, 36.0), (120, 35.0), (160, 45.0), (180, 48.0)]
    a = run(make_case(labs=serum(rows), lines=[line("Vd", 0, END)], as_of=200))
    assert a.relapse.biochemical is True
    assert a.status.category == "primary_refractory"
    assert "DEF-PRIMARY-REFRACTORY" in a.status.rules and "DEF-RR" not in a.status.rules
    assert a.lines[0].refractory is True


def test_no_mr_judged_on_a_finished_line_is_primary_refractory_without_progression():
    a = run(make_case(labs=serum([(-5, 40.0), (60, 36.0), (120, 35.0)]), lines=[line("Vd", 0, END)], as_of=200))
    assert a.status.category == "primary_refractory"


def test_ongoing_first_line_without_mr_yet_is_pending():
    a = run(make_case(labs=serum([(-5, 40.0), (30, 36.0)]), lines=[line("Vd", 0)], as_of=40))
    assert a.status.category == "no_relapse"


# ---- continuation (ex-04) versus salvage lines ---------------------------------------------------

# VRd days 0–180, lenalidomide maintenance from day 181 with no progression in between.
EX04_ROWS = [(-5, 28.0), (90, 9.0), (180, 4.0), (400, 3.0), (500, 3.0), (600, 6.0), (660, 9.0), (690, 11.0)]


def test_maintenance_continues_the_induction_course():
    a = run(make_case(labs=serum(EX04_ROWS),
                      lines=[line("VRd", 0, 180), line("len maintenance", 181, drugs=["lenalidomide"])], as_of=700))
    first, maintenance = a.lines
    assert maintenance.salvage is False
    # The baseline stays the induction baseline (28 g/L): at its nadir the disease is responding.
    assert maintenance.best_response in ("PR", "VGPR")
    assert a.relapse.date.isoformat() == day(660)
    assert maintenance.progression_date.isoformat() == day(660)
    assert maintenance.refractory is True
    assert a.status.category == "relapsed_refractory"
    assert "lenalidomide" in a.status.refractory_drugs


def test_line_after_progression_is_salvage_with_its_own_baseline():
    rows = RESPONDING + rising_from(300) + [(360, 5.0), (400, 5.5)]
    a = run(make_case(labs=serum(rows), lines=[line("Vd", 0, END), line("Rd", 330)], as_of=420))
    first, salvage = a.lines
    assert first.salvage is False and salvage.salvage is True
    assert first.progression_date.isoformat() == day(300)
    # Baseline of the salvage line: 14 g/L on day 320 (last value on or before its start); 5 is 64 % down.
    assert salvage.best_response == "PR"
    assert a.status.category == "no_relapse"


def test_no_mr_on_salvage_is_relapsed_refractory():
    rows = RESPONDING + rising_from(300) + [(360, 13.0), (400, 13.5)]
    a = run(make_case(labs=serum(rows), lines=[line("Vd", 0, END), line("Rd", 330, 410)], as_of=420))
    assert a.lines[1].salvage is True and a.lines[1].best_response == "SD"
    assert a.status.category == "relapsed_refractory"
    assert "DEF-RR" in a.status.rules


def test_steroids_are_never_refractory():
    a = run(make_case(labs=serum(RESPONDING + rising_from(200)), lines=[line("Vd", 0)], as_of=230))
    assert "dexamethasone" not in a.status.refractory_drugs
    assert a.status.refractory_drugs == ["bortezomib"]
