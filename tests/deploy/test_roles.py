"""Roles and teams through the whole deployment (nginx, TLS, the real OpenID provider, PostgreSQL):
a clinician of team B gets "not found" for a team-A case id by direct URL, a reviewer cannot save,
a teacher sees the teaching gallery only (issue #17)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import goto_page, idle, load_example

from .conftest import sign_in

pytestmark = [pytest.mark.deploy, pytest.mark.e2e]

CASE = "ex-03"


def _signed_in(context, trial, user: str, email: str):
    page = context.new_page()
    sign_in(page, trial, user)
    page.get_by_text(f"Signed in as {email}").wait_for(timeout=30_000)
    idle(page)
    return page


@pytest.fixture(scope="module")
def team_a_case(browser, trial):
    """Alice (clinician, team A) stores ex-03 in the library."""
    ctx = browser.new_context(ignore_https_errors=True, viewport={"width": 1400, "height": 2200}, locale="en-GB")
    try:
        page = _signed_in(ctx, trial, "alice", "alice@team-a.example")
        load_example(page, CASE)
        goto_page(page, "Case library")
        page.get_by_role("button", name="Save to library").click()
        expect(page.get_by_text("Saved as revision")).to_be_visible(timeout=30_000)
    finally:
        ctx.close()
    return CASE


def test_team_b_gets_not_found_for_a_team_a_case_by_url(context, trial, team_a_case):
    page = _signed_in(context, trial, "bob", "bob@team-b.example")
    page.goto(f"{trial.url}/case-library?case={team_a_case}")
    expect(page.get_by_text(f"No stored case with id {team_a_case}.")).to_be_visible(timeout=30_000)
    # and the list of the library does not show it either
    expect(page.locator("[data-testid=stDataFrame]").filter(has_text=team_a_case)).to_have_count(0)


def test_a_team_a_colleague_opens_it_by_url(context, trial, team_a_case):
    page = _signed_in(context, trial, "rita", "rita@team-a.example")
    page.goto(f"{trial.url}/case-library?case={team_a_case}")
    idle(page)
    expect(page.get_by_text(f"No stored case with id {team_a_case}.")).to_have_count(0)
    # the library page names the session's case: now the stored one
    expect(page.locator("[data-testid=stMain]").get_by_text(f"· {team_a_case}")).to_be_visible(timeout=30_000)
    expect(page.get_by_text(f"Case {team_a_case}:")).to_be_visible()  # and the sidebar (drawn again)


def test_a_reviewer_cannot_save(context, trial, team_a_case):
    page = _signed_in(context, trial, "rita", "rita@team-a.example")
    goto_page(page, "Case library")
    expect(page.get_by_role("button", name="Save to library")).to_be_disabled()


def test_a_teacher_sees_the_teaching_gallery_only(context, trial, team_a_case):
    page = _signed_in(context, trial, "tom", "tom@teaching.example")
    # one page only (Teaching): Streamlit then draws no page navigation at all
    expect(page.locator("[data-testid=stSidebarNav]")).to_have_count(0)
    expect(page.get_by_role("link", name="Case library")).to_have_count(0)
    page.goto(f"{trial.url}/case-library?case={team_a_case}")
    idle(page)
    expect(page.get_by_text("Case library", exact=True)).to_have_count(0)
    # the stored case was not opened (ex-03 is also a public example of the gallery, so look at the
    # session's case, named by the sidebar's case box)
    expect(page.get_by_text(f"Case {team_a_case}:")).to_have_count(0)
