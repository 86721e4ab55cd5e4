"""Reminder pages in real headless Chromium, with axe-core on every page visited."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from partnerships.models import ForumMembership
from reminders import tokens
from reminders.models import Delivery, DeliveryStatus
from tests import factories
from tests.conftest import World
from tests.reminders.conftest import due_moment
from tests.services import axe_check

pytestmark = pytest.mark.browser


def sign_in(browser: Any, live_server: Any, user: Any) -> Any:
    """A new page in ``browser`` with ``user`` signed in (their session cookie)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    browser.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    return browser.new_page()


def test_member_turns_reminders_off_with_htmx_and_pages_pass_axe(
    world: World, browser: Any, live_server: Any
) -> None:
    factories.ForumMembershipFactory(forum=world.forum, user=world.member_a)
    page = sign_in(browser, live_server, world.member_a)

    page.goto(reverse("reminders:preferences"))
    axe_check(page)
    page.get_by_role("button", name="Turn off reminders for Testford Forum").click()
    page.get_by_text("Reminders for Testford Forum are off.").wait_for()

    assert not ForumMembership.objects.get(user=world.member_a, forum=world.forum).reminders_enabled
    assert page.locator("h1").count() == 1
    axe_check(page)


def test_unsubscribe_confirmation_and_oversight_pages_pass_axe(
    world: World, browser: Any, live_server: Any
) -> None:
    due = due_moment(world.forum)
    person = factories.ForumMembershipFactory(forum=world.forum).user
    Delivery.objects.create(
        kind="reminder",
        forum=world.forum,
        recipient=person,
        occasion_date=due.day,
        occasion_at=due.meeting,
        status=DeliveryStatus.UNKNOWN,
        detail="Sending stopped part-way.",
    )
    token = tokens.unsubscribe_token(user_id=person.pk, forum_id=world.forum.pk)
    anonymous = browser.new_page()
    anonymous.goto(reverse("reminders:unsubscribe", kwargs={"token": token}))
    axe_check(anonymous)
    anonymous.get_by_role("button", name="Stop reminders for Testford Forum").click()
    anonymous.get_by_role("heading", name="You are unsubscribed").wait_for()

    page = sign_in(browser, live_server, world.facilitator)
    page.goto(reverse("reminders:forum_deliveries", kwargs={"slug": world.forum.slug}))
    axe_check(page)
    page.get_by_role("link", name=due.day.strftime("%A")).first.click()
    page.get_by_role("heading", level=1).wait_for()
    axe_check(page)

    assert "Unknown: sending stopped part-way" in page.content()
