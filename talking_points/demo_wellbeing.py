"""Demo wellbeing check-ins: four closed weekly sessions of each demo forum with anonymous
answers, and a decision on the latest.

Runs after ``partnerships.demo_picture`` (which adds the forums' extra members). Each
check-in is guarded by the per-person mark, so loading twice changes nothing.
"""

from __future__ import annotations

import datetime

from partnerships.demo_picture import FORUM_OF_PLACE
from partnerships.models import Forum, User

from .models import Decision, Session, SessionStatus, SummaryVisibility, WellbeingCheckInMark
from .services.wellbeing import wellbeing_check_in


def load() -> None:
    for slug in FORUM_OF_PLACE.values():
        _sessions_and_check_ins(Forum.objects.get(slug=slug))


def _sessions_and_check_ins(forum: Forum) -> None:
    """Four closed weekly sessions with anonymous check-ins, and a decision on the latest.

    The sessions demo (``talking_points.demo_sessions``, loaded first) may already hold a
    session on one of these days: that session is reused, never duplicated, and keeps its
    own decisions.
    """
    tz = forum.place.tz
    next_date = forum.next_meeting().date()
    members = list(User.objects.filter(forum_memberships__forum=forum).order_by("email").distinct())
    words = ["tired", "hopeful", "stretched", "calm", "busy", "hopeful", "ok"]
    for weeks_ago in range(4, 0, -1):
        day = next_date - datetime.timedelta(weeks=weeks_ago)
        starts_at = datetime.datetime.combine(day, forum.start_time, tzinfo=tz)
        day_start = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
        session = (
            Session.objects.filter(
                forum=forum,
                starts_at__gte=day_start,
                starts_at__lt=day_start + datetime.timedelta(days=1),
            )
            .order_by("starts_at")
            .first()
        )
        if session is None:
            session = Session.objects.create(
                forum=forum,
                starts_at=starts_at,
                status=SessionStatus.CLOSED,
                opened_at=starts_at,
                closed_at=starts_at + datetime.timedelta(hours=1),
                summary_visibility=SummaryVisibility.PLACE,
                summary_published_at=starts_at + datetime.timedelta(hours=1),
            )
        for index, member in enumerate(members):
            score = max(1, min(5, 2 + (index + weeks_ago) % 3 + (1 if weeks_ago < 3 else 0)))
            if WellbeingCheckInMark.objects.filter(session=session, user=member).exists():
                continue  # already checked in: loading twice changes nothing
            wellbeing_check_in(
                session=session,
                user=member,
                score=score,
                word=words[(index + weeks_ago) % len(words)] if index % 2 == 0 else "",
            )
        if weeks_ago == 1 and not session.decisions.exists():
            Decision.objects.create(
                session=session,
                text=f"Next month {forum.name} will map who refers people to whom, and add it "
                "to the system map.",
                created_at=starts_at + datetime.timedelta(minutes=45),
            )
