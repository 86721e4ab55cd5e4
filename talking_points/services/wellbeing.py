"""Writes for wellbeing check-ins: anonymous answers after a forum session."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from ..models import WellbeingCheckIn, WellbeingCheckInMark


class CheckInError(Exception):
    """A check-in that cannot be recorded; the message says why, in plain English."""


def wellbeing_check_in(*, session: Any, user: Any, score: int, word: str = "") -> None:
    """Record an anonymous check-in for ``session``.

    Precondition: ``user`` is a member of the session's forum and check-in is open.
    Guarantee: at most one answer per person per session (the mark's unique constraint),
    and the answer row holds nothing that links it to ``user``: no author, no time, and a
    random id.
    """
    if not 1 <= score <= 5:
        raise CheckInError("Choose a number from 1 to 5.")
    try:
        with transaction.atomic():
            WellbeingCheckInMark.objects.create(session=session, user=user)
            WellbeingCheckIn.objects.create(session=session, score=score, word=word[:30])
    except IntegrityError:
        raise CheckInError("You have already checked in to this session.") from None
