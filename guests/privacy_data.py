"""What the guests app holds about people, plugged into the privacy registry.

A guest has no account, so there is nothing to export or erase for a person. What a guest
typed lives on in the session's record (attendance, admitted contributions) like any other
voice; the guest link, who came through it and what was never admitted are deleted once
the session has been closed for the retention period.
"""

from __future__ import annotations

import datetime

from privacy import registry
from talking_points.models import SessionStatus

from .models import GuestLink


def purge_closed_guest_links(*, cutoff: datetime.datetime, now: datetime.datetime) -> int:
    """Guest links of sessions closed before ``cutoff`` are deleted, with their guests and
    the contributions never admitted. A second run finds nothing, so changes nothing."""
    deleted, _ = GuestLink.objects.filter(
        session__status=SessionStatus.CLOSED, session__closed_at__lt=cutoff
    ).delete()
    return int(deleted)


def register() -> None:
    registry.register_retention_rule(
        "guest_links",
        purge_closed_guest_links,
        description="Guest links of closed sessions, with the guests' contributions that "
        "the facilitator never let in.",
    )
