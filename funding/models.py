"""Each organisation's funding mix: what shares of its income come from grants, contracts,
donations and earned income. Dated; the latest counts.

One organisation's mix is for its own members only. Everyone else sees a place's mixes only
in aggregate, and only once at least ``MIN_ORGANISATIONS`` organisations have given theirs
(``funding.aggregate``): no page, CSV or export reads a row through anything else.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

from partnerships.models import Organisation

# The fewest organisations whose mixes may be shown together (as elsewhere on the picture).
MIN_ORGANISATIONS = 3

SHARES = [
    ("grants_percent", "Grants"),
    ("contracts_percent", "Contracts"),
    ("donations_percent", "Donations"),
    ("earned_percent", "Earned income"),
]


def _percent(label: str) -> models.PositiveSmallIntegerField[Any, Any]:
    return models.PositiveSmallIntegerField(
        f"{label} (%)",
        default=0,
        validators=[MaxValueValidator(100, message="A share cannot be more than 100%%.")],
    )


class FundingMixQuerySet(models.QuerySet["FundingMix"]):
    def visible_to(self, user: Any) -> FundingMixQuerySet:
        """Only the mixes of organisations ``user`` belongs to. Nobody else, staff included,
        reads a single organisation's mix. One query."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(organisation__memberships__user=user)

    def latest_per_organisation(self) -> FundingMixQuerySet:
        """Each organisation's latest mix (by the date it describes, then when entered).
        A subquery, so it works on SQLite as on PostgreSQL."""
        latest = (
            FundingMix.objects.filter(organisation=OuterRef("organisation"))
            .order_by("-as_of", "-created_at", "-pk")
            .values("pk")[:1]
        )
        return self.filter(pk=Subquery(latest))


class FundingMix(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="funding_mixes"
    )
    grants_percent = _percent("Grants")
    contracts_percent = _percent("Contracts")
    donations_percent = _percent("Donations")
    earned_percent = _percent("Earned income")
    as_of = models.DateField("the date these shares describe")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = FundingMixQuerySet.as_manager()

    class Meta:
        ordering = ["-as_of", "-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-as_of", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    grants_percent__lte=100,
                    contracts_percent__lte=100,
                    donations_percent__lte=100,
                    earned_percent__lte=100,
                ),
                name="funding_mix_shares_at_most_100",
            ),
            models.CheckConstraint(
                condition=Q(
                    grants_percent=100
                    - F("contracts_percent")
                    - F("donations_percent")
                    - F("earned_percent")
                ),
                name="funding_mix_adds_up_to_100",
            ),
        ]
        verbose_name = "funding mix"
        verbose_name_plural = "funding mixes"

    def __str__(self) -> str:
        return f"{self.organisation} on {self.as_of:%d %B %Y}"

    def shares(self) -> list[tuple[str, int]]:
        return [(label, getattr(self, field)) for field, label in SHARES]
