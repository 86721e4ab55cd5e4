"""The summary reaches everyone who was at the table, sent by a real Celery worker to a
real SMTP server, queued after the close commits; sending again sends nothing twice."""

from __future__ import annotations

import pytest
from django.urls import reverse

from talking_points import services
from talking_points.models import Attendance
from tests.conftest import World, client_for
from tests.services import SMTPServer, Worker, wait_until
from tests.talking_points.sessions_helpers import open_session

pytestmark = pytest.mark.services


def test_closing_emails_the_summary_to_attendees_through_a_real_worker(
    celery_worker: Worker, smtp_server: SMTPServer, world: World
) -> None:
    sw = open_session(world)
    services.contribution_add(
        session=sw.session,
        agenda_item_id=sw.first.pk,
        user=sw.member_a,
        text="Named words",
        anonymous=False,
    )
    services.contribution_add(
        session=sw.session,
        agenda_item_id=sw.first.pk,
        user=sw.member_b,
        text="Quiet words",
        anonymous=True,
    )
    services.decision_record(session=sw.session, by=sw.facilitator, text="Ask for a seat")

    response = client_for(sw.facilitator).post(
        reverse("talking_points:session_close", kwargs={"pk": sw.session.pk})
    )

    assert response.status_code == 302
    wait_until(lambda: len(smtp_server.messages) >= 3, timeout=60)
    recipients = sorted(m["To"] for m in smtp_server.messages)
    assert recipients == sorted(u.email for u in (sw.facilitator, sw.member_a, sw.member_b))
    message = smtp_server.messages[0]
    assert message["Subject"].startswith(f"Summary: {world.forum.name}")
    parts = {
        p.get_content_type(): p.get_payload(decode=True).decode()
        for p in message.walk()
        if not p.is_multipart()
    }
    plain, html = parts["text/plain"], parts["text/html"]
    assert "Named words" in plain and sw.member_a.full_name in plain
    assert "Quiet words (Anonymous)" in plain
    assert "Ask for a seat" in plain
    assert "Ask for a seat" in html
    assert sw.session.get_absolute_url() in plain
    assert "talking_points.send_session_summary" in celery_worker.log()
    assert Attendance.objects.filter(session=sw.session, summary_sent_at__isnull=True).count() == 0

    # A retry or a second run sends nothing more.
    assert services.session_summary_send(session_id=sw.session.pk) == 0
    assert len(smtp_server.messages) == 3
