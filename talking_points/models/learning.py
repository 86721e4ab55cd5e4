from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Membership
from partnerships.permissions import covered_place_ids, place_partnership_q


class Visibility(models.TextChoices):
    """Widening in this order; see DESIGN.md "Who sees what"."""

    ORGANISATION = "organisation", "Our organisation only"
    COMMISSIONERS = "commissioners", "Our organisation and the commissioners for this place"
    PLACE = "place", "Everyone in this place's partnership"
    PUBLIC = "public", "Anyone, including the public"

    @classmethod
    def rank(cls, value: str) -> int:
        return list(cls.values).index(value)


class LearningKind(models.TextChoices):
    BREAKTHROUGH = "breakthrough", "Breakthrough"
    DISAPPOINTMENT = "disappointment", "Disappointment"
    EXPERIMENT = "experiment", "Experiment"
    STORY = "story", "Story of change"
    REFLECTION = "reflection", "Reflection"


class LearningEntryQuerySet(models.QuerySet["LearningEntry"]):
    def visible_to(self, user: Any) -> LearningEntryQuerySet:
        """The one place that decides which entries ``user`` may read. One query, always."""
        public = Q(visibility=Visibility.PUBLIC)
        if user is None or not user.is_authenticated:
            return self.filter(public)
        own_orgs = Membership.objects.filter(user=user).values("organisation_id")
        own = Q(organisation_id__in=own_orgs)
        commissioners = Q(visibility=Visibility.COMMISSIONERS, place_id__in=covered_place_ids(user))
        # Commissioners who cover the place are part of its partnership, so they see
        # "place" entries through place_partnership_q too.
        place = Q(visibility=Visibility.PLACE) & place_partnership_q(user, "place")
        return self.filter(public | own | commissioners | place)

    def public(self) -> LearningEntryQuerySet:
        return self.filter(visibility=Visibility.PUBLIC)


class LearningEntry(models.Model):
    """Something an organisation learned in a place, shared as widely as it chooses."""

    place = models.ForeignKey(
        "partnerships.Place", on_delete=models.CASCADE, related_name="learning_entries"
    )
    organisation = models.ForeignKey(
        "partnerships.Organisation", on_delete=models.CASCADE, related_name="learning_entries"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="learning_entries",
    )
    kind = models.CharField(max_length=20, choices=LearningKind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(max_length=20000, blank=True)
    visibility = models.CharField(
        max_length=20, choices=Visibility.choices, default=Visibility.ORGANISATION
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LearningEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "learning entries"
        indexes = [
            models.Index(fields=["place", "visibility", "-created_at"]),
            models.Index(fields=["organisation", "-created_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("talking_points:entry_detail", kwargs={"pk": self.pk})
