"""Celery with a real worker process: a task queued after commit runs, and its effect is
in the database."""

from __future__ import annotations

import pytest

from partnerships import services
from partnerships.models import Invitation
from tests import factories
from tests.services import SMTPServer, Worker, plain_text, wait_until

pytestmark = pytest.mark.services


def test_invitation_queued_after_commit_is_sent_by_a_real_worker(
    celery_worker: Worker, smtp_server: SMTPServer
) -> None:
    organisation = factories.OrganisationFactory()
    lead = factories.MembershipFactory(organisation=organisation, role="lead").user

    invitation = services.invitation_create(
        invited_by=lead, email="new.colleague@example.org", organisation=organisation
    )

    sent = wait_until(
        lambda: Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=False).exists(),
        timeout=30,
    )
    assert sent is True
    wait_until(lambda: smtp_server.messages, timeout=30)
    message = smtp_server.messages[0]
    assert message["To"] == "new.colleague@example.org"
    assert f"/invitations/{invitation.token}/" in plain_text(message)
    assert "partnerships.send_invitation" in celery_worker.log()
