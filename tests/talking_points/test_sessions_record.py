"""The meeting record tells the truth: one session per slot, the day a session was really
held, agenda items numbered once, and anonymous voices never shown as an organisation."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import formats, timezone

from talking_points import services
from talking_points.models import Session
from tests import factories
from tests.conftest import World, client_for
from tests.talking_points.sessions_helpers import (  # noqa: F401
    SessionWorld,
    join_forum,
    live,
    planned_session,
)


def url(name: str, **kwargs: Any) -> str:
    return reverse(f"talking_points:{name}", kwargs=kwargs)


def local(moment: datetime.datetime, world: World) -> datetime.datetime:
    return timezone.localtime(moment, world.place.tz)


def long_date(moment: datetime.datetime) -> str:
    return formats.date_format(moment, "l j F Y")


def text_of(response: Any) -> str:
    """The page as a person reads it: tags dropped, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


# --- One session per slot ------------------------------------------------------------------


def plan_form(starts: datetime.datetime, **extra: Any) -> dict[str, Any]:
    return {
        "starts_at": f"{starts:%Y-%m-%dT%H:%M}",
        "venue": "Library",
        "online_link": "",
        "time_box_minutes": "20",
        **extra,
    }


def test_planning_a_second_session_in_a_taken_slot_is_refused_with_a_form_error(
    world: World,
) -> None:
    starts = local(timezone.now() + datetime.timedelta(days=3), world).replace(
        second=0, microsecond=0
    )
    services.session_plan(forum=world.forum, by=world.facilitator, starts_at=starts, venue="Hall")

    response = client_for(world.facilitator).post(
        url("session_plan", slug=world.forum.slug), plan_form(starts)
    )

    assert response.status_code == 400
    page = text_of(response)
    assert "There is a problem" in page
    assert f"{world.forum.name} already has a session on {long_date(starts)}" in page
    assert Session.objects.filter(forum=world.forum).count() == 1


def test_the_service_refuses_a_second_session_in_the_same_minute(world: World) -> None:
    starts = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=2)
    services.session_plan(forum=world.forum, by=world.facilitator, starts_at=starts)

    with pytest.raises(services.SessionError):
        services.session_plan(
            forum=world.forum,
            by=world.facilitator,
            starts_at=starts + datetime.timedelta(seconds=30),
        )

    assert Session.objects.filter(forum=world.forum).count() == 1


def test_another_forum_or_another_time_is_not_a_duplicate(world: World) -> None:
    starts = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=2)
    services.session_plan(forum=world.forum, by=world.facilitator, starts_at=starts)
    other_forum = factories.ForumFactory(place=world.place)

    services.session_plan(forum=other_forum, by=world.facilitator, starts_at=starts)
    services.session_plan(
        forum=world.forum, by=world.facilitator, starts_at=starts + datetime.timedelta(hours=1)
    )

    assert Session.objects.count() == 3


def test_moving_a_session_onto_another_ones_slot_is_refused(world: World) -> None:
    starts = local(timezone.now() + datetime.timedelta(days=3), world).replace(
        second=0, microsecond=0
    )
    services.session_plan(forum=world.forum, by=world.facilitator, starts_at=starts, venue="Hall")
    later = services.session_plan(
        forum=world.forum,
        by=world.facilitator,
        starts_at=starts + datetime.timedelta(days=7),
        venue="Hall",
    )

    response = client_for(world.facilitator).post(
        url("session_edit", pk=later.pk), plan_form(starts)
    )

    later.refresh_from_db()
    assert response.status_code == 400
    assert "already has a session on" in text_of(response)
    assert later.starts_at == starts + datetime.timedelta(days=7)


# --- Opening early -----------------------------------------------------------------------


def test_opening_on_an_earlier_day_asks_to_confirm_and_changes_nothing_without_a_yes(
    world: World,
) -> None:
    session, _items = planned_session(world, days=3)
    client = client_for(world.facilitator)

    page = client.get(url("session_open", pk=session.pk))
    refused = client.post(url("session_open", pk=session.pk), {"present": []})

    session.refresh_from_db()
    assert f"This session is planned for {long_date(local(session.starts_at, world))}" in (
        text_of(page)
    )
    assert "Yes, open it today" in text_of(page)
    assert refused.status_code == 400
    assert "Confirm that you are opening the session today." in text_of(refused)
    assert session.status == "planned"


