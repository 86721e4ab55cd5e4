"""A talking point's record made in a live session, in real Chromium with axe-core: the
facilitator follows the live page's link to the control map, adds an item, and finds it in
its ring, on the table and on the place's "What we keep" page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from partnerships.models import Forum, User
from talking_points import services as session_services
from tests import factories
from tests.browser.signing_in import sign_in
from tests.services import axe_check

pytestmark = pytest.mark.browser


@pytest.fixture
def live_on_point_five(transactional_db: None) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    forum = Forum.objects.get(slug="plymouth-alliance-forum")
    facilitator = User.objects.get(email="facilitator@demo.hls-forum.localhost")
    session = session_services.session_plan(
        forum=forum,
        by=facilitator,
        starts_at=timezone.now(),
        venue="Community hall",
        talking_points=[factories.report_point("5")],
        time_box_minutes=20,
    )
    session_services.session_open(session=session, by=facilitator, present=[])


def test_the_control_map_is_made_from_the_live_session(
    browser: Any, live_on_point_five: None
) -> None:
    page = browser.new_page()
    sign_in(page, "facilitator@demo.hls-forum.localhost")
    page.goto("/forums/plymouth-alliance-forum/")
    page.get_by_role("link", name="Go to the live session").first.click()

    page.get_by_role("link", name="the control map").click()
    page.wait_for_url("**/places/plymouth/keep/control-map/")
    axe_check(page)
    page.get_by_label("What it is").fill("Who chairs the forum")
    page.get_by_label("In our control").check()
    page.get_by_role("button", name="Add to the map").click()

    page.wait_for_url("**/places/plymouth/keep/control-map/")
    assert "Who chairs the forum" in page.locator(".ring-control").first.inner_text()
    assert "Who chairs the forum" in page.get_by_role("table").inner_text()
    axe_check(page)
    page.get_by_role("link", name="What we keep").first.click()
    page.wait_for_url("**/places/plymouth/keep/")
    assert "In our control: 3" in page.inner_text("main")
    axe_check(page)
