"""Running a session: plan, open with attendance, contribute, poll, move through the
agenda, round-robin, hide, decide, act, close (carrying over) and publish."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from partnerships.models import ForumMembership, ForumRole
from talking_points import services
from talking_points.models import AgendaItem, Contribution, Session
from tests import factories
from tests.conftest import World, client_for
from tests.talking_points.sessions_helpers import (  # noqa: F401
    SessionWorld,
    closed,
    join_forum,
    live,
    open_session,
    planned_session,
)


def url(name: str, pk: int, **kwargs: Any) -> str:
    return reverse(f"talking_points:{name}", kwargs={"pk": pk, **kwargs})


def poll(client: Any, session: Session, etag: str = "") -> Any:
    headers = {"HX-Request": "true"}
    if etag:
        headers["If-None-Match"] = etag
    return client.get(url("session_poll", session.pk), headers=headers)


# --- Planning ------------------------------------------------------------------------


def test_plan_form_defaults_to_the_forums_regular_slot(world: World) -> None:
    response = client_for(world.facilitator).get(
        reverse("talking_points:session_plan", kwargs={"slug": world.forum.slug})
    )

    expected = timezone.localtime(world.forum.next_meeting(), world.place.tz)
    assert response.status_code == 200
    assert f'value="{expected:%Y-%m-%dT%H:%M}"' in response.content.decode()
    assert 'value="Community hall"' in response.content.decode()


def test_facilitator_plans_a_session_with_an_ordered_agenda(world: World) -> None:
    point_6, point_4 = factories.report_point("6"), factories.report_point("4")
    starts = (timezone.now() + datetime.timedelta(days=3)).astimezone(world.place.tz)

    response = client_for(world.facilitator).post(
        reverse("talking_points:session_plan", kwargs={"slug": world.forum.slug}),
        {
            "starts_at": f"{starts:%Y-%m-%dT%H:%M}",
            "venue": "Library",
            "online_link": "",
            "talking_points": [point_6.pk, point_4.pk],
            "time_box_minutes": "25",
        },
    )

    session = Session.objects.get()
    assert response.status_code == 302
    assert session.venue == "Library"
    assert session.status == "planned"
    assert session.starts_at == starts.replace(second=0, microsecond=0)
    # In the planner's order: least recently discussed first, then the report's order.
    assert [(i.talking_point.number, i.time_box_minutes) for i in session.agenda_items.all()] == [
        ("4", 25),
        ("6", 25),
    ]


def test_planner_suggests_the_least_recently_discussed_points_first(world: World) -> None:
    recent = timezone.now() - datetime.timedelta(days=7)
    older = timezone.now() - datetime.timedelta(days=70)
    for number, when in (("1", recent), ("2", older)):
        past = factories.SessionFactory(forum=world.forum, starts_at=when, status="closed")
        factories.AgendaItemFactory(
            session=past, talking_point=factories.report_point(number), status="done"
        )

    from talking_points.models import TalkingPoint

    order = [p.number for p in TalkingPoint.objects.suggested_for_forum(world.forum)]

    assert order[:2] == ["3", "4"]  # never discussed come first, in the report's order
    assert order[-2:] == ["2", "1"]  # then the longest ago, and the most recent last
    assert "7a" not in order  # parts travel with their point


def test_agenda_items_move_and_get_new_time_boxes(world: World) -> None:
    session, (first, second, third) = planned_session(world)
    client = client_for(world.facilitator)

    client.post(url("agenda_item_move", session.pk, item_pk=third.pk), {"direction": "up"})
    client.post(url("agenda_item_time_box", session.pk, item_pk=first.pk), {"time_box_minutes": 7})
    client.post(url("agenda_item_remove", session.pk, item_pk=second.pk))

    items = list(session.agenda_items.order_by("position", "pk"))
    assert [i.pk for i in items] == [first.pk, third.pk]
    assert items[0].time_box_minutes == 7


# --- Opening and attendance ----------------------------------------------------------


def test_opening_takes_attendance_and_starts_the_first_item(world: World) -> None:
    session, items = planned_session(world, days=0)

    response = client_for(world.facilitator).post(
        url("session_open", session.pk), {"present": [world.member_a.pk]}
    )

    session.refresh_from_db()
    attendance = {
        a.name: (a.organisation_name, a.sector, a.late) for a in session.attendances.all()
    }
    assert response.status_code == 302
    assert session.status == "live"
    assert session.current_item_id == items[0].pk
    assert attendance == {
        world.facilitator.full_name: ("", "", False),
        world.member_a.full_name: ("Org A", "vcs", False),
    }


def test_a_latecomer_joins_and_is_marked_late(live: SessionWorld) -> None:  # noqa: F811
    latecomer = factories.MembershipFactory(organisation=live.world.org_b).user
    ForumMembership.objects.create(forum=live.world.forum, user=latecomer)

    client_for(latecomer).post(url("session_join", live.session.pk))

    attendance = live.session.attendances.get(user=latecomer)
    assert attendance.late is True
    assert attendance.organisation_name == "Org B"


def test_member_not_at_the_table_is_asked_to_join_before_contributing(
    live: SessionWorld,  # noqa: F811
) -> None:
    member = factories.UserFactory()
    ForumMembership.objects.create(forum=live.world.forum, user=member)
    client = client_for(member)

    page = client.get(live.session.get_absolute_url()).content.decode()
    response = client.post(
        url("contribution_add", live.session.pk),
        {"agenda_item": live.first.pk, "text": "Hello"},
    )

    assert "Join the session" in page
    assert response.status_code == 400
    assert "Join the session before you contribute." in response.content.decode()
    assert Contribution.objects.count() == 0


# --- Contributing and polling --------------------------------------------------------


def test_contribution_by_plain_post_redirects_back_to_the_form(
    live: SessionWorld,  # noqa: F811
) -> None:
    response = client_for(live.member_a).post(
        url("contribution_add", live.session.pk),
        {"agenda_item": live.first.pk, "text": "  We are invited late.  "},
    )

    contribution = Contribution.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith("#contribute")
    assert contribution.text == "We are invited late."
    assert contribution.author_id == live.member_a.pk
    assert contribution.organisation_name == "Org A"
    assert contribution.sector == "vcs"


def test_contribution_by_htmx_returns_a_fresh_form_and_triggers_a_poll(
    live: SessionWorld,  # noqa: F811
) -> None:
    response = client_for(live.member_a).post(
        url("contribution_add", live.session.pk),
        {"agenda_item": live.first.pk, "text": "Quick thought"},
        headers={"HX-Request": "true"},
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Trigger"] == "contributions-changed"
    assert "Your contribution was added." in body
    assert body.lstrip().startswith('<section id="contribute"')


def test_other_participants_see_a_new_contribution_on_their_next_poll(
    live: SessionWorld,  # noqa: F811
) -> None:
    reader = client_for(live.member_b)
    first = poll(reader, live.session)
    services.contribution_add(
        session=live.session,
        agenda_item_id=live.first.pk,
        user=live.member_a,
        text="Fresh words",
        anonymous=False,
    )

    second = poll(reader, live.session, first["ETag"])

    assert first.status_code == 200
    assert "Fresh words" not in first.content.decode()
    assert second.status_code == 200
    assert "Fresh words" in second.content.decode()
    assert second["ETag"] != first["ETag"]


def test_unchanged_poll_answers_304_after_one_query(
    live: SessionWorld,  # noqa: F811
    django_assert_num_queries: Any,
) -> None:
    reader = client_for(live.member_b)
    etag = poll(reader, live.session)["ETag"]

    # Through the whole middleware stack; the view's ETag is the session's version and the
    # reader's role, read in one query.
    with django_assert_num_queries(1):
        response = poll(reader, live.session, etag)

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_unchanged_poll_due_a_session_update_answers_304_from_the_view(
    live: SessionWorld,  # noqa: F811
    django_assert_max_num_queries: Any,
) -> None:
    from hls_forum.middleware import SESSION_SEEN_AT

    reader = client_for(live.member_b)
    etag = poll(reader, live.session)["ETag"]
    session = reader.session
    session[SESSION_SEEN_AT] = session[SESSION_SEEN_AT] - 120  # idle clock due an update
    session.save()

    # The session and role (one query), and the session's activity written (an UPDATE in
    # a savepoint: three).
    with django_assert_max_num_queries(4):
        response = poll(reader, live.session, etag)

    assert response.status_code == 304
    assert reader.session[SESSION_SEEN_AT] > session[SESSION_SEEN_AT]


def test_a_poll_etag_is_bound_to_the_signed_in_person(live: SessionWorld) -> None:  # noqa: F811
    etag = poll(client_for(live.member_b), live.session)["ETag"]

    someone_else = client_for(live.member_a)
    signed_out = Client()

    assert poll(someone_else, live.session, etag).status_code == 200
    assert poll(signed_out, live.session, etag).status_code == 404


def test_a_person_removed_from_the_forum_gets_404_not_304(live: SessionWorld) -> None:  # noqa: F811
    reader = client_for(live.member_b)
    etag = poll(reader, live.session)["ETag"]

    ForumMembership.objects.filter(forum=live.session.forum, user=live.member_b).delete()

    assert poll(reader, live.session, etag).status_code == 404


def test_a_new_role_changes_the_poll(live: SessionWorld) -> None:  # noqa: F811
    reader = client_for(live.member_b)
    etag = poll(reader, live.session)["ETag"]

    membership = ForumMembership.objects.get(forum=live.session.forum, user=live.member_b)
    membership.role = ForumRole.FACILITATOR
    membership.save()

    response = poll(reader, live.session, etag)
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_poll_etag_differs_per_person(live: SessionWorld) -> None:  # noqa: F811
    a = poll(client_for(live.member_a), live.session)["ETag"]
    b = poll(client_for(live.member_b), live.session)["ETag"]

    assert a != b


def test_poll_says_the_session_closed_and_stops_polling(closed: SessionWorld) -> None:  # noqa: F811
    # Said in place, not a move to another page: someone may be typing.
    response = poll(client_for(closed.member_b), closed.session)

    body = response.content.decode()
    assert response.status_code == 200
    assert "HX-Redirect" not in response
    assert "The session has closed" in body
    assert f'href="{closed.session.get_absolute_url()}" id="summary-link"' in body
    assert "data-hx-trigger" not in body  # no more polls
    assert "takes no more contributions" in body  # the form's target, out of band


def test_plain_poll_of_a_closed_session_goes_to_its_page(closed: SessionWorld) -> None:  # noqa: F811
    response = client_for(closed.member_b).get(url("session_poll", closed.session.pk))

    assert response.status_code == 302
    assert response["Location"] == closed.session.get_absolute_url()


def _add_contributions(sw: SessionWorld, count: int) -> None:
    for i in range(count):
        services.contribution_add(
            session=sw.session,
            agenda_item_id=sw.first.pk,
            user=sw.member_a if i % 2 else sw.member_b,
            text=f"Point {i}",
            anonymous=i % 3 == 0,
        )


def _count_queries(client: Any, path: str, **kwargs: Any) -> int:
    """Queries of a request in the steady state."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path, **kwargs)  # steady state: the signed-in person is cached after this
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, **kwargs)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_live_page_and_changed_poll_queries_do_not_grow_with_contributions(
    live: SessionWorld,  # noqa: F811
) -> None:
    facilitator = client_for(live.facilitator)
    participant = client_for(live.member_b)
    _add_contributions(live, 2)
    services.decision_record(session=live.session, by=live.facilitator, text="One")
    page = live.session.get_absolute_url()
    poll_url = url("session_poll", live.session.pk)
    few = (
        _count_queries(facilitator, page),
        _count_queries(participant, page),
        _count_queries(facilitator, poll_url, headers={"HX-Request": "true"}),
    )

    _add_contributions(live, 12)
    services.decision_record(session=live.session, by=live.facilitator, text="Two")
    services.action_add(
        session=live.session, by=live.facilitator, text="Do it", owner=live.member_a, due_on=None
    )
    many = (
        _count_queries(facilitator, page),
        _count_queries(participant, page),
        _count_queries(facilitator, poll_url, headers={"HX-Request": "true"}),
    )

    assert few == many
    # The person comes from the cache; the decisions rest on no learning, so no learning
    # query; what was said, the agenda, attendance and actions come from their copies cached
    # by Session.version (the steady state) and the actions are read only to draw them. The
    # facilitator's page also looks for the session's guest link (the guests app's panel),
    # and both read the session's decision rounds (the decisions app's panel).
    assert many == (17, 9, 11)


