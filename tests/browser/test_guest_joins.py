"""A guest joins a live session from its link on a 320 px phone, without an account, and
says something; the facilitator sees it waiting, admits it, and the guest sees it shown.
axe-core checks the guest's pages and the facilitator's panel."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import expect

from guests import services as guest_services
from tests.conftest import World
from tests.services import axe_check
from tests.talking_points.sessions_helpers import open_session

pytestmark = [pytest.mark.browser]

PHONE = {"width": 320, "height": 640}


def test_a_guest_joins_on_a_phone_and_is_admitted(
    chromium_browser: Any, live_server: Any, world: World
) -> None:
    sw = open_session(world)
    link = guest_services.guest_link_make(session=sw.session, by=world.facilitator)
    client = Client()
    client.force_login(world.facilitator)
    facilitator_context = chromium_browser.new_context(base_url=live_server.url)
    facilitator_context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    facilitator = facilitator_context.new_page()
    guest = chromium_browser.new_context(base_url=live_server.url, viewport=PHONE).new_page()

    guest.goto(f"/g/{link.token}/")
    axe_check(guest)
    guest.get_by_role("button", name="Join the session").click()
    expect(guest.locator(".error-summary")).to_contain_text("Write your first name")
    guest.get_by_label("Your first name").fill("Sam")
    guest.get_by_role("button", name="Join the session").click()
    expect(guest.get_by_role("heading", level=1)).to_contain_text("live session")
    guest.get_by_label("What you want to say").fill("The bus stops before the hall opens.")
    guest.get_by_role("button", name="Send it to the facilitator").click()
    expect(guest.locator("#say")).to_contain_text("Sent.")
    expect(guest.locator("#guest-state")).to_contain_text("Waiting for the facilitator")
    axe_check(guest)
    assert guest.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    facilitator.goto(sw.session.get_absolute_url())
    waiting = facilitator.locator("#guest-panel .guest-waiting")
    expect(waiting).to_contain_text("The bus stops before the hall opens.")
    axe_check(facilitator)
    facilitator.get_by_role("button", name="Show it to everyone").click()

    said = guest.locator("#guest-state .contributions")
    expect(said).to_contain_text("The bus stops before the hall opens.", timeout=8000)
    expect(said).to_contain_text("Sam (guest)")
