"""The place dashboard and the forum page make the same number of queries
whatever the amount of data, for every persona who can open them, with their cached
the signed-in person not yet cached (the first visit) and cached (every later one).

The counts are pinned: a change that adds a query, or makes one grow with the data, fails
here. "Cold" empties the shared cache first, so it also counts the session and the
signed-in person, which a warm request reads from the cache.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Forum, ForumMembership, add_quarters, quarter_start
from talking_points.models import SessionStatus, WellbeingCheckIn
from tests import factories
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db

SMALL, LARGE = 3, 30


def cold_and_warm(client: Client, path: str) -> tuple[int, int]:
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        first = client.get(path)
    with CaptureQueriesContext(connection) as warm:
        second = client.get(path)
    assert first.status_code == second.status_code == 200
    assert first.content.count(b"<h1") == 1
    return len(cold.captured_queries), len(warm.captured_queries)


def add_data(world: World, n: int, second_forum: Forum) -> None:
    """``n`` of everything the two pages show or count, in the place and its forums."""
    last_quarter = add_quarters(quarter_start(timezone.localdate()), -1)
    for i in range(n):
        for visibility, kind in [
            ("place", "breakthrough"),
            ("organisation", "disappointment"),
            ("public", "breakthrough"),
            ("commissioners", "disappointment"),
        ]:
            factories.LearningEntryFactory(
                place=world.place,
                organisation=world.org_a if i % 2 else world.org_b,
                visibility=visibility,
                kind=kind,
            )
        factories.ChampionFactory(place=world.place)
        factories.CommissionerProfileFactory(places=[world.place])
        factories.CommissionFactory(
            place=world.place,
            commissioner=world.commissioner.commissioner_profile,
            is_public=bool(i % 2),
        )
        factories.GlossaryTermFactory(place=world.place)
        factories.RelationshipFactory(place=world.place)
        for forum in (world.forum, second_forum):
            factories.ForumMembershipFactory(forum=forum)
            closed = factories.SessionFactory(
                forum=forum,
                status=SessionStatus.CLOSED,
                starts_at=timezone.now() - datetime.timedelta(days=7 * (i + 1)),
                summary_visibility=["members", "place", "public"][i % 3],
            )
            factories.DecisionFactory(session=closed)
            factories.ActionFactory(session=closed)
            for score in (2, 4, 5):
                WellbeingCheckIn.objects.create(session=closed, score=score, word="hopeful")
        for _ in range(3):
            factories.PropositionRatingFactory(
                place=world.place, proposition="A1", quarter=last_quarter, comment=f"C{i}"
            )
        factories.ForumFactory(place=world.place)


def _world_with(world: World, n: int) -> dict[str, Client]:
    second = factories.ForumFactory(place=world.place, name="Second forum")
    # The facilitator belongs to two of the place's forums: the dashboard's wellbeing and
    # decisions cover both, in the same queries as one.
    ForumMembership.objects.create(forum=second, user=world.facilitator)
    participant = factories.ForumMembershipFactory(forum=world.forum).user
    add_data(world, n, second)
    return {
        "anonymous": Client(),
        "member_a": client_for(world.member_a),  # a partner outside the forum
        "participant": client_for(participant),
        "facilitator": client_for(world.facilitator),
        "commissioner": client_for(world.commissioner),
    }


# Per persona: (queries on a first visit, on a later one). A first visit includes the
# session and the signed-in person (two queries), which later ones read from the cache.
PLACE_DASHBOARD = {
    # the place with the reader's view, forums, glossary, commissioners, champions,
    # learning, register, and visits by quarter (the doors app's part, one aggregate)
    "anonymous": (8, 8),
    # ... and the forums they belong to, decisions, actions, propositions, wellbeing
    "member_a": (14, 12),
    "participant": (15, 13),
    "facilitator": (15, 13),
    "commissioner": (14, 12),
}
FORUM_PAGE = {
    # the forum with its place, glossary, member count, facilitators, past sessions,
    # decisions, actions
    "anonymous": (7, 7),
    # ... and their membership, a request to join (none), the partnership (sessions shared
    # with the place); a member: upcoming sessions instead of the request, and the forum's
    # conversations (the threads app's part)
    "member_a": (11, 9),
    "participant": (12, 10),
    # ... and people asking to join, invitations
    "facilitator": (14, 12),
    "commissioner": (11, 9),
}


@pytest.mark.parametrize("n", [SMALL, LARGE])
def test_place_dashboard_queries_are_pinned_and_do_not_grow(world: World, n: int) -> None:
    clients = _world_with(world, n)
    path = reverse("talking_points:place_picture", kwargs={"slug": world.place.slug})

    counts = {persona: cold_and_warm(client, path) for persona, client in clients.items()}

    assert counts == PLACE_DASHBOARD


@pytest.mark.parametrize("n", [SMALL, LARGE])
def test_forum_page_queries_are_pinned_and_do_not_grow(world: World, n: int) -> None:
    clients = _world_with(world, n)
    path = world.forum.get_absolute_url()

    counts = {persona: cold_and_warm(client, path) for persona, client in clients.items()}

    assert counts == FORUM_PAGE
