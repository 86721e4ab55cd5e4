"""The unchanged live poll's fast path (talking_points/live_poll.py): a 304 from one cache
round trip, only for the signed-in session the ETag was handed to, and the full view for
everything else."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from hls_forum.middleware import SESSION_MFA_POLICY, SESSION_SEEN_AT, SESSION_STARTED_AT
from partnerships.models import ForumMembership
from talking_points import live_poll, services
from tests.conftest import client_for
from tests.talking_points.sessions_helpers import SessionWorld, live  # noqa: F401


def poll(client: Client, live: SessionWorld, etag: str = "") -> Any:  # noqa: F811
    headers = {"HX-Request": "true"}
    if etag:
        headers["If-None-Match"] = etag
    url = reverse("talking_points:session_poll", kwargs={"pk": live.session.pk})
    return client.get(url, headers=headers)


def reader_and_etag(live: SessionWorld) -> tuple[Client, str]:  # noqa: F811
    reader = client_for(live.member_b)
    first = poll(reader, live)
    assert first.status_code == 200
    return reader, first["ETag"]


def edit_session(client: Client, **changes: Any) -> None:
    session = client.session
    for key, value in changes.items():
        session[key] = value
    session.save()


class CacheDown:
    def __getattr__(self, name: str) -> Any:
        raise ConnectionError("cache unavailable")


def test_matching_etag_of_the_same_session_answers_304_without_a_query(
    live: SessionWorld,  # noqa: F811
    django_assert_num_queries: Any,
) -> None:
    reader, etag = reader_and_etag(live)

    with django_assert_num_queries(0):
        response = poll(reader, live, etag)

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert response["Cache-Control"] == "private, no-cache"
    assert response["Vary"] == "Cookie, HX-Request"


def test_the_304_keeps_the_security_middlewares_headers(live: SessionWorld) -> None:  # noqa: F811
    reader, etag = reader_and_etag(live)

    response = poll(reader, live, etag)

    assert response.status_code == 304
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_304_names_the_current_etag_not_the_whole_request_header(
    live: SessionWorld,  # noqa: F811
) -> None:
    reader, etag = reader_and_etag(live)

    response = poll(reader, live, f'"stale", {etag}')

    assert response.status_code == 304
    assert response["ETag"] == etag


def test_a_different_etag_gets_the_full_view(live: SessionWorld) -> None:  # noqa: F811
    reader, etag = reader_and_etag(live)

    response = poll(reader, live, '"0123456789abcdef0123456789abcdef"')

    assert response.status_code == 200
    assert response["ETag"] == etag


def test_another_sessions_cookie_is_not_answered_304(live: SessionWorld) -> None:  # noqa: F811
    _, etag = reader_and_etag(live)
    same_person_other_device = client_for(live.member_b)
    someone_else = client_for(live.member_a)

    assert poll(same_person_other_device, live, etag).status_code == 200
    assert poll(someone_else, live, etag).status_code == 200


def test_signed_out_is_not_answered_304(live: SessionWorld) -> None:  # noqa: F811
    reader, etag = reader_and_etag(live)
    old_cookie = reader.cookies[settings.SESSION_COOKIE_NAME].value

    reader.logout()
    replayed = Client()
    replayed.cookies[settings.SESSION_COOKIE_NAME] = old_cookie

    assert poll(reader, live, etag).status_code == 404
    assert poll(replayed, live, etag).status_code == 404
    assert poll(Client(), live, etag).status_code == 404


def test_a_session_no_longer_signed_in_is_not_answered_304(
    live: SessionWorld,  # noqa: F811
) -> None:
    reader, etag = reader_and_etag(live)
    session = reader.session
    del session[SESSION_KEY]  # the same session key, nobody signed in to it
    session.save()

    assert poll(reader, live, etag).status_code == 404


def test_a_malformed_session_cookie_is_not_answered_304(live: SessionWorld) -> None:  # noqa: F811
    _, etag = reader_and_etag(live)
    stranger = Client()
    stranger.cookies[settings.SESSION_COOKIE_NAME] = "short"

    assert poll(stranger, live, etag).status_code == 404


def test_removed_from_the_forum_is_not_answered_304(live: SessionWorld) -> None:  # noqa: F811
    reader, etag = reader_and_etag(live)

    ForumMembership.objects.filter(forum=live.session.forum, user=live.member_b).delete()

    assert poll(reader, live, etag).status_code == 404


def test_a_change_to_the_live_page_is_not_answered_304(live: SessionWorld) -> None:  # noqa: F811
    reader, etag = reader_and_etag(live)

    services.contribution_add(
        session=live.session,
        agenda_item_id=live.first.pk,
        user=live.member_a,
        text="Something new",
        anonymous=False,
    )
    response = poll(reader, live, etag)

    assert response.status_code == 200
    assert "Something new" in response.content.decode()


def test_cache_down_gets_the_full_view(
    live: SessionWorld,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reader, etag = reader_and_etag(live)
    monkeypatch.setattr(live_poll, "cache", CacheDown())

    response = poll(reader, live, etag)

    # The view answered: without the token its ETag comes from the database.
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_a_session_missing_from_the_cache_gets_the_full_view_then_304s_again(
    live: SessionWorld,  # noqa: F811
    django_assert_num_queries: Any,
) -> None:
    reader, etag = reader_and_etag(live)
    cache.delete(KEY_PREFIX + reader.cookies[settings.SESSION_COOKIE_NAME].value)

    first = poll(reader, live, etag)
    with django_assert_num_queries(0):
        second = poll(reader, live, etag)

    assert first.status_code == 304
    assert first.has_header("X-Frame-Options")  # answered by the view, the full stack
    assert second.status_code == 304
    assert not second.has_header("X-Frame-Options")  # answered by the middleware


@pytest.mark.parametrize(
    ("name", "changes"),
    [
        ("idle clock due an update", {SESSION_SEEN_AT: time.time() - 120}),
        ("multi-factor decision due a re-check", {SESSION_MFA_POLICY: {"ok": True, "at": 0}}),
        ("multi-factor not satisfied", {SESSION_MFA_POLICY: {"ok": False, "at": time.time()}}),
        ("no clocks yet", {SESSION_STARTED_AT: None, SESSION_SEEN_AT: None}),
    ],
)
def test_session_bookkeeping_due_gets_the_full_view(
    live: SessionWorld,  # noqa: F811
    name: str,
    changes: dict[str, Any],
) -> None:
    reader, etag = reader_and_etag(live)
    edit_session(reader, **changes)

    response = poll(reader, live, etag)

    assert response.has_header("X-Frame-Options"), name  # the full stack answered
    session = reader.session
    assert session[SESSION_SEEN_AT] > time.time() - 60, name
    assert session[SESSION_MFA_POLICY]["ok"] is True, name
    assert session[SESSION_MFA_POLICY]["at"] > time.time() - 60, name


def test_a_session_past_its_absolute_lifetime_is_signed_out_not_304(
    live: SessionWorld,  # noqa: F811
) -> None:
    reader, etag = reader_and_etag(live)
    edit_session(reader, **{SESSION_STARTED_AT: time.time() - settings.SESSION_COOKIE_AGE - 1})

    response = poll(reader, live, etag)

    assert response.status_code == 204  # htmx is sent to sign in again
    assert "HX-Redirect" in response


@pytest.mark.parametrize("setting", ["SESSION_SAVE_EVERY_REQUEST", "USERSESSIONS_TRACK_ACTIVITY"])
def test_bookkeeping_on_every_request_turns_the_fast_path_off(
    live: SessionWorld,  # noqa: F811
    settings: Any,
    setting: str,
) -> None:
    setattr(settings, setting, True)
    reader, etag = reader_and_etag(live)  # a new client: the middleware is loaded afresh

    response = poll(reader, live, etag)

    assert response.status_code == 304
    assert response.has_header("X-Frame-Options")  # answered by the view


def test_other_requests_pass_through(live: SessionWorld) -> None:  # noqa: F811
    reader, etag = reader_and_etag(live)
    detail = reverse("talking_points:session_detail", kwargs={"pk": live.session.pk})

    page = reader.get(detail, headers={"If-None-Match": etag})
    posted = reader.post(
        reverse("talking_points:session_poll", kwargs={"pk": live.session.pk}),
        headers={"If-None-Match": etag},
    )

    assert page.status_code == 200
    assert posted.status_code == 405
