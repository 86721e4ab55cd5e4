"""Organisations and the people in them."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from partnerships.models.people import User
from partnerships.models.places import Place


class Sector(models.TextChoices):
    VCS = "vcs", "Voluntary and community"
    STATUTORY = "statutory", "Statutory (council)"
    HEALTH = "health", "Health"
    FUNDER = "funder", "Funder or trust"
    PRIVATE = "private", "Private"
    ACADEMIC = "academic", "Academic"


# An org-id.guide identifier: a list prefix (country code, register) and the organisation's
# number on that register, e.g. GB-CHC-1234567 (a charity in England and Wales).
validate_org_id = RegexValidator(
    r"^[A-Z]{2}-[A-Z0-9]{2,}-[A-Za-z0-9][A-Za-z0-9./-]{0,80}$",
    message="Enter an org-id identifier such as GB-CHC-1234567: the register's prefix, a "
    "hyphen, then your number on that register.",
)


class Organisation(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    sector = models.CharField(max_length=20, choices=Sector.choices, default=Sector.VCS)
    places = models.ManyToManyField(Place, related_name="organisations", blank=True)
    what_we_do = models.TextField("what we do", blank=True, max_length=2000)
    distinctive_contribution = models.TextField(
        "what we distinctively bring", blank=True, max_length=2000
    )
    local_assets = models.TextField("local assets we hold", blank=True, max_length=2000)
    website = models.URLField(blank=True)
    org_id = models.CharField(
        "org-id identifier",
        max_length=100,
        blank=True,
        validators=[validate_org_id],
        help_text="From org-id.guide, for example GB-CHC-1234567 for a registered charity or "
        "GB-COH-01234567 for a company. Open data uses it to join up who funds whom.",
    )

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["sector", "name"])]
        constraints = [
            models.UniqueConstraint(
                fields=["org_id"], condition=~Q(org_id=""), name="unique_organisation_org_id"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnerships:organisation_detail", kwargs={"slug": self.slug})


class MembershipRole(models.TextChoices):
    STAFF = "staff", "Staff"
    VOLUNTEER = "volunteer", "Volunteer"
    LEAD = "lead", "Lead"


class MembershipQuerySet(models.QuerySet["Membership"]):
    def leads(self) -> MembershipQuerySet:
        return self.filter(Q(role=MembershipRole.LEAD) | Q(is_admin=True))


class Membership(models.Model):
    """A person in an organisation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=MembershipRole.choices, default="staff")
    is_admin = models.BooleanField("administers the organisation", default=False)
    joined_at = models.DateTimeField(default=timezone.now)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")
        ]
        ordering = ["organisation__name", "user__full_name"]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.organisation})"

    @property
    def can_administer(self) -> bool:
        return self.is_admin or self.role == MembershipRole.LEAD
