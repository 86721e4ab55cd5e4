"""Writes in partnerships that touch several rows or have side effects."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from hls_forum.queue import enqueue_after_commit

from .models import (
    CommissionerProfile,
    Forum,
    ForumJoinRequest,
    ForumMembership,
    ForumRole,
    Invitation,
    Membership,
    MembershipRole,
    Organisation,
    RequestStatus,
    User,
)


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


# --- Organisation membership ------------------------------------------------------


class MembershipError(Exception):
    """The change to an organisation's people cannot be made; the message says why."""


def membership_remove(*, membership: Membership, removed_by: User) -> None:
    """Remove a person from an organisation.

    Precondition: the caller has checked ``removed_by`` administers the organisation.
    Guarantee: an organisation never loses its last lead. The organisation's lead rows are
    locked first, so two leads removing each other at the same moment cannot both succeed.
    """
    with transaction.atomic():
        leads = list(
            Membership.objects.select_for_update()
            .filter(organisation_id=membership.organisation_id)
            .leads()
            .values_list("pk", flat=True)
        )
        if not Membership.objects.filter(pk=membership.pk).exists():
            return  # already removed by someone else: nothing to do
        if leads == [membership.pk]:
            raise MembershipError(
                "You cannot remove the only lead. Make someone else a lead first, "
                "so the organisation always has someone who can manage its people."
            )
        Membership.objects.filter(pk=membership.pk).delete()


def organisation_invitation_create(
    *, invited_by: User, organisation: Organisation, email: str, role: str
) -> Invitation:
    """Invite someone to an organisation, refusing people who are already in it or who
    already have an invitation waiting.

    Precondition: the caller has checked ``invited_by`` administers the organisation.
    """
    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise InvitationError(f"{email} is already a member of {organisation}.")
    if Invitation.objects.filter(
        organisation=organisation, email__iexact=email, accepted_at__isnull=True
    ).exists():
        raise InvitationError(f"{email} already has an invitation waiting.")
    return invitation_create(
        invited_by=invited_by, email=email, organisation=organisation, organisation_role=role
    )


# --- Forums -----------------------------------------------------------------------


class ForumError(Exception):
    """The forum change cannot be made; the message says why in plain English."""


def forum_invitation_create(*, invited_by: User, forum: Forum, email: str) -> Invitation:
    """Invite someone to a forum by email (open or invite-only).

    Precondition: the caller has checked ``invited_by`` facilitates the forum.
    """
    email = email.strip().lower()
    if ForumMembership.objects.filter(forum=forum, user__email__iexact=email).exists():
        raise InvitationError(f"{email} is already a member of {forum}.")
    if Invitation.objects.filter(
        forum=forum, email__iexact=email, accepted_at__isnull=True
    ).exists():
        raise InvitationError(f"{email} already has an invitation waiting.")
    return invitation_create(invited_by=invited_by, email=email, forum=forum)


def forum_join_request_create(*, forum: Forum, user: User, message: str = "") -> ForumJoinRequest:
    """Ask to join an open forum.

    Guarantee: a person has at most one request waiting per forum (a partial unique
    constraint backs this up if two requests race).
    """
    if not forum.is_open:
        raise ForumError("This forum is invite only. Ask its facilitator to invite you by email.")
    if ForumMembership.objects.filter(forum=forum, user=user).exists():
        raise ForumError("You are already a member of this forum.")
    try:
        with transaction.atomic():
            return ForumJoinRequest.objects.create(forum=forum, user=user, message=message.strip())
    except IntegrityError:
        raise ForumError(
            "You have already asked to join. The facilitator will reply soon."
        ) from None


def forum_join_request_decide(
    *, join_request: ForumJoinRequest, decided_by: User, accept: bool
) -> None:
    """Accept or decline a request to join a forum.

    Precondition: the caller has checked ``decided_by`` facilitates the request's forum.
    Guarantee: the decision is made once (a conditional update claims the pending
    request), and on acceptance the membership is created in the same transaction.
    """
    status = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
    with transaction.atomic():
        claimed = ForumJoinRequest.objects.filter(
            pk=join_request.pk, status=RequestStatus.PENDING
        ).update(status=status, decided_by=decided_by, decided_at=timezone.now())
        if claimed != 1:
            raise ForumError("Someone has already replied to this request.")
        if accept:
            ForumMembership.objects.get_or_create(
                forum_id=join_request.forum_id, user_id=join_request.user_id
            )


def forum_leave(*, membership: ForumMembership) -> None:
    """Leave a forum.

    Guarantee: a forum with facilitators never loses its last one this way; the forum's
    facilitator rows are locked so two facilitators leaving together cannot both succeed.
    """
    with transaction.atomic():
        facilitators = list(
            ForumMembership.objects.select_for_update()
            .filter(forum_id=membership.forum_id, role=ForumRole.FACILITATOR)
            .values_list("pk", flat=True)
        )
        if facilitators == [membership.pk]:
            raise ForumError(
                "You are this forum's only facilitator. Ask site staff to make someone else "
                "a facilitator before you leave."
            )
        ForumMembership.objects.filter(pk=membership.pk).delete()


# --- Commissioner profiles ------------------------------------------------------------


def commissioner_profile_update(
    *, profile: CommissionerProfile, data: dict[str, Any]
) -> CommissionerProfile:
    """Update a commissioner's public profile from a validated form's ``cleaned_data``.

    Guarantee: the fields and the specialisms and places are stored together or not at all.
    """
    fields = ["job_title", "public_email", "public_phone", "availability", "about"]
    with transaction.atomic():
        for name in fields:
            setattr(profile, name, data[name])
        profile.save(update_fields=fields)
        profile.specialisms.set(data["specialisms"])
        profile.places.set(data["places"])
    return profile