def test_summary_forum_and_list_pages_have_pinned_query_counts(
    closed: SessionWorld,  # noqa: F811
) -> None:
    client = client_for(closed.member_b)
    pages = [
        closed.session.get_absolute_url(),
        closed.world.forum.get_absolute_url(),
        closed.world.place.get_absolute_url(),
        reverse("talking_points:forum_sessions", kwargs={"slug": closed.world.forum.slug}),
        reverse("talking_points:forum_actions", kwargs={"slug": closed.world.forum.slug}),
        reverse("talking_points:forum_decisions", kwargs={"slug": closed.world.forum.slug}),
    ]
    before = [_count_queries(client, p) for p in pages]

    for _ in range(3):
        sw_session = factories.SessionFactory(
            forum=closed.world.forum, status="closed", starts_at=timezone.now()
        )
        factories.DecisionFactory(session=sw_session)
        factories.ActionFactory(session=sw_session)
    after = [_count_queries(client, p) for p in pages]

    assert before == after
    # The summary: one glossary query (explained terms) and one for the learning linked to
    # the session (its decisions rest on none); the forum page: the forum, the reader's
    # membership, the glossary, the member count and facilitators, then the panel's
    # upcoming and past sessions, decisions and open actions; the decisions page: one
    # learning prefetch. The feature apps' parts add a fixed few: on the summary, how each
    # decision was made, corrections and the records kept; on the forum page, its
    # conversations; on the place page, the engagement history and the stories links.
    assert after == [17, 10, 13, 4, 4, 4]


