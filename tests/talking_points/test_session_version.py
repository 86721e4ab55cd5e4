"""``Session.version`` moves with the data, whatever writes it (database triggers): the live
page's cached parts and its poll's ETag are keyed by it, so no write may leave it behind —
not a service, not the admin, not ``QuerySet.update()``, ``bulk_create`` or a delete."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from talking_points.models import (
    Action,
    AgendaItem,
    Attendance,
    Contribution,
    Decision,
    Session,
    TalkingPoint,
)
from tests.conftest import World, client_for
from tests.talking_points.sessions_helpers import SessionWorld, open_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(world: World) -> SessionWorld:
    sw = open_session(world)
    _contribution(sw, "Already said").save()
    return sw


def _version(session: Session) -> int:
    return Session.objects.values_list("version", flat=True).get(pk=session.pk)


def _contribution(sw: SessionWorld, text: str = "Said") -> Contribution:
    return Contribution(
        session=sw.session,
        agenda_item=sw.first,
        author=sw.member_a,
        author_name="A",
        text=text,
    )


WRITES: dict[str, Callable[[SessionWorld], Any]] = {
    "session row saved whole": lambda sw: Session.objects.get(pk=sw.session.pk).save(),
    "session update() without version": lambda sw: Session.objects.filter(pk=sw.session.pk).update(
        venue="Elsewhere"
    ),
    "contribution created": lambda sw: _contribution(sw).save(),
    "contributions bulk_create": lambda sw: Contribution.objects.bulk_create(
        [_contribution(sw, "One"), _contribution(sw, "Two")]
    ),
    "contributions update()": lambda sw: Contribution.objects.filter(session=sw.session).update(
        text="Edited"
    ),
    "contributions hidden by update()": lambda sw: Contribution.objects.filter(
        session=sw.session
    ).update(hidden_at=timezone.now()),
    "agenda items update()": lambda sw: AgendaItem.objects.filter(session=sw.session).update(
        time_box_minutes=5
    ),
    "agenda item deleted": lambda sw: AgendaItem.objects.filter(pk=sw.third.pk).delete(),
    "attendance update()": lambda sw: Attendance.objects.filter(session=sw.session).update(
        name="Renamed"
    ),
    "attendance deleted": lambda sw: Attendance.objects.filter(
        session=sw.session, user=sw.member_b
    ).delete(),
    "decision created": lambda sw: Decision.objects.create(session=sw.session, text="Agreed"),
    "action created": lambda sw: Action.objects.create(session=sw.session, text="Do"),
    "talking point text edited": lambda sw: TalkingPoint.objects.filter(
        pk=sw.first.talking_point_id
    ).update(text="Reworded"),
}


@pytest.mark.parametrize("write", sorted(WRITES))
def test_every_write_moves_the_session_version(live: SessionWorld, write: str) -> None:
    before = _version(live.session)

    WRITES[write](live)

    assert _version(live.session) > before


def test_a_write_to_another_session_leaves_this_one_alone(live: SessionWorld) -> None:
    other = Session.objects.create(forum=live.session.forum, starts_at=timezone.now())
    before = _version(live.session)

    Decision.objects.create(session=other, text="Elsewhere")

    assert _version(live.session) == before


def test_an_update_outside_the_services_shows_on_the_next_poll_and_page(
    live: SessionWorld,
) -> None:
    """What the admin or a script changes with ``update()`` is never hidden behind a cached
    part or a 304."""
    _contribution(live, "Before the edit").save()
    reader = client_for(live.member_b)
    page = live.session.get_absolute_url()
    poll_url = reverse("talking_points:session_poll", kwargs={"pk": live.session.pk})
    assert "Before the edit" in reader.get(page).content.decode()
    etag = reader.get(poll_url, headers={"HX-Request": "true"})["ETag"]

    Contribution.objects.filter(session=live.session).update(text="After the edit")

    poll = reader.get(poll_url, headers={"HX-Request": "true", "If-None-Match": etag})
    assert poll.status_code == 200
    assert "After the edit" in poll.content.decode()
    assert "After the edit" in reader.get(page).content.decode()
