"""Background work for partnerships. Tasks take ids, re-fetch, and call a service."""

from __future__ import annotations

from celery import shared_task

from outbox import services as outbox

from .models import Invitation


@shared_task(name="partnerships.send_invitation")
def send_invitation(*, invitation_id: int) -> int:
    """Email an invitation through the outbox: its row is claimed before sending, so a
    retry or a duplicate task never sends a second copy; a failure the server may retry
    is retried by the outbox after a backoff. Returns how many were sent now."""
    from .services import invitation_rows

    invitation = Invitation.objects.filter(pk=invitation_id).first()
    if invitation is None or invitation.accepted_at is not None:
        return 0
    return outbox.deliveries_send_now(invitation_rows(invitation))
