"""Writes in partnerships that touch several rows or have side effects."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from hls_forum.queue import enqueue_after_commit

from .models import (
    Champion,
    Commission,
    CommissionerProfile,
    Forum,
    GlossaryTerm,
    Invitation,
    MembershipRole,
    Organisation,
    Place,
    Proposition,
    PropositionRating,
    Relationship,
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


def wellbeing_check_in(*, session: Any, user: User, score: int, word: str = "") -> None:
    """Record an anonymous check-in for ``session``.

    Precondition: ``user`` is a member of the session's forum and check-in is open.
    Guarantee: at most one answer per person per session (the mark's unique constraint),
    and the answer row holds nothing that links it to ``user``: no author, no time, and a
    random id.
    """
    from talking_points.models import WellbeingCheckIn, WellbeingCheckInMark

    if not 1 <= score <= 5:
        raise PictureError("Choose a number from 1 to 5.")
    try:
        with transaction.atomic():
            WellbeingCheckInMark.objects.create(session=session, user=user)
            WellbeingCheckIn.objects.create(session=session, score=score, word=word[:30])
    except IntegrityError:
        raise PictureError("You have already checked in to this session.") from None
