"""Guests at a live session: people without an account who join from a link the facilitator
shows, and what they say while it waits for the facilitator.

Privacy: a guest is what they typed (a first name, or nothing when they chose to be
anonymous). No address, browser or account is stored; their own session cookie remembers
them for that session only.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from talking_points.models.sessions import MAX_CONTRIBUTION_CHARS

MAX_GUEST_NAME_CHARS = 40


def new_token() -> str:
    return secrets.token_urlsafe(16)


class GuestLink(models.Model):
    """The one guest link of a live session. It works while the session is live; making a
    new one replaces the token, so the old link stops working at once."""

    session = models.OneToOneField(
        "talking_points.Session", on_delete=models.CASCADE, related_name="guest_link"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Guest link for {self.session}"


class Guest(models.Model):
    """Someone at the table through the guest link. ``name`` is empty for an anonymous guest."""

    link = models.ForeignKey(GuestLink, on_delete=models.CASCADE, related_name="guests")
    name = models.CharField(max_length=MAX_GUEST_NAME_CHARS, blank=True)
    attendance = models.OneToOneField(
        "talking_points.Attendance",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["joined_at", "pk"]

    def __str__(self) -> str:
        return self.name or "An anonymous guest"

    @property
    def is_anonymous(self) -> bool:
        return not self.name


class WaitingContributionQuerySet(models.QuerySet["WaitingContribution"]):
    def for_facilitator_of(self, session_id: int) -> WaitingContributionQuerySet:
        """What waits for the facilitator of ``session_id`` (the caller has checked they are
        one), oldest first, with what the list shows."""
        return (
            self.filter(session_id=session_id)
            .select_related("guest", "agenda_item__talking_point")
            .order_by("pk")
        )


class WaitingContribution(models.Model):
    """A guest's contribution before the facilitator admits it (it then becomes a
    ``talking_points.Contribution`` and this row goes) or declines it (this row goes)."""

    session = models.ForeignKey(
        "talking_points.Session", on_delete=models.CASCADE, related_name="+"
    )
    guest = models.ForeignKey(Guest, on_delete=models.CASCADE, related_name="waiting")
    agenda_item = models.ForeignKey(
        "talking_points.AgendaItem", on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(max_length=MAX_CONTRIBUTION_CHARS)
    created_at = models.DateTimeField(default=timezone.now)

    objects = WaitingContributionQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["session", "id"])]

    def __str__(self) -> str:
        return self.text[:80]
