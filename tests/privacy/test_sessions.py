"""Idle timeout, absolute lifetime, seeing and ending sessions, no-store on private pages."""

from __future__ import annotations

import time

import pytest
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from hls_forum.middleware import SESSION_SEEN_AT, SESSION_STARTED_AT
from privacy.models import AuditEvent
from tests.conftest import World, client_for
from tests.factories import PASSWORD
from tests.privacy.conftest import sign_in

pytestmark = pytest.mark.django_db


def age_session(client: Client, *, started_ago: float, seen_ago: float) -> None:
    session = client.session
    now = time.time()
    session[SESSION_STARTED_AT] = now - started_ago
    session[SESSION_SEEN_AT] = now - seen_ago
    session.save()


def is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_sign_in_starts_both_session_clocks(world: World) -> None:
    client = Client()
    before = time.time()

    sign_in(client, world.member_a)

    assert client.session[SESSION_STARTED_AT] >= before
    assert client.session[SESSION_SEEN_AT] >= before


def test_idle_session_is_signed_out_and_sent_to_sign_in(world: World) -> None:
    client = client_for(world.member_a)
    age_session(client, started_ago=3600, seen_ago=settings.SESSION_IDLE_TIMEOUT + 5)

    response = client.get("/me/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/me/"
    assert not is_signed_in(client)


def test_active_session_within_idle_timeout_carries_on_and_records_activity(
    world: World,
) -> None:
    client = client_for(world.member_a)
    age_session(client, started_ago=3600, seen_ago=settings.SESSION_IDLE_TIMEOUT - 60)

    response = client.get("/me/")

    assert response.status_code == 200
    assert time.time() - client.session[SESSION_SEEN_AT] < 5


@override_settings(SESSION_IDLE_TIMEOUT=120)
def test_idle_timeout_setting_is_honoured(world: World) -> None:
    client = client_for(world.member_a)
    age_session(client, started_ago=600, seen_ago=180)

    assert client.get("/me/").status_code == 302
    assert not is_signed_in(client)


def test_session_ends_after_absolute_lifetime_however_active(world: World) -> None:
    client = client_for(world.member_a)
    age_session(client, started_ago=settings.SESSION_COOKIE_AGE + 5, seen_ago=1)

    response = client.get("/me/")

    assert response.status_code == 302
    assert not is_signed_in(client)


def test_htmx_request_from_an_expired_session_is_redirected_by_htmx(world: World) -> None:
    client = client_for(world.member_a)
    age_session(client, started_ago=3600, seen_ago=settings.SESSION_IDLE_TIMEOUT + 5)

    response = client.get("/me/", headers={"HX-Request": "true"})

    assert response.status_code == 204
    assert response["HX-Redirect"] == "/accounts/login/?next=%2Fme%2F"


def test_session_cookie_ends_with_the_browser_unless_remembered(world: World) -> None:
    login = {"login": world.member_a.email, "password": PASSWORD}
    forgotten = Client().post(reverse("account_login"), login)
    remembered = Client().post(reverse("account_login"), {**login, "remember": "on"})

    assert forgotten.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == ""
    # Even "remember me" never outlives the absolute lifetime.
    assert remembered.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == (
        settings.SESSION_COOKIE_AGE
    )


def test_signed_in_pages_are_not_stored_by_any_cache(world: World) -> None:
    response = client_for(world.member_a).get("/me/")

    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def test_public_pages_for_visitors_may_be_cached(db: None) -> None:
    response = Client().get("/places/")

    assert "no-store" not in response.get("Cache-Control", "")


def test_signed_in_pages_tell_htmx_not_to_keep_history(world: World) -> None:
    signed_in = client_for(world.member_a).get("/me/").content.decode()
    visitor = Client().get("/").content.decode()

    assert 'data-hx-history="false"' in signed_in
    assert 'data-hx-history="false"' not in visitor


def test_person_sees_their_sessions_and_ends_the_others(world: World) -> None:
    laptop, phone = Client(HTTP_USER_AGENT="Laptop"), Client(HTTP_USER_AGENT="Phone")
    sign_in(laptop, world.member_a)
    sign_in(phone, world.member_a)

    listing = laptop.get(reverse("usersessions_list"))
    ended = laptop.post(reverse("usersessions_list"))

    assert listing.status_code == 200
    assert "Laptop" in listing.content.decode()
    assert "Phone" in listing.content.decode()
    assert ended.status_code == 302
    assert phone.get("/me/").status_code == 302
    assert laptop.get("/me/").status_code == 200
    assert list(UserSession.objects.values_list("user_agent", flat=True)) == ["Laptop"]
    assert AuditEvent.objects.filter(event="sessions_ended", subject_user_id=world.member_a.pk)


def test_password_change_ends_every_other_session_but_keeps_this_one(world: World) -> None:
    laptop, phone = Client(HTTP_USER_AGENT="Laptop"), Client(HTTP_USER_AGENT="Phone")
    sign_in(laptop, world.member_a)
    sign_in(phone, world.member_a)

    response = laptop.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "a whole new passphrase",
            "password2": "a whole new passphrase",
        },
    )

    assert response.status_code == 302
    assert laptop.get("/me/").status_code == 200
    assert phone.get("/me/").status_code == 302
    assert list(UserSession.objects.values_list("user_agent", flat=True)) == ["Laptop"]
    assert AuditEvent.objects.filter(event="password_changed", actor_id=world.member_a.pk)


def test_password_change_needs_the_current_password(world: World) -> None:
    client = Client()
    sign_in(client, world.member_a)

    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "not my password at all",
            "password1": "a whole new passphrase",
            "password2": "a whole new passphrase",
        },
    )

    assert response.status_code == 200
    world.member_a.refresh_from_db()
    assert world.member_a.check_password(PASSWORD)
