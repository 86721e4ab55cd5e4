"""Stories told by people who use services, through a place's public "tell us" form.

A teller has no account. What they type waits for the place's facilitators; an accepted
story becomes a story of change (a learning entry with its consent record), so from then
on ``LearningEntry.objects.visible_to`` decides who reads it. Until then only the place's
facilitators see it (``ToldStoryQuerySet.waiting_for``).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from partnerships.models import ForumMembership, ForumRole
from talking_points.models import Visibility


def token_digest(token: str) -> str:
    """What is stored of a teller's private link: only its hash, so the table alone
    cannot withdraw anyone's story."""
    return hashlib.sha256(token.encode()).hexdigest()


def facilitated_place_ids(user: Any) -> models.QuerySet[ForumMembership, Any]:
    """The places where ``user`` facilitates a forum: they look after its stories."""
    return ForumMembership.objects.filter(user=user, role=ForumRole.FACILITATOR).values(
        "forum__place_id"
    )


class StoryCall(models.Model):
    """A place's public "tell us" form, and whether it is open."""

    place = models.OneToOneField(
        "partnerships.Place", on_delete=models.CASCADE, related_name="story_call"
    )
    is_open = models.BooleanField(default=False)
    welcome = models.TextField(
        "a few words at the top of the form",
        max_length=600,
        blank=True,
        help_text="Say who is asking and why. Keep it short and simple.",
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Tell us form for {self.place}"


class StoryStatus(models.TextChoices):
    WAITING = "waiting", "Waiting to be read"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Not used"
    WITHDRAWN = "withdrawn", "Taken back by the person who told it"


class ToldStoryQuerySet(models.QuerySet["ToldStory"]):
    def waiting_for(self, user: Any) -> ToldStoryQuerySet:
        """The stories ``user`` may read before they are accepted: those told to a place
        where they facilitate a forum. Everyone else: none."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(place_id__in=facilitated_place_ids(user))


class ToldStory(models.Model):
    """One story as the teller typed it. Declined or withdrawn, its words are deleted."""

    place = models.ForeignKey(
        "partnerships.Place", on_delete=models.CASCADE, related_name="told_stories"
    )
    # The organisation the teller chose; none means "the partnership as a whole".
    organisation = models.ForeignKey(
        "partnerships.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="told_stories",
    )
    story = models.TextField(max_length=5000)
    what_changed = models.TextField(max_length=2000, blank=True)
    first_name = models.CharField(max_length=60, blank=True)
    widest_visibility = models.CharField(max_length=20, choices=Visibility.choices)
    # Only to send the private link and, if chosen in a panel, to say so. Never shown.
    email = models.EmailField(blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        max_length=10, choices=StoryStatus.choices, default=StoryStatus.WAITING
    )
    told_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    entry = models.OneToOneField(
        "talking_points.LearningEntry",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="told_story",
    )

    objects = ToldStoryQuerySet.as_manager()

    class Meta:
        ordering = ["-told_at", "-pk"]
        indexes = [models.Index(fields=["place", "status", "-told_at"])]

    def __str__(self) -> str:
        return f"Story told to {self.place_id} on {self.told_at:%Y-%m-%d}"

    @property
    def teller(self) -> str:
        return self.first_name or "Someone who did not give a name"


# --- Most Significant Change rounds ----------------------------------------------------------


class StoryRoundQuerySet(models.QuerySet["StoryRound"]):
    def visible_to(self, user: Any) -> StoryRoundQuerySet:
        """A round is the partnership's: those in the place's partnership read it."""
        from partnerships.models import Place

        if not user.is_authenticated:
            return self.none()
        return self.filter(place__in=Place.objects.in_partnership_of(user))


class StoryRound(models.Model):
    """A Most Significant Change round: stories gathered under domains of change, and a
    panel of partners who choose the most significant in each, with their reasons."""

    place = models.ForeignKey(
        "partnerships.Place", on_delete=models.CASCADE, related_name="story_rounds"
    )
    title = models.CharField(max_length=200)
    domains_text = models.TextField(
        "domains of change",
        max_length=2000,
        help_text="One on each line, such as “Changes in people's lives”.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    stories = models.ManyToManyField(
        "talking_points.LearningEntry", related_name="story_rounds", blank=True
    )
    panel = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="story_panels", blank=True
    )

    objects = StoryRoundQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def domains(self) -> list[str]:
        return [line.strip() for line in self.domains_text.splitlines() if line.strip()]


class Selection(models.Model):
    """The panel's choice for one domain, and why."""

    round = models.ForeignKey(StoryRound, on_delete=models.CASCADE, related_name="selections")
    domain = models.CharField(max_length=200)
    entry = models.ForeignKey(
        "talking_points.LearningEntry", on_delete=models.CASCADE, related_name="+"
    )
    reasons = models.TextField(max_length=4000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["domain"]
        constraints = [
            models.UniqueConstraint(fields=["round", "domain"], name="one_choice_per_domain")
        ]

    def __str__(self) -> str:
        return f"{self.domain}: {self.entry_id}"
