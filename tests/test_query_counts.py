"""No page's query count grows with the data.

For every named URL in ``tests/test_url_access.py``'s registry and every persona that may
open it, the page is requested with the small ``world`` (plus whatever the URL's own kwargs
builder makes, plus one ``grow``), then ``grow`` twice more adds more of everything a page
might list (organisations,
people, commissioners, learning at every visibility with tags, reviews and consents,
sessions with agenda items, contributions, decisions and actions, the place picture's rows,
reminder deliveries), and the page is requested again. The two counts must be equal: a page
that runs a query per row fails here, whoever is looking.

Each count is taken on a second request, so it is the steady state (the signed-in person is
cached after the first; see partnerships/auth_backends.py). Pages with their own pinned
numbers (learning log, live session, place picture...) are also tested where they live.
"""

from __future__ import annotations

import datetime
import itertools
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partnerships.models import ForumMembership
from reminders.models import Delivery, DeliveryKind, DeliveryStatus
from talking_points.models import Contribution, Session
from tests import factories
from tests.conftest import PERSONAS, World, client_for
from tests.test_url_access import ALL_ROUTES, url_name
from threads.models import Post, Thread

# Pages whose count legitimately depends on something other than the amount of data.
NOT_A_LIST = {
    # Admin and sign-in pages are Django's and allauth's.
    "admin:index",
    "admin:login",
    "account_login",
    "account_signup",
    "mfa_index",
}

_counter = itertools.count()


def grow(world: World) -> None:
    """More of everything around ``world.place`` and ``world.forum``."""
    n = next(_counter)
    place, forum = world.place, world.forum
    orgs: list[Any] = [world.org_a, world.org_b]
    for i in range(2):
        org = factories.OrganisationFactory(
            name=f"Grown org {n}-{i}", slug=f"grown-org-{n}-{i}", places=[place]
        )
        member = factories.MembershipFactory(organisation=org, role="staff").user
        factories.ForumMembershipFactory(forum=forum, user=member, role="participant")
        orgs.append(org)
    commissioner = factories.CommissionerProfileFactory(places=[place])
    factories.CommissionFactory(place=place, commissioner=commissioner, providers=orgs[:2])
    factories.RelationshipFactory(place=place, source=orgs[0], target=orgs[-1])
    factories.GlossaryTermFactory(place=place, term=f"grownterm{n}")
    factories.ChampionFactory(place=place, user=member)
    tags = [factories.TagFactory(name=f"grown tag {n} {i}") for i in range(3)]
    for org, visibility in itertools.product(
        orgs, ["organisation", "place", "commissioners", "public"]
    ):
        for kind in ("breakthrough", "disappointment", "experiment"):
            entry = factories.LearningEntryFactory(
                place=place, organisation=org, visibility=visibility, kind=kind
            )
            entry.tags.set(tags[:2])
            if visibility in ("commissioners", "public"):
                factories.ReviewFactory(entry=entry, author=world.commissioner)
        story = factories.LearningEntryFactory(
            place=place, organisation=org, visibility=visibility, kind="story"
        )
        factories.StoryConsentFactory(entry=story, widest_visibility="public")
    now = timezone.now()
    for status in ("closed", "planned"):
        session = factories.SessionFactory(
            forum=forum,
            status=status,
            starts_at=now + datetime.timedelta(days=-7 - n if status == "closed" else 7 + n),
        )
        item = factories.AgendaItemFactory(session=session)
        factories.DecisionFactory(session=session)
        factories.ActionFactory(session=session)
        if status == "closed":
            for who in ForumMembership.objects.filter(forum=forum)[:3]:
                Contribution.objects.create(
                    session=session,
                    agenda_item=item,
                    author=who.user,
                    text="Grown contribution",
                )
    live = Session.objects.filter(forum=forum, status="live").first()
    if live is not None and live.current_item_id:
        for who in ForumMembership.objects.filter(forum=forum)[:3]:
            Contribution.objects.create(
                session=live, agenda_item_id=live.current_item_id, author=who.user, text="More"
            )
        factories.DecisionFactory(session=live)
        factories.ActionFactory(session=live)
    for user in (world.member_a, world.facilitator):
        day = now + datetime.timedelta(days=30 + n)
        Delivery.objects.create(
            forum=forum,
            recipient=user,
            kind=DeliveryKind.REMINDER,
            occasion_date=day.date(),
            occasion_at=day,
            status=DeliveryStatus.SENT,
            sent_at=now,
        )
    for thread in Thread.objects.all():
        for writer in (world.facilitator, member):
            Post.objects.create(thread=thread, author=writer, body="Grown post")
    Thread.objects.create(forum=forum, title=f"Grown thread {n}", started_by=world.facilitator)


def count(client: Client, url: str) -> tuple[int, int]:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response.status_code, len(ctx.captured_queries)


LIST_ROUTES = sorted(
    name
    for name, route in ALL_ROUTES.items()
    if name not in NOT_A_LIST and any(route.get[p] == 200 for p in PERSONAS)
)


@pytest.mark.parametrize("name", LIST_ROUTES)
def test_query_count_does_not_grow_with_the_data(world: World, name: str) -> None:
    route = ALL_ROUTES[name]
    url = reverse(url_name(name), kwargs=route.kwargs(world))
    personas = [p for p in PERSONAS if route.get[p] == 200]
    clients = {p: client_for(world.user(p)) for p in personas}

    grow(world)  # small: one of everything, so no list is empty (an empty list skips
    # its prefetches, which would be a difference in kind, not in size)
    before: dict[str, Any] = {p: count(clients[p], url) for p in personas}
    grow(world)
    grow(world)
    after: dict[str, Any] = {p: count(clients[p], url) for p in personas}

    assert after == before, f"GET {url}: (status, queries) per persona"