# --- Moving through the agenda -------------------------------------------------------


def test_next_finishes_the_current_item_and_starts_the_next(
    live: SessionWorld,  # noqa: F811
) -> None:
    response = client_for(live.facilitator).post(
        url("agenda_advance", live.session.pk), {"expected_item": live.first.pk}
    )

    live.session.refresh_from_db()
    live.first.refresh_from_db()
    live.second.refresh_from_db()
    assert response.status_code == 302
    assert live.session.current_item_id == live.second.pk
    assert (live.first.status, live.second.status) == ("done", "current")
    assert live.first.ended_at is not None
    assert live.second.started_at is not None


def test_live_page_shows_the_time_left_in_the_time_box(live: SessionWorld) -> None:  # noqa: F811
    AgendaItem.objects.filter(pk=live.first.pk).update(
        started_at=timezone.now() - datetime.timedelta(minutes=5, seconds=30)
    )

    body = client_for(live.member_a).get(live.session.get_absolute_url()).content.decode()

    assert re.search(r">9:[23]\d left</span>", body)  # 15-minute box, 5:30 gone
    assert "data-countdown" in body


def test_round_robin_invites_each_person_in_turn(live: SessionWorld) -> None:  # noqa: F811
    client = client_for(live.facilitator)
    people = list(live.session.attendances.order_by("joined_at", "pk"))

    client.post(url("round_robin", live.session.pk), {"step": "on"})
    turns = []
    for _ in range(len(people)):
        live.session.refresh_from_db()
        turns.append(live.session.round_robin_turn_id)
        client.post(
            url("round_robin", live.session.pk),
            {"step": "next", "expected_turn": live.session.round_robin_turn_id},
        )
    live.session.refresh_from_db()

    assert turns == [p.pk for p in people]
    assert live.session.round_robin_turn_id == people[0].pk  # wrapped round
    second_person = people[1].user
    client.post(
        url("round_robin", live.session.pk), {"step": "next", "expected_turn": people[0].pk}
    )
    page = client_for(second_person).get(live.session.get_absolute_url()).content.decode()
    assert "It is your turn to speak." in page


