"""A forum's talking points: the report's 16 (7a and 7b as parts of 7), the forum's own,
retirement per forum, and when the forum last discussed each."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from talking_points.models import TalkingPoint, TalkingPointRetirement
from talking_points.report import report_talking_points
from tests import factories
from tests.conftest import World, client_for
from tests.talking_points.sessions_helpers import join_forum


def points_url(world: World) -> str:
    return reverse("talking_points:forum_talking_points", kwargs={"slug": world.forum.slug})


def test_the_reports_talking_points_ship_with_7a_and_7b_as_parts_of_7(db: None) -> None:
    factories.report_point("1")

    top = list(
        TalkingPoint.objects.filter(forum__isnull=True, parent__isnull=True).values_list(
            "number", flat=True
        )
    )
    parts = list(TalkingPoint.objects.filter(parent__number="7").values_list("number", "text"))

    assert top == [str(n) for n in range(1, 17)]
    assert parts == [("7a", "What helps us?"), ("7b", "What hinders us?")]
    assert len(report_talking_points()) == 18


def test_facilitator_adds_the_forums_own_talking_point(world: World) -> None:
    response = client_for(world.facilitator).post(
        points_url(world), {"text": "How do we welcome new groups?"}
    )

    point = TalkingPoint.objects.get(forum=world.forum)
    page = client_for(world.facilitator).get(points_url(world)).content.decode()
    assert response.status_code == 302
    assert point.text == "How do we welcome new groups?"
    assert "How do we welcome new groups?" in page
    assert point in TalkingPoint.objects.active_for_forum(world.forum)
    other = factories.ForumFactory(place=world.place)
    assert point not in TalkingPoint.objects.active_for_forum(other)


def test_empty_talking_point_is_refused(world: World) -> None:
    response = client_for(world.facilitator).post(points_url(world), {"text": "  "})

    assert response.status_code == 400
    assert "Write the talking point." in response.content.decode()
    assert TalkingPoint.objects.filter(forum=world.forum).count() == 0


def test_participant_sees_but_cannot_add_talking_points(world: World) -> None:
    join_forum(world)
    client = client_for(world.member_a)

    page = client.get(points_url(world))
    refused = client.post(points_url(world), {"text": "Mine"})

    assert page.status_code == 200
    assert refused.status_code == 403
    assert TalkingPoint.objects.filter(forum=world.forum).count() == 0


def test_retiring_a_point_affects_only_this_forum_and_can_be_undone(world: World) -> None:
    point = factories.report_point("11")
    other = factories.ForumFactory(place=world.place)
    client = client_for(world.facilitator)
    retire = reverse(
        "talking_points:talking_point_retire", kwargs={"slug": world.forum.slug, "pk": point.pk}
    )

    client.post(retire)
    client.post(retire)  # twice is harmless
    retired_here = point not in TalkingPoint.objects.active_for_forum(world.forum)
    still_elsewhere = point in TalkingPoint.objects.active_for_forum(other)
    client.post(retire, {"restore": "1"})

    assert retired_here and still_elsewhere
    assert point in TalkingPoint.objects.active_for_forum(world.forum)
    assert TalkingPointRetirement.objects.count() == 0


def test_a_retired_point_cannot_be_added_to_an_agenda(world: World) -> None:
    from tests.talking_points.sessions_helpers import planned_session

    session, _ = planned_session(world)
    point = factories.report_point("11")
    TalkingPointRetirement.objects.create(forum=world.forum, talking_point=point)

    response = client_for(world.facilitator).post(
        reverse("talking_points:agenda_add", kwargs={"pk": session.pk}),
        {"talking_point": point.pk, "time_box_minutes": 10},
    )

    assert response.status_code == 400
    assert "Choose one of this forum&#x27;s talking points." in response.content.decode()


def test_another_forums_own_point_cannot_be_retired_or_used_here(world: World) -> None:
    other = factories.ForumFactory(place=world.place)
    theirs = TalkingPoint.objects.create(forum=other, text="Theirs")

    response = client_for(world.facilitator).post(
        reverse(
            "talking_points:talking_point_retire",
            kwargs={"slug": world.forum.slug, "pk": theirs.pk},
        )
    )

    assert response.status_code == 404


def test_each_point_shows_when_this_forum_last_discussed_it(world: World) -> None:
    when = timezone.now() - datetime.timedelta(days=14)
    past = factories.SessionFactory(forum=world.forum, starts_at=when, status="closed")
    factories.AgendaItemFactory(
        session=past, talking_point=factories.report_point("6"), status="done"
    )
    reached_elsewhere = factories.SessionFactory(status="closed")
    factories.AgendaItemFactory(
        session=reached_elsewhere, talking_point=factories.report_point("5"), status="done"
    )
    not_reached = factories.SessionFactory(forum=world.forum, status="closed")
    factories.AgendaItemFactory(
        session=not_reached, talking_point=factories.report_point("4"), status="carried"
    )

    by_number = {p.number: p.last_discussed for p in TalkingPoint.objects.for_forum(world.forum)}
    page = client_for(world.facilitator).get(points_url(world)).content.decode()

    assert by_number["6"] == when
    assert by_number["5"] is None
    assert by_number["4"] is None
    assert timezone.localtime(when, world.place.tz).strftime("%-d %B %Y") in page
