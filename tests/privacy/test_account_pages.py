"""allauth's pages and emails speak the site's own plain English, in valid, accessible
markup with deferred scripts; one email address per person."""

from __future__ import annotations

import itertools
import re
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.conftest import World, client_for
from tests.factories import PASSWORD
from tests.privacy.conftest import sign_in

pytestmark = pytest.mark.django_db

# allauth's own wording, which the site's pages must not show.
ALLAUTH_WORDING = [
    "Sign In",
    "Sign Up",
    "Signup",
    "Sign Out",
    "Two-Factor",
    "Make Primary",
    "Primary",
    "Re-send Verification",
    "Forgot your password",
    "Password Reset",
    "Reset My Password",
    "Remember Me",
    "Email Addresses",
    "Recovery Codes",
    "Authenticator App",
    "Security Keys",
    "Confirm Access",
    "Verify Your Email Address",
]


class Page(HTMLParser):
    """What the checks below need from a page: its headings in order, its scripts, and any
    list nested where HTML does not allow one (in a <p> or a <span>)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.open: list[str] = []
        self.headings: list[tuple[int, str]] = []
        self.scripts: list[dict[str, str | None]] = []
        self.misplaced_lists: list[str] = []
        self.ids: set[str] = set()
        self.described_by: list[str] = []
        self._heading: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if found.get("aria-describedby"):
            self.described_by.extend(str(found["aria-describedby"]).split())
        if tag == "script":
            self.scripts.append(found)
        if tag == "ul" and any(t in {"p", "span"} for t in self.open):
            self.misplaced_lists.append("/".join(self.open))
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = [tag]
        if tag not in {"input", "br", "img", "meta", "link", "hr"}:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            while self.open.pop() != tag:
                pass
        if self._heading and tag == self._heading[0]:
            self.headings.append((int(tag[1]), " ".join("".join(self._heading[1:]).split())))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading.append(data)


def main_of(html: str) -> str:
    return html.split('<main id="main" tabindex="-1">', 1)[1].split("</main>", 1)[0]


def page_of(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def reauthenticated(client: Client) -> Client:
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    return client


def allauth_pages(world: World) -> dict[str, tuple[Client, str]]:
    member = client_for(world.member_a)
    # Signed in with a password, waiting for the second step.
    commissioner = Client()
    sign_in(commissioner, world.commissioner)
    return {
        "sign in": (Client(), reverse("account_login")),
        "create an account": (Client(), reverse("account_signup")),
        "forgotten password": (Client(), reverse("account_reset_password")),
        "reset email sent": (Client(), reverse("account_reset_password_done")),
        "check your email": (Client(), reverse("account_email_verification_sent")),
        "sign-in code": (Client(), reverse("account_request_login_code")),
        "email": (member, reverse("account_email")),
        "password": (member, reverse("account_change_password")),
        "two-step sign-in": (member, reverse("mfa_index")),
        "two-step code": (commissioner, reverse("mfa_authenticate")),
        "set up an app": (reauthenticated(client_for(world.lead_a)), reverse("mfa_activate_totp")),
        "confirm it is you": (client_for(world.member_b), reverse("account_reauthenticate")),
        "signed in where": (member, reverse("usersessions_list")),
        "sign out": (member, reverse("account_logout")),
    }


PAGES = [
    "sign in",
    "create an account",
    "forgotten password",
    "reset email sent",
    "check your email",
    "sign-in code",
    "email",
    "password",
    "two-step sign-in",
    "two-step code",
    "set up an app",
    "confirm it is you",
    "signed in where",
    "sign out",
]


@pytest.mark.parametrize("name", PAGES)
def test_account_page_speaks_plain_english_with_headings_in_order(world: World, name: str) -> None:
    client, url = allauth_pages(world)[name]

    html = page_of(client, url)
    page = Page(main_of(html))

    assert [w for w in ALLAUTH_WORDING if w in main_of(html)] == []
    levels = [level for level, _ in page.headings]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), page.headings
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    assert title is not None
    assert " ".join(title.group(1).split()).startswith(page.headings[0][1])


@pytest.mark.parametrize(
    ("name", "heading", "wording"),
    [
        ("sign in", "Sign in", ["Create an account", "Forgotten your password?"]),
        ("create an account", "Create an account", ["Already have an account?"]),
        ("forgotten password", "Forgotten your password?", ["Email me a link"]),
        ("email", "Your email address", ["Change your email address"]),
        ("two-step sign-in", "Two-step sign-in", ["Set up an authenticator app"]),
        ("two-step code", "Two-step sign-in", ["Enter the code from your authenticator app"]),
    ],
)
def test_account_pages_use_the_sites_names(
    world: World, name: str, heading: str, wording: list[str]
) -> None:
    client, url = allauth_pages(world)[name]

    html = main_of(page_of(client, url))

    assert Page(html).headings[0] == (1, heading)
    assert [w for w in wording if w not in html] == []


def test_email_page_shows_the_one_address_and_a_way_to_change_it(world: World) -> None:
    html = main_of(page_of(client_for(world.member_a), reverse("account_email")))

    assert world.member_a.email in html
    assert 'name="action_add"' in html
    assert "action_primary" not in html
    assert 'type="radio"' not in html


def test_a_new_address_waits_to_be_confirmed_and_replaces_the_old_one(world: World) -> None:
    client = reauthenticated(client_for(world.member_a))

    client.post(reverse("account_email"), {"action_add": "", "email": "new@example.org"})
    html = main_of(page_of(client, reverse("account_email")))

    assert "You asked to change it to <strong>new@example.org</strong>" in html
    assert "Cancel the change" in html
    assert world.member_a.emailaddress_set.get(email="new@example.org").primary is False


def test_password_rules_are_valid_markup_that_the_field_points_to() -> None:
    page = Page(main_of(page_of(Client(), reverse("account_signup"))))

    assert page.misplaced_lists == []
    assert "id_password1-hint" in page.described_by
    assert set(page.described_by) <= page.ids


def test_a_field_with_an_error_points_to_it_and_says_so() -> None:
    response = Client().post(reverse("account_signup"), {"email": "not an email"})
    page = Page(main_of(response.content.decode()))

    assert "id_email-error" in page.described_by
    assert set(page.described_by) <= page.ids
    assert 'aria-invalid="true"' in response.content.decode()


@pytest.mark.parametrize("name", ["sign in", "two-step code"])
def test_allauth_scripts_are_deferred_files(world: World, name: str) -> None:
    client, url = allauth_pages(world)[name]

    scripts = Page(page_of(client, url)).scripts

    files = [s for s in scripts if s.get("src")]
    assert any("webauthn" in str(s["src"]) for s in files)
    assert [s["src"] for s in files if "defer" not in s] == []
    assert [s for s in scripts if not s.get("src") and s.get("type") != "application/json"] == []


def test_sign_up_email_names_hls_forum_not_the_server_address(settings: object) -> None:
    response = Client().post(
        reverse("account_signup"),
        {
            "email": "new.person@example.org",
            "full_name": "New Person",
            "password1": "a long enough password 42",
            "password2": "a long enough password 42",
        },
    )
    assert response.status_code == 302

    [message] = mail.outbox
    assert message.subject == "[HLS Forum] Confirm your email address"
    assert message.body.startswith("Hello,")
    assert "Hello from" not in message.body
    assert "Thank you for using" not in message.body
    assert "an account on HLS Forum" in message.body
    assert message.body.rstrip().endswith("HLS Forum")
    assert "://testserver/accounts/confirm-email/" in message.body  # the link still works


def test_password_reset_email_names_hls_forum(world: World) -> None:
    Client().post(reverse("account_reset_password"), {"email": world.member_a.email})

    [message] = mail.outbox
    assert message.subject == "[HLS Forum] Reset your password"
    assert "HLS Forum account" in message.body
    assert "testserver!" not in message.body
