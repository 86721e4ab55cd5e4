"""Outbound scheduled email: one row per message we mean to send, and digest choices.

A ``Delivery`` row is created by the dispatcher before anything is queued, under a unique
constraint, so a second dispatcher, a retry or a crash can never produce a second row for
the same (forum, person, meeting date) or (person, digest date). The row's status is the
single source of truth for whether the message went out.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from partnerships.models import Weekday


class DeliveryKind(models.TextChoices):
    REMINDER = "reminder", "Meeting reminder"
    DIGEST = "digest", "Weekly digest"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting to send"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    UNKNOWN = "unknown", "Unknown: sending stopped part-way"
    SKIPPED = "skipped", "Not sent"


class DeliveryQuerySet(models.QuerySet["Delivery"]):
    def reminders(self) -> DeliveryQuerySet:
        return self.filter(kind=DeliveryKind.REMINDER)

    def needing_attention(self) -> DeliveryQuerySet:
        return self.filter(status__in=[DeliveryStatus.FAILED, DeliveryStatus.UNKNOWN])


class Delivery(models.Model):
    """One email to one person about one occasion (a meeting, or a week's digest).

    Lifecycle: pending → sending → sent. A transient SMTP error puts it back to pending
    for a retry; a permanent one, or too many attempts, makes it failed. A row found in
    sending for longer than ``REMINDERS_SENDING_TIMEOUT`` is marked unknown and never
    resent automatically: the email may or may not have left, and a facilitator decides.
    """

    kind = models.CharField(max_length=10, choices=DeliveryKind.choices)
    forum = models.ForeignKey(
        "partnerships.Forum",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deliveries"
    )
    occasion_date = models.DateField(help_text="The meeting's local date, or the digest's date.")
    occasion_at = models.DateTimeField(help_text="When the meeting starts, or the digest was due.")
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    detail = models.CharField("what happened", max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    queued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "deliveries"
        ordering = ["-occasion_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "recipient", "occasion_date"],
                condition=Q(kind="reminder"),
                name="one_reminder_per_person_per_meeting",
            ),
            models.UniqueConstraint(
                fields=["recipient", "occasion_date"],
                condition=Q(kind="digest"),
                name="one_digest_per_person_per_day",
            ),
            models.CheckConstraint(
                condition=Q(kind="digest") | Q(forum__isnull=False),
                name="reminder_has_forum",
            ),
        ]
        indexes = [
            # The dispatcher's two sweeps: pending rows to (re)queue, stuck sending rows.
            models.Index(
                fields=["queued_at"],
                condition=Q(status="pending"),
                name="delivery_pending_idx",
            ),
            models.Index(
                fields=["claimed_at"],
                condition=Q(status="sending"),
                name="delivery_sending_idx",
            ),
            models.Index(fields=["forum", "-occasion_date"], name="delivery_forum_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient_id} on {self.occasion_date}"

    @property
    def can_resend(self) -> bool:
        return self.status in {DeliveryStatus.FAILED, DeliveryStatus.UNKNOWN}


class DigestFrequency(models.TextChoices):
    OFF = "off", "Off: no digest"
    WEEKLY = "weekly", "Weekly"


class DigestPreference(models.Model):
    """A person's choice of weekly digest: off, or weekly on the day they pick."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_preference"
    )
    frequency = models.CharField(
        max_length=10, choices=DigestFrequency.choices, default=DigestFrequency.OFF
    )
    weekday = models.IntegerField(
        "day of the week", choices=Weekday.choices, default=Weekday.MONDAY
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["frequency", "weekday"])]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.get_frequency_display()}"
