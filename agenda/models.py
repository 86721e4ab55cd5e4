"""The agenda belongs to everyone: members propose what a coming session talks about,
facilitation rotates among willing members, and attendees suggest corrections to a summary
before it is shared beyond the forum.

Everything here is seen by members of the forum only (``visible_to``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from partnerships.models import ForumMembership

DEFAULT_CORRECTION_DAYS = 2
MAX_CORRECTION_DAYS = 14
NOTICE_DAYS = 7


def _members_of_session_forum(user: Any, ref: str) -> Exists:
    return Exists(ForumMembership.objects.filter(forum=OuterRef(ref), user=user))


class ForumVisibleQuerySet(models.QuerySet[Any]):
    """Rows about a session, seen by members of the session's forum only."""

    def visible_to(self, user: Any) -> Any:
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(_members_of_session_forum(user, "session__forum"))


class AgendaSettings(models.Model):
    """A forum's choices about sharing the agenda and the summary."""

    forum = models.OneToOneField(
        "partnerships.Forum", on_delete=models.CASCADE, related_name="agenda_settings"
    )
    rota_on = models.BooleanField("take turns to facilitate", default=False)
    correction_days = models.PositiveSmallIntegerField(
        "days to suggest corrections",
        default=DEFAULT_CORRECTION_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CORRECTION_DAYS)],
    )

    class Meta:
        verbose_name_plural = "agenda settings"

    def __str__(self) -> str:
        return f"Agenda settings of {self.forum}"


class ProposalStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the facilitator"
    ACCEPTED = "accepted", "Added to the agenda"
    MERGED = "merged", "Joined with an agenda item"
    DECLINED = "declined", "Not taken up"


class Proposal(models.Model):
    """A member's suggestion for a coming session: one of the forum's talking points, or an
    item in their own words, with a line on why."""

    session = models.ForeignKey(
        "talking_points.Session", on_delete=models.CASCADE, related_name="agenda_proposals"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_proposals",
    )
    proposer_name = models.CharField(max_length=150)
    talking_point = models.ForeignKey(
        "talking_points.TalkingPoint",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.CharField("item in your own words", max_length=500, blank=True)
    why = models.CharField("why talk about it", max_length=1000)
    status = models.CharField(
        max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    reason = models.CharField("the facilitator's reason", max_length=1000, blank=True)
    agenda_item = models.ForeignKey(
        "talking_points.AgendaItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The item it became, or was joined with.",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ForumVisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["session", "status"]),
            models.Index(fields=["proposed_by", "-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(talking_point__isnull=False) | ~Q(text=""),
                name="proposal_names_something",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.text or str(self.talking_point or "A talking point no longer used")

    @property
    def is_pending(self) -> bool:
        return self.status == ProposalStatus.PENDING


class RotaVolunteer(models.Model):
    """A member willing to take a turn at facilitating their forum's sessions."""

    forum = models.ForeignKey(
        "partnerships.Forum", on_delete=models.CASCADE, related_name="rota_volunteers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rota_volunteering"
    )
    since = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["since", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["forum", "user"], name="one_rota_place_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.user} in the rota of {self.forum}"


class RotaTurn(models.Model):
    """Who facilitates one session, taken in turn from the rota."""

    session = models.OneToOneField(
        "talking_points.Session", on_delete=models.CASCADE, related_name="rota_turn"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rota_turns"
    )
    assigned_at = models.DateTimeField(default=timezone.now)

    objects = ForumVisibleQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["user"])]

    def __str__(self) -> str:
        return f"{self.user} facilitates {self.session}"


class CorrectionStatus(models.TextChoices):
    PENDING = "pending", "Waiting for an answer"
    ACCEPTED = "accepted", "Accepted and applied"
    DECLINED = "declined", "Not applied"


class Correction(models.Model):
    """An attendee's suggested change to a decision or an action in a session's summary."""

    session = models.ForeignKey(
        "talking_points.Session", on_delete=models.CASCADE, related_name="corrections"
    )
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="summary_corrections",
    )
    suggester_name = models.CharField(max_length=150)
    decision = models.ForeignKey(
        "talking_points.Decision",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    action = models.ForeignKey(
        "talking_points.Action", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    current_text = models.TextField()
    proposed_text = models.TextField("what it should say", max_length=4000)
    why = models.CharField("why", max_length=1000)
    status = models.CharField(
        max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.PENDING
    )
    answer = models.CharField("the facilitator's answer", max_length=1000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ForumVisibleQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["session", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__isnull=True, action__isnull=False)
                | Q(decision__isnull=False, action__isnull=True),
                name="correction_changes_one_thing",
            )
        ]

    def __str__(self) -> str:
        return self.proposed_text[:80]

    @property
    def what(self) -> str:
        return "Decision" if self.decision_id else "Action"

    @property
    def is_pending(self) -> bool:
        return self.status == CorrectionStatus.PENDING


def correction_window_ends(session: Any, days: int) -> datetime.datetime | None:
    """When attendees stop being able to suggest corrections: ``days`` after the close."""
    if session.closed_at is None:
        return None
    return session.closed_at + datetime.timedelta(days=days)
