"""The dispatcher and the send service, in-process against the real database (and, where
SMTP behaviour matters, a real SMTP server on localhost)."""

from __future__ import annotations

import datetime
import json
from base64 import b64decode
from email.message import Message

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from partnerships.models import ForumMembership
from reminders import services, tokens
from reminders.models import (
    Delivery,
    DeliveryKind,
    DeliveryStatus,
    DigestFrequency,
    DigestPreference,
)
from talking_points.models import TalkingPoint
from tests import factories
from tests.conftest import World
from tests.reminders.conftest import ScriptedSMTP, due_moment

MINUTES_16 = datetime.timedelta(minutes=16)


def text_body(message: mail.EmailMultiAlternatives) -> str:
    return str(message.body)


def html_body(message: mail.EmailMultiAlternatives) -> str:
    return str(message.alternatives[0][0])


@pytest.fixture
def members(world: World) -> list[ForumMembership]:
    """The facilitator plus two participants with reminders on, one with them off."""
    factories.ForumMembershipFactory(forum=world.forum, user=world.member_a)
    factories.ForumMembershipFactory(forum=world.forum, user=world.member_b)
    factories.ForumMembershipFactory(forum=world.forum, reminders_enabled=False)
    return list(world.forum.memberships.all())


# --- Dispatch -------------------------------------------------------------------------


def test_dispatch_creates_one_row_per_member_with_reminders_on(
    world: World, members: list[ForumMembership]
) -> None:
    due = due_moment(world.forum)

    result = services.reminders_dispatch(now=due.now)

    rows = Delivery.objects.filter(forum=world.forum)
    assert result.created == 3
    assert result.queued == 3
    assert set(rows.values_list("recipient_id", flat=True)) == {
        world.facilitator.pk,
        world.member_a.pk,
        world.member_b.pk,
    }
    assert set(rows.values_list("occasion_date", flat=True)) == {due.day}
    assert set(rows.values_list("occasion_at", flat=True)) == {due.meeting}
    assert set(rows.values_list("status", flat=True)) == {DeliveryStatus.PENDING}


def test_dispatch_before_the_reminder_moment_creates_nothing(
    world: World, members: list[ForumMembership]
) -> None:
    due = due_moment(world.forum)

    result = services.reminders_dispatch(now=due.now - datetime.timedelta(minutes=2))

    assert result.created == 0
    assert Delivery.objects.count() == 0


def test_dispatch_skips_inactive_people(world: World, members: list[ForumMembership]) -> None:
    world.member_b.is_active = False
    world.member_b.save(update_fields=["is_active"])

    services.reminders_dispatch(now=due_moment(world.forum).now)

    assert not Delivery.objects.filter(recipient=world.member_b).exists()


def test_dispatch_run_twice_creates_no_duplicate_and_queues_once(
    world: World, members: list[ForumMembership]
) -> None:
    due = due_moment(world.forum)

    first = services.reminders_dispatch(now=due.now)
    second = services.reminders_dispatch(now=due.now + datetime.timedelta(minutes=5))

    assert (first.queued, second.created, second.queued) == (3, 0, 0)
    assert Delivery.objects.count() == 3


def test_dispatch_requeues_rows_still_pending_after_the_requeue_delay(
    world: World, members: list[ForumMembership]
) -> None:
    due = due_moment(world.forum)
    services.reminders_dispatch(now=due.now)

    later = services.reminders_dispatch(now=due.now + MINUTES_16)

    assert later.queued == 3
    assert Delivery.objects.count() == 3


def test_dispatch_adds_a_member_who_joined_after_the_first_run(
    world: World, members: list[ForumMembership]
) -> None:
    due = due_moment(world.forum)
    services.reminders_dispatch(now=due.now)
    newcomer = factories.ForumMembershipFactory(forum=world.forum).user

    result = services.reminders_dispatch(now=due.now + datetime.timedelta(minutes=5))

    assert (result.created, result.queued) == (1, 1)
    assert Delivery.objects.filter(recipient=newcomer, occasion_date=due.day).count() == 1


