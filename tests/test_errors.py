"""When the database cannot be reached, people get a clear page, not a traceback, and a
form they were sending is shown back to them so nothing they typed is lost."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.conftest import World


@pytest.fixture
def database_unreachable(transactional_db: None) -> Iterator[None]:
    """Point this process's connection at a port nothing listens on, as when PostgreSQL
    is restarting, and put it back afterwards."""
    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "1"
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["PORT"] = port


def test_a_page_while_the_database_is_unreachable_is_a_clear_503(
    database_unreachable: None,
) -> None:
    client = Client(raise_request_exception=False)

    response = client.get(reverse("healthz"))

    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Sorry, the site is not working just now" in page
    assert "Please wait a minute, then try again." in page
    assert "Traceback" not in page
    assert "OperationalError" not in page


@pytest.mark.django_db(transaction=True)
def test_a_form_sent_while_the_database_is_unreachable_is_shown_back(world: World) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(world.member_a)
    url = reverse("talking_points:entry_create", args=[world.place.slug])
    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "1"
    try:
        response = client.post(
            url, {"title": "What we noticed", "body": "Waiting lists fell when…", "password": "x"}
        )
    finally:
        connection.close()
        connection.settings_dict["PORT"] = port

    page = response.content.decode()
    assert response.status_code == 503
    assert "What you typed has not been saved yet" in page
    assert "Waiting lists fell when…" in page
    assert "What we noticed" in page
    assert "password" not in page


@pytest.mark.django_db
def test_any_other_failure_is_a_plain_500_without_a_traceback(settings: object) -> None:
    from hls_forum.errors import server_error

    request = Client().get("/").wsgi_request
    try:
        raise RuntimeError("something unexpected")
    except RuntimeError:
        response = server_error(request)

    assert response.status_code == 500
    assert "Sorry, something went wrong" in response.content.decode()
    assert "RuntimeError" not in response.content.decode()
