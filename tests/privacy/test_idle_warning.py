"""The idle sign-out warning's server side: what the page is told, "Stay signed in", and
sign-in bringing a person back to the page they were on."""

from __future__ import annotations

import re
import time

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from hls_forum.middleware import IDLE_SECONDS_LEFT_HEADER, SESSION_SEEN_AT
from tests.conftest import World, client_for
from tests.privacy.test_sessions import age_session, is_signed_in

pytestmark = pytest.mark.django_db

STAY = "/accounts/stay-signed-in/"


def seconds_left_on_page(html: str) -> int:
    found = re.search(r'data-seconds-left="(\d+)"', html)
    assert found is not None
    return int(found.group(1))


@override_settings(SESSION_IDLE_TIMEOUT=600, SESSION_IDLE_WARNING=120)
def test_signed_in_page_carries_the_warning_with_the_time_left(world: World) -> None:
    client = client_for(world.member_a)
    age_session(client, started_ago=300, seen_ago=5)  # within the resolution: not refreshed

    response = client.get("/me/")
    html = response.content.decode()

    assert 'role="alertdialog"' in html
    assert 'data-warn-before="120"' in html
    assert 590 <= seconds_left_on_page(html) <= 595
    assert 590 <= int(response[IDLE_SECONDS_LEFT_HEADER]) <= 595


def test_visitors_get_no_warning(world: World) -> None:
    response = Client().get("/")

    assert "data-idle-warning" not in response.content.decode()
    assert IDLE_SECONDS_LEFT_HEADER not in response


def test_stay_signed_in_restarts_the_idle_clock(world: World) -> None:
    client = client_for(world.member_a)
    age_session(client, started_ago=3600, seen_ago=settings.SESSION_IDLE_TIMEOUT - 30)

    response = client.post(STAY, HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    assert response.json() == {"seconds_left": settings.SESSION_IDLE_TIMEOUT}
    assert time.time() - client.session[SESSION_SEEN_AT] < 5


def test_stay_signed_in_after_the_time_ran_out_does_not_bring_the_session_back(
    world: World,
) -> None:
    client = client_for(world.member_a)
    age_session(client, started_ago=3600, seen_ago=settings.SESSION_IDLE_TIMEOUT + 5)

    response = client.post(STAY, HTTP_ACCEPT="application/json")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not is_signed_in(client)


def test_stay_signed_in_without_javascript_goes_back_to_the_page(world: World) -> None:
    client = client_for(world.member_a)

    back = client.post(STAY, {"next": "/reminders/"})
    elsewhere = client.post(STAY, {"next": "https://elsewhere.example/"})
    not_a_page = client.post(STAY, {"next": "0"})  # a relative URL, not a view to look up

    assert back["Location"] == "/reminders/"
    assert elsewhere["Location"] == reverse(settings.LOGIN_REDIRECT_URL)
    assert not_a_page.status_code == 302


def test_form_posted_after_the_idle_sign_out_brings_the_person_back_to_its_page(
    world: World,
) -> None:
    client = client_for(world.member_a)
    age_session(client, started_ago=3600, seen_ago=settings.SESSION_IDLE_TIMEOUT + 5)

    response = client.post(
        "/reminders/", {"digest": "weekly"}, HTTP_REFERER="http://testserver/reminders/?tab=1"
    )

    assert response["Location"] == "/accounts/login/?next=/reminders/%3Ftab%3D1"
    assert not is_signed_in(client)


def test_form_posted_from_another_site_is_not_where_sign_in_returns_to(world: World) -> None:
    client = client_for(world.member_a)
    age_session(client, started_ago=3600, seen_ago=settings.SESSION_IDLE_TIMEOUT + 5)

    response = client.post("/reminders/", HTTP_REFERER="https://elsewhere.example/reminders/")

    assert response["Location"] == "/accounts/login/?next=/"


def test_htmx_request_after_the_idle_sign_out_returns_to_the_page_not_the_fragment(
    world: World,
) -> None:
    client = client_for(world.member_a)
    age_session(client, started_ago=3600, seen_ago=settings.SESSION_IDLE_TIMEOUT + 5)

    response = client.get(
        "/me/data/",
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/me/data/?x=1"},
    )

    assert response["HX-Redirect"] == "/accounts/login/?next=%2Fme%2Fdata%2F%3Fx%3D1"
