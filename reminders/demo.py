"""Demo choices for reminders: the demo commissioner takes a Monday digest. Idempotent,
and it never overrides a choice someone has since changed."""

from __future__ import annotations

from partnerships.models import User, Weekday

from .models import DigestFrequency, DigestPreference


def load() -> None:
    commissioner = User.objects.filter(email="commissioner@demo.hls-forum.localhost").first()
    if commissioner is not None:
        DigestPreference.objects.get_or_create(
            user=commissioner,
            defaults={"frequency": DigestFrequency.WEEKLY, "weekday": Weekday.MONDAY},
        )