def test_a_session_opened_on_its_day_is_not_asked_about(world: World) -> None:
    session, _items = planned_session(world, days=0)

    page = client_for(world.facilitator).get(url("session_open", pk=session.pk))

    assert "Yes, open it today" not in text_of(page)


def close_with_a_decision(session: Session, world: World) -> None:
    services.decision_record(session=session, by=world.facilitator, text="Meet at the library.")
    services.session_close(session=session, by=world.facilitator)


def test_a_session_opened_early_is_recorded_on_the_day_it_was_held(world: World) -> None:
    session, _items = planned_session(world, days=3)
    planned_day = long_date(local(session.starts_at, world))
    today = long_date(local(timezone.now(), world))

    response = client_for(world.facilitator).post(
        url("session_open", pk=session.pk), {"present": [world.member_a.pk], "confirm_early": "on"}
    )
    session.refresh_from_db()
    close_with_a_decision(session, world)
    summary = client_for(world.member_a).get(session.get_absolute_url())
    place_page = client_for(world.member_a).get(url("place_detail", slug=world.place.slug))
    services.session_summary_send(session_id=session.pk)

    assert response.status_code == 302
    assert session.opened_at is not None
    assert local(session.starts_at, world).date() == local(session.opened_at, world).date()
    assert f"summary of {today}" in text_of(summary)
    assert planned_day not in text_of(summary)
    short_today = formats.date_format(local(timezone.now(), world), "j F Y")
    assert f"{world.forum.name}, {short_today}" in text_of(place_page)
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert f"on {today}" in message.body
        assert planned_day not in message.body
        html = message.alternatives[0][0]
        assert f"on {today}" in " ".join(re.sub(r"<[^>]+>", " ", str(html)).split())


def test_a_session_opened_on_its_day_keeps_its_planned_time(world: World) -> None:
    session, _items = planned_session(world, days=0)
    planned = session.starts_at

    services.session_open(session=session, by=world.facilitator, present=[])

    session.refresh_from_db()
    assert session.starts_at == planned


# --- Agenda numbering and the voice table ------------------------------------------------


def test_planned_agenda_shows_each_talking_points_number_once(world: World) -> None:
    session, _items = planned_session(world)

    page = client_for(world.facilitator).get(session.get_absolute_url()).content.decode()

    agenda = page[page.index('id="agenda"') :]
    agenda = agenda[: agenda.index("</section>")]
    assert "<ol" not in agenda  # the items carry the report's numbers themselves
    assert re.search(r'class="agenda-point">6\. ', agenda)
    assert 'Minutes<span class="visually-hidden"> for talking point 6</span>' in agenda


def test_live_agenda_shows_each_talking_points_number_once(live: SessionWorld) -> None:  # noqa: F811
    page = client_for(live.member_a).get(live.session.get_absolute_url()).content.decode()

    agenda = page[page.index('id="agenda-heading"') :]
    agenda = agenda[: agenda.index("</section>")]
    assert "<ol" not in agenda
    assert re.search(r'class="agenda-point">6\. ', agenda)


def test_anonymous_contributions_are_set_apart_not_a_row_of_organisations(
    live: SessionWorld,  # noqa: F811
) -> None:
    for user, anonymous in ((live.member_a, False), (live.member_b, True)):
        services.contribution_add(
            session=live.session,
            agenda_item_id=live.first.pk,
            user=user,
            text="Something worth saying.",
            anonymous=anonymous,
        )

    page = client_for(live.facilitator).get(live.session.get_absolute_url()).content.decode()

    table = page[page.index(">By organisation</caption>") :]
    table = table[: table.index("</table>")]
    assert "Anonymous" not in table
    assert world_org_name(live) in table
    assert "Anonymous contributions:</strong> 1 (50% of all)" in page


def world_org_name(live: SessionWorld) -> str:  # noqa: F811
    return live.world.org_a.name


def test_only_anonymous_contributions_leave_the_organisation_table_saying_so(
    live: SessionWorld,  # noqa: F811
) -> None:
    services.contribution_add(
        session=live.session,
        agenda_item_id=live.first.pk,
        user=live.member_b,
        text="Quietly said.",
        anonymous=True,
    )
    services.session_close(session=live.session, by=live.facilitator)

    page = client_for(live.member_a).get(live.session.get_absolute_url()).content.decode()

    table = page[page.index(">By organisation</caption>") :]
    table = table[: table.index("</table>")]
    assert "Only anonymous contributions so far." in table
    assert "Anonymous contributions:</strong> 1 (100% of all)" in page
