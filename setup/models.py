"""Set-up without admin: proposals for new places and organisations, and each place's own
record of how far it has come (the report's Figure 1, as a dated self-assessment)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone

from partnerships.models import (
    EngagementLevel,
    Membership,
    MembershipRole,
    Organisation,
    Place,
    Sector,
    User,
    Weekday,
    place_partnership_q,
)


class ProposalStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a decision"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


class Proposal(models.Model):
    """What both kinds of proposal share: who asked, and the answer."""

    proposer = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    reason = models.TextField("reason for declining", blank=True, max_length=2000)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    @property
    def is_pending(self) -> bool:
        return self.status == ProposalStatus.PENDING


class PlaceProposalQuerySet(models.QuerySet["PlaceProposal"]):
    def visible_to(self, user: Any) -> PlaceProposalQuerySet:
        """Site staff see every proposal (they decide); anyone else sees only their own."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self.all()
        return self.filter(proposer=user)


class PlaceProposal(Proposal):
    """Someone proposes a new place with its first forum; site staff approve or decline."""

    name = models.CharField("name of the place", max_length=120)
    county = models.CharField("area or county", max_length=120, blank=True)
    forum_name = models.CharField("name of its first forum", max_length=200)
    forum_weekday = models.IntegerField(
        "day the forum meets each week", choices=Weekday.choices, default=Weekday.TUESDAY
    )
    forum_venue = models.CharField("where the forum meets", max_length=300)
    why = models.TextField("why this place, in a few lines", blank=True, max_length=2000)
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PlaceProposalQuerySet.as_manager()

    class Meta(Proposal.Meta):
        pass

    def __str__(self) -> str:
        return f"Proposed place: {self.name}"


class OrganisationProposalQuerySet(models.QuerySet["OrganisationProposal"]):
    def visible_to(self, user: Any) -> OrganisationProposalQuerySet:
        """The proposer, site staff, and leads of organisations already working in the
        proposed place (who may confirm it)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self.all()
        return self.filter(Q(proposer=user) | Q(place__in=lead_place_ids(user)))

    def confirmable_by(self, user: Any) -> OrganisationProposalQuerySet:
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self.all()
        return self.filter(place__in=lead_place_ids(user))


def lead_place_ids(user: Any) -> models.QuerySet[Any]:
    """Places where ``user`` leads an organisation, as a subquery of ids."""
    return Place.organisations.through.objects.filter(
        organisation__in=Membership.objects.filter(user=user)
        .filter(Q(role=MembershipRole.LEAD) | Q(is_admin=True))
        .values("organisation_id")
    ).values("place_id")


class OrganisationProposal(Proposal):
    """Someone proposes their organisation in a place; a lead of an organisation there, or
    site staff, confirms it, and the proposer becomes its lead."""

    name = models.CharField("name of the organisation", max_length=200)
    sector = models.CharField(max_length=20, choices=Sector.choices, default=Sector.VCS)
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+")
    what_we_do = models.TextField("what it does", max_length=2000)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = OrganisationProposalQuerySet.as_manager()

    class Meta(Proposal.Meta):
        pass

    def __str__(self) -> str:
        return f"Proposed organisation: {self.name}"


class EngagementAssessmentQuerySet(models.QuerySet["EngagementAssessment"]):
    def visible_to(self, user: Any) -> EngagementAssessmentQuerySet:
        """The history and its reasons are the partnership's own: people in the place's
        partnership see it. (The current level shows on the place page for everyone.)"""
        if not user.is_authenticated:
            return self.none()
        return self.filter(place_partnership_q(user, "place"))


class EngagementAssessment(models.Model):
    """The partnership's own judgement of how far it has come: level, practice, reasons.
    The latest one is the place's current level."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+")
    recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    level = models.CharField(
        "engagement in this way of working", max_length=10, choices=EngagementLevel.choices
    )
    practice = models.TextField("how things work here now", max_length=4000)
    reasons = models.TextField("why you think so", max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    objects = EngagementAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["place", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.place}: {self.get_level_display()} ({self.created_at:%d %b %Y})"