def test_double_press_on_round_robin_moves_on_once(live: SessionWorld) -> None:  # noqa: F811
    services.round_robin_set(session=live.session, on=True)
    live.session.refresh_from_db()
    first = live.session.round_robin_turn_id

    services.round_robin_next(session=live.session, expected_turn_id=first)
    with pytest.raises(services.SessionError):
        services.round_robin_next(session=live.session, expected_turn_id=first)


def test_voice_balance_counts_organisations_and_sectors_with_anonymous_apart(
    live: SessionWorld,  # noqa: F811
) -> None:
    for user, anonymous in [
        (live.member_a, False),
        (live.member_a, False),
        (live.member_b, False),
        (live.member_b, True),
    ]:
        services.contribution_add(
            session=live.session,
            agenda_item_id=live.first.pk,
            user=user,
            text="words",
            anonymous=anonymous,
        )

    balance = services.voice_balance(live.session)
    page = client_for(live.facilitator).get(live.session.get_absolute_url()).content.decode()

    assert balance.total == 4
    assert balance.anonymous == 1
    assert [(v.label, v.count, v.share) for v in balance.by_organisation] == [
        ("Org A", 2, 50),
        ("Org B", 1, 25),
    ]
    assert [(v.label, v.count) for v in balance.by_sector] == [("Voluntary and community", 3)]
    assert "Every voice" in page


