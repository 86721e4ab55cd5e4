from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class SessionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    LIVE = "live", "Live"
    CLOSED = "closed", "Closed"


class Session(models.Model):
    """A forum's meeting: planned, then live, then closed."""

    forum = models.ForeignKey(
        "partnerships.Forum", on_delete=models.CASCADE, related_name="sessions"
    )
    starts_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["forum", "-starts_at"])]

    def __str__(self) -> str:
        return f"{self.forum} on {self.starts_at:%d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("talking_points:session_detail", kwargs={"pk": self.pk})


class Decision(models.Model):
    """What a session decided."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField("what was decided", max_length=4000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text[:80]
