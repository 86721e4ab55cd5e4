"""Done means: three people in three independent browsers run a live session. The
facilitator opens it; two participants contribute (one anonymously); each sees the others'
words within three seconds; the facilitator records a decision and an action and closes;
the summary email reaches everyone at the table. axe-core checks the live page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from partnerships.models import User
from tests.conftest import World
from tests.services import SMTPServer, Worker, axe_check, wait_until
from tests.talking_points.sessions_helpers import planned_session

pytestmark = [pytest.mark.browser, pytest.mark.services]

SEEN_WITHIN_MS = 3000


def signed_in_page(chromium_browser: Any, live_server: Any, user: User) -> Any:
    """A separate browser context (its own cookies) signed in as ``user``."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    context = chromium_browser.new_context(base_url=live_server.url)
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    return context.new_page()


def test_three_people_run_a_live_session_end_to_end(
    chromium_browser: Any,
    live_server: Any,
    celery_worker: Worker,
    smtp_server: SMTPServer,
    world: World,
) -> None:
    session, _items = planned_session(world, days=0)
    facilitator = signed_in_page(chromium_browser, live_server, world.facilitator)
    alice = signed_in_page(chromium_browser, live_server, world.member_a)
    bob = signed_in_page(chromium_browser, live_server, world.member_b)
    poll_statuses: list[int] = []
    alice.on(
        "response",
        lambda r: poll_statuses.append(r.status) if r.url.endswith("/live/") else None,
    )
    path = session.get_absolute_url()

    # The facilitator opens the session, taking attendance: Alice is in the room.
    facilitator.goto(path)
    facilitator.get_by_role("link", name="Open the session").click()
    facilitator.get_by_label(world.member_a.full_name).check()
    facilitator.get_by_role("button", name="Open the session").click()
    expect(facilitator.get_by_role("heading", level=1)).to_contain_text("live session")
    expect(facilitator.locator(".timer-text")).to_contain_text("left")
    axe_check(facilitator)

    # Alice is at the table; Bob joins late from his phone-sized screen.
    alice.goto(path)
    bob.set_viewport_size({"width": 390, "height": 844})
    bob.goto(path)
    bob.get_by_role("button", name="Join the session").click()
    expect(bob.get_by_label("Your contribution")).to_be_visible()

    alice.get_by_label("Your contribution").fill("We hear about decisions after they are made.")
    alice.get_by_role("button", name="Add contribution").click()
    expect(alice.locator("#contribute").get_by_text("Your contribution was added.")).to_be_visible()
    bob.get_by_label("Your contribution").fill("I worry about saying this out loud.")
    bob.get_by_label("Add it anonymously").check()
    bob.get_by_role("button", name="Add contribution").click()

    # Each sees the others' words within three seconds, without reloading.
    expect(bob.locator("#live-said")).to_contain_text(
        "We hear about decisions after they are made.", timeout=SEEN_WITHIN_MS
    )
    expect(alice.locator("#live-said")).to_contain_text(
        "I worry about saying this out loud.", timeout=SEEN_WITHIN_MS
    )
    expect(facilitator.locator("#live-said")).to_contain_text(
        "I worry about saying this out loud.", timeout=SEEN_WITHIN_MS
    )
    anonymous_item = facilitator.locator(".contribution", has_text="I worry about saying")
    expect(anonymous_item).to_contain_text("Anonymous")
    expect(anonymous_item).not_to_contain_text(world.member_b.full_name)
    axe_check(alice)
    axe_check(bob)

    # Idle polls are answered 304 and leave the page as it was.
    alice.wait_for_timeout(4500)
    assert 304 in poll_statuses
    expect(alice.locator("#live-said")).to_contain_text("I worry about saying this out loud.")

    # The facilitator records a decision and an action.
    facilitator.get_by_text("Record a decision").click()
    facilitator.get_by_label("What was decided").fill("Ask for a seat on the alliance board.")
    facilitator.get_by_label("Why").fill("Decisions are made before we are in the room.")
    facilitator.get_by_role("button", name="Record the decision").click()
    expect(facilitator.locator("#decisions")).to_contain_text("Ask for a seat")
    facilitator.get_by_text("Record an action").click()
    facilitator.get_by_label("What will be done").fill("Write to the board chair.")
    facilitator.get_by_label("Who will do it").select_option(label=world.member_b.full_name)
    due = timezone.localdate() + datetime.timedelta(days=14)
    facilitator.get_by_label("Due by").fill(due.isoformat())
    facilitator.get_by_role("button", name="Record the action").click()
    expect(facilitator.locator("#actions")).to_contain_text("Write to the board chair.")
    expect(bob.locator("#live-record")).to_contain_text(
        "Write to the board chair.", timeout=SEEN_WITHIN_MS
    )
    axe_check(facilitator)

    # The facilitator closes; everyone's page says so, in place, with the way to the summary.
    facilitator.get_by_role("link", name="Close the session").click()
    facilitator.get_by_role("button", name="Close the session").click()
    expect(facilitator.get_by_role("heading", level=1)).to_contain_text("summary")
    expect(alice.locator("#live-state")).to_contain_text("The session has closed", timeout=5000)
    axe_check(alice)
    alice.get_by_role("link", name="Read the summary").click()
    expect(alice.get_by_role("heading", level=1)).to_contain_text("summary")
    expect(alice.locator("main")).to_contain_text("Ask for a seat on the alliance board.")
    axe_check(alice)

    # The summary email reaches everyone who was at the table, and the action its owner.
    wait_until(lambda: len(smtp_server.messages) >= 4, timeout=60)
    summaries = [m for m in smtp_server.messages if m["Subject"].startswith("Summary:")]
    assert sorted(m["To"] for m in summaries) == sorted(
        u.email for u in (world.facilitator, world.member_a, world.member_b)
    )
    actions = [m for m in smtp_server.messages if m["Subject"].startswith("An action for you")]
    assert [m["To"] for m in actions] == [world.member_b.email]
    body = summaries[0].get_payload(0).get_payload(decode=True).decode()
    assert "I worry about saying this out loud. (Anonymous)" in body
    assert "Write to the board chair." in body