def test_voice_balance_names_organisations_at_the_table_not_heard_yet(
    live: SessionWorld,  # noqa: F811
) -> None:
    services.contribution_add(
        session=live.session,
        agenda_item_id=live.first.pk,
        user=live.member_a,
        text="x",
        anonymous=False,
    )

    assert services.voice_balance(live.session).not_heard == ["Org B"]


def test_facilitator_hides_a_contribution_with_a_reason(live: SessionWorld) -> None:  # noqa: F811
    contribution = services.contribution_add(
        session=live.session,
        agenda_item_id=live.first.pk,
        user=live.member_a,
        text="Something unkind",
        anonymous=True,
    )

    response = client_for(live.facilitator).post(
        url("contribution_hide", live.session.pk, contribution_pk=contribution.pk),
        {"reason": "Personal remark"},
    )
    participant_page = client_for(live.member_b).get(live.session.get_absolute_url())

    contribution.refresh_from_db()
    assert response.status_code == 302
    assert contribution.hidden_reason == "Personal remark"
    assert contribution.is_anonymous is True and contribution.author_id is None
    assert "Something unkind" not in participant_page.content.decode()
    assert "1 contribution hidden by the facilitator" in participant_page.content.decode()


def test_hiding_needs_a_reason(live: SessionWorld) -> None:  # noqa: F811
    contribution = services.contribution_add(
        session=live.session,
        agenda_item_id=live.first.pk,
        user=live.member_a,
        text="x",
        anonymous=False,
    )

    response = client_for(live.facilitator).post(
        url("contribution_hide", live.session.pk, contribution_pk=contribution.pk), {"reason": ""}
    )

    contribution.refresh_from_db()
    assert response.status_code == 400
    assert contribution.hidden_at is None


# --- Decisions and actions -----------------------------------------------------------


def test_decision_records_who_was_at_the_table_at_that_moment(
    live: SessionWorld,  # noqa: F811
) -> None:
    client = client_for(live.facilitator)
    client.post(url("decision_add", live.session.pk), {"text": "Ask for a seat", "why": "Voice"})
    latecomer = factories.UserFactory()
    ForumMembership.objects.create(forum=live.world.forum, user=latecomer)
    services.session_join(session=live.session, user=latecomer)
    client.post(url("decision_add", live.session.pk), {"text": "Second"})

    first, second = live.session.decisions.order_by("pk")
    assert first.why == "Voice"
    assert first.agenda_item_id == live.first.pk
    assert first.at_the_table.count() == 3
    assert second.at_the_table.count() == 4


def test_action_is_recorded_and_its_owner_marks_it_done(live: SessionWorld) -> None:  # noqa: F811
    due = timezone.localdate() + datetime.timedelta(days=7)
    client_for(live.facilitator).post(
        url("action_add", live.session.pk),
        {"text": "Write to the chair", "owner": live.member_b.pk, "due_on": due.isoformat()},
    )
    action = live.session.actions.get()

    response = client_for(live.member_b).post(
        reverse("talking_points:action_done", kwargs={"pk": action.pk})
    )

    action.refresh_from_db()
    assert (action.owner_id, action.owner_name, action.due_on) == (
        live.member_b.pk,
        live.member_b.full_name,
        due,
    )
    assert response.status_code == 302
    assert action.status == "done"
    assert action.done_by_id == live.member_b.pk


def test_a_participant_who_does_not_own_an_action_cannot_mark_it_done(
    closed: SessionWorld,  # noqa: F811
) -> None:
    action = closed.session.actions.get()  # owned by member_b

    response = client_for(closed.member_a).post(
        reverse("talking_points:action_done", kwargs={"pk": action.pk})
    )

    action.refresh_from_db()
    assert response.status_code == 403
    assert action.status == "open"


