"""Writes for set-up without admin: proposing and deciding places and organisations,
adding forums, editing an organisation's profile, and the place's self-assessment."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.text import slugify

from outbox import services as outbox
from outbox.models import DeliveryKind
from partnerships.models import (
    Forum,
    ForumMembership,
    ForumRole,
    Membership,
    MembershipRole,
    Organisation,
    Place,
    User,
)

from .models import (
    EngagementAssessment,
    OrganisationProposal,
    PlaceProposal,
    ProposalStatus,
)


class SetupError(Exception):
    """A proposal or change that cannot go ahead, with a sentence saying why."""


def unique_slug(model: type[Model], name: str) -> str:
    """A slug for ``name`` that no row of ``model`` has yet ("preston", "preston-2"…)."""
    limit = getattr(model._meta.get_field("slug"), "max_length", None) or 50
    base = slugify(name)[: limit - 6].strip("-") or "untitled"
    slug, n = base, 1
    while model._default_manager.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


# --- Places ---------------------------------------------------------------------------


def place_proposal_create(*, proposer: User, data: dict[str, Any]) -> PlaceProposal:
    """Propose a new place and its first forum. Staff see it in their queue."""
    if Place.objects.filter(name__iexact=data["name"].strip()).exists():
        raise SetupError(f"{data['name']} is already on HLS Forum. Ask to join one of its forums.")
    return PlaceProposal.objects.create(
        proposer=proposer,
        name=data["name"].strip(),
        county=data.get("county", "").strip(),
        forum_name=data["forum_name"].strip(),
        forum_weekday=data["forum_weekday"],
        forum_venue=data["forum_venue"].strip(),
        why=data["why"].strip(),
    )


def _claim(
    proposal: PlaceProposal | OrganisationProposal, by: User, approve: bool, reason: str
) -> None:
    """Record the decision once: a conditional update claims the pending proposal, so two
    people deciding together cannot both succeed."""
    status = ProposalStatus.APPROVED if approve else ProposalStatus.DECLINED
    now = timezone.now()
    claimed = (
        type(proposal)
        ._default_manager.filter(pk=proposal.pk, status=ProposalStatus.PENDING)
        .update(status=status, decided_by=by, decided_at=now, reason=reason.strip())
    )
    if claimed != 1:
        raise SetupError("Someone has already decided this proposal.")
    proposal.status, proposal.decided_by, proposal.decided_at = status, by, now
    proposal.reason = reason.strip()


def place_proposal_decide(
    *, proposal: PlaceProposal, by: User, approve: bool, reason: str = ""
) -> Place | None:
    """Approve or decline a proposed place.

    Precondition: the caller has checked that ``by`` is site staff.
    Guarantee: decided once; on approval the place, its first forum and the proposer's
    place as its first facilitator are made in one transaction with the decision, or not
    at all. The proposer is emailed the answer through the outbox after commit.
    """
    if not approve and not reason.strip():
        raise SetupError("Give a reason for declining: the person who proposed it will see it.")
    with transaction.atomic():
        _claim(proposal, by, approve, reason)
        place = None
        if approve:
            if Place.objects.filter(name__iexact=proposal.name).exists():
                raise SetupError(f"A place called {proposal.name} already exists.")
            place = Place.objects.create(
                name=proposal.name, slug=unique_slug(Place, proposal.name), county=proposal.county
            )
            forum = Forum.objects.create(
                place=place,
                name=proposal.forum_name,
                slug=unique_slug(Forum, proposal.forum_name),
                purpose=proposal.why or f"The partnership forum for {place.name}.",
                weekday=proposal.forum_weekday,
                venue=proposal.forum_venue,
            )
            ForumMembership.objects.create(
                forum=forum, user_id=proposal.proposer_id, role=ForumRole.FACILITATOR
            )
            PlaceProposal.objects.filter(pk=proposal.pk).update(place=place)
            proposal.place = place
        outbox.deliveries_queue(
            kind=DeliveryKind.PLACE_PROPOSAL,
            recipient_ids=[proposal.proposer_id],
            about_id=proposal.pk,
        )
    return place


# --- Forums ---------------------------------------------------------------------------


def forum_create(*, place: Place, by: User, data: dict[str, Any]) -> Forum:
    """A facilitator of one of the place's forums adds another forum there.

    Precondition: the caller has checked that ``by`` facilitates a forum of ``place``.
    Guarantee: the forum and its creator as its first facilitator are made together.
    """
    with transaction.atomic():
        forum = Forum.objects.create(
            place=place,
            slug=unique_slug(Forum, data["name"]),
            **{key: data[key] for key in FORUM_FIELDS},
        )
        ForumMembership.objects.create(forum=forum, user=by, role=ForumRole.FACILITATOR)
    return forum


FORUM_FIELDS = ("name", "purpose", "weekday", "start_time", "venue", "online_link", "access")


# --- Organisations --------------------------------------------------------------------


def organisation_profile_update(*, organisation: Organisation, data: dict[str, Any]) -> None:
    """A lead saves the organisation's public profile.

    Precondition: the caller has checked that the person leads ``organisation``."""
    for key in PROFILE_FIELDS:
        setattr(organisation, key, data[key])
    organisation.save(update_fields=list(PROFILE_FIELDS))


PROFILE_FIELDS = ("sector", "what_we_do", "distinctive_contribution", "website")


def organisation_proposal_create(*, proposer: User, data: dict[str, Any]) -> OrganisationProposal:
    """Propose one's organisation in a place. Leads of organisations there, and site
    staff, see it and may confirm it."""
    place = data["place"]
    if place.organisations.filter(name__iexact=data["name"].strip()).exists():
        raise SetupError(f"{data['name']} is already listed in {place.name}.")
    return OrganisationProposal.objects.create(
        proposer=proposer,
        name=data["name"].strip(),
        sector=data["sector"],
        place=place,
        what_we_do=data["what_we_do"].strip(),
    )


def organisation_proposal_decide(
    *, proposal: OrganisationProposal, by: User, approve: bool, reason: str = ""
) -> Organisation | None:
    """Confirm or decline a proposed organisation.

    Precondition: the caller has checked that ``by`` is site staff or leads an
    organisation in the proposal's place.
    Guarantee: decided once; on confirmation the organisation, its place and the proposer
    as its lead are made with the decision in one transaction. The proposer is emailed the
    answer through the outbox after commit.
    """
    if not approve and not reason.strip():
        raise SetupError("Give a reason for declining: the person who proposed it will see it.")
    with transaction.atomic():
        _claim(proposal, by, approve, reason)
        organisation = None
        if approve:
            organisation = Organisation.objects.create(
                name=proposal.name,
                slug=unique_slug(Organisation, proposal.name),
                sector=proposal.sector,
                what_we_do=proposal.what_we_do,
            )
            organisation.places.add(proposal.place_id)
            Membership.objects.create(
                user_id=proposal.proposer_id,
                organisation=organisation,
                role=MembershipRole.LEAD,
                is_admin=True,
            )
            OrganisationProposal.objects.filter(pk=proposal.pk).update(organisation=organisation)
            proposal.organisation = organisation
        outbox.deliveries_queue(
            kind=DeliveryKind.ORG_PROPOSAL,
            recipient_ids=[proposal.proposer_id],
            about_id=proposal.pk,
        )
    return organisation


# --- The place's self-assessment -------------------------------------------------------


def engagement_assess(
    *, place: Place, by: User, level: str, practice: str, reasons: str
) -> EngagementAssessment:
    """Record the partnership's assessment of where it is; it becomes the place's level.

    Precondition: the caller has checked that ``by`` is in one of the place's forums.
    Guarantee: the history row and the place's current level change together.
    """
    with transaction.atomic():
        assessment = EngagementAssessment.objects.create(
            place=place, recorded_by=by, level=level, practice=practice, reasons=reasons
        )
        Place.objects.filter(pk=place.pk).update(engagement_level=level, current_practice=practice)
    place.engagement_level, place.current_practice = level, practice
    return assessment
