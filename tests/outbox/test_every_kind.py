"""Every automatic email goes through the outbox, one row per recipient and message, and
carries what every mail client checks for: ``Auto-Submitted``, a plain-text and an HTML
part, and a Message-ID on the site's own domain (not the machine's)."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from outbox import services as outbox
from outbox.models import Delivery, DeliveryKind, DeliveryStatus
from partnerships import services as partnerships
from partnerships.models import ForumJoinRequest
from partnerships.tasks import send_invitation
from reminders import services as reminders
from reminders.models import DigestFrequency, DigestPreference
from talking_points import services as talking_points
from tests import factories
from tests.conftest import World
from tests.reminders.conftest import due_moment
from tests.talking_points.sessions_helpers import open_session

SITE = "https://forum.example.org"


@pytest.fixture(autouse=True)
def _site_url() -> object:
    with override_settings(SITE_URL=SITE):
        yield


def assert_automatic(message: mail.EmailMessage) -> None:
    headers = message.extra_headers
    assert headers["Auto-Submitted"] == "auto-generated"
    assert headers["Message-ID"].endswith("@forum.example.org>")
    assert message.body.strip()
    assert [mimetype for _, mimetype in message.alternatives] == ["text/html"]


def sent_to(kind: str) -> list[str]:
    """Who the rows of ``kind`` went to, one entry per row, all sent."""
    rows = Delivery.objects.filter(kind=kind).select_related("recipient")
    assert {row.status for row in rows} == {DeliveryStatus.SENT}
    return sorted(row.address or row.recipient.email for row in rows)


def mailed_to(subject_start: str) -> list[str]:
    return sorted(m.to[0] for m in mail.outbox if str(m.subject).startswith(subject_start))


def test_meeting_reminders(world: World) -> None:
    factories.ForumMembershipFactory(forum=world.forum, user=world.member_a)
    reminders.reminders_dispatch(now=due_moment(world.forum).now)
    outbox.deliveries_send_now(Delivery.objects.values_list("pk", flat=True))

    assert sent_to(DeliveryKind.REMINDER) == mailed_to("Reminder:")
    assert len(mailed_to("Reminder:")) == 2
    for message in mail.outbox:
        assert_automatic(message)
        assert message.extra_headers["List-Unsubscribe"].startswith(f"<{SITE}/")


def test_weekly_digests(world: World) -> None:
    DigestPreference.objects.create(
        user=world.commissioner, frequency=DigestFrequency.WEEKLY, weekday=2
    )
    factories.LearningEntryFactory(
        place=world.place, organisation=world.org_a, visibility="commissioners", title="For you"
    )
    from tests.reminders.test_services import digest_moment

    reminders.reminders_dispatch(now=digest_moment(2))
    outbox.deliveries_send_now(Delivery.objects.values_list("pk", flat=True))

    assert sent_to(DeliveryKind.DIGEST) == [world.commissioner.email]
    [message] = mail.outbox
    assert_automatic(message)


def test_session_summaries_one_row_per_attendee(world: World) -> None:
    sw = open_session(world)
    talking_points.session_close(session=sw.session, by=sw.facilitator)

    talking_points.session_summary_send(session_id=sw.session.pk)
    talking_points.session_summary_send(session_id=sw.session.pk)

    attendees = sorted(u.email for u in (sw.facilitator, sw.member_a, sw.member_b))
    assert sent_to(DeliveryKind.SUMMARY) == attendees
    assert mailed_to("Summary:") == attendees
    for message in mail.outbox:
        assert_automatic(message)


def test_actions_reach_their_owner_even_when_not_at_the_table(world: World) -> None:
    sw = open_session(world)
    absent = factories.ForumMembershipFactory(forum=world.forum).user

    action = talking_points.action_add(
        session=sw.session,
        by=sw.facilitator,
        text="Write to the chair.",
        owner=absent,
        due_on=datetime.date(2030, 1, 31),
    )
    outbox.deliveries_send_now(
        Delivery.objects.filter(kind=DeliveryKind.ACTION).values_list("pk", flat=True)
    )

    assert sent_to(DeliveryKind.ACTION) == [absent.email]
    [message] = mail.outbox
    assert_automatic(message)
    assert action.text in message.body
    assert "31 January 2030" in message.body


def test_responses_reach_each_person_in_a_row_of_their_own(world: World) -> None:
    entry = factories.LearningEntryFactory(
        place=world.place, organisation=world.org_a, visibility="commissioners", title="Seen"
    )
    colleague = factories.MembershipFactory(organisation=world.org_a).user

    review = talking_points.review_create(
        entry=entry, author=world.commissioner, kind="question", text="Tell me more."
    )
    talking_points.review_notify(review_id=review.pk)
    talking_points.review_notify(review_id=review.pk)

    expected = sorted(u.email for u in talking_points.review_recipients(review))
    assert colleague.email in expected
    assert sent_to(DeliveryKind.REVIEW) == expected
    assert sorted(m.to[0] for m in mail.outbox) == expected
    for message in mail.outbox:
        assert_automatic(message)


def test_invitations_go_to_the_address_and_mark_the_invitation_sent(world: World) -> None:
    invitation = partnerships.forum_invitation_create(
        invited_by=world.facilitator, forum=world.forum, email="new@example.org"
    )

    send_invitation(invitation_id=invitation.pk)
    send_invitation(invitation_id=invitation.pk)

    assert sent_to(DeliveryKind.INVITATION) == ["new@example.org"]
    [message] = mail.outbox
    assert_automatic(message)
    invitation.refresh_from_db()
    assert invitation.sent_at is not None


def test_join_requests_reach_the_facilitators_and_the_answer_the_person(world: World) -> None:
    second = factories.ForumMembershipFactory(forum=world.forum, role="facilitator").user
    asker = factories.UserFactory()

    join_request = partnerships.forum_join_request_create(forum=world.forum, user=asker)
    outbox.deliveries_send_now(Delivery.objects.values_list("pk", flat=True))
    partnerships.forum_join_request_decide(
        join_request=ForumJoinRequest.objects.get(pk=join_request.pk),
        decided_by=world.facilitator,
        accept=True,
    )
    outbox.deliveries_send_now(Delivery.objects.values_list("pk", flat=True))

    assert sent_to(DeliveryKind.JOIN_REQUEST) == sorted([world.facilitator.email, second.email])
    assert sent_to(DeliveryKind.JOIN_DECISION) == [asker.email]
    assert len(mail.outbox) == 3
    for message in mail.outbox:
        assert_automatic(message)


def test_allauth_emails_go_through_the_outbox(db: None) -> None:
    factories.UserFactory(email="known@example.org")

    Client().post(reverse("account_reset_password"), {"email": "known@example.org"})

    assert sent_to(DeliveryKind.ACCOUNT) == ["known@example.org"]
    [message] = mail.outbox
    assert_automatic(message)
    # The reset link is not kept once the email has gone.
    row = Delivery.objects.get(kind=DeliveryKind.ACCOUNT)
    assert (row.body_text, row.body_html) == ("", "")


def test_reminder_invites_name_an_organizer(world: World) -> None:
    from reminders import calendars

    ics = calendars.invite(world.forum, due_moment(world.forum).meeting).decode()

    assert "ORGANIZER;CN=" in ics
    assert "mailto:" in ics.split("ORGANIZER", 1)[1].split("\r\n", 1)[0]