def test_action_owner_must_be_a_forum_member(live: SessionWorld) -> None:  # noqa: F811
    response = client_for(live.facilitator).post(
        url("action_add", live.session.pk),
        {"text": "Do it", "owner": live.world.lead_a.pk},
    )

    assert response.status_code == 400
    assert live.session.actions.count() == 0


# --- Closing ---------------------------------------------------------------------------


def test_closing_carries_unfinished_items_to_the_front_of_the_next_planned_session(
    live: SessionWorld,  # noqa: F811
) -> None:
    later = services.session_plan(
        forum=live.world.forum,
        by=live.facilitator,
        starts_at=timezone.now() + datetime.timedelta(days=7),
        venue="Hall",
        talking_points=[factories.report_point("1")],
    )

    response = client_for(live.facilitator).post(url("session_close", live.session.pk))

    live.session.refresh_from_db()
    statuses = list(live.session.agenda_items.order_by("position").values_list("status", flat=True))
    next_agenda = [
        (i.talking_point.number, i.carried_from_id) for i in later.agenda_items.order_by("position")
    ]
    assert response.status_code == 302
    assert live.session.status == "closed"
    assert statuses == ["done", "carried", "carried"]
    assert next_agenda == [("4", live.second.pk), ("16", live.third.pk), ("1", None)]


def test_closing_with_no_planned_session_plans_one_at_the_regular_slot(
    live: SessionWorld,  # noqa: F811
) -> None:
    services.session_close(session=live.session, by=live.facilitator)

    planned = Session.objects.get(status="planned")
    local = timezone.localtime(planned.starts_at, live.world.place.tz)
    assert planned.starts_at > timezone.now()
    assert (local.weekday(), local.time()) == (
        live.world.forum.weekday,
        live.world.forum.start_time,
    )
    assert planned.venue == live.world.forum.venue
    assert planned.agenda_items.count() == 2


def test_summary_shows_points_contributions_decisions_actions_and_balance(
    closed: SessionWorld,  # noqa: F811
) -> None:
    body = client_for(closed.member_a).get(closed.session.get_absolute_url()).content.decode()

    assert "summary of" in body
    assert "Talking points discussed (1)" in body
    assert "We are invited late." in body
    assert "Ask for a seat." in body
    assert "Write to the chair." in body
    assert "Every voice" in body
    assert "Carried over to the next session" in body


def test_summary_explains_the_places_terms_in_contributions_and_decisions(
    world: World,
) -> None:
    factories.GlossaryTermFactory(place=world.place, term="alliance", meaning="All of us.")
    sw = open_session(world)
    services.contribution_add(
        session=sw.session,
        agenda_item_id=sw.first.pk,
        user=sw.member_a,
        text="The alliance <b>meets</b> late.",
        anonymous=False,
    )
    services.decision_record(
        session=sw.session, by=sw.facilitator, text="Ask the VCS.", why="The alliance agreed."
    )
    services.session_close(session=sw.session, by=sw.facilitator)

    body = client_for(sw.member_a).get(sw.session.get_absolute_url()).content.decode()

    assert body.count(">alliance</dfn>") == 2  # in the contribution, and in the decision's why
    assert "All of us." in body
    assert ">VCS</dfn>" in body
    assert "&lt;b&gt;meets&lt;/b&gt;" in body
    assert "explain_place" not in body  # template comments stay out of the page


def test_planned_and_live_pages_link_members_to_the_wellbeing_check_in(
    world: World,
) -> None:
    later, _ = planned_session(world, days=3)
    soon, _ = planned_session(world, days=0)
    Session.objects.filter(pk=soon.pk).update(
        starts_at=timezone.now() + datetime.timedelta(minutes=30)
    )
    check_in = reverse("talking_points:wellbeing_check_in", kwargs={"pk": soon.pk})
    client = client_for(world.member_a)

    later_page = client.get(later.get_absolute_url()).content.decode()
    soon_page = client.get(soon.get_absolute_url()).content.decode()
    services.session_open(session=soon, by=world.facilitator, present=[world.member_a])
    live_page = client.get(soon.get_absolute_url()).content.decode()

    assert "check-in opens an hour before" in later_page
    assert reverse("talking_points:wellbeing_check_in", kwargs={"pk": later.pk}) not in later_page
    assert f'href="{check_in}"' in soon_page
    assert f'href="{check_in}"' in live_page


