"""Deciding in a session: consent, sense checks, dot votes, anonymity, and review reminders."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from decisions import services
from decisions.models import (
    DecisionReviewDate,
    Position,
    ReviewReminder,
    Round,
    RoundStatus,
    TakingPart,
)
from outbox import services as outbox
from outbox.models import Delivery, DeliveryKind
from talking_points import services as session_services
from talking_points.models import Attendance, LearningEntry
from tests.talking_points.sessions_helpers import SessionWorld

pytestmark = pytest.mark.django_db


def consent_round(live: SessionWorld, *, anonymous: bool = False) -> services.Round:
    return services.round_start(
        session=live.session,
        by=live.facilitator,
        method="consent",
        proposal="Meet at the library from now on.",
        anonymous=anonymous,
    )


def test_consent_passes_when_no_objection_stands(live: SessionWorld) -> None:
    r = consent_round(live)
    services.position_give(round=r, user=live.member_a, stance="consent")
    services.position_give(round=r, user=live.member_b, stance="concern", reason="Parking.")

    decision = services.round_end(round=r, by=live.facilitator)

    r.refresh_from_db()
    assert r.status == RoundStatus.PASSED
    assert r.decision == decision
    assert decision.text == "Meet at the library from now on."
    assert decision.session == live.session


def test_consent_is_not_agreed_while_an_objection_stands(live: SessionWorld) -> None:
    r = consent_round(live)
    services.position_give(round=r, user=live.member_a, stance="objection", reason="No ramp.")

    decision = services.round_end(round=r, by=live.facilitator)

    r.refresh_from_db()
    assert r.status == RoundStatus.NOT_AGREED
    assert decision.text.startswith("Not agreed:")


def test_a_withdrawn_objection_lets_the_proposal_pass(live: SessionWorld) -> None:
    r = consent_round(live)
    services.position_give(round=r, user=live.member_a, stance="objection", reason="No ramp.")
    objection = Position.objects.get(round=r)

    services.objection_withdraw(position=objection, by=live.member_a, is_facilitator=False)
    services.round_end(round=r, by=live.facilitator)

    r.refresh_from_db()
    assert r.status == RoundStatus.PASSED


def test_someone_else_cannot_withdraw_an_objection(live: SessionWorld) -> None:
    r = consent_round(live)
    services.position_give(round=r, user=live.member_a, stance="objection", reason="No ramp.")

    with pytest.raises(services.DecisionError):
        services.objection_withdraw(
            position=Position.objects.get(round=r), by=live.member_b, is_facilitator=False
        )


def test_amending_the_proposal_starts_the_round_again(live: SessionWorld) -> None:
    r = consent_round(live)
    services.position_give(round=r, user=live.member_a, stance="objection", reason="No ramp.")

    services.proposal_amend(round=r, by=live.facilitator, proposal="Meet at the hall instead.")
    services.position_give(round=r, user=live.member_a, stance="consent")
    services.round_end(round=r, by=live.facilitator)

    r.refresh_from_db()
    assert (r.version, r.status) == (2, RoundStatus.PASSED)
    assert r.decision is not None and r.decision.text == "Meet at the hall instead."


def test_an_objection_needs_a_reason(live: SessionWorld) -> None:
    r = consent_round(live)

    with pytest.raises(services.DecisionError):
        services.position_give(round=r, user=live.member_a, stance="objection", reason=" ")

    assert TakingPart.objects.count() == 0


def test_one_position_per_person(live: SessionWorld) -> None:
    r = consent_round(live)
    services.position_give(round=r, user=live.member_a, stance="consent")

    with pytest.raises(services.DecisionError):
        services.position_give(round=r, user=live.member_a, stance="concern")


def test_only_people_at_the_table_take_part(live: SessionWorld) -> None:
    r = consent_round(live)

    with pytest.raises(services.DecisionError):
        services.position_give(round=r, user=live.world.lead_a, stance="consent")


def test_an_anonymous_position_stores_no_author(live: SessionWorld) -> None:
    r = consent_round(live, anonymous=True)
    services.position_give(round=r, user=live.member_a, stance="objection", reason="No ramp.")

    position = Position.objects.get(round=r)
    attendance = Attendance.objects.get(session=live.session, user=live.member_a)
    assert position.attendance_id is None
    assert position.is_anonymous
    # Nothing in the row's columns names the person or their attendance.
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM decisions_position")
        row = cursor.fetchone()
        columns = [c.name for c in cursor.description]
    assert set(columns) == {
        "id",
        "round_id",
        "version",
        "attendance_id",
        "is_anonymous",
        "stance",
        "reason",
        "withdrawn",
    }
    assert dict(zip(columns, row, strict=True))["attendance_id"] is None
    assert attendance.pk not in (row[columns.index("version")],)
    # Who took part is kept, with no position in it.
    assert list(TakingPart.objects.values_list("attendance_id", flat=True)) == [attendance.pk]


def test_the_facilitator_withdraws_an_anonymous_objection_said_aloud(live: SessionWorld) -> None:
    r = consent_round(live, anonymous=True)
    services.position_give(round=r, user=live.member_a, stance="objection", reason="No ramp.")
    objection = Position.objects.get(round=r)

    with pytest.raises(services.DecisionError):
        services.objection_withdraw(position=objection, by=live.member_a, is_facilitator=False)
    services.objection_withdraw(position=objection, by=live.facilitator, is_facilitator=True)

    assert Position.objects.get(pk=objection.pk).withdrawn


def test_sense_check_counts_each_position(live: SessionWorld) -> None:
    r = services.round_start(
        session=live.session, by=live.facilitator, method="sense", proposal="Is this working?"
    )
    services.position_give(round=r, user=live.member_a, stance="agree")
    services.position_give(round=r, user=live.member_b, stance="unsure")
    with pytest.raises(services.DecisionError):
        services.position_give(round=r, user=live.facilitator, stance="consent")

    decision = services.round_end(round=r, by=live.facilitator)

    assert decision.why == "1 agree, 1 unsure, 0 disagree."


def dot_vote(live: SessionWorld, dots_each: int = 3) -> services.Round:
    return services.round_start(
        session=live.session,
        by=live.facilitator,
        method="dots",
        proposal="Where first?",
        options=["Housing", "Food", "Transport"],
        dots_each=dots_each,
    )


def test_dot_vote_chooses_the_option_with_most_dots(live: SessionWorld) -> None:
    r = dot_vote(live)
    housing, food, _transport = r.options.all()
    services.position_give(round=r, user=live.member_a, dots={food.pk: 2, housing.pk: 1})
    services.position_give(round=r, user=live.member_b, dots={food.pk: 1})

    decision = services.round_end(round=r, by=live.facilitator)

    assert decision.text == "Where first?: Food (3 dots)"


@pytest.mark.parametrize(
    "dots", [{"first": 4}, {"first": 2, "second": 2}, {"first": 0}, {"first": -1, "second": 2}]
)
def test_dot_vote_keeps_to_each_persons_dots(live: SessionWorld, dots: dict[str, int]) -> None:
    r = dot_vote(live)
    first, second, _third = r.options.all()
    ids = {"first": first.pk, "second": second.pk}

    with pytest.raises(services.DecisionError):
        services.position_give(
            round=r, user=live.member_a, dots={ids[k]: n for k, n in dots.items()}
        )


def test_dot_vote_refuses_another_rounds_options(live: SessionWorld) -> None:
    r = dot_vote(live)
    other = dot_vote(live)

    with pytest.raises(services.DecisionError):
        services.position_give(round=r, user=live.member_a, dots={other.options.first().pk: 1})


@pytest.mark.parametrize(
    ("method", "proposal", "options", "dots_each"),
    [
        ("vote", "Go?", [], 3),
        ("consent", "  ", [], 3),
        ("dots", "Where?", ["One"], 3),
        ("dots", "Where?", ["One", "One"], 3),
        ("dots", "Where?", ["One", "Two"], 11),
    ],
)
def test_a_round_needs_sound_settings(
    live: SessionWorld, method: str, proposal: str, options: list[str], dots_each: int
) -> None:
    with pytest.raises(services.DecisionError):
        services.round_start(
            session=live.session,
            by=live.facilitator,
            method=method,
            proposal=proposal,
            options=options,
            dots_each=dots_each,
        )


def test_a_round_cannot_end_before_anyone_answers(live: SessionWorld) -> None:
    with pytest.raises(services.DecisionError):
        services.round_end(round=consent_round(live), by=live.facilitator)


def test_nothing_changes_once_the_session_has_closed(live: SessionWorld) -> None:
    r = consent_round(live)
    session_services.session_close(session=live.session, by=live.facilitator)

    with pytest.raises(services.DecisionError):
        services.position_give(round=r, user=live.member_a, stance="consent")


# --- Review reminders -------------------------------------------------------------------


def test_review_reminders_are_sent_once(live: SessionWorld) -> None:
    r = consent_round(live)
    services.position_give(round=r, user=live.member_a, stance="consent")
    today = timezone.localdate()
    decision = services.round_end(
        round=r, by=live.facilitator, review_on=today + datetime.timedelta(days=1)
    )
    experiment = LearningEntry.objects.create(
        place=live.world.place,
        organisation=live.world.org_a,
        kind="experiment",
        title="Drop-in on Saturdays",
        review_date=today,
    )
    mail.outbox.clear()

    first = services.reminders_dispatch(today=today)
    rows = Delivery.objects.filter(kind=DeliveryKind.REVIEW_DUE)
    outbox.deliveries_send_now(rows.values_list("pk", flat=True))
    second = services.reminders_dispatch(today=today)
    outbox.deliveries_send_now(rows.values_list("pk", flat=True))

    at_table = set(
        Attendance.objects.filter(session=live.session).values_list("user_id", flat=True)
    )
    org_a = {live.member_a.pk, live.world.lead_a.pk}
    assert first == len(at_table) + len(org_a)
    assert second == 0
    assert rows.count() == len(at_table) + len(org_a)
    assert ReviewReminder.objects.filter(decision=decision).count() == 1
    assert ReviewReminder.objects.filter(entry=experiment).count() == 1
    assert len(mail.outbox) == len(at_table) + len(org_a)
    subjects = {m.subject for m in mail.outbox}
    assert subjects == {
        f"Time to look again: {decision.text}",
        "Time to look again: Drop-in on Saturdays",
    }
    assert all(m.alternatives for m in mail.outbox)


def test_a_new_review_date_is_a_new_reminder(live: SessionWorld) -> None:
    r = consent_round(live)
    services.position_give(round=r, user=live.member_a, stance="consent")
    today = timezone.localdate()
    decision = services.round_end(round=r, by=live.facilitator, review_on=today)
    services.reminders_dispatch(today=today)

    services.review_date_set(decision=decision, by=live.facilitator, review_on=today.replace())
    DecisionReviewDate.objects.filter(decision=decision).update(
        review_on=today + datetime.timedelta(days=2)
    )
    services.reminders_dispatch(today=today)

    assert ReviewReminder.objects.filter(decision=decision).count() == 2


def test_nothing_is_reminded_outside_the_window(live: SessionWorld) -> None:
    r = consent_round(live)
    services.position_give(round=r, user=live.member_a, stance="consent")
    today = timezone.localdate()
    services.round_end(round=r, by=live.facilitator, review_on=today + datetime.timedelta(10))

    assert services.reminders_dispatch(today=today) == 0


def test_a_review_links_learning_and_sets_the_next_date(live: SessionWorld) -> None:
    r = consent_round(live)
    services.position_give(round=r, user=live.member_a, stance="consent")
    decision = services.round_end(round=r, by=live.facilitator)
    entry = LearningEntry.objects.create(
        place=live.world.place, organisation=live.world.org_a, kind="reflection", title="Ramp"
    )
    next_date = timezone.localdate() + datetime.timedelta(days=30)

    look_back = services.look_back_record(
        by=live.member_a,
        learned="More people come.",
        decision=decision,
        learning=[entry],
        next_review_on=next_date,
    )

    assert list(look_back.learning.all()) == [entry]
    assert DecisionReviewDate.objects.get(decision=decision).review_on == next_date


def test_anonymous_dot_votes_keep_every_dot_through_the_reshuffle(live: SessionWorld) -> None:
    r = services.round_start(
        session=live.session,
        by=live.facilitator,
        method="dots",
        proposal="Where first?",
        options=["Housing", "Food"],
        anonymous=True,
    )
    housing, food = r.options.all()
    services.position_give(round=r, user=live.member_a, dots={food.pk: 2, housing.pk: 1})
    services.position_give(round=r, user=live.member_b, dots={food.pk: 3})

    result = services.tally(Round.objects.get(pk=r.pk))

    assert [(o.text, n) for o, n in result.options] == [("Food", 5), ("Housing", 1)]
    assert Position.objects.filter(round=r, attendance__isnull=False).count() == 0
    assert TakingPart.objects.filter(round=r).count() == 2
