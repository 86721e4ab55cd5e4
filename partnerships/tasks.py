"""Background work for partnerships. Tasks take ids, re-fetch, and call a service."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import Invitation


@shared_task(
    name="partnerships.send_invitation",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_invitation(*, invitation_id: int) -> None:
    """Email an invitation. Claims the row first, so a retry never sends a second copy."""
    invitation = (
        Invitation.objects.filter(pk=invitation_id)
        .select_related("organisation", "forum", "invited_by")
        .first()
    )
    if invitation is None or invitation.accepted_at is not None:
        return
    claimed = Invitation.objects.filter(pk=invitation_id, sent_at__isnull=True).update(
        sent_at=timezone.now()
    )
    if claimed != 1:
        return
    link = settings.SITE_URL + reverse(
        "partnerships:invitation_accept", kwargs={"token": invitation.token}
    )
    context = {"invitation": invitation, "link": link}
    try:
        send_mail(
            subject=f"You are invited to join {invitation.target} on HLS Forum",
            message=render_to_string("partnerships/email/invitation.txt", context),
            from_email=None,
            recipient_list=[invitation.email],
        )
    except OSError:
        # Release the claim so the retry can send it.
        Invitation.objects.filter(pk=invitation_id).update(sent_at=None)
        raise
