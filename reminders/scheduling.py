"""When things happen: pure functions over wall-clock times in a place's time zone.

All arithmetic is done on local dates and wall-clock times, then turned into aware
datetimes with the place's ``ZoneInfo``. Adding ``timedelta(days=1)`` to an aware datetime
would keep its UTC offset and drift by an hour across a clock change; combining a local
date with a local time never does.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.conf import settings

# The hour (site time zone) at which a weekly digest becomes due on the chosen day.
DIGEST_HOUR = 8


@dataclass(frozen=True)
class Rhythm:
    """A forum's weekly rhythm and reminder choice, free of the database."""

    weekday: int  # Monday is 0
    start_time: datetime.time
    tz: zoneinfo.ZoneInfo
    reminder_days_before: int = 1
    reminder_hour: int = 9
    duration_minutes: int = 90

    @classmethod
    def of(cls, forum: Any) -> Rhythm:
        return cls(
            weekday=forum.weekday,
            start_time=forum.start_time,
            tz=forum.place.tz,
            reminder_days_before=forum.reminder_days_before,
            reminder_hour=forum.reminder_hour,
            duration_minutes=forum.duration_minutes,
        )


def local(day: datetime.date, at: datetime.time, tz: zoneinfo.ZoneInfo) -> datetime.datetime:
    """The aware moment ``day`` at wall-clock ``at`` in ``tz`` (fold=0 in ambiguous hours)."""
    return datetime.datetime.combine(day, at, tzinfo=tz)


def meeting_on(rhythm: Rhythm, day: datetime.date) -> datetime.datetime:
    return local(day, rhythm.start_time, rhythm.tz)


def meetings_from(rhythm: Rhythm, after: datetime.datetime, count: int) -> list[datetime.datetime]:
    """The next ``count`` regular meetings that start strictly after ``after``."""
    today = after.astimezone(rhythm.tz).date()
    day = today + datetime.timedelta(days=(rhythm.weekday - today.weekday()) % 7)
    meetings: list[datetime.datetime] = []
    while len(meetings) < count:
        start = meeting_on(rhythm, day)
        if start > after:  # aware comparison across zones is done in UTC
            meetings.append(start)
        day += datetime.timedelta(days=7)
    return meetings


def next_meeting(rhythm: Rhythm, after: datetime.datetime) -> datetime.datetime:
    return meetings_from(rhythm, after, 1)[0]


def reminder_at(rhythm: Rhythm, meeting_start: datetime.datetime) -> datetime.datetime:
    """When the reminder for the meeting starting at ``meeting_start`` becomes due:
    ``reminder_days_before`` local days earlier, at ``reminder_hour``:00 local time."""
    meeting_day = meeting_start.astimezone(rhythm.tz).date()
    day = meeting_day - datetime.timedelta(days=rhythm.reminder_days_before)
    return local(day, datetime.time(rhythm.reminder_hour), rhythm.tz)


def due_meeting(rhythm: Rhythm, now: datetime.datetime) -> datetime.datetime | None:
    """The meeting whose reminder is due at ``now``, if any.

    A reminder is due from its moment until the meeting starts, so a dispatcher that was
    down for a while still catches up, but nobody is reminded of a meeting that has begun.
    """
    meeting = next_meeting(rhythm, now)
    return meeting if reminder_at(rhythm, meeting) <= now else None


def previous_meeting(rhythm: Rhythm, meeting_start: datetime.datetime) -> datetime.datetime:
    """The regular meeting a week before, at the same local wall-clock time."""
    day = meeting_start.astimezone(rhythm.tz).date() - datetime.timedelta(days=7)
    return meeting_on(rhythm, day)


def site_tz() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def digest_due(
    weekday: int, now: datetime.datetime, tz: zoneinfo.ZoneInfo | None = None
) -> tuple[datetime.date, datetime.datetime] | None:
    """(date, due moment) of the weekly digest due at ``now`` for a person who picked
    ``weekday``: that day from ``DIGEST_HOUR``:00 local time until midnight."""
    tz = tz or site_tz()
    local_now = now.astimezone(tz)
    if local_now.weekday() != weekday:
        return None
    due = local(local_now.date(), datetime.time(DIGEST_HOUR), tz)
    return (local_now.date(), due) if due <= now else None
