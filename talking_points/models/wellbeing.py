"""Anonymous wellbeing check-ins at the start of a session ("overwhelmed", the emotional
demand of this work).

Two tables that share nothing but the session:

- ``WellbeingCheckIn`` holds an answer (1 to 5 and an optional word) and no author, no
  timestamp and a random primary key, so its rows cannot be lined up with the people who
  checked in by order of insertion or by time.
- ``WellbeingCheckInMark`` records that a person has checked in to a session (so they
  cannot answer twice) and holds no answer.

The forum sees only the trend across closed sessions, and only for sessions where at least
``MIN_AGGREGATE`` people answered.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .sessions import Session, SessionStatus

# Check-ins open this long before a session starts and close when it closes.
CHECK_IN_OPENS_BEFORE = datetime.timedelta(hours=1)


def check_in_is_open(session: Session, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    if session.status == SessionStatus.CLOSED:
        return False
    return session.starts_at - CHECK_IN_OPENS_BEFORE <= now


class WellbeingCheckIn(models.Model):
    """One anonymous answer. Deliberately no author, no time, and a random id."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="wellbeing_check_ins"
    )
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    word = models.CharField("one word (optional)", max_length=30, blank=True)

    class Meta:
        # Never by insertion order: that could line answers up with the marks.
        ordering = ["session", "word", "score"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="wellbeing_score_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"A check-in for {self.session}"


class WellbeingCheckInMark(models.Model):
    """That ``user`` has checked in to ``session``; holds no answer."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="wellbeing_check_in_marks"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="one_check_in_per_session")
        ]

    def __str__(self) -> str:
        return f"{self.user} checked in to {self.session}"
