"""The place dashboard and the forum page are cached whole (hls_forum/page_cache.py): the
cached page is the page as rendered, two readers with different views never share one,
and a write that narrows what someone may see shows on their next request."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from partnerships.models import ForumJoinRequest, ForumMembership, Membership
from talking_points.models import Session, SessionStatus
from tests import factories
from tests.conftest import World, client_for, render_pages_anew

pytestmark = pytest.mark.django_db


def without_per_response_values(response: Any) -> bytes:
    """The page without its CSRF token and CSP nonce, which differ in every response."""
    content: bytes = response.content
    for value in re.findall(rb'"X-CSRFToken": "([^"]+)"', content):
        content = content.replace(value, b"CSRF")
    content = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)
    return re.sub(rb'nonce="[^"]+"', b'nonce=""', content)


def dashboard(world: World) -> str:
    return reverse("partnerships:place_picture", kwargs={"slug": world.place.slug})


def forum_member(world: World) -> Any:
    """Someone in the place's partnership only through the forum."""
    return factories.ForumMembershipFactory(forum=world.forum).user


def closed_session_with_decision(world: World, text: str, visibility: str) -> Session:
    session: Any = factories.SessionFactory(
        forum=world.forum,
        status=SessionStatus.CLOSED,
        starts_at=timezone.now() - datetime.timedelta(days=2),
        summary_visibility=visibility,
    )
    factories.DecisionFactory(session=session, text=text)
    return session


@pytest.mark.parametrize("persona", ["anonymous", "member_a", "facilitator", "commissioner"])
def test_cached_dashboard_is_the_rendered_dashboard(world: World, persona: str) -> None:
    closed_session_with_decision(world, "Meet at the library.", "place")
    user = world.user(persona)
    client = Client() if user is None else client_for(user)
    client.get(dashboard(world))
    render_pages_anew()
    rendered = client.get(dashboard(world))

    cached = client.get(dashboard(world))

    assert rendered.status_code == cached.status_code == 200
    assert without_per_response_values(cached) == without_per_response_values(rendered)


def test_dashboard_of_a_partner_is_never_served_to_someone_outside(world: World) -> None:
    closed_session_with_decision(world, "Only the forum knows this.", "members")
    factories.CommissionFactory(
        place=world.place,
        commissioner=world.commissioner.commissioner_profile,
        title="An unpublished commission",
        is_public=False,
    )
    member = forum_member(world)
    outsider = factories.UserFactory()
    assert b"Only the forum knows this." in client_for(member).get(dashboard(world)).content

    seen = client_for(outsider).get(dashboard(world)).content

    assert b"Only the forum knows this." not in seen
    assert b"An unpublished commission" not in seen


def test_learning_of_one_organisation_is_not_shown_to_another_from_the_cache(
    world: World,
) -> None:
    factories.LearningEntryFactory(
        place=world.place,
        organisation=world.org_a,
        visibility="organisation",
        title="Org A only",
    )
    assert b"Org A only" in client_for(world.member_a).get(dashboard(world)).content

    assert b"Org A only" not in client_for(world.member_b).get(dashboard(world)).content


def test_leaving_the_forum_narrows_the_dashboard_at_once(world: World) -> None:
    closed_session_with_decision(world, "Only the forum knows this.", "members")
    member = forum_member(world)
    client = client_for(member)
    assert b"Only the forum knows this." in client.get(dashboard(world)).content

    ForumMembership.objects.filter(forum=world.forum, user=member).delete()  # as the admin

    assert b"Only the forum knows this." not in client.get(dashboard(world)).content


def test_leaving_an_organisation_narrows_the_dashboard_at_once(world: World) -> None:
    factories.LearningEntryFactory(
        place=world.place,
        organisation=world.org_a,
        visibility="organisation",
        title="Org A only",
    )
    client = client_for(world.member_a)
    assert b"Org A only" in client.get(dashboard(world)).content

    Membership.objects.filter(user=world.member_a, organisation=world.org_a).delete()

    assert b"Org A only" not in client.get(dashboard(world)).content


@pytest.mark.parametrize(
    "persona", ["anonymous", "member_a", "member_b", "facilitator", "commissioner"]
)
def test_cached_forum_page_is_the_rendered_forum_page(world: World, persona: str) -> None:
    ForumMembership.objects.get_or_create(forum=world.forum, user=world.member_b)
    closed_session_with_decision(world, "Meet at the library.", "place")
    user = world.user(persona)
    client = Client() if user is None else client_for(user)
    url = world.forum.get_absolute_url()
    client.get(url)
    render_pages_anew()
    rendered = client.get(url)

    cached = client.get(url)

    assert rendered.status_code == cached.status_code == 200
    assert without_per_response_values(cached) == without_per_response_values(rendered)


def test_forum_page_of_the_facilitator_is_never_served_to_a_member(world: World) -> None:
    asking = factories.UserFactory(email="asking@example.org")
    ForumJoinRequest.objects.create(forum=world.forum, user=asking, message="Let me in")
    member = forum_member(world)
    url = world.forum.get_absolute_url()
    assert b"asking@example.org" in client_for(world.facilitator).get(url).content

    seen = client_for(member).get(url).content

    assert b"asking@example.org" not in seen
    assert b"People asking to join" not in seen


def test_removing_someone_from_the_forum_shows_at_once(world: World) -> None:
    world.forum.online_link = "https://meet.example.org/secret-room"
    world.forum.save()
    member = forum_member(world)
    client = client_for(member)
    url = world.forum.get_absolute_url()
    assert b"secret-room" in client.get(url).content

    ForumMembership.objects.filter(forum=world.forum, user=member).delete()  # as the admin

    seen = client.get(url).content
    assert b"secret-room" not in seen
    assert b"Your membership" not in seen


def test_a_summary_shared_with_fewer_people_leaves_the_forum_page_at_once(
    world: World,
) -> None:
    session = closed_session_with_decision(world, "Shared with the place.", "place")
    client = client_for(world.member_a)  # in the partnership, not in the forum
    url = world.forum.get_absolute_url()
    assert b"Shared with the place." in client.get(url).content

    session.summary_visibility = "members"
    session.save()  # as the admin would: no service, only the model's signals

    assert b"Shared with the place." not in client.get(url).content