def test_dispatch_marks_a_row_stuck_in_sending_as_unknown_and_never_requeues_it(
    world: World, members: list[ForumMembership]
) -> None:
    due = due_moment(world.forum)
    services.reminders_dispatch(now=due.now)
    stuck = Delivery.objects.get(recipient=world.member_a)
    Delivery.objects.filter(pk=stuck.pk).update(status=DeliveryStatus.SENDING, claimed_at=due.now)

    result = services.reminders_dispatch(now=due.now + MINUTES_16)

    stuck.refresh_from_db()
    assert stuck.status == DeliveryStatus.UNKNOWN
    assert "may or may not have arrived" in stuck.detail
    assert result.marked_unknown == 1
    assert result.queued == 2  # the two still pending, not the unknown one
    assert services.delivery_send(delivery_id=stuck.pk).status == "not-claimed"
    assert mail.outbox == []


def test_dispatch_within_the_sending_timeout_leaves_a_sending_row_alone(
    world: World, members: list[ForumMembership]
) -> None:
    due = due_moment(world.forum)
    services.reminders_dispatch(now=due.now)
    Delivery.objects.filter(recipient=world.member_a).update(
        status=DeliveryStatus.SENDING, claimed_at=due.now
    )

    result = services.reminders_dispatch(now=due.now + datetime.timedelta(minutes=5))

    assert result.marked_unknown == 0
    assert Delivery.objects.get(recipient=world.member_a).status == DeliveryStatus.SENDING


def test_dispatch_queues_task_arguments_with_ids_only(
    world: World,
    members: list[ForumMembership],
    redis_url: str,
    scratch_queue: str,
    django_capture_on_commit_callbacks: object,
) -> None:
    import redis

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.reminders_dispatch(now=due_moment(world.forum).now)

    raw = redis.Redis.from_url(redis_url).lrange(scratch_queue, 0, -1)
    bodies = [json.loads(b64decode(json.loads(item)["body"])) for item in raw]
    assert sorted(kwargs["delivery_id"] for _, kwargs, _ in bodies) == sorted(
        Delivery.objects.values_list("pk", flat=True)
    )
    assert all(args == [] and list(kwargs) == ["delivery_id"] for args, kwargs, _ in bodies)
    everything = b"".join(raw).decode()
    for person in (world.member_a, world.member_b, world.facilitator):
        assert person.email not in everything
        assert person.full_name not in everything


def test_dispatch_with_the_broker_down_commits_rows_and_the_next_run_queues_them(
    world: World,
    members: list[ForumMembership],
    broker_down: str,
    django_capture_on_commit_callbacks: object,
) -> None:
    due = due_moment(world.forum)

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.reminders_dispatch(now=due.now)

    assert Delivery.objects.filter(status=DeliveryStatus.PENDING, queued_at=None).count() == 3
    assert services.reminders_dispatch(now=due.now + datetime.timedelta(minutes=5)).queued == 3


# --- Send -------------------------------------------------------------------------------


def dispatch_and_get(world: World, user: object) -> Delivery:
    services.reminders_dispatch(now=due_moment(world.forum).now)
    return Delivery.objects.get(forum=world.forum, recipient=user)


