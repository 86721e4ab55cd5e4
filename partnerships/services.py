"""Writes in partnerships that touch several rows or have side effects."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from hls_forum.queue import enqueue_after_commit
from outbox import services as outbox
from outbox.models import DeliveryKind

from .models import (
    Champion,
    Commission,
    CommissionerProfile,
    Forum,
    ForumJoinRequest,
    ForumMembership,
    ForumRole,
    GlossaryTerm,
    Invitation,
    Membership,
    MembershipRole,
    Organisation,
    Place,
    Proposition,
    PropositionRating,
    Relationship,
    RequestStatus,
    User,
    quarter_start,
)


def invitation_create(
    *,
    invited_by: User,
    email: str,
    organisation: Organisation | None = None,
    organisation_role: str = MembershipRole.STAFF,
    forum: Forum | None = None,
) -> Invitation:
    """Create an invitation and email it (through the outbox) after the transaction commits.

    Precondition: the caller has checked ``invited_by`` may invite to the target.
    Guarantee: the invitation's outbox row is made with it; the task that sends it is
    queued only once both are committed (and the outbox's sweep queues it if that is lost).
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
        invitation_rows(invitation)
        enqueue_after_commit(send_invitation, invitation_id=invitation.pk)
    return invitation


def invitation_rows(invitation: Invitation) -> list[int]:
    """The invitation's outbox row (to its address: the person may have no account yet),
    made if missing; returns it while it is still waiting to be sent."""
    return outbox.deliveries_create(
        kind=DeliveryKind.INVITATION,
        address=invitation.email,
        about_id=invitation.pk,
        forum_id=invitation.forum_id,
    )


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
    constraint backs this up if two requests race). The forum's facilitators are emailed
    it through the outbox after commit.
    """
    if not forum.is_open:
        raise ForumError("This forum is invite only. Ask its facilitator to invite you by email.")
    if ForumMembership.objects.filter(forum=forum, user=user).exists():
        raise ForumError("You are already a member of this forum.")
    try:
        with transaction.atomic():
            join_request = ForumJoinRequest.objects.create(
                forum=forum, user=user, message=message.strip()
            )
            facilitators = ForumMembership.objects.filter(
                forum=forum, role=ForumRole.FACILITATOR, user__is_active=True
            ).values_list("user_id", flat=True)
            outbox.deliveries_queue(
                kind=DeliveryKind.JOIN_REQUEST,
                recipient_ids=list(facilitators),
                about_id=join_request.pk,
                forum_id=forum.pk,
            )
            return join_request
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
    request), and on acceptance the membership is created in the same transaction. The
    person who asked is emailed the answer through the outbox after commit.
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
        outbox.deliveries_queue(
            kind=DeliveryKind.JOIN_DECISION,
            recipient_ids=[join_request.user_id],
            about_id=join_request.pk,
            forum_id=join_request.forum_id,
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


# --- The place picture ----------------------------------------------------------------


class PictureError(Exception):
    """A write to the place picture was refused; the message says why in plain English."""


def commission_save(*, form: Any, commissioner: CommissionerProfile) -> Commission:
    """Store a valid ``CommissionForm`` (new or edited) for ``commissioner``.

    Precondition: the form is valid and, when editing, ``commissioner`` recorded it.
    Guarantee: the commission and its providers and specialisms are saved together.
    """
    with transaction.atomic():
        commission: Commission = form.save(commit=False)
        commission.commissioner = commissioner
        commission.save()
        form.save_m2m()
    return commission


def relationship_add(
    *,
    place: Place,
    source: Organisation,
    target: Organisation,
    kind: str,
    note: str = "",
    by: User,
) -> Relationship:
    """Draw one line on ``place``'s system map.

    Precondition: ``by`` is a member of one of the place's forums.
    Guarantee: both organisations work in the place, they differ, and the same line is
    never drawn twice (a unique constraint backs the check under concurrency).
    """
    if source.pk == target.pk:
        raise PictureError("An organisation cannot have a relationship with itself.")
    in_place = set(
        place.organisations.filter(pk__in=[source.pk, target.pk]).values_list("pk", flat=True)
    )
    if in_place != {source.pk, target.pk}:
        raise PictureError(f"Both organisations must work in {place.name}.")
    try:
        with transaction.atomic():
            return Relationship.objects.create(
                place=place, source=source, target=target, kind=kind, note=note, created_by=by
            )
    except IntegrityError:
        raise PictureError("That relationship is already on the map.") from None


def glossary_term_save(*, form: Any, place: Place, by: User) -> GlossaryTerm:
    """Store a valid ``GlossaryTermForm`` for ``place``.

    Guarantee: a term is in a place's glossary at most once, whatever its capital letters;
    a race between two people adding the same term ends in a clear error, not a 500.
    """
    term: GlossaryTerm = form.save(commit=False)
    term.place = place
    term.updated_by = by
    if term.created_by_id is None:
        term.created_by = by
    try:
        with transaction.atomic():
            term.save()
    except IntegrityError:
        raise PictureError(f"“{term.term}” is already in {place.name}'s glossary.") from None
    return term


def champion_stand(*, place: Place, user: User, can_help_with: str) -> Champion:
    """``user`` stands (or updates what they offer) as a champion for ``place``.

    Precondition: ``user`` is in the place's partnership. Guarantee: one row per person
    per place.
    """
    with transaction.atomic():
        champion, _ = Champion.objects.update_or_create(
            place=place, user=user, defaults={"can_help_with": can_help_with}
        )
    return champion


def propositions_rate(
    *,
    place: Place,
    user: User,
    ratings: dict[str, tuple[int, str]],
    today: datetime.date | None = None,
) -> list[PropositionRating]:
    """Store ``user``'s ratings of the propositions for the current quarter.

    Precondition: ``user`` is a member of one of the place's forums.
    Guarantee: all of the ratings are stored or none are; a second rating of the same
    proposition in the same quarter is refused (a unique constraint backs this).
    """
    quarter = quarter_start(today or timezone.localdate())
    for code, (score, _) in ratings.items():
        if code not in Proposition.values:
            raise PictureError(f"There is no proposition {code}.")
        if not 1 <= score <= 5:
            raise PictureError("Choose a number from 1 to 5.")
    try:
        with transaction.atomic():
            return [
                PropositionRating.objects.create(
                    place=place,
                    user=user,
                    proposition=code,
                    quarter=quarter,
                    score=score,
                    comment=comment,
                )
                for code, (score, comment) in sorted(ratings.items())
            ]
    except IntegrityError:
        raise PictureError(
            "You have already rated one of these propositions this quarter."
        ) from None
