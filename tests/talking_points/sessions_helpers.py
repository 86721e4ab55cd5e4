"""Shared set-up for the forum-session tests: a forum with members from two organisations
and a session at each stage."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from partnerships.models import ForumMembership, User
from talking_points import services
from talking_points.models import AgendaItem, Session
from tests import factories
from tests.conftest import World


@dataclass
class SessionWorld:
    world: World
    session: Session
    first: AgendaItem
    second: AgendaItem
    third: AgendaItem

    @property
    def facilitator(self) -> User:
        return self.world.facilitator

    @property
    def member_a(self) -> User:
        return self.world.member_a

    @property
    def member_b(self) -> User:
        return self.world.member_b


def join_forum(world: World) -> None:
    """member_a (org A) and member_b (org B) join the forum as participants; lead_a,
    the commissioner and staff stay outside it."""
    for user in (world.member_a, world.member_b):
        ForumMembership.objects.get_or_create(forum=world.forum, user=user)


def planned_session(world: World, *, days: int = 1) -> tuple[Session, list[AgendaItem]]:
    join_forum(world)
    session = services.session_plan(
        forum=world.forum,
        by=world.facilitator,
        starts_at=timezone.now() + datetime.timedelta(days=days),
        venue="Community hall",
        talking_points=[factories.report_point(n) for n in ("6", "4", "16")],
        time_box_minutes=15,
    )
    return session, list(session.agenda_items.order_by("position"))


def open_session(world: World) -> SessionWorld:
    session, items = planned_session(world, days=0)
    services.session_open(
        session=session, by=world.facilitator, present=[world.member_a, world.member_b]
    )
    session.refresh_from_db()
    for item in items:
        item.refresh_from_db()
    return SessionWorld(world, session, *items)


@pytest.fixture
def live(world: World) -> SessionWorld:
    return open_session(world)


@pytest.fixture
def closed(world: World) -> SessionWorld:
    sw = open_session(world)
    services.contribution_add(
        session=sw.session,
        agenda_item_id=sw.first.pk,
        user=sw.member_a,
        text="We are invited late.",
        anonymous=False,
    )
    services.decision_record(session=sw.session, by=sw.facilitator, text="Ask for a seat.")
    services.action_add(
        session=sw.session,
        by=sw.facilitator,
        text="Write to the chair.",
        owner=sw.member_b,
        due_on=None,
    )
    services.session_close(session=sw.session, by=sw.facilitator)
    sw.session.refresh_from_db()
    return sw