def test_send_claims_sends_once_and_marks_sent(
    world: World, members: list[ForumMembership]
) -> None:
    delivery = dispatch_and_get(world, world.member_a)

    first = services.delivery_send(delivery_id=delivery.pk)
    second = services.delivery_send(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert (first.status, second.status) == (DeliveryStatus.SENT, "not-claimed")
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.sent_at is not None
    assert delivery.attempts == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [world.member_a.email]


def test_send_of_a_missing_row_does_nothing(db: None) -> None:
    assert services.delivery_send(delivery_id=999_999).status == "not-claimed"


def test_reminder_says_when_and_where_with_text_html_and_ics(
    world: World, members: list[ForumMembership]
) -> None:
    world.forum.online_link = "https://meet.example.org/testford"
    world.forum.save(update_fields=["online_link"])
    delivery = dispatch_and_get(world, world.member_a)
    start = delivery.occasion_at.astimezone(world.place.tz)

    services.delivery_send(delivery_id=delivery.pk)

    message = mail.outbox[0]
    assert message.subject == (
        f"Reminder: Testford Forum, {start:%A} {start.day} {start:%B} at 10:00"
    )
    for body in (text_body(message), html_body(message)):
        assert "Testford Forum" in body
        assert "Community hall" in body
        assert "https://meet.example.org/testford" in body
        assert f"{start.day} {start:%B}" in body
    assert message.alternatives[0][1] == "text/html"
    calendar_part = message.attachments[0]
    assert isinstance(calendar_part, Message)
    assert calendar_part.get_content_type() == "text/calendar"
    assert calendar_part.get_param("method") == "PUBLISH"


def test_reminder_has_rfc8058_one_click_unsubscribe_headers(
    world: World, members: list[ForumMembership]
) -> None:
    delivery = dispatch_and_get(world, world.member_a)

    with override_settings(SITE_URL="https://forum.example.org"):
        services.delivery_send(delivery_id=delivery.pk)

    headers = mail.outbox[0].extra_headers
    https_link, mailto_link = headers["List-Unsubscribe"].split(", ")
    assert https_link.startswith("<https://forum.example.org/reminders/unsubscribe/")
    assert https_link.endswith("/>")
    assert mailto_link.startswith("<mailto:unsubscribe@forum.example.org?subject=unsubscribe%20")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = https_link.removeprefix("<https://forum.example.org/reminders/unsubscribe/")[:-2]
    assert tokens.read_unsubscribe_token(token) == tokens.UnsubscribeLink(
        user_id=world.member_a.pk, forum_id=world.forum.pk
    )
    assert headers["Auto-Submitted"] == "auto-generated"
    assert headers["Message-ID"].endswith("@forum.example.org>")


def test_reminder_without_session_data_suggests_a_talking_point_by_rotation_and_says_so(
    world: World, members: list[ForumMembership]
) -> None:
    # The report's points (a data migration; tests/conftest.py restores them after flushes).
    for user in (world.member_a, world.member_b):
        services.delivery_send(delivery_id=dispatch_and_get(world, user).pk)

    first, second = (text_body(m) for m in mail.outbox)
    assert "No agenda has been planned yet" in first
    assert "taken in turn from the report's talking points" in first
    suggested = [str(p) for p in TalkingPoint.objects.filter(forum=None, parent=None)]
    assert sum(point in first for point in suggested) == 1
    # Deterministic: everyone is offered the same talking point for the same meeting.
    assert [p for p in suggested if p in first] == [p for p in suggested if p in second]


def test_reminder_lists_only_learning_the_recipient_may_see_since_the_last_meeting(
    world: World, members: list[ForumMembership]
) -> None:
    due = due_moment(world.forum)
    week_ago = due.meeting - datetime.timedelta(days=6)
    shared = factories.LearningEntryFactory(
        place=world.place, organisation=world.org_b, visibility="place", title="Shared with all"
    )
    private_to_b = factories.LearningEntryFactory(
        place=world.place, organisation=world.org_b, title="Org B only"
    )
    too_old = factories.LearningEntryFactory(
        place=world.place, organisation=world.org_b, visibility="place", title="Old news"
    )
    elsewhere = factories.LearningEntryFactory(
        place=world.other_place, organisation=world.org_b, visibility="public", title="Far away"
    )
    from talking_points.models import LearningEntry

    LearningEntry.objects.filter(pk__in=[shared.pk, private_to_b.pk, elsewhere.pk]).update(
        created_at=min(week_ago, timezone.now())
    )
    LearningEntry.objects.filter(pk=too_old.pk).update(
        created_at=due.meeting - datetime.timedelta(days=8)
    )
    services.reminders_dispatch(now=due.now)

    for user in (world.member_a, world.member_b):
        services.delivery_send(
            delivery_id=Delivery.objects.get(recipient=user, forum=world.forum).pk
        )

    to_a, to_b = (text_body(m) for m in mail.outbox)
    assert "Shared with all" in to_a
    assert "Org B only" not in to_a
    assert "Org B only" in to_b
    for body in (to_a, to_b):
        assert "Old news" not in body
        assert "Far away" not in body


def test_send_skips_when_the_member_turned_reminders_off_after_dispatch(
    world: World, members: list[ForumMembership]
) -> None:
    delivery = dispatch_and_get(world, world.member_a)
    ForumMembership.objects.filter(user=world.member_a).update(reminders_enabled=False)

    outcome = services.delivery_send(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert outcome.status == DeliveryStatus.SKIPPED
    assert delivery.detail == "The person turned reminders off."
    assert mail.outbox == []


def test_send_skips_when_the_meeting_has_already_started(
    world: World, members: list[ForumMembership]
) -> None:
    delivery = dispatch_and_get(world, world.member_a)
    Delivery.objects.filter(pk=delivery.pk).update(
        occasion_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    assert services.delivery_send(delivery_id=delivery.pk).status == DeliveryStatus.SKIPPED
    assert mail.outbox == []


def test_transient_smtp_error_releases_the_claim_and_retries_with_backoff(
    world: World, members: list[ForumMembership], scripted_smtp: ScriptedSMTP
) -> None:
    delivery = dispatch_and_get(world, world.member_a)
    scripted_smtp.replies = ["451 4.3.0 Try again later"]

    with override_settings(**scripted_smtp.settings(), REMINDERS_RETRY_BASE_SECONDS=60):
        first = services.delivery_send(delivery_id=delivery.pk)
        delivery.refresh_from_db()
        after_first = (delivery.status, delivery.attempts, delivery.detail)
        second = services.delivery_send(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert (first.status, first.retry_in) == (DeliveryStatus.PENDING, 60)
    assert after_first[:2] == (DeliveryStatus.PENDING, 1)
    assert "451" in after_first[2]
    assert second.status == DeliveryStatus.SENT
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2)
    assert len(scripted_smtp.messages) == 1


def test_retry_delay_doubles_and_is_capped(settings: object) -> None:
    assert [services.retry_delay(n) for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert services.retry_delay(20) == 3600


def test_permanent_smtp_error_fails_without_retry(
    world: World, members: list[ForumMembership], scripted_smtp: ScriptedSMTP
) -> None:
    delivery = dispatch_and_get(world, world.member_a)
    scripted_smtp.replies = ["550 5.1.1 No such mailbox"]

    with override_settings(**scripted_smtp.settings()):
        outcome = services.delivery_send(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert (outcome.status, outcome.retry_in) == (DeliveryStatus.FAILED, None)
    assert delivery.status == DeliveryStatus.FAILED
    assert "550" in delivery.detail


def test_transient_errors_fail_after_the_attempt_limit(
    world: World, members: list[ForumMembership], scripted_smtp: ScriptedSMTP
) -> None:
    delivery = dispatch_and_get(world, world.member_a)
    scripted_smtp.replies = ["421 4.7.0 Busy"] * 3

    with override_settings(**scripted_smtp.settings(), REMINDERS_MAX_ATTEMPTS=2):
        outcomes = [services.delivery_send(delivery_id=delivery.pk).status for _ in range(3)]

    assert outcomes == [DeliveryStatus.PENDING, DeliveryStatus.FAILED, "not-claimed"]


def test_smtp_server_down_is_transient(
    world: World, members: list[ForumMembership], scripted_smtp: ScriptedSMTP
) -> None:
    from tests.services import free_port

    delivery = dispatch_and_get(world, world.member_a)
    settings = {**scripted_smtp.settings(), "EMAIL_PORT": free_port()}

    with override_settings(**settings):
        outcome = services.delivery_send(delivery_id=delivery.pk)

    assert outcome.status == DeliveryStatus.PENDING
    assert outcome.retry_in is not None


# --- Preferences ---------------------------------------------------------------------------


def test_turning_reminders_off_stops_a_reminder_already_waiting(
    world: World, members: list[ForumMembership]
) -> None:
    delivery = dispatch_and_get(world, world.member_a)
    membership = ForumMembership.objects.get(user=world.member_a, forum=world.forum)

    services.forum_reminders_set(membership=membership, enabled=False)

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SKIPPED
    assert services.delivery_send(delivery_id=delivery.pk).status == "not-claimed"


# --- Digests --------------------------------------------------------------------------------


def digest_moment(weekday: int) -> datetime.datetime:
    """09:00 UK time on the next ``weekday`` (at least a day away)."""
    from reminders.scheduling import site_tz

    today = timezone.now().astimezone(site_tz()).date() + datetime.timedelta(days=1)
    day = today + datetime.timedelta(days=(weekday - today.weekday()) % 7)
    return datetime.datetime.combine(day, datetime.time(9), tzinfo=site_tz())


def test_commissioner_digest_lists_learning_newly_shared_with_them(world: World) -> None:
    DigestPreference.objects.create(
        user=world.commissioner, frequency=DigestFrequency.WEEKLY, weekday=2
    )
    factories.LearningEntryFactory(
        place=world.place, organisation=world.org_a, visibility="commissioners", title="For you"
    )
    factories.LearningEntryFactory(place=world.place, organisation=world.org_a, title="Private")
    factories.LearningEntryFactory(
        place=world.other_place, organisation=world.org_a, visibility="public", title="Elsewhere"
    )
    now = digest_moment(2)

    services.reminders_dispatch(now=now)
    services.reminders_dispatch(now=now + datetime.timedelta(minutes=5))
    delivery = Delivery.objects.get(kind=DeliveryKind.DIGEST)
    outcome = services.delivery_send(delivery_id=delivery.pk)

    assert outcome.status == DeliveryStatus.SENT
    assert delivery.recipient == world.commissioner
    body = text_body(mail.outbox[0])
    assert "For you" in body
    assert "Private" not in body
    assert "Elsewhere" not in body
    assert "QUESTIONS WAITING FOR YOUR ANSWER" in body
    assert mail.outbox[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_digest_is_not_due_on_other_days_or_when_off(world: World) -> None:
    DigestPreference.objects.create(
        user=world.commissioner, frequency=DigestFrequency.WEEKLY, weekday=2
    )
    DigestPreference.objects.create(user=world.lead_a, frequency=DigestFrequency.OFF, weekday=3)

    services.reminders_dispatch(now=digest_moment(3))

    assert not Delivery.objects.filter(kind=DeliveryKind.DIGEST).exists()


def test_digest_with_nothing_new_is_skipped_not_sent(world: World) -> None:
    DigestPreference.objects.create(
        user=world.member_a, frequency=DigestFrequency.WEEKLY, weekday=4
    )
    services.reminders_dispatch(now=digest_moment(4))

    outcome = services.delivery_send(delivery_id=Delivery.objects.get(kind="digest").pk)

    assert outcome.status == DeliveryStatus.SKIPPED
    assert mail.outbox == []


def test_unsubscribe_from_the_digest_turns_it_off(world: World) -> None:
    DigestPreference.objects.create(
        user=world.commissioner, frequency=DigestFrequency.WEEKLY, weekday=2
    )

    stopped = services.unsubscribe(
        link=tokens.UnsubscribeLink(user_id=world.commissioner.pk, forum_id=None)
    )

    assert stopped == "the weekly digest"
    assert DigestPreference.objects.get(user=world.commissioner).frequency == "off"
