"""Bad input and races: a clear error, nothing stored half-done."""

from __future__ import annotations

import datetime
import threading
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from partnerships.models import ForumMembership
from talking_points import services
from talking_points.models import AgendaItem, Contribution, Session
from tests import factories
from tests.conftest import World, client_for
from tests.talking_points.sessions_helpers import (  # noqa: F401
    SessionWorld,
    closed,
    live,
    open_session,
    planned_session,
)


def url(name: str, pk: int, **kwargs: Any) -> str:
    return reverse(f"talking_points:{name}", kwargs={"pk": pk, **kwargs})


def contribute(client: Any, session: Session, item_pk: Any, text: str, **extra: Any) -> Any:
    return client.post(
        url("contribution_add", session.pk), {"agenda_item": item_pk, "text": text, **extra}
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Write your contribution before adding it."),
        ("   \n  ", "Write your contribution before adding it."),
        ("x" * 20_000, "A contribution can be at most 4,000 characters"),
    ],
)
def test_empty_or_huge_contribution_is_refused(
    live: SessionWorld,  # noqa: F811
    text: str,
    message: str,
) -> None:
    response = contribute(client_for(live.member_a), live.session, live.first.pk, text)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert Contribution.objects.count() == 0


def test_bad_contribution_by_htmx_rerenders_the_form_with_the_error(
    live: SessionWorld,  # noqa: F811
) -> None:
    response = client_for(live.member_a).post(
        url("contribution_add", live.session.pk),
        {"agenda_item": live.first.pk, "text": ""},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200  # htmx swaps 2xx only
    assert "Write your contribution before adding it." in response.content.decode()
    assert "HX-Trigger" not in response
    assert Contribution.objects.count() == 0


def test_contribution_to_a_closed_session_is_refused(closed: SessionWorld) -> None:  # noqa: F811
    before = Contribution.objects.count()

    response = contribute(client_for(closed.member_a), closed.session, closed.first.pk, "Late")

    assert response.status_code == 409
    assert "closed" in response.content.decode()
    assert Contribution.objects.count() == before


def test_contribution_to_another_forums_agenda_item_is_refused(
    live: SessionWorld,  # noqa: F811
) -> None:
    other_forum = factories.ForumFactory(place=live.world.place)
    ForumMembership.objects.create(forum=other_forum, user=live.member_a)
    other = factories.SessionFactory(forum=other_forum, status="live")
    other_item = factories.AgendaItemFactory(session=other, status="current")

    response = contribute(client_for(live.member_a), live.session, other_item.pk, "Misrouted")

    assert response.status_code == 400
    assert "That agenda item is not part of this session." in response.content.decode()
    assert Contribution.objects.count() == 0


def test_contribution_to_another_forums_session_is_404_for_a_non_member(
    live: SessionWorld,  # noqa: F811
) -> None:
    other_session = factories.SessionFactory(status="live")
    item = factories.AgendaItemFactory(session=other_session, status="current")

    response = contribute(client_for(live.member_a), other_session, item.pk, "Wrong room")

    assert response.status_code == 404
    assert Contribution.objects.count() == 0


def test_contribution_to_an_item_not_reached_yet_is_refused(
    live: SessionWorld,  # noqa: F811
) -> None:
    response = contribute(client_for(live.member_a), live.session, live.third.pk, "Too soon")

    assert response.status_code == 400
    assert "has not been reached yet" in response.content.decode()
    assert Contribution.objects.count() == 0


def test_contribution_with_a_made_up_item_is_refused(live: SessionWorld) -> None:  # noqa: F811
    response = contribute(client_for(live.member_a), live.session, "not-a-number", "Hi")

    assert response.status_code == 400
    assert Contribution.objects.count() == 0


@pytest.mark.parametrize("minutes", ["-5", "0", "241", "ten", ""])
def test_bad_time_box_is_refused_when_planning(world: World, minutes: str) -> None:
    starts = (timezone.now() + datetime.timedelta(days=2)).astimezone(world.place.tz)

    response = client_for(world.facilitator).post(
        reverse("talking_points:session_plan", kwargs={"slug": world.forum.slug}),
        {
            "starts_at": f"{starts:%Y-%m-%dT%H:%M}",
            "venue": "Hall",
            "talking_points": [factories.report_point("1").pk],
            "time_box_minutes": minutes,
        },
    )

    assert response.status_code == 400
    assert "Time box (minutes)" in response.content.decode()
    assert Session.objects.count() == 0


def test_minus_five_minute_time_box_is_refused_on_the_agenda(world: World) -> None:
    session, items = planned_session(world)
    client = client_for(world.facilitator)

    added = client.post(
        url("agenda_add", session.pk),
        {"talking_point": factories.report_point("1").pk, "time_box_minutes": "-5"},
    )
    changed = client.post(
        url("agenda_item_time_box", session.pk, item_pk=items[0].pk), {"time_box_minutes": "-5"}
    )

    assert added.status_code == 400
    assert "A time box must be at least 1 minute." in added.content.decode()
    assert changed.status_code == 400
    assert "A time box must be at least 1 minute." in changed.content.decode()
    assert session.agenda_items.count() == 3
    assert AgendaItem.objects.get(pk=items[0].pk).time_box_minutes == 15


def test_service_refuses_a_negative_time_box_too(world: World) -> None:
    session, _items = planned_session(world)

    with pytest.raises(services.SessionError):
        services.agenda_item_add(
            session=session, talking_point=factories.report_point("1"), time_box_minutes=-5
        )

    assert session.agenda_items.count() == 3


def test_plan_in_the_past_or_without_a_place_to_meet_is_refused(world: World) -> None:
    past = (timezone.now() - datetime.timedelta(days=3)).astimezone(world.place.tz)
    client = client_for(world.facilitator)
    plan_url = reverse("talking_points:session_plan", kwargs={"slug": world.forum.slug})

    in_past = client.post(
        plan_url, {"starts_at": f"{past:%Y-%m-%dT%H:%M}", "venue": "Hall", "time_box_minutes": 5}
    )
    nowhere = client.post(
        plan_url,
        {
            "starts_at": f"{timezone.now() + datetime.timedelta(days=1):%Y-%m-%dT%H:%M}",
            "time_box_minutes": 5,
        },
    )

    assert in_past.status_code == 400
    assert "Choose a date and time that has not passed." in in_past.content.decode()
    assert nowhere.status_code == 400
    assert "Give a venue, an online link, or both." in nowhere.content.decode()
    assert Session.objects.count() == 0


def test_opening_a_session_with_an_empty_agenda_is_refused(world: World) -> None:
    session = factories.SessionFactory(forum=world.forum)

    response = client_for(world.facilitator).post(
        url("session_open", session.pk), {"confirm_early": "on"}
    )

    session.refresh_from_db()
    assert response.status_code == 409
    assert "Add at least one talking point" in response.content.decode()
    assert session.status == "planned"
    assert session.attendances.count() == 0


def test_a_forum_cannot_have_two_live_sessions(live: SessionWorld) -> None:  # noqa: F811
    second, _items = planned_session(live.world, days=2)

    with pytest.raises(services.SessionError, match="Another session of this forum is live"):
        services.session_open(session=second, by=live.facilitator, present=[])

    second.refresh_from_db()
    assert second.status == "planned"


def test_stale_next_press_is_refused_and_changes_nothing(live: SessionWorld) -> None:  # noqa: F811
    client = client_for(live.facilitator)
    client.post(url("agenda_advance", live.session.pk), {"expected_item": live.first.pk})

    stale = client.post(
        url("agenda_advance", live.session.pk), {"expected_item": live.first.pk}, follow=True
    )

    live.session.refresh_from_db()
    assert "The agenda has already moved on" in stale.content.decode()
    assert live.session.current_item_id == live.second.pk
    statuses = list(live.session.agenda_items.order_by("position").values_list("status", flat=True))
    assert statuses == ["done", "current", "pending"]


def test_decision_or_action_after_closing_is_refused(closed: SessionWorld) -> None:  # noqa: F811
    client = client_for(closed.facilitator)

    decision = client.post(url("decision_add", closed.session.pk), {"text": "Too late"})
    action = client.post(
        url("action_add", closed.session.pk), {"text": "Too late", "owner": closed.member_a.pk}
    )

    assert decision.status_code == 409
    assert action.status_code == 409
    assert closed.session.decisions.count() == 1
    assert closed.session.actions.count() == 1


def test_action_due_in_the_past_is_refused(live: SessionWorld) -> None:  # noqa: F811
    response = client_for(live.facilitator).post(
        url("action_add", live.session.pk),
        {"text": "Yesterday", "owner": live.member_a.pk, "due_on": "2001-01-01"},
    )

    assert response.status_code == 400
    assert "Choose a date that has not passed." in response.content.decode()
    assert live.session.actions.count() == 0


def test_publish_with_a_made_up_visibility_is_refused(closed: SessionWorld) -> None:  # noqa: F811
    response = client_for(closed.facilitator).post(
        url("session_publish", closed.session.pk), {"visibility": "everyone-ever"}
    )

    closed.session.refresh_from_db()
    assert response.status_code == 400
    assert closed.session.summary_visibility == "members"


# --- Two facilitators pressing "Next" at the same moment ---------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_facilitators_advancing_at_once_move_the_agenda_exactly_once(world: World) -> None:
    sw = open_session(world)
    second_facilitator = factories.UserFactory()
    ForumMembership.objects.create(forum=world.forum, user=second_facilitator, role="facilitator")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def press() -> None:
        try:
            session = Session.objects.get(pk=sw.session.pk)
            barrier.wait(timeout=10)
            services.agenda_advance(session=session, expected_item_id=sw.first.pk)
            outcomes.append("moved")
        except services.SessionError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=press) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    sw.session.refresh_from_db()
    statuses = list(sw.session.agenda_items.order_by("position").values_list("status", flat=True))
    assert sorted(outcomes) == ["moved", "refused"]
    assert sw.session.current_item_id == sw.second.pk
    assert statuses == ["done", "current", "pending"]


@pytest.mark.django_db(transaction=True)
def test_contribution_racing_the_close_is_either_stored_before_it_or_refused(
    world: World,
) -> None:
    sw = open_session(world)
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def add() -> None:
        try:
            barrier.wait(timeout=10)
            services.contribution_add(
                session=sw.session,
                agenda_item_id=sw.first.pk,
                user=sw.member_a,
                text="Just in time?",
                anonymous=False,
            )
            outcomes["add"] = "stored"
        except services.SessionError:
            outcomes["add"] = "refused"
        finally:
            connection.close()

    def close() -> None:
        try:
            barrier.wait(timeout=10)
            services.session_close(session=Session.objects.get(pk=sw.session.pk), by=sw.facilitator)
            outcomes["close"] = "closed"
        finally:
            connection.close()

    threads = [threading.Thread(target=add), threading.Thread(target=close)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    stored = Contribution.objects.filter(session=sw.session)
    assert outcomes["close"] == "closed"
    if outcomes["add"] == "stored":
        closed_at = Session.objects.get(pk=sw.session.pk).closed_at
        assert closed_at is not None
        assert stored.get().created_at <= closed_at
    else:
        assert stored.count() == 0
