"""When reminders and digests fall due, including across both UK clock changes.

In 2026 the clocks go forward on Sunday 29 March (01:00 UTC) and back on Sunday 25 October
(01:00 UTC), so a Monday meeting's "day before at 09:00" reminder falls on the change day.
"""

from __future__ import annotations

import datetime
import zoneinfo

import pytest

from reminders import scheduling
from reminders.scheduling import Rhythm

LONDON = zoneinfo.ZoneInfo("Europe/London")
UTC = datetime.UTC


def monday_rhythm(**overrides: object) -> Rhythm:
    values: dict[str, object] = {
        "weekday": 0,
        "start_time": datetime.time(10, 0),
        "tz": LONDON,
        "reminder_days_before": 1,
        "reminder_hour": 9,
    }
    values.update(overrides)
    return Rhythm(**values)


def utc(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("meeting_day", "reminder_utc", "meeting_utc"),
    [
        # Before the March change: GMT, so 09:00 local is 09:00 UTC.
        (datetime.date(2026, 3, 23), utc(2026, 3, 22, 9), utc(2026, 3, 23, 10)),
        # The Monday after clocks go forward: reminder on Sunday 29 March at 09:00 BST.
        (datetime.date(2026, 3, 30), utc(2026, 3, 29, 8), utc(2026, 3, 30, 9)),
        # Before the October change: BST.
        (datetime.date(2026, 10, 19), utc(2026, 10, 18, 8), utc(2026, 10, 19, 9)),
        # The Monday after clocks go back: reminder on Sunday 25 October at 09:00 GMT.
        (datetime.date(2026, 10, 26), utc(2026, 10, 25, 9), utc(2026, 10, 26, 10)),
    ],
)
def test_reminder_at_is_nine_local_the_day_before_across_clock_changes(
    meeting_day: datetime.date, reminder_utc: datetime.datetime, meeting_utc: datetime.datetime
) -> None:
    rhythm = monday_rhythm()
    meeting = scheduling.meeting_on(rhythm, meeting_day)

    reminder = scheduling.reminder_at(rhythm, meeting)

    assert meeting == meeting_utc
    assert reminder == reminder_utc
    assert reminder.astimezone(LONDON).time() == datetime.time(9, 0)
    assert reminder.astimezone(LONDON).date() == meeting_day - datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("just_before", "at_moment", "meeting_utc"),
    [
        (utc(2026, 3, 29, 7, 59), utc(2026, 3, 29, 8, 0), utc(2026, 3, 30, 9)),
        (utc(2026, 10, 25, 8, 59), utc(2026, 10, 25, 9, 0), utc(2026, 10, 26, 10)),
    ],
)
def test_due_meeting_after_clock_change_becomes_due_at_nine_local(
    just_before: datetime.datetime, at_moment: datetime.datetime, meeting_utc: datetime.datetime
) -> None:
    rhythm = monday_rhythm()

    assert scheduling.due_meeting(rhythm, just_before) is None
    assert scheduling.due_meeting(rhythm, at_moment) == meeting_utc


def test_due_meeting_stays_due_until_the_meeting_starts_then_moves_on() -> None:
    rhythm = monday_rhythm()
    meeting = utc(2026, 3, 30, 9)

    assert scheduling.due_meeting(rhythm, utc(2026, 3, 30, 8, 59)) == meeting
    assert scheduling.due_meeting(rhythm, utc(2026, 3, 30, 9, 0)) is None
    assert scheduling.due_meeting(rhythm, utc(2026, 4, 5, 8, 0)) == utc(2026, 4, 6, 9)


def test_reminder_two_days_before_crosses_the_october_change_on_the_saturday() -> None:
    rhythm = monday_rhythm(reminder_days_before=2, reminder_hour=18)
    meeting = scheduling.meeting_on(rhythm, datetime.date(2026, 10, 26))

    reminder = scheduling.reminder_at(rhythm, meeting)

    # Saturday 24 October is still BST: 18:00 local is 17:00 UTC.
    assert reminder == utc(2026, 10, 24, 17)


def test_same_day_reminder_uses_the_forums_hour() -> None:
    rhythm = Rhythm(
        weekday=1,
        start_time=datetime.time(14, 0),
        tz=LONDON,
        reminder_days_before=0,
        reminder_hour=8,
    )
    meeting = scheduling.meeting_on(rhythm, datetime.date(2026, 12, 1))

    assert scheduling.reminder_at(rhythm, meeting) == utc(2026, 12, 1, 8)


def test_meetings_from_keeps_local_wall_clock_time_across_the_change() -> None:
    rhythm = monday_rhythm()

    meetings = scheduling.meetings_from(rhythm, utc(2026, 3, 20), 3)

    assert [m.astimezone(LONDON).time() for m in meetings] == [datetime.time(10)] * 3
    assert meetings == [utc(2026, 3, 23, 10), utc(2026, 3, 30, 9), utc(2026, 4, 6, 9)]


def test_meetings_from_skips_a_meeting_that_has_started() -> None:
    rhythm = monday_rhythm()

    assert scheduling.next_meeting(rhythm, utc(2026, 3, 23, 10, 0)) == utc(2026, 3, 30, 9)
    assert scheduling.next_meeting(rhythm, utc(2026, 3, 23, 9, 59)) == utc(2026, 3, 23, 10)


def test_previous_meeting_is_a_week_earlier_at_the_same_local_time() -> None:
    rhythm = monday_rhythm()

    previous = scheduling.previous_meeting(rhythm, utc(2026, 3, 30, 9))

    assert previous == utc(2026, 3, 23, 10)


def test_meeting_in_another_time_zone_uses_that_zone() -> None:
    rhythm = monday_rhythm(tz=zoneinfo.ZoneInfo("America/New_York"))

    meeting = scheduling.meeting_on(rhythm, datetime.date(2026, 3, 30))

    assert scheduling.reminder_at(rhythm, meeting) == utc(2026, 3, 29, 13)


def test_digest_due_on_the_chosen_day_from_eight_local() -> None:
    monday = 0

    assert scheduling.digest_due(monday, utc(2026, 3, 30, 6, 59), LONDON) is None
    assert scheduling.digest_due(monday, utc(2026, 3, 30, 7, 0), LONDON) == (
        datetime.date(2026, 3, 30),
        utc(2026, 3, 30, 7, 0),
    )
    assert scheduling.digest_due(monday, utc(2026, 3, 31, 9), LONDON) is None
