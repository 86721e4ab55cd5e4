"""End-to-end journeys in real headless Chromium, with axe-core on every page visited."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from partnerships.demo import DEMO_PASSWORD
from partnerships.demo_two_step import DEMO_TOTP_SECRET
from tests.browser.signing_in import sign_in
from tests.services import axe_check

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_data(transactional_db: None) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_visitor_opens_a_place_and_sees_its_commissioners(browser: Any, demo_data: None) -> None:
    page = browser.new_page()
    page.goto("/")
    axe_check(page)
    page.get_by_role("link", name="Plymouth").first.click()
    page.wait_for_url("**/places/plymouth/")
    assert page.get_by_role("heading", level=1).inner_text() == "Plymouth"
    commissioners = page.get_by_role("region", name="Commissioners", exact=True)
    assert "Sam Okafor" in commissioners.inner_text()
    assert "Drug and Alcohol Treatment Commissioner" in commissioners.inner_text()
    axe_check(page)


def test_demo_person_signs_in_and_reaches_their_home_page(browser: Any, demo_data: None) -> None:
    page = browser.new_page()
    page.goto("/accounts/login/")
    axe_check(page)
    page.get_by_label("Email").fill("worker@demo.hls-forum.localhost")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url("**/me/")
    assert page.get_by_role("heading", level=1).inner_text() == "Hello, Alex"
    assert "Harbour Recovery Project" in page.inner_text("main")
    axe_check(page)


def focused_is_error_summary(page: Any) -> bool:
    return bool(page.evaluate("document.activeElement.hasAttribute('data-error-summary')"))


def test_lead_invites_a_colleague_and_a_bad_email_is_explained(
    browser: Any, demo_data: None
) -> None:
    from partnerships.models import Invitation

    page = browser.new_page()
    sign_in(page, "lead@demo.hls-forum.localhost")
    axe_check(page)
    page.goto("/organisations/harbour-recovery-project/")
    axe_check(page)
    invite = page.get_by_role("region", name="Invite a colleague")

    invite.get_by_label("Colleague's email address").fill("not an email address")
    invite.get_by_role("button", name="Send invitation").click()
    page.wait_for_url("**/organisations/harbour-recovery-project/invite/")

    assert focused_is_error_summary(page)
    summary = page.get_by_role("alert")
    assert "There is a problem" in summary.inner_text()
    assert "Enter an email address in the right format" in summary.inner_text()
    assert page.title().startswith("Error:")
    axe_check(page)
    page.get_by_label("Colleague's email address").fill("sam.new@example.org")
    page.get_by_label("Their role").select_option("volunteer")
    page.get_by_role("button", name="Send invitation").click()
    page.wait_for_url("**/organisations/harbour-recovery-project/")
    assert "We have emailed an invitation to sam.new@example.org." in page.inner_text("#status")
    assert "sam.new@example.org (Volunteer)" in page.inner_text("main")
    axe_check(page)
    invitation = Invitation.objects.get(email="sam.new@example.org")
    assert invitation.organisation_role == "volunteer"


def test_person_asks_to_join_a_forum_and_the_facilitator_accepts(
    browser: Any, demo_data: None
) -> None:
    from partnerships.models import ForumMembership
    from tests import factories

    newcomer = factories.UserFactory(email="dana@example.org", full_name="Dana Newcomer")
    page = browser.new_page()
    sign_in(page, "dana@example.org", factories.PASSWORD)
    page.goto("/forums/plymouth-alliance-forum/")
    axe_check(page)

    page.get_by_label("A message to the facilitator").fill("I run a peer support group.")
    page.get_by_role("button", name="Ask to join").click()
    page.wait_for_url("**/forums/plymouth-alliance-forum/")
    assert "You have asked to join Plymouth Alliance Forum" in page.inner_text("#status")
    axe_check(page)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "facilitator@demo.hls-forum.localhost")
    assert "Dana Newcomer asks to join Plymouth Alliance Forum" in page.inner_text("main")
    assert "I run a peer support group." in page.inner_text("main")
    axe_check(page)
    page.get_by_role("button", name="Accept Dana Newcomer").click()
    page.wait_for_url("**/me/")
    assert "Dana Newcomer has joined Plymouth Alliance Forum." in page.inner_text("#status")
    axe_check(page)
    page.goto("/forums/plymouth-alliance-forum/")
    assert "Nobody is waiting for a reply." in page.inner_text("main")
    axe_check(page)

    membership = ForumMembership.objects.get(user=newcomer, forum__slug="plymouth-alliance-forum")
    assert membership.role == "participant"


def test_facilitator_edits_forum_details_and_a_commissioner_edits_their_profile(
    browser: Any, demo_data: None
) -> None:
    from partnerships.models import CommissionerProfile, Forum

    page = browser.new_page()
    sign_in(page, "facilitator@demo.hls-forum.localhost")
    page.goto("/forums/plymouth-alliance-forum/")
    page.get_by_role("link", name="Edit forum details").click()
    page.wait_for_url("**/edit/")
    axe_check(page)
    page.get_by_label("Purpose").fill("")
    page.get_by_role("button", name="Save details").click()
    assert focused_is_error_summary(page)
    axe_check(page)
    page.get_by_label("Purpose").fill("Partners learn and decide together.")
    page.get_by_label("Start time").fill("18:30")
    page.get_by_role("button", name="Save details").click()
    page.wait_for_url("**/forums/plymouth-alliance-forum/")
    assert "Every Tuesday at 6:30 pm" in page.inner_text("main")
    assert Forum.objects.get(slug="plymouth-alliance-forum").purpose == (
        "Partners learn and decide together."
    )
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "commissioner@demo.hls-forum.localhost", totp_secret=DEMO_TOTP_SECRET)
    page.get_by_role("link", name="Edit your public profile").click()
    axe_check(page)
    page.get_by_label("When you can be reached").fill("Wednesdays, 10am to 2pm")
    page.get_by_label("Mental health").check()
    page.get_by_role("button", name="Save profile").click()
    assert "Wednesdays, 10am to 2pm" in page.inner_text("main")
    assert "Mental health" in page.inner_text("main")
    axe_check(page)
    profile = CommissionerProfile.objects.get(user__email="commissioner@demo.hls-forum.localhost")
    assert profile.availability == "Wednesdays, 10am to 2pm"
