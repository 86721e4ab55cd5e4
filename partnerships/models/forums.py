"""Forums: each place's recurring gathering, its members and requests to join."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from partnerships.models.people import User
from partnerships.models.places import Place


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class ForumAccess(models.TextChoices):
    OPEN = "open", "Open: anyone can ask to join"
    INVITE_ONLY = "invite", "Invite only"


class ForumQuerySet(models.QuerySet["Forum"]):
    def visible_to(self, user: Any) -> ForumQuerySet:
        """Forums are public by design: their purpose, time and venue invite people in."""
        return self.all()


class Forum(models.Model):
    """A place's recurring gathering: "the same day every week"."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="forums")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    purpose = models.TextField(max_length=4000)
    weekday = models.IntegerField(choices=Weekday.choices, default=Weekday.TUESDAY)
    start_time = models.TimeField(default=datetime.time(10, 0))
    duration_minutes = models.PositiveIntegerField(
        default=90, validators=[MinValueValidator(15), MaxValueValidator(480)]
    )
    venue = models.CharField("neutral venue", max_length=300, blank=True)
    online_link = models.URLField("online meeting link", blank=True)
    access = models.CharField(max_length=10, choices=ForumAccess.choices, default="open")
    reminder_days_before = models.PositiveSmallIntegerField(
        default=1, validators=[MaxValueValidator(6)]
    )
    reminder_hour = models.PositiveSmallIntegerField(default=9, validators=[MaxValueValidator(23)])
    created_at = models.DateTimeField(default=timezone.now)

    objects = ForumQuerySet.as_manager()

    class Meta:
        ordering = ["place__name", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("talking_points:forum_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if not self.venue and not self.online_link:
            raise ValidationError("Give a venue, an online link, or both.")

    @property
    def is_open(self) -> bool:
        return self.access == ForumAccess.OPEN

    def next_meeting(self, after: datetime.datetime | None = None) -> datetime.datetime:
        """The next regular meeting starting after ``after``, in the place's time zone."""
        tz = self.place.tz
        now = (after or timezone.now()).astimezone(tz)
        days_ahead = (self.weekday - now.weekday()) % 7
        candidate_date = now.date() + datetime.timedelta(days=days_ahead)
        candidate = datetime.datetime.combine(candidate_date, self.start_time, tzinfo=tz)
        if candidate <= now:
            candidate += datetime.timedelta(days=7)
            candidate = datetime.datetime.combine(candidate.date(), self.start_time, tzinfo=tz)
        return candidate


class ForumRole(models.TextChoices):
    PARTICIPANT = "participant", "Participant"
    FACILITATOR = "facilitator", "Facilitator"


class ForumMembership(models.Model):
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="forum_memberships")
    role = models.CharField(max_length=20, choices=ForumRole.choices, default="participant")
    reminders_enabled = models.BooleanField("send me reminders", default=True)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["forum", "user"], name="one_membership_per_forum")
        ]
        ordering = ["forum__name", "user__full_name"]

    def __str__(self) -> str:
        return f"{self.user} in {self.forum} ({self.get_role_display()})"

    @property
    def is_facilitator(self) -> bool:
        return self.role == ForumRole.FACILITATOR


class RequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a reply"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class ForumJoinRequest(models.Model):
    """Someone asks to join an open forum; a facilitator accepts or declines."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="forum_join_requests")
    message = models.TextField(blank=True, max_length=1000)
    status = models.CharField(max_length=10, choices=RequestStatus.choices, default="pending")
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "user"],
                condition=Q(status="pending"),
                name="one_pending_request_per_forum",
            )
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} asks to join {self.forum}"
