"""Demo: the Plymouth forum's rotating-seat decision was made by consent, with one objection
withdrawn once the proposal's wording was explained, and is due for review in a fortnight."""

from __future__ import annotations

import datetime

from django.utils import timezone

from talking_points.models import Decision

from .models import DecisionReviewDate, Method, Position, Round, RoundStatus, TakingPart

SEAT = "The forum will ask for one rotating seat on the alliance board."

# (demo person, position, reason, withdrawn)
POSITIONS = [
    ("lead", "consent", "", False),
    ("worker", "concern", "A quarter is short for a newcomer to find their feet.", False),
    (
        "volunteer",
        "objection",
        "Small groups cannot spare a day a month for board papers.",
        True,
    ),
    ("commissioner", "consent", "", False),
]


def load() -> None:
    decision = Decision.objects.filter(text=SEAT).select_related("session").first()
    if decision is None or Round.objects.filter(decision=decision).exists():
        return
    session = decision.session
    made = Round.objects.create(
        session=session,
        method=Method.CONSENT,
        proposal=SEAT,
        status=RoundStatus.PASSED,
        decision=decision,
        created_by=decision.created_by,
        created_at=decision.created_at,
        ended_at=decision.created_at,
    )
    for name, stance, reason, withdrawn in POSITIONS:
        attendance = session.attendances.filter(user__email__startswith=f"{name}@").first()
        if attendance is None:
            continue
        TakingPart.objects.create(round=made, version=1, attendance=attendance)
        Position.objects.create(
            round=made,
            version=1,
            attendance=attendance,
            stance=stance,
            reason=reason,
            withdrawn=withdrawn,
        )
    DecisionReviewDate.objects.get_or_create(
        decision=decision,
        defaults={"review_on": timezone.localdate() + datetime.timedelta(days=14)},
    )
