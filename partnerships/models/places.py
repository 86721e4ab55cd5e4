"""Places: the local areas, each with its own partnership, and who belongs to which."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError("Choose a real time zone, such as Europe/London.")


class EngagementLevel(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class PlaceQuerySet(models.QuerySet["Place"]):
    def in_partnership_of(self, user: Any) -> PlaceQuerySet:
        """Places whose partnership ``user`` belongs to: a member of one of its forums, a
        member of an organisation that works there, or a commissioner who covers it."""
        return self.filter(place_partnership_q(user))

    def covered_by(self, user: Any) -> PlaceQuerySet:
        """Places a commissioner covers."""
        return self.filter(pk__in=covered_place_ids(user))


class Place(models.Model):
    """A local area with its own partnership, as in Figure 1 of the report."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    county = models.CharField(max_length=120, blank=True)
    engagement_level = models.CharField(
        "engagement in complexity-informed practice",
        max_length=10,
        choices=EngagementLevel.choices,
        default=EngagementLevel.LOW,
    )
    current_practice = models.TextField("how things work here now", blank=True, max_length=4000)
    time_zone = models.CharField(
        max_length=64, default="Europe/London", validators=[validate_time_zone]
    )

    objects = PlaceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("talking_points:place_detail", kwargs={"slug": self.slug})

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


# --- Partnership membership as subqueries ------------------------------------------------
# Other apps' ``visible_to`` querysets combine these, so they are Q objects and subqueries
# rather than lists: a page stays one query, whatever the person's memberships. They reach
# forum memberships and commissioners' places through relations, so this module needs
# neither of those models.


def place_partnership_q(user: Any, place_field: str = "") -> Q:
    """A Q on Place (or on a model whose ``place_field`` points at Place) matching the places
    whose partnership ``user`` belongs to: a member of one of its forums, a member of an
    organisation that works there, or a commissioner who covers it."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    forum_places = user.forum_memberships.values("forum__place_id")
    org_places = Place.organisations.through.objects.filter(
        organisation__memberships__user=user
    ).values("place_id")
    key = f"{place_field}__in" if place_field else "pk__in"
    return Q(**{key: forum_places}) | Q(**{key: org_places}) | Q(**{key: covered_place_ids(user)})


def covered_place_ids(user: Any) -> models.QuerySet[Any]:
    """Places a commissioner covers, as a subquery of ids."""
    return Place.commissioners.through.objects.filter(commissionerprofile__user=user).values(
        "place_id"
    )
