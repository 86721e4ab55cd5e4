"""A commissioner's journey with the keyboard alone, in real headless Chromium, on a wide
screen and on a 320 px phone: sign in, see what is unread on the home page, open it, ask a
question, mark another entry read, and come home to "You are up to date".

Every step says where focus is (``document.activeElement``); every page passes axe-core
and, at 320 px, scrolls only up and down."""

from __future__ import annotations

from typing import Any

import pytest

from talking_points.models import Review, ReviewRead
from tests import factories
from tests.browser.signing_in import totp_code
from tests.factories import PASSWORD
from tests.services import axe_check

pytestmark = pytest.mark.browser

FIRST = "A warm room on Tuesdays"
SECOND = "Bus passes for volunteers"
QUESTION = "How many people came back a second time?"

# What has focus, described by what a person would hear or see.
FOCUSED = """() => {
  const e = document.activeElement;
  return {
    tag: e.tagName.toLowerCase(),
    name: e.getAttribute("name") || "",
    value: e.value || "",
    text: (e.innerText || "").trim().replace(/\\s+/g, " "),
    href: e.getAttribute("href") || "",
    classes: e.className || "",
  };
}"""
# What reaches past the right edge of the screen, to say why a page scrolls sideways.
WIDER_THAN_SCREEN = """() => Array.from(document.querySelectorAll("body *"))
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth)
  .map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right))
  .slice(0, 8)"""
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


@pytest.fixture
def commissioner(transactional_db: None) -> dict[str, Any]:
    place = factories.PlaceFactory(name="Testford", slug="testford")
    organisation = factories.OrganisationFactory(name="Warm Homes Trust", places=[place])
    profile = factories.CommissionerProfileFactory(
        places=[place], organisation__name="Testford Council"
    )
    secret = factories.give_mfa(profile.user)
    entries = [
        factories.LearningEntryFactory(
            place=place,
            organisation=organisation,
            title=title,
            body=f"**{title}** helped, we _think_.",
            visibility="commissioners",
        )
        for title in (FIRST, SECOND)
    ]
    return {"user": profile.user, "secret": secret, "entries": entries}


def assert_url(page: Any, ending: str) -> None:
    assert page.url.endswith(ending), page.url


def focused(page: Any) -> dict[str, str]:
    return dict(page.evaluate(FOCUSED))


def tab_to(page: Any, wanted: Any, key: str = "Tab", limit: int = 80) -> dict[str, str]:
    """Press ``key`` until the focused element is the one ``wanted`` describes."""
    for _ in range(limit):
        page.keyboard.press(key)
        now = focused(page)
        if wanted(now):
            return now
    pytest.fail(f"{key} never reached the element; focus ended on {focused(page)}")


def check_page(page: Any, *, narrow: bool) -> None:
    axe_check(page)
    if narrow:
        assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{page.url} scrolls sideways at 320 px: " + str(
            page.evaluate(WIDER_THAN_SCREEN)
        )


def press_enter_and_load(page: Any) -> None:
    """Press Enter on the focused link or button and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()


def is_link(text: str) -> Any:
    return lambda f: f["tag"] == "a" and f["text"] == text


@pytest.mark.parametrize("width", [1280, 320], ids=["wide", "phone"])
def test_commissioner_reviews_learning_by_keyboard_alone(
    browser: Any, commissioner: dict[str, Any], width: int
) -> None:
    narrow = width == 320
    first, second = commissioner["entries"]
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": 720})

    # Sign in: email, password, then the code from the authenticator app.
    page.goto("/accounts/login/")
    check_page(page, narrow=narrow)
    assert tab_to(page, lambda f: f["name"] == "login")["tag"] == "input"
    page.keyboard.type(commissioner["user"].email)
    assert focused(page)["value"] == commissioner["user"].email
    assert tab_to(page, lambda f: f["name"] == "password")["tag"] == "input"
    page.keyboard.type(PASSWORD)
    press_enter_and_load(page)
    assert_url(page, "/accounts/2fa/authenticate/")
    check_page(page, narrow=narrow)
    assert tab_to(page, lambda f: f["name"] == "code")["tag"] == "input"
    page.keyboard.type(totp_code(commissioner["secret"]))
    press_enter_and_load(page)
    assert_url(page, "/me/")

    # Home: both unread entries are listed, named as text (no Markdown marks).
    check_page(page, narrow=narrow)
    main = page.inner_text("main")
    assert "Commissioner, Testford Council" in main
    assert "Unread in your review queue" in main
    assert f"{FIRST} helped, we think." in main
    assert "**" not in main
    assert "You are up to date" not in main
    # Focus is on the message that says who is signed in; Tab carries on into the page.
    assert "notice" in focused(page)["classes"]

    # Open the first one.
    assert tab_to(page, is_link(FIRST))["href"] == first.get_absolute_url()
    press_enter_and_load(page)
    assert_url(page, first.get_absolute_url())
    check_page(page, narrow=narrow)
    assert page.get_by_role("heading", level=1).inner_text() == FIRST
    assert focused(page)["tag"] == "body"

    # Ask a question: the response is a radio group (arrow keys), then the message.
    assert tab_to(page, lambda f: f["name"] == "kind")["value"] == "acknowledge"
    page.keyboard.press("ArrowDown")
    now = focused(page)
    assert (now["tag"], now["name"], now["value"]) == ("input", "kind", "question")
    page.keyboard.press("Tab")
    assert (focused(page)["tag"], focused(page)["name"]) == ("textarea", "text")
    page.keyboard.type(QUESTION)
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Send response"
    press_enter_and_load(page)
    assert_url(page, f"{first.get_absolute_url()}#responses")
    check_page(page, narrow=narrow)
    # Focus is on the message saying what happened.
    now = focused(page)
    assert "notice" in now["classes"]
    assert now["text"] == "Your response is saved. Warm Homes Trust will be emailed."
    assert QUESTION in page.inner_text("#responses")
    assert Review.objects.filter(entry=first, kind="question", text=QUESTION).exists()

    # Back home: the first entry is read now (responding marks it read), the second is not.
    assert tab_to(page, is_link("Your home"), key="Shift+Tab")["href"] == "/me/"
    press_enter_and_load(page)
    assert_url(page, "/me/")
    check_page(page, narrow=narrow)
    assert focused(page)["tag"] == "body"
    unread = page.inner_text(".waiting-list")
    assert SECOND in unread
    assert FIRST not in unread

    # Open the second and mark it read.
    assert tab_to(page, is_link(SECOND))["href"] == second.get_absolute_url()
    press_enter_and_load(page)
    assert_url(page, second.get_absolute_url())
    check_page(page, narrow=narrow)
    assert focused(page)["tag"] == "body"
    assert tab_to(page, lambda f: f["text"] == "Mark as read")["tag"] == "button"
    press_enter_and_load(page)
    assert_url(page, second.get_absolute_url())
    check_page(page, narrow=narrow)
    now = focused(page)
    assert "notice" in now["classes"]
    assert now["text"] == f"“{SECOND}” is marked as read."
    assert ReviewRead.objects.filter(entry=second, user=commissioner["user"]).exists()

    # Home again: nothing waits.
    assert tab_to(page, is_link("Your home"), key="Shift+Tab")["href"] == "/me/"
    press_enter_and_load(page)
    assert_url(page, "/me/")
    check_page(page, narrow=narrow)
    assert focused(page)["tag"] == "body"
    assert "You are up to date" in page.inner_text("main")
