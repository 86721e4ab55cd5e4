"""A person outside a forum finds nothing of its private record anywhere: no page, form
choice, template tag or panel shows them a session they may not read, its decisions, actions
or what was said, nor a learning entry shared more narrowly than with them.

Every named URL of the access registry (tests/test_url_access.py) is requested as every
persona while an invite-only forum of the same place holds a planned, a live and a closed
session with members-only records, and organisation B keeps an entry to itself. Nobody in
the registry's personas belongs to that forum, so every one of them is an outsider to it.
Each response, forms' choices included, is searched for what only the forum's members (or
organisation B) may see.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from talking_points import services as session_services
from talking_points.models import LearningEntry, Session
from tests import factories
from tests.conftest import PERSONAS, World, client_for
from tests.test_url_access import ROUTES, url_name

pytestmark = pytest.mark.django_db

SECRET_FORUM = "Quiet Harbour Forum"


@dataclass
class Secrets:
    sessions: list[Session]
    # Text only the secret forum's members may read.
    forum_text: list[str]
    # Text only organisation B may read.
    org_b_text: list[str]


def _secrets(world: World) -> Secrets:
    forum = factories.ForumFactory(place=world.place, name=SECRET_FORUM, access="invite")
    facilitator: Any = factories.UserFactory()
    factories.ForumMembershipFactory(forum=forum, user=facilitator, role="facilitator")
    points = [factories.report_point(n) for n in ("6", "4")]

    def plan(days: int, venue: str) -> Session:
        return session_services.session_plan(
            forum=forum,
            by=facilitator,
            starts_at=timezone.now() + datetime.timedelta(days=days),
            venue=venue,
            talking_points=points,
            time_box_minutes=15,
        )

    planned = plan(7, "Zephyr planned room")
    closed = plan(-7, "Zephyr closed room")
    session_services.session_open(session=closed, by=facilitator, present=[facilitator])
    session_services.decision_record(
        session=closed, by=facilitator, text="Zephyr closed decision for members only"
    )
    session_services.action_add(
        session=closed, by=facilitator, text="Zephyr closed action", owner=None, due_on=None
    )
    session_services.session_close(session=closed, by=facilitator)
    session_services.session_publish(session=closed, visibility="members", by=facilitator)
    live = plan(0, "Zephyr live room")
    session_services.session_open(session=live, by=facilitator, present=[facilitator])
    live.refresh_from_db()
    session_services.contribution_add(
        session=live,
        agenda_item_id=live.current_item_id,
        user=facilitator,
        text="Zephyr said at the live table",
        anonymous=False,
    )
    session_services.decision_record(
        session=live, by=facilitator, text="Zephyr live decision for members only"
    )
    session_services.action_add(
        session=live, by=facilitator, text="Zephyr live action", owner=None, due_on=None
    )
    factories.LearningEntryFactory(
        place=world.place,
        organisation=world.org_b,
        author=world.member_b,
        visibility="organisation",
        title="Zephyr kept within organisation B",
        body="Zephyr private body",
    )
    sessions = [Session.objects.get(pk=s.pk) for s in (planned, closed, live)]
    return Secrets(
        sessions=sessions,
        forum_text=[
            "Zephyr planned room",
            "Zephyr closed room",
            "Zephyr live room",
            "Zephyr closed decision",
            "Zephyr closed action",
            "Zephyr said",
            "Zephyr live decision",
            "Zephyr live action",
            # A session's name in a form's choices ("<forum> on <date>").
            f"{SECRET_FORUM} on ",
        ],
        org_b_text=["Zephyr kept within organisation B", "Zephyr private body"],
    )


def _leaks(content: str, secrets: Secrets, persona: str) -> list[str]:
    found = [text for text in secrets.forum_text if text in content]
    if persona not in ("member_b",):  # organisation B's own member may read its entry
        found += [text for text in secrets.org_b_text if text in content]
    # Not even a link: the closed session's summary is for members too.
    found += [s.get_absolute_url() for s in secrets.sessions if s.get_absolute_url() in content]
    return found


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_page_form_or_panel_shows_an_outsider_the_forum_s_private_record(
    world: World, persona: str
) -> None:
    secrets = _secrets(world)
    assert LearningEntry.objects.filter(title__startswith="Zephyr").count() == 1
    client = client_for(world.user(persona)) if persona != "anonymous" else Client()
    leaks: dict[str, list[str]] = {}

    for name, route in sorted(ROUTES.items()):
        # Each route's objects are made and dropped again, as if each ran alone.
        with transaction.atomic():
            url = reverse(url_name(name), kwargs=route.kwargs(world))
            response = client.get(url)
            body = (
                b"".join(response.streaming_content)  # exports
                if response.streaming
                else response.content
            )
            transaction.set_rollback(True)
        found = _leaks(body.decode(errors="replace"), secrets, persona)
        if found:
            leaks[f"GET {url} ({name})"] = found

    assert leaks == {}


def test_the_walk_would_see_the_secrets(world: World) -> None:
    """The search above is able to find what it looks for: the forum's own facilitator sees
    each secret on the pages where it belongs."""
    secrets = _secrets(world)
    planned, closed, live = secrets.sessions
    facilitator = closed.forum.memberships.get(role="facilitator").user
    client = client_for(facilitator)

    pages = "".join(
        client.get(url).content.decode()
        for url in (
            planned.get_absolute_url(),
            closed.get_absolute_url(),
            live.get_absolute_url(),
            reverse("talking_points:forum_decisions", kwargs={"slug": closed.forum.slug}),
        )
    )

    named = f"{SECRET_FORUM} on "  # only a form's choices name a session so
    assert [text for text in secrets.forum_text if text not in pages] == [named]
