"""Writes in partnerships that touch several rows or have side effects."""

from __future__ import annotations

import secrets

from django.db import transaction

from hls_forum.queue import enqueue_after_commit

from .models import Forum, Invitation, MembershipRole, Organisation, User


def invitation_create(
    *,
    invited_by: User,
    email: str,
    organisation: Organisation | None = None,
    organisation_role: str = MembershipRole.STAFF,
    forum: Forum | None = None,
) -> Invitation:
    """Create an invitation and email it after the transaction commits.

    Precondition: the caller has checked ``invited_by`` may invite to the target.
    Guarantee: the email task is queued only once the invitation row is committed.
    """
    from .tasks import send_invitation

    with transaction.atomic():
        invitation = Invitation.objects.create(
            email=email.lower(),
            organisation=organisation,
            organisation_role=organisation_role,
            forum=forum,
            token=secrets.token_urlsafe(32),
            invited_by=invited_by,
        )
        enqueue_after_commit(send_invitation, invitation_id=invitation.pk)
    return invitation


class InvitationError(Exception):
    """The invitation cannot be accepted; the message says why in plain English."""


def invitation_accept(*, invitation: Invitation, user: User) -> None:
    """Accept an invitation: the person joins the organisation or forum it names.

    Guarantee: the membership and the acceptance are stored together or not at all.
    """
    from django.utils import timezone

    from .models import ForumMembership, Membership

    if invitation.email.lower() != user.email.lower():
        raise InvitationError(
            "This invitation was sent to a different email address. Sign in with that address."
        )
    with transaction.atomic():
        claimed = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
            accepted_at=timezone.now()
        )
        if claimed != 1:
            raise InvitationError("This invitation has already been used.")
        if invitation.organisation_id:
            Membership.objects.get_or_create(
                user=user,
                organisation_id=invitation.organisation_id,
                defaults={"role": invitation.organisation_role},
            )
        else:
            ForumMembership.objects.get_or_create(user=user, forum_id=invitation.forum_id)
