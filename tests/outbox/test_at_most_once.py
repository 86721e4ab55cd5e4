"""At most once, honestly: where an SMTP send stopped decides what happens to the row.
Every test talks to a real SMTP server on localhost (tests/outbox/conftest.py)."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from outbox import services
from outbox.models import Delivery, DeliveryKind, DeliveryStatus
from tests.conftest import World, client_for
from tests.outbox.conftest import FaultySMTP


def _rows(count: int) -> list[int]:
    """``count`` emails, one row each, with their content stored on the row."""
    return [
        services.deliveries_create(
            kind=DeliveryKind.ACCOUNT,
            address=f"person{n}@example.org",
            subject="Your sign-in code",
            body_text=f"Your code is {n}.",
        )[0]
        for n in range(count)
    ]


def test_a_server_that_drops_after_data_gets_each_email_once_and_the_rows_say_unknown(
    db: None, faulty_smtp: FaultySMTP
) -> None:
    ids = _rows(20)
    faulty_smtp.drop_after_data = True

    with override_settings(**faulty_smtp.settings()):
        first = services.deliveries_send_now(ids)
        # A retry, a second task and the sweep all find nothing to send.
        second = services.deliveries_send_now(ids)
        services.deliveries_sweep()

    assert (first, second) == (0, 0)
    assert faulty_smtp.recipients() == sorted(f"person{n}@example.org" for n in range(20))
    rows = Delivery.objects.filter(pk__in=ids)
    assert {row.status for row in rows} == {DeliveryStatus.UNKNOWN}
    assert {row.attempts for row in rows} == {1}
    assert all(
        row.smtp_step.startswith("after DATA, before the server's reply: connection closed")
        for row in rows
    )


def test_one_refused_recipient_among_five_fails_alone_and_is_never_retried(
    db: None, faulty_smtp: FaultySMTP
) -> None:
    ids = _rows(5)
    faulty_smtp.refuse["person2@example.org"] = "550 5.1.1 No such mailbox"

    with override_settings(**faulty_smtp.settings()):
        sent = services.deliveries_send_now(ids)
        again = services.deliveries_send_now(ids)

    assert (sent, again) == (4, 0)
    assert faulty_smtp.recipients() == [f"person{n}@example.org" for n in (0, 1, 3, 4)]
    refused = Delivery.objects.get(address="person2@example.org")
    assert (refused.status, refused.attempts) == (DeliveryStatus.FAILED, 1)
    assert "550" in refused.detail
    assert refused.smtp_step == "RCPT TO"
    others = Delivery.objects.filter(pk__in=ids).exclude(pk=refused.pk)
    assert {row.status for row in others} == {DeliveryStatus.SENT}


def test_a_4xx_is_retried_with_backoff_and_then_sent_once(
    db: None, faulty_smtp: FaultySMTP
) -> None:
    [delivery_id] = _rows(1)
    faulty_smtp.rcpt_replies = ["450 4.2.0 Mailbox busy, try later"]

    with override_settings(**faulty_smtp.settings(), REMINDERS_RETRY_BASE_SECONDS=60):
        first = services.delivery_send(delivery_id=delivery_id)
        row = Delivery.objects.get(pk=delivery_id)
        after_first = (row.status, row.attempts, row.smtp_step)
        second = services.delivery_send(delivery_id=delivery_id)

    assert (first.status, first.retry_in) == (DeliveryStatus.PENDING, 60)
    assert after_first == (DeliveryStatus.PENDING, 1, "RCPT TO")
    assert second.status == DeliveryStatus.SENT
    assert Delivery.objects.get(pk=delivery_id).attempts == 2
    assert len(faulty_smtp.messages) == 1


def test_a_server_that_is_down_is_retried_not_unknown(db: None, faulty_smtp: FaultySMTP) -> None:
    from tests.services import free_port

    [delivery_id] = _rows(1)

    with override_settings(**{**faulty_smtp.settings(), "EMAIL_PORT": free_port()}):
        outcome = services.delivery_send(delivery_id=delivery_id)

    row = Delivery.objects.get(pk=delivery_id)
    assert (outcome.status, row.status) == (DeliveryStatus.PENDING, DeliveryStatus.PENDING)
    assert row.smtp_step.startswith("connecting to 127.0.0.1:")


def test_while_the_server_is_down_emails_come_round_soon_and_no_attempt_is_spent(
    db: None, faulty_smtp: FaultySMTP
) -> None:
    from tests.services import free_port

    [delivery_id] = _rows(1)
    down = {**faulty_smtp.settings(), "EMAIL_PORT": free_port()}

    with override_settings(**down, OUTBOX_UNREACHABLE_RETRY_SECONDS=20, REMINDERS_MAX_ATTEMPTS=2):
        outcomes = [services.delivery_send(delivery_id=delivery_id) for _ in range(5)]
    row = Delivery.objects.get(pk=delivery_id)
    assert [o.retry_in for o in outcomes] == [20] * 5
    assert (row.status, row.attempts) == (DeliveryStatus.PENDING, 0)
    assert "could not be reached" in row.detail

    with override_settings(**faulty_smtp.settings()):  # the server is back
        assert services.delivery_send(delivery_id=delivery_id).status == DeliveryStatus.SENT
    assert Delivery.objects.get(pk=delivery_id).attempts == 1
    assert len(faulty_smtp.messages) == 1


def test_an_email_that_waited_too_long_for_the_server_spends_its_attempts_and_fails(
    db: None, faulty_smtp: FaultySMTP
) -> None:
    import datetime

    from django.utils import timezone

    from tests.services import free_port

    [delivery_id] = _rows(1)
    Delivery.objects.filter(pk=delivery_id).update(
        created_at=timezone.now() - datetime.timedelta(hours=7)
    )
    down = {**faulty_smtp.settings(), "EMAIL_PORT": free_port()}

    waited = {"OUTBOX_UNREACHABLE_GIVE_UP_SECONDS": 6 * 3600, "REMINDERS_MAX_ATTEMPTS": 2}
    with override_settings(**down, **waited, REMINDERS_RETRY_BASE_SECONDS=60):
        first = services.delivery_send(delivery_id=delivery_id)
        second = services.delivery_send(delivery_id=delivery_id)

    assert (first.status, first.retry_in) == (DeliveryStatus.PENDING, 60)
    assert second.status == DeliveryStatus.FAILED
    assert Delivery.objects.get(pk=delivery_id).attempts == 2


def test_long_headers_never_unfold_to_a_value_starting_with_a_space(
    db: None, faulty_smtp: FaultySMTP
) -> None:
    from django.core.mail import EmailMultiAlternatives

    from outbox import emails, smtp

    message = EmailMultiAlternatives(
        subject="A subject long enough to need folding across more than one line of the header",
        body="Hello",
        to=["person@example.org"],
        headers=emails.list_headers(
            list_id="forum-1.reminders",
            unsubscribe_url="https://forum.example.org/reminders/unsubscribe/" + "x" * 120 + "/",
            unsubscribe_token="x" * 120,
        ),
    )

    with override_settings(**faulty_smtp.settings()):
        smtp.send(emails.finalise(message))

    head = faulty_smtp.raw[0].split(b"\r\n\r\n", 1)[0].decode()
    unfolded = head.replace("\r\n ", " ").replace("\r\n\t", "\t").split("\r\n")
    values = {line.split(":", 1)[0]: line.split(":", 1)[1] for line in unfolded}
    assert values["List-Unsubscribe"].startswith(" <https://forum.example.org/")
    assert all(not value.startswith("  ") for value in values.values())
    assert all(line.split(":", 1)[1][:1] == " " for line in unfolded)


def test_staff_see_unknown_emails_with_where_sending_stopped_and_can_resend(
    world: World, faulty_smtp: FaultySMTP
) -> None:
    [delivery_id] = _rows(1)
    faulty_smtp.drop_after_data = True
    with override_settings(**faulty_smtp.settings()):
        services.delivery_send(delivery_id=delivery_id)

    page = client_for(world.staff).get(reverse("reminders:emails_attention"))
    refused = client_for(world.facilitator).get(reverse("reminders:emails_attention"))
    resend = client_for(world.staff).post(
        reverse("reminders:email_resend", kwargs={"pk": delivery_id})
    )

    assert page.status_code == 200
    html = page.content.decode()
    assert "person0@example.org" in html
    assert "after DATA, before the server&#x27;s reply: connection closed" in html
    assert refused.status_code == 403
    assert resend.status_code == 302
    assert Delivery.objects.get(pk=delivery_id).status == DeliveryStatus.PENDING


@pytest.mark.parametrize(
    ("debug", "site_url", "errors"),
    [
        (False, "http://forum.example.org", ["outbox.E001"]),
        (False, "https://forum.example.org", []),
        (True, "http://127.0.0.1:8000", []),
    ],
)
def test_production_needs_an_https_site_url(debug: bool, site_url: str, errors: list[str]) -> None:
    from outbox.checks import site_url_is_https

    with override_settings(DEBUG=debug, SITE_URL=site_url):
        assert [error.id for error in site_url_is_https()] == errors


def test_a_summary_whose_reply_was_lost_is_not_sent_again(
    world: World, faulty_smtp: FaultySMTP
) -> None:
    from talking_points import services as talking_points
    from tests.talking_points.sessions_helpers import open_session

    sw = open_session(world)
    talking_points.session_close(session=sw.session, by=sw.facilitator)
    faulty_smtp.drop_after_data = True

    with override_settings(**faulty_smtp.settings()):
        first = talking_points.session_summary_send(session_id=sw.session.pk)
        faulty_smtp.drop_after_data = False
        second = talking_points.session_summary_send(session_id=sw.session.pk)

    assert (first, second) == (0, 0)
    attendees = sorted(u.email for u in (sw.facilitator, sw.member_a, sw.member_b))
    assert faulty_smtp.recipients() == attendees
    rows = Delivery.objects.filter(kind=DeliveryKind.SUMMARY)
    assert sorted(row.status for row in rows) == [DeliveryStatus.UNKNOWN] * 3


def test_one_refused_recipient_of_a_response_does_not_hold_up_the_others(
    world: World, faulty_smtp: FaultySMTP
) -> None:
    from talking_points import services as talking_points
    from tests import factories

    entry = factories.LearningEntryFactory(
        place=world.place, organisation=world.org_a, visibility="commissioners"
    )
    colleagues = [factories.MembershipFactory(organisation=world.org_a).user for _ in range(4)]
    review = talking_points.review_create(
        entry=entry, author=world.commissioner, kind="question", text="Tell me more."
    )
    recipients = sorted(u.email for u in talking_points.review_recipients(review))
    refused = colleagues[0].email
    faulty_smtp.refuse[refused] = "550 5.1.1 No such mailbox"

    with override_settings(**faulty_smtp.settings()):
        sent = talking_points.review_notify(review_id=review.pk)

    assert sent == len(recipients) - 1
    assert faulty_smtp.recipients() == [r for r in recipients if r != refused]
    row = Delivery.objects.get(kind=DeliveryKind.REVIEW, recipient=colleagues[0])
    assert row.status == DeliveryStatus.FAILED
