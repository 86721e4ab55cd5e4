"""iCalendar for meetings: a single invite attached to a reminder, and a forum's feed.

Built with the icalendar library. Times carry the place's TZID (Europe/London) and a
matching VTIMEZONE, so calendar apps show the right wall-clock time on both sides of a
clock change. A meeting's UID is stable (forum + local date), so the invite and the feed
describe the same event and a calendar app updates it rather than adding a copy.
"""

from __future__ import annotations

import datetime
from email.utils import parseaddr
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from . import scheduling

PRODID = "-//HLS Forum//Reminders//EN"
FEED_WEEKS = 12


def meeting_uid(*, forum_id: int, day: datetime.date) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "hls-forum.localhost"
    return f"forum-{forum_id}-{day:%Y%m%d}@{host}"


def organizer() -> vCalAddress:
    """Who publishes the event: the site's own sender (RFC 5546 requires an ORGANIZER in
    every PUBLISH event)."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organiser = vCalAddress(f"mailto:{address}")
    organiser.params["cn"] = vText(name or "HLS Forum")
    return organiser


def _calendar(method: str, name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    return calendar


def meeting_event(
    forum: Any, start: datetime.datetime, *, include_online_link: bool, stamp: datetime.datetime
) -> Event:
    rhythm = scheduling.Rhythm.of(forum)
    local_start = start.astimezone(rhythm.tz)
    event = Event()
    event.add("uid", meeting_uid(forum_id=forum.pk, day=local_start.date()))
    event.add("dtstamp", stamp)
    event.add("dtstart", local_start)
    event.add("dtend", local_start + datetime.timedelta(minutes=rhythm.duration_minutes))
    event.add("summary", forum.name)
    event.add("organizer", organizer())
    where = [forum.venue] if forum.venue else []
    if forum.online_link and include_online_link:
        where.append(forum.online_link)
    if where:
        event.add("location", " / ".join(where))
    description = [forum.purpose]
    if forum.online_link and include_online_link:
        description.append(f"Join online: {forum.online_link}")
    description.append(f"About this forum: {settings.SITE_URL}{forum.get_absolute_url()}")
    event.add("description", "\n\n".join(description))
    event.add("url", f"{settings.SITE_URL}{forum.get_absolute_url()}")
    event.add("sequence", 0)
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def _add_time_zone(calendar: Calendar, first: datetime.date, last: datetime.date) -> None:
    """A VTIMEZONE covering the events' dates (a year either side), not 1970 to 2038."""
    calendar.add_missing_timezones(
        first_date=first - datetime.timedelta(days=366),
        last_date=last + datetime.timedelta(days=366),
    )


def invite(forum: Any, start: datetime.datetime) -> bytes:
    """One meeting, for a member (online link included), as a PUBLISH calendar."""
    calendar = _calendar("PUBLISH", forum.name)
    calendar.add_component(
        meeting_event(forum, start, include_online_link=True, stamp=timezone.now())
    )
    _add_time_zone(calendar, start.date(), start.date())
    return bytes(calendar.to_ical())


def feed(forum: Any, *, include_online_link: bool, now: datetime.datetime | None = None) -> bytes:
    """The forum's next ``FEED_WEEKS`` regular meetings, for a calendar subscription."""
    now = now or timezone.now()
    calendar = _calendar("PUBLISH", forum.name)
    calendar.add("x-wr-caldesc", forum.purpose)
    calendar.add("refresh-interval", datetime.timedelta(hours=12), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT12H")
    rhythm = scheduling.Rhythm.of(forum)
    meetings = scheduling.meetings_from(rhythm, now, FEED_WEEKS)
    for start in meetings:
        calendar.add_component(
            meeting_event(forum, start, include_online_link=include_online_link, stamp=now)
        )
    _add_time_zone(calendar, meetings[0].date(), meetings[-1].date())
    return bytes(calendar.to_ical())
