"""Signed tokens for links in emails and calendar addresses (django.core.signing).

They carry ids only, are signed with SECRET_KEY under their own salt, and never expire:
an unsubscribe link in an old email must keep working (RFC 8058). What a token allows is
checked again against the database when it is used.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

UNSUBSCRIBE_SALT = "reminders.unsubscribe"
CALENDAR_SALT = "reminders.calendar"


@dataclass(frozen=True)
class UnsubscribeLink:
    """Whom to unsubscribe, from what: a forum's reminders, or the weekly digest."""

    user_id: int
    forum_id: int | None  # None means the digest


def unsubscribe_token(*, user_id: int, forum_id: int | None) -> str:
    payload = {"u": user_id, "f": forum_id} if forum_id else {"u": user_id, "d": 1}
    return signing.dumps(payload, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> UnsubscribeLink | None:
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        return UnsubscribeLink(user_id=int(payload["u"]), forum_id=payload.get("f"))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def calendar_token(*, user_id: int, forum_id: int) -> str:
    return signing.dumps({"u": user_id, "f": forum_id}, salt=CALENDAR_SALT)


def read_calendar_token(token: str, *, forum_id: int) -> int | None:
    """The user id a personal calendar token was issued to, if it is for this forum."""
    try:
        payload = signing.loads(token, salt=CALENDAR_SALT)
        if int(payload["f"]) != forum_id:
            return None
        return int(payload["u"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
