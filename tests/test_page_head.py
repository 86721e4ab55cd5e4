"""What every page carries besides its content: compression, an icon, a description, a
robots.txt for crawlers, and machine-readable times that HTML accepts."""

from __future__ import annotations

import datetime
import gzip
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template import Context, Template
from django.templatetags.static import static
from django.test import Client
from django.urls import reverse

from tests.conftest import World, client_for
from tests.test_valid_html import every_page

pytestmark = pytest.mark.django_db

DESCRIPTION = re.compile(rb'<meta name="description" content="([^"]*)">')


@pytest.mark.parametrize("persona", ["anonymous", "member_a"])
def test_pages_are_compressed_for_a_browser_that_asks(world: World, persona: str) -> None:
    client = client_for(world.user(persona))
    url = reverse("talking_points:dashboard" if persona != "anonymous" else "home")

    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert gzip.decompress(response.content).lstrip().startswith(b"<!doctype html>")


def test_pages_are_plain_for_a_client_that_does_not_ask(world: World) -> None:
    response = Client().get(reverse("home"))

    assert not response.has_header("Content-Encoding")
    assert response.content.lstrip().startswith(b"<!doctype html>")


def test_every_page_links_the_icon_and_favicon_ico_answers(world: World) -> None:
    page = Client().get(reverse("home")).content.decode()
    assert f'<link rel="icon" href="{static("favicon.svg")}" type="image/svg+xml">' in page
    assert f'<link rel="icon" href="{static("favicon.ico")}" sizes="32x32">' in page
    svg, ico = finders.find("favicon.svg"), finders.find("favicon.ico")
    assert svg and Path(svg).read_text().startswith("<svg")
    assert ico and Path(ico).read_bytes()[:4] == b"\x00\x00\x01\x00"  # an icon file

    response = Client().get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"] == static("favicon.ico")


def test_robots_txt_lets_crawlers_read_the_public_pages(db: None) -> None:
    response = Client().get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /" not in lines
    assert "Disallow: /admin/" in lines


def test_every_page_of_every_persona_has_a_description(world: World) -> None:
    missing = [
        found.requests[0]
        for found in every_page(world).values()
        # Django's admin is for staff, not for search engines.
        if not found.fragment
        and " GET /admin/" not in found.requests[0]
        and not [d for d in DESCRIPTION.findall(found.body) if len(d.strip()) >= 50]
    ]

    assert missing == []


def test_a_page_can_say_what_it_is_about(world: World) -> None:
    home = Client().get(reverse("home")).content
    place = Client().get(world.place.get_absolute_url()).content

    assert DESCRIPTION.findall(home) != DESCRIPTION.findall(place)
    assert b"Testford" in DESCRIPTION.findall(place)[0]


def machine_time(value: object) -> str:
    return Template("{% load timestamps %}{{ value|machine_time }}").render(
        Context({"value": value})
    )


def test_machine_times_are_to_the_second_with_their_offset() -> None:
    assert settings.TIME_ZONE == "Europe/London"
    moment = datetime.datetime(2026, 7, 1, 11, 5, 9, 495460, tzinfo=datetime.UTC)

    # In the site's own time zone (British Summer Time in July), with no fraction of a second.
    assert machine_time(moment) == "2026-07-01T12:05:09+01:00"
    assert machine_time(moment.replace(month=1)) == "2026-01-01T11:05:09+00:00"
    assert machine_time(datetime.date(2026, 7, 1)) == "2026-07-01"
    assert machine_time(None) == ""


def test_no_template_writes_a_time_with_microseconds() -> None:
    """``date:'c'`` writes six digits of a second's fraction, which HTML refuses."""
    writers = [
        str(path.relative_to(settings.BASE_DIR))
        for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
        if re.search(r"""date:\s*['"]c['"]|\.isoformat""", path.read_text())
    ]

    assert writers == []
