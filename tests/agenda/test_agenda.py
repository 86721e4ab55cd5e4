"""The shared agenda: proposals, the facilitator rota and summary corrections; who may and
may not do each thing, bad input, and the rota email's idempotence."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agenda import services
from agenda.models import Correction, Proposal, RotaTurn
from outbox.models import Delivery, DeliveryKind
from talking_points import services as session_services
from talking_points.models import Decision
from tests import factories
from tests.conftest import World, client_for
from tests.talking_points.sessions_helpers import (  # noqa: F401 - fixtures
    SessionWorld,
    closed,
    join_forum,
    open_session,
    planned_session,
)


def url(name: str, *args: object) -> str:
    return reverse(f"agenda:{name}", args=args)


# --- Proposals ---------------------------------------------------------------------------


def test_member_proposes_and_facilitator_accepts_an_item_in_their_own_words(world: World) -> None:
    session, items = planned_session(world)

    response = client_for(world.member_a).post(
        url("proposal_new", session.pk), {"text": "Shared premises", "why": "Rents are rising."}
    )
    proposal = Proposal.objects.get()
    answer = client_for(world.facilitator).post(
        url("proposal_answer", session.pk, proposal.pk),
        {"outcome": "accept", "time_box_minutes": "10"},
    )

    proposal.refresh_from_db()
    assert response.status_code == 302
    assert answer.status_code == 302
    assert proposal.status == "accepted"
    assert proposal.agenda_item.talking_point.text == "Shared premises"
    assert proposal.agenda_item.talking_point.forum == world.forum
    assert session.agenda_items.count() == len(items) + 1


def test_proposer_sees_a_declined_proposal_and_its_reason(world: World) -> None:
    session, _ = planned_session(world)
    proposal = services.proposal_create(
        session=session,
        by=world.member_a,
        talking_point=factories.report_point("9"),
        text="",
        why="We never measure change.",
    )
    services.proposal_decline(proposal=proposal, by=world.facilitator, reason="Next month.")

    page = client_for(world.member_a).get(session.get_absolute_url()).content.decode()
    mine = client_for(world.member_a).get(url("my_proposals")).content.decode()

    assert "Next month." in page
    assert "Not taken up" in page
    assert "Next month." in mine


def test_merge_names_the_agenda_item(world: World) -> None:
    session, items = planned_session(world)
    proposal = services.proposal_create(
        session=session, by=world.member_b, talking_point=None, text="Who is at the table", why="x"
    )

    services.proposal_merge(
        proposal=proposal, by=world.facilitator, agenda_item=items[0], reason=""
    )

    proposal.refresh_from_db()
    assert proposal.status == "merged"
    assert proposal.agenda_item == items[0]
    with pytest.raises(services.AgendaError):
        services.proposal_decline(proposal=proposal, by=world.facilitator, reason="Twice")


def test_outsiders_do_not_see_proposals_and_cannot_propose(world: World) -> None:
    session, _ = planned_session(world)
    services.proposal_create(
        session=session, by=world.member_a, talking_point=None, text="Secret item", why="x"
    )
    proposal = Proposal.objects.get()

    for persona in ("lead_a", "commissioner", "staff"):
        client = client_for(world.user(persona))
        assert client.get(url("proposal_new", session.pk)).status_code == 404
        assert client.get(url("proposal_answer", session.pk, proposal.pk)).status_code == 404
        assert "Secret item" not in client.get(url("my_proposals")).content.decode()
    assert Proposal.objects.visible_to(world.lead_a).count() == 0
    assert Proposal.objects.visible_to(world.member_b).count() == 1


def test_a_participant_cannot_answer_a_proposal(world: World) -> None:
    session, _ = planned_session(world)
    proposal = services.proposal_create(
        session=session, by=world.member_a, talking_point=None, text="An item", why="x"
    )

    response = client_for(world.member_b).post(
        url("proposal_answer", session.pk, proposal.pk), {"outcome": "decline", "reason": "No"}
    )

    assert response.status_code == 403


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"why": "x"},
        {"text": "An item", "talking_point": "99999", "why": "x"},
        {"text": "An item"},
        {"text": "x" * 600, "why": "x"},
    ],
)
def test_bad_proposals_are_refused_with_a_message(world: World, data: dict[str, str]) -> None:
    session, _ = planned_session(world)

    response = client_for(world.member_a).post(url("proposal_new", session.pk), data)

    assert response.status_code == 400
    assert Proposal.objects.count() == 0


def test_proposals_only_for_a_coming_session(world: World) -> None:
    sw = open_session(world)

    response = client_for(world.member_a).get(url("proposal_new", sw.session.pk))

    assert response.status_code == 409
    with pytest.raises(services.AgendaError):
        services.proposal_create(
            session=sw.session, by=world.member_a, talking_point=None, text="Late", why="x"
        )


def test_declining_needs_a_reason(world: World) -> None:
    session, _ = planned_session(world)
    proposal = services.proposal_create(
        session=session, by=world.member_a, talking_point=None, text="An item", why="x"
    )

    response = client_for(world.facilitator).post(
        url("proposal_answer", session.pk, proposal.pk), {"outcome": "decline", "reason": " "}
    )

    assert response.status_code == 400
    assert Proposal.objects.get().status == "pending"


# --- The rota ----------------------------------------------------------------------------


def _rota(world: World) -> list:
    join_forum(world)
    services.rota_volunteer(forum=world.forum, user=world.member_a, willing=True)
    services.rota_volunteer(forum=world.forum, user=world.member_b, willing=True)
    services.settings_update(forum=world.forum, rota_on=True, correction_days=2)
    return [
        session_services.session_plan(
            forum=world.forum, by=world.facilitator, starts_at=timezone.now() + day
        )
        for day in (datetime.timedelta(days=d) for d in (3, 10, 17))
    ]


def test_sessions_are_given_in_turn(world: World) -> None:
    sessions = _rota(world)

    services.rota_assign(forum=world.forum)

    turns = [RotaTurn.objects.get(session=s).user for s in sessions]
    assert turns == [world.member_a, world.member_b, world.member_a]


def test_the_person_on_the_rota_runs_their_session_and_no_other(world: World) -> None:
    first, second, _ = _rota(world)
    services.rota_assign(forum=world.forum)
    session_services.agenda_item_add(
        session=first, talking_point=factories.report_point("6"), time_box_minutes=10
    )
    session_services.agenda_item_add(
        session=second, talking_point=factories.report_point("6"), time_box_minutes=10
    )

    mine = client_for(world.member_a).get(reverse("talking_points:session_open", args=[first.pk]))
    theirs = client_for(world.member_a).get(
        reverse("talking_points:session_open", args=[second.pk])
    )

    assert mine.status_code == 200
    assert theirs.status_code == 403


def test_swap_and_skip(world: World) -> None:
    first, _, _ = _rota(world)
    services.rota_assign(forum=world.forum)

    skipped = client_for(world.facilitator).post(url("rota_skip", first.pk))
    after_skip = RotaTurn.objects.get(session=first).user
    swapped = client_for(world.facilitator).post(
        url("rota_change", first.pk), {"user": world.member_a.pk}
    )

    assert skipped.status_code == 302
    assert after_skip == world.member_b
    assert swapped.status_code == 302
    assert RotaTurn.objects.get(session=first).user == world.member_a


def test_swap_to_someone_not_willing_is_refused(world: World) -> None:
    first, _, _ = _rota(world)

    response = client_for(world.facilitator).post(
        url("rota_change", first.pk), {"user": world.lead_a.pk}
    )

    assert response.status_code == 400


def test_rota_page_is_for_members_and_settings_for_facilitators(world: World) -> None:
    _rota(world)

    assert client_for(world.lead_a).get(url("rota", world.forum.slug)).status_code == 404
    assert client_for(None).get(url("rota", world.forum.slug)).status_code == 302
    assert client_for(world.member_a).get(url("rota", world.forum.slug)).status_code == 200
    refused = client_for(world.member_a).post(
        url("rota_settings", world.forum.slug), {"rota_on": "on", "correction_days": "3"}
    )
    bad = client_for(world.facilitator).post(
        url("rota_settings", world.forum.slug), {"correction_days": "99"}
    )
    assert refused.status_code == 403
    assert bad.status_code == 400


def test_opting_out_keeps_given_turns_and_shares_later_ones(world: World) -> None:
    sessions = _rota(world)
    services.rota_assign(forum=world.forum)

    response = client_for(world.member_b).post(
        url("rota_willing", world.forum.slug), {"willing": "no"}
    )
    later = session_services.session_plan(
        forum=world.forum,
        by=world.facilitator,
        starts_at=timezone.now() + datetime.timedelta(days=24),
    )
    services.rota_assign(forum=world.forum)

    assert response.status_code == 302
    assert RotaTurn.objects.get(session=sessions[1]).user == world.member_b
    assert RotaTurn.objects.get(session=later).user == world.member_a


def test_the_week_ahead_email_is_sent_once_per_session_and_person(
    world: World, mailoutbox: list
) -> None:
    first, second, _ = _rota(world)

    services.rota_notify_due()
    services.rota_notify_due()
    rows = Delivery.objects.filter(kind=DeliveryKind.ROTA)

    assert list(rows.values_list("about_id", "recipient_id")) == [(first.pk, world.member_a.pk)]
    # A swap tells the new person once; swapping back tells nobody again.
    services.rota_change(session=first, user=world.member_b)
    services.rota_notify_due()
    services.rota_change(session=first, user=world.member_a)
    services.rota_notify_due()
    assert rows.count() == 2
    assert not Delivery.objects.filter(kind=DeliveryKind.ROTA, about_id=second.pk).exists()


def test_rota_email_is_built_for_the_person_whose_turn_it_is(world: World) -> None:
    from agenda.emails import rota_message

    first, _, _ = _rota(world)
    services.rota_notify_due()
    delivery = Delivery.objects.get(kind=DeliveryKind.ROTA)

    message = rota_message(delivery, timezone.now())
    services.rota_change(session=first, user=world.member_b)
    stale = rota_message(delivery, timezone.now())

    assert not isinstance(message, str)
    assert "Your turn to facilitate" in message.subject
    assert stale == "The turn was given to someone else."


# --- Corrections -----------------------------------------------------------------------


def test_attendee_suggests_and_facilitator_applies_a_correction(closed: SessionWorld) -> None:  # noqa: F811
    decision = Decision.objects.get(session=closed.session)

    response = client_for(closed.member_a).post(
        url("correction_new", closed.session.pk),
        {"target": f"decision-{decision.pk}", "proposed_text": "Ask for two seats.", "why": "x"},
    )
    correction = Correction.objects.get()
    held = pytest.raises(session_services.SessionError)
    with held:
        session_services.session_publish(
            session=closed.session, visibility="place", by=closed.facilitator
        )
    answer = client_for(closed.facilitator).post(
        url("correction_answer", closed.session.pk, correction.pk), {"outcome": "accept"}
    )
    session_services.session_publish(
        session=closed.session, visibility="place", by=closed.facilitator
    )

    decision.refresh_from_db()
    assert response.status_code == 302
    assert answer.status_code == 302
    assert decision.text == "Ask for two seats."
    assert "waiting for an answer" in str(held.excinfo.value)
    page = client_for(closed.member_a).get(closed.session.get_absolute_url()).content.decode()
    assert "Accepted and applied" in page


def test_declined_correction_shows_the_explanation(closed: SessionWorld) -> None:  # noqa: F811
    decision = Decision.objects.get(session=closed.session)
    correction = services.correction_create(
        session=closed.session,
        by=closed.member_b,
        target=f"decision-{decision.pk}",
        proposed_text="Ask for nothing.",
        why="x",
    )

    empty = client_for(closed.facilitator).post(
        url("correction_answer", closed.session.pk, correction.pk), {"outcome": "decline"}
    )
    client_for(closed.facilitator).post(
        url("correction_answer", closed.session.pk, correction.pk),
        {"outcome": "decline", "answer": "That is what we agreed."},
    )

    page = client_for(closed.member_b).get(closed.session.get_absolute_url()).content.decode()
    assert empty.status_code == 400
    assert "That is what we agreed." in page


def test_who_may_suggest_and_answer_corrections(closed: SessionWorld) -> None:  # noqa: F811
    world = closed.world
    decision = Decision.objects.get(session=closed.session)
    correction = services.correction_create(
        session=closed.session,
        by=closed.member_a,
        target=f"decision-{decision.pk}",
        proposed_text="Other words.",
        why="x",
    )

    for persona in ("lead_a", "commissioner", "staff"):
        client = client_for(world.user(persona))
        assert client.get(url("correction_new", closed.session.pk)).status_code == 404
        answer = url("correction_answer", closed.session.pk, correction.pk)
        assert client.get(answer).status_code == 404
    participant = client_for(closed.member_b).get(
        url("correction_answer", closed.session.pk, correction.pk)
    )
    assert participant.status_code == 403
    join_forum(world)
    factories.ForumMembershipFactory(forum=world.forum, user=world.lead_a)
    with pytest.raises(services.AgendaError, match="were at the session"):
        services.correction_create(
            session=closed.session,
            by=world.lead_a,
            target=f"decision-{decision.pk}",
            proposed_text="Mine.",
            why="x",
        )


def test_corrections_end_with_the_window(closed: SessionWorld) -> None:  # noqa: F811
    services.settings_update(forum=closed.world.forum, rota_on=False, correction_days=1)
    closed.session.closed_at = timezone.now() - datetime.timedelta(days=2)
    closed.session.save(update_fields=["closed_at"])

    response = client_for(closed.member_a).get(url("correction_new", closed.session.pk))

    assert response.status_code == 409


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"target": "decision-99999", "proposed_text": "x", "why": "x"},
        {"target": "nonsense", "proposed_text": "x", "why": "x"},
        {"target": "", "proposed_text": "", "why": ""},
    ],
)
def test_bad_corrections_are_refused(closed: SessionWorld, data: dict[str, str]) -> None:  # noqa: F811
    response = client_for(closed.member_a).post(url("correction_new", closed.session.pk), data)

    assert response.status_code == 400
    assert Correction.objects.count() == 0


# --- Pages that do not grow with the data -----------------------------------------------


def _queries(client: object, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_session_and_rota_pages_do_not_grow_with_proposals_or_volunteers(world: World) -> None:
    sessions = _rota(world)
    services.rota_assign(forum=world.forum)
    client = client_for(world.member_a)
    session_url = sessions[0].get_absolute_url()
    rota_url = url("rota", world.forum.slug)
    before = (_queries(client, session_url), _queries(client, rota_url))

    for i in range(4):
        services.proposal_create(
            session=sessions[0], by=world.member_b, talking_point=None, text=f"Item {i}", why="x"
        )
        services.rota_volunteer(
            forum=world.forum,
            user=factories.ForumMembershipFactory(forum=world.forum).user,
            willing=True,
        )

    assert (_queries(client, session_url), _queries(client, rota_url)) == before