def test_closing_twice_closes_once(live: SessionWorld) -> None:  # noqa: F811
    services.session_close(session=live.session, by=live.facilitator)

    response = client_for(live.facilitator).post(url("session_close", live.session.pk))

    assert response.status_code == 409
    assert Session.objects.filter(status="planned").count() == 1


def test_closing_queues_the_summary_after_commit(
    live: SessionWorld,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        services.session_close(session=live.session, by=live.facilitator)

    queued = [c for c in callbacks if getattr(c, "args", None)]  # not the live-poll token
    assert len(queued) == 1
    assert queued[0].args[0].name == "talking_points.send_session_summary"
    assert queued[0].args[1] == {"session_id": live.session.pk}


def test_facilitator_publishes_the_summary_to_the_place(closed: SessionWorld) -> None:  # noqa: F811
    response = client_for(closed.facilitator).post(
        url("session_publish", closed.session.pk), {"visibility": "place"}
    )

    closed.session.refresh_from_db()
    assert response.status_code == 302
    assert closed.session.summary_visibility == "place"
    assert closed.session.summary_published_at is not None


def test_forum_page_lists_sessions_decisions_and_open_actions_for_members(
    closed: SessionWorld,  # noqa: F811
) -> None:
    body = client_for(closed.member_a).get(closed.world.forum.get_absolute_url()).content.decode()

    assert "Past sessions" in body
    assert "Ask for a seat." in body
    assert "Write to the chair." in body
    assert "Planned" in body  # the session the unfinished items went to


def test_planned_session_can_be_deleted_but_not_a_closed_one(
    closed: SessionWorld,  # noqa: F811
) -> None:
    planned = Session.objects.get(status="planned")
    client = client_for(closed.facilitator)

    deleted = client.post(url("session_delete", planned.pk))
    refused = client.post(url("session_delete", closed.session.pk))

    assert deleted.status_code == 302
    assert refused.status_code == 409
    assert list(Session.objects.values_list("status", flat=True)) == ["closed"]


def test_join_forum_helper_is_idempotent(world: World) -> None:
    join_forum(world)
    join_forum(world)
    assert ForumMembership.objects.filter(forum=world.forum).count() == 3


def test_summary_and_decisions_show_the_learning_linked_to_them_that_the_reader_may_see(
    closed: SessionWorld,  # noqa: F811
) -> None:
    from talking_points.models import LearningLink

    world = closed.world
    decision = closed.session.decisions.get()
    Session.objects.filter(pk=closed.session.pk).update(summary_visibility="place")

    def entry(title: str, visibility: str) -> Any:
        return factories.LearningEntryFactory(
            place=world.place, organisation=world.org_a, title=title, visibility=visibility
        )

    LearningLink.objects.create(
        entry=entry("Came from the session", "place"), session=closed.session
    )
    LearningLink.objects.create(
        entry=entry("Org A kept this", "organisation"), session=closed.session
    )
    LearningLink.objects.create(entry=entry("Led to the seat", "place"), decision=decision)
    LearningLink.objects.create(
        entry=entry("Org A's seat notes", "organisation"), decision=decision
    )
    decisions_page = reverse("talking_points:forum_decisions", kwargs={"slug": world.forum.slug})

    colleague = client_for(world.member_a).get(closed.session.get_absolute_url()).content.decode()
    outsider = client_for(world.commissioner).get(closed.session.get_absolute_url())
    outsider_page = outsider.content.decode()
    other_org = client_for(world.member_b).get(decisions_page).content.decode()

    assert "Learning linked here" in colleague
    assert "Came from the session" in colleague
    assert "Org A kept this" in colleague
    assert "Learning linked to this decision:" in colleague
    assert "Led to the seat" in colleague
    assert "Org A&#x27;s seat notes" in colleague or "Org A's seat notes" in colleague
    assert outsider.status_code == 200
    assert "Came from the session" in outsider_page
    assert "Org A kept this" not in outsider_page
    assert "Led to the seat" in other_org
    assert "seat notes" not in other_org
    assert "Org A kept this" not in other_org
