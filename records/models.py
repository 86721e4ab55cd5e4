"""What each talking point leaves behind: small records a place's partnership keeps together.

Talking point 1, the place's assets; 5, the control map; 9, signals of change; 15, the
partnership agreement; 16, the fears register. Talking point 6 (is the VCS at the table) is
computed from attendance, never stored (``records/trend.py``).

Who reads: the place's partnership, exactly as the place picture decides
(``place_partnership_q``), through each model's ``visible_to``. Who writes:
``records/permissions.py``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from partnerships.models import place_partnership_q


class PlaceRecordQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: Any) -> PlaceRecordQuerySet:
        """Rows of the places whose partnership ``user`` belongs to. One query."""
        return self.filter(place_partnership_q(user, "place"))


class PlaceRecord(models.Model):
    """A row of one place's record, with who added it and when."""

    place = models.ForeignKey("partnerships.Place", on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlaceRecordQuerySet.as_manager()

    class Meta:
        abstract = True


class PlaceAsset(PlaceRecord):
    """Talking point 1: something the partnership values about the place."""

    name = models.CharField("what it is", max_length=200)
    description = models.TextField("why it matters", max_length=1000, blank=True)
    organisation = models.ForeignKey(
        "partnerships.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="organisation it belongs to",
    )

    class Meta:
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["place", "name"])]

    def __str__(self) -> str:
        return self.name


class Ring(models.TextChoices):
    CONTROL = "control", "In our control"
    INFLUENCE = "influence", "We can influence"
    CONCERN = "concern", "We are concerned but cannot influence"


class ControlItem(PlaceRecord):
    """Talking point 5: one thing, placed in one of the three rings."""

    text = models.CharField("what it is", max_length=300)
    ring = models.CharField(max_length=10, choices=Ring.choices, default=Ring.CONTROL)

    class Meta:
        ordering = ["ring", "text", "pk"]
        indexes = [models.Index(fields=["place", "ring"])]

    def __str__(self) -> str:
        return self.text


class Signal(PlaceRecord):
    """Talking point 9: a sign that things are changing, who looks for it, and the
    learning that shows it."""

    text = models.CharField("what we would see", max_length=300)
    how = models.TextField("how we will look for it", max_length=1000, blank=True)
    watcher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="person who looks for it",
    )
    watcher_organisation = models.ForeignKey(
        "partnerships.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="organisation that looks for it",
    )

    class Meta:
        ordering = ["text", "pk"]
        indexes = [models.Index(fields=["place", "text"])]

    def __str__(self) -> str:
        return self.text

    @property
    def watched_by(self) -> str:
        return str(self.watcher or self.watcher_organisation or "Nobody yet")


class SignalEvidence(models.Model):
    """A learning entry linked to a signal as evidence. Shown only to people who may read
    the entry (``LearningEntry.objects.visible_to``)."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="evidence")
    entry = models.ForeignKey(
        "talking_points.LearningEntry", on_delete=models.CASCADE, related_name="+"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-linked_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["signal", "entry"], name="one_link_per_signal_entry")
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} for {self.signal}"


class AgreementVersion(PlaceRecord):
    """Talking point 15: one version of what the partners will and won't do together. Each
    change is a new version; organisations sign up to a version, so a new one starts with
    none."""

    number = models.PositiveIntegerField()
    will_do = models.TextField("what we will do together", max_length=4000)
    wont_do = models.TextField("what we won't do", max_length=4000, blank=True)
    change_note = models.CharField("what changed", max_length=300, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["place", "number"], name="one_agreement_version_number")
        ]

    def __str__(self) -> str:
        return f"Version {self.number}"


class AgreementSignature(models.Model):
    """An organisation has signed up to a version, by one of its leads."""

    version = models.ForeignKey(
        AgreementVersion, on_delete=models.CASCADE, related_name="signatures"
    )
    organisation = models.ForeignKey(
        "partnerships.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "organisation"], name="one_signature_per_version_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} signed {self.version}"


class Fear(PlaceRecord):
    """Talking point 16: a fear about working together, how we meet it, and who sees to it."""

    text = models.CharField("the fear", max_length=300)
    mitigation = models.TextField("how we will meet it", max_length=1000, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="who sees to it",
    )

    class Meta:
        ordering = ["text", "pk"]
        indexes = [models.Index(fields=["place", "text"])]

    def __str__(self) -> str:
        return self.text


class FearReview(models.Model):
    """A fear looked at again, in a later session or otherwise."""

    fear = models.ForeignKey(Fear, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField("date reviewed", default=timezone.localdate)
    note = models.CharField("what we found", max_length=500)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(note=""), name="fear_review_has_a_note"),
        ]

    def __str__(self) -> str:
        return f"{self.fear} reviewed on {self.reviewed_on}"
