"""Commissioners and the transparency register of what they fund, and why."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from partnerships.models.organisations import Organisation
from partnerships.models.people import User
from partnerships.models.places import Place, place_partnership_q


class Specialism(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CommissionerProfile(models.Model):
    """A named, reachable commissioner at a statutory body or funder. Public."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="commissioner_profile")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="commissioners"
    )
    job_title = models.CharField(max_length=200)
    specialisms = models.ManyToManyField(Specialism, related_name="commissioners", blank=True)
    places = models.ManyToManyField(Place, related_name="commissioners", blank=True)
    public_email = models.EmailField("contact email")
    public_phone = models.CharField("contact phone", max_length=40, blank=True)
    availability = models.CharField("when you can be reached", max_length=300, blank=True)
    about = models.TextField("what you fund and why", blank=True, max_length=4000)

    class Meta:
        ordering = ["user__full_name"]

    def __str__(self) -> str:
        return f"{self.user} — {self.job_title}"

    def get_absolute_url(self) -> str:
        return reverse("partnerships:commissioner_detail", kwargs={"pk": self.pk})


class FundingKind(models.TextChoices):
    """How a commission is given (relational funding: how much room it leaves)."""

    GRANT = "grant", "Grant"
    CONTRACT = "contract", "Contract"
    ALLIANCE = "alliance", "Alliance (providers share one budget and its risk)"


class Flexibility(models.TextChoices):
    FIXED = "fixed", "Tied to set activities"
    BY_AGREEMENT = "by_agreement", "Can change by agreement along the way"
    UNRESTRICTED = "unrestricted", "Unrestricted: the providers decide how to use it"


class CommissionQuerySet(models.QuerySet["Commission"]):
    def visible_to(self, user: Any) -> CommissionQuerySet:
        """Public commissions for everyone; unpublished ones for the place's partnership
        and the commissioner who recorded them. One query, whatever the memberships."""
        public = Q(is_public=True)
        if user is None or not user.is_authenticated:
            return self.filter(public)
        own = Q(commissioner__user=user)
        return self.filter(public | own | place_partnership_q(user, "place"))


class Commission(models.Model):
    """One line of the transparency register: "What are you funding, and why?"."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="commissions")
    commissioner = models.ForeignKey(
        CommissionerProfile, on_delete=models.CASCADE, related_name="commissions"
    )
    title = models.CharField("what is funded", max_length=200)
    why = models.TextField("why you fund it", max_length=4000)
    budget = models.DecimalField(
        "budget (£)",
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0, message="The budget cannot be negative.")],
    )
    starts_on = models.DateField("starts on")
    ends_on = models.DateField("ends on", null=True, blank=True)
    providers = models.ManyToManyField(
        Organisation, related_name="commissions_provided", blank=True
    )
    specialisms = models.ManyToManyField(Specialism, related_name="commissions", blank=True)
    outcomes_agreed = models.TextField("how outcomes were agreed", max_length=4000, blank=True)
    designed_with_people_using_services = models.BooleanField(
        "people who use services took part in the design", default=False
    )
    designed_with_vcs = models.BooleanField(
        "voluntary and community organisations took part in the design", default=False
    )
    design_participants = models.TextField(
        "who else took part in the design, and how", max_length=2000, blank=True
    )
    funding_kind = models.CharField(
        "how it is given", max_length=20, choices=FundingKind.choices, blank=True
    )
    flexibility = models.CharField(
        "how flexible the money is", max_length=20, choices=Flexibility.choices, blank=True
    )
    reporting_asks = models.TextField(
        "what reporting you ask for",
        max_length=2000,
        blank=True,
        help_text="For example: a learning conversation twice a year instead of monthly returns.",
    )
    is_public = models.BooleanField(
        "show to the public",
        default=True,
        help_text="Untick only for a good reason; the place's partners still see it.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CommissionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget__gte=0), name="commission_budget_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="commission_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["place", "is_public", "-starts_on"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("talking_points:commission_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The end date must be on or after the start date."})
