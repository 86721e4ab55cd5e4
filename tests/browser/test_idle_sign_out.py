"""The idle sign-out in real headless Chromium: a warning dialog that takes focus and is
announced, "Stay signed in" by keyboard, and nothing typed is lost when time runs out.
The idle timeout is made a few seconds long through settings, so the waits are short."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.backends.cached_db import SessionStore
from playwright.sync_api import expect

from hls_forum.middleware import SESSION_SEEN_AT
from tests import factories
from tests.factories import PASSWORD
from tests.services import axe_check, wait_until

pytestmark = pytest.mark.browser


def sign_in(page: Any, email: str) -> None:
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()


def seen_at(browser: Any) -> float:
    """When the server last saw this browser's session (the idle clock)."""
    cookie = next(c for c in browser.cookies() if c["name"] == django_settings.SESSION_COOKIE_NAME)
    return float(SessionStore(session_key=cookie["value"]).load()[SESSION_SEEN_AT])


def watch_csp(page: Any) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return violations


def test_warning_takes_focus_and_stay_signed_in_by_keyboard_keeps_the_session(
    browser: Any, transactional_db: None, settings: Any
) -> None:
    settings.SESSION_IDLE_TIMEOUT = 30
    settings.SESSION_IDLE_WARNING = 28  # the warning opens two seconds after a page loads
    settings.SESSION_ACTIVITY_RESOLUTION = 1
    person = factories.MembershipFactory().user
    page = browser.new_page()
    csp_violations = watch_csp(page)
    page.goto("/accounts/login/")
    sign_in(page, person.email)
    page.wait_for_url("**/me/")

    warning = page.get_by_role("alertdialog", name="You will be signed out soon")
    warning.wait_for(timeout=10_000)

    assert page.evaluate("document.activeElement.closest('dialog[open]') !== null")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Stay signed in"
    expect(warning).to_have_accessible_description(re.compile("we will sign you out in"))
    axe_check(page)
    before = seen_at(browser)

    page.keyboard.press("Enter")

    expect(warning).to_be_hidden()
    wait_until(lambda: seen_at(browser) > before, timeout=10)
    assert csp_violations == []


def test_what_was_typed_is_back_after_time_runs_out_and_the_person_signs_in_again(
    browser: Any, transactional_db: None, settings: Any
) -> None:
    settings.SESSION_IDLE_TIMEOUT = 7
    settings.SESSION_IDLE_WARNING = 4  # three seconds to type before the warning opens
    settings.SESSION_ACTIVITY_RESOLUTION = 1
    place = factories.PlaceFactory()
    organisation = factories.OrganisationFactory(places=[place])
    person = factories.MembershipFactory(organisation=organisation).user
    form_url = f"/places/{place.slug}/learning/new/"
    on_the_form = re.compile(rf"^[^?]*{re.escape(form_url)}$")
    page = browser.new_page()
    csp_violations = watch_csp(page)
    page.goto(form_url)  # not signed in yet: sign-in brings the person to the form
    page.wait_for_url(re.compile(r"/accounts/login/\?next="))
    sign_in(page, person.email)
    page.wait_for_url(on_the_form)
    page.get_by_label("Experiment", exact=True).check()
    page.get_by_label("Title").fill("Walk-in advice on Thursdays")
    page.get_by_label("What we tried").fill("An open door, no appointment needed.")

    # Nobody presses "Stay signed in": after the warning, time runs out.
    page.get_by_role("alertdialog", name="You will be signed out soon").wait_for(timeout=10_000)
    page.wait_for_url(re.compile(r"/accounts/login/\?next="), timeout=15_000)
    assert "had not done anything for a while" in page.inner_text("#status")
    sign_in(page, person.email)
    page.wait_for_url(on_the_form)

    expect(page.get_by_label("Title")).to_have_value("Walk-in advice on Thursdays")
    expect(page.get_by_label("What we tried")).to_have_value("An open door, no appointment needed.")
    expect(page.get_by_label("What we tried")).to_be_visible()
    assert "kept what you had typed" in page.inner_text("#status")
    assert csp_violations == []
