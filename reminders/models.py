"""People's digest choices. The rows of scheduled email (``Delivery``) live in the outbox
app, with every other automatic email; they are named here too for this app's code."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from outbox.models import Delivery, DeliveryKind, DeliveryQuerySet, DeliveryStatus
from partnerships.models import Weekday

__all__ = [
    "Delivery",
    "DeliveryKind",
    "DeliveryQuerySet",
    "DeliveryStatus",
    "DigestFrequency",
    "DigestPreference",
]


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
