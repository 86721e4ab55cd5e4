"""Build the email for a delivery: plain text + HTML, an .ics invite for reminders, and
one-click unsubscribe headers (the outbox's ``list_headers``). Building reads the
database; sending is the outbox's."""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass, field
from email.mime.text import MIMEText
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from outbox import emails as outbox_emails
from outbox.emails import absolute
from partnerships.models import Forum
from threads import digest as threads_digest

from . import calendars, content, scheduling, tokens
from .models import Delivery


def unsubscribe_url(*, user_id: int, forum_id: int | None) -> str:
    token = tokens.unsubscribe_token(user_id=user_id, forum_id=forum_id)
    return absolute(reverse("reminders:unsubscribe", kwargs={"token": token}))


def _list_headers(*, list_id: str, unsubscribe: str) -> dict[str, str]:
    token = unsubscribe.rstrip("/").rsplit("/", 1)[-1]
    return {
        **outbox_emails.list_headers(
            list_id=list_id, unsubscribe_url=unsubscribe, unsubscribe_token=token
        ),
        **outbox_emails.AUTOMATIC_HEADERS,
    }


def _calendar_part(ics: bytes) -> MIMEText:
    part = MIMEText(ics.decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", "PUBLISH")
    part.add_header("Content-Disposition", "attachment", filename="meeting.ics")
    return part


@dataclass(frozen=True)
class MeetingParts:
    """What every member's reminder for one meeting shares."""

    agenda: content.AgendaSuggestion
    ics: bytes
    anything_shared: bool
    any_actions_due: bool
    # The text and HTML bodies, rendered once with markers where the recipient's name and
    # unsubscribe link go, for members with nothing of their own to list (see
    # _reminder_bodies); keyed on what else they show that is not in the cache key.
    bodies: dict[tuple[Any, ...], tuple[str, str]] = field(default_factory=dict)


# Per-process cache of MeetingParts, so a batch of reminders for one meeting (often dozens,
# one task each) builds the agenda and the .ics once. Keyed on everything about the forum
# that the parts show, so an edit to the forum is picked up at once; the agenda and the
# "anything shared" and "any actions due" checks may be up to PARTS_TTL seconds old.
PARTS_TTL = 60.0
_parts: dict[tuple[Any, ...], tuple[float, MeetingParts]] = {}


def clear_meeting_cache() -> None:
    _parts.clear()


def actions_before(start: datetime.datetime) -> datetime.date:
    """A reminder lists open actions due up to a week after the meeting (and overdue ones)."""
    return start.date() + datetime.timedelta(days=7)


def meeting_parts(forum: Forum, start: datetime.datetime, since: datetime.datetime) -> MeetingParts:
    key = (
        forum.pk,
        start,
        forum.name,
        forum.venue,
        forum.online_link,
        forum.purpose,
        forum.duration_minutes,
        forum.slug,
    )
    cached = _parts.get(key)
    if cached is not None and cached[0] > time.monotonic():
        return cached[1]
    parts = MeetingParts(
        agenda=content.planned_talking_points(forum=forum, meeting_start=start),
        ics=calendars.invite(forum, start),
        anything_shared=content.anything_shared_with_place_since(forum=forum, since=since),
        any_actions_due=content.any_actions_falling_due(forum=forum, before=actions_before(start)),
    )
    if len(_parts) > 512:
        _parts.clear()
    _parts[key] = (time.monotonic() + PARTS_TTL, parts)
    return parts


# Where a member's own name and unsubscribe link go in bodies rendered once per meeting.
# NUL cannot come from anything people type (Django's form fields refuse it), and
# escaping leaves it alone, so the markers survive rendering exactly.
_NAME_MARKER = "\x00recipient-name\x00"
_UNSUBSCRIBE_MARKER = "\x00unsubscribe-url\x00"


class _MarkedRecipient:
    def get_short_name(self) -> str:
        return _NAME_MARKER


def _reminder_bodies(parts: MeetingParts, context: dict[str, Any]) -> tuple[str, str]:
    """The text and HTML bodies for ``context``. When the member has no shared learning
    and no actions of their own listed, their reminder differs from every other such
    member's only in their name and unsubscribe link, so both bodies are rendered once per
    meeting (and process) with markers there, and each email fills them in: the same
    output as rendering in full (a test compares them), without two template renders."""
    if context["shared"].total or context["actions"]:
        return (
            render_to_string("reminders/email/reminder.txt", context),
            render_to_string("reminders/email/reminder.html", context),
        )
    place = context["place"]
    key = (place.name, place.time_zone, context["previous"], context["forum_url"])
    bodies = parts.bodies.get(key)
    if bodies is None:
        marked = {
            **context,
            "recipient": _MarkedRecipient(),
            "unsubscribe_url": _UNSUBSCRIBE_MARKER,
        }
        bodies = (
            render_to_string("reminders/email/reminder.txt", marked),
            render_to_string("reminders/email/reminder.html", marked),
        )
        parts.bodies[key] = bodies
    text, html = bodies
    name = context["recipient"].get_short_name()
    unsubscribe = context["unsubscribe_url"]
    return (
        text.replace(_NAME_MARKER, name).replace(_UNSUBSCRIBE_MARKER, unsubscribe),
        html.replace(_NAME_MARKER, escape(name)).replace(_UNSUBSCRIBE_MARKER, escape(unsubscribe)),
    )


def reminder_context(
    delivery: Delivery, *, now: datetime.datetime
) -> tuple[MeetingParts, dict[str, Any]]:
    """What the reminder templates show for ``delivery``, and the meeting's shared parts."""
    forum = delivery.forum
    assert forum is not None
    recipient = delivery.recipient
    assert recipient is not None  # reminders always go to a person
    rhythm = scheduling.Rhythm.of(forum)
    start = delivery.occasion_at.astimezone(rhythm.tz)
    end = start + datetime.timedelta(minutes=rhythm.duration_minutes)
    previous = scheduling.previous_meeting(rhythm, start)
    parts = meeting_parts(forum, start, previous)
    unsubscribe = unsubscribe_url(user_id=recipient.pk, forum_id=forum.pk)
    context = {
        "recipient": recipient,
        "forum": forum,
        "place": forum.place,
        "start": start,
        "end": end,
        "previous": previous,
        "agenda": parts.agenda,
        # One trust query per recipient, skipped when nobody shared anything at all.
        "shared": (
            content.shared_with_place_since(
                recipient=recipient, forum=forum, since=previous, until=now
            )
            if parts.anything_shared
            else content.SharedLearning(entries=[], total=0)
        ),
        # Likewise one query per recipient, skipped when the forum has no actions due.
        "actions": (
            content.actions_falling_due(
                forum=forum, recipient=recipient, before=actions_before(start)
            )
            if parts.any_actions_due
            else []
        ),
        "forum_url": absolute(forum.get_absolute_url()),
        "preferences_url": absolute(reverse("reminders:preferences")),
        "unsubscribe_url": unsubscribe,
        "site_url": settings.SITE_URL,
    }
    return parts, context


def reminder_message(
    delivery: Delivery, *, now: datetime.datetime | None = None
) -> EmailMultiAlternatives:
    """The reminder email for ``delivery`` (kind reminder, with forum and recipient loaded)."""
    parts, context = reminder_context(delivery, now=now or timezone.now())
    forum = context["forum"]
    start = context["start"]
    unsubscribe = context["unsubscribe_url"]
    subject = f"Reminder: {forum.name}, {start:%A} {start.day} {start:%B} at {start:%H:%M}"
    text, html = _reminder_bodies(parts, context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[context["recipient"].email],
        headers=_list_headers(list_id=f"forum-{forum.pk}.reminders", unsubscribe=unsubscribe),
    )
    message.attach_alternative(html, "text/html")
    message.attach(_calendar_part(parts.ics))
    return message


def digest_message(
    delivery: Delivery, *, since: datetime.datetime, now: datetime.datetime | None = None
) -> EmailMultiAlternatives | None:
    """The weekly digest for ``delivery``, or None when there is nothing new to say."""
    now = now or timezone.now()
    user = delivery.recipient
    assert user is not None  # digests always go to a person
    is_commissioner = user.is_commissioner
    is_vcs = content.is_vcs_staff(user)
    newly_shared = (
        content.learning_newly_shared_with(user=user, since=since, until=now)
        if is_commissioner
        else content.SharedLearning(entries=[], total=0)
    )
    questions = content.questions_awaiting_answer(user=user) if is_commissioner else []
    responses = (
        content.responses_to_organisation_entries(user=user, since=since, until=now)
        if is_vcs
        else []
    )
    conversations = threads_digest.digest_lines(user=user, since=since, until=now)
    if not (newly_shared.total or questions or responses or conversations):
        return None
    unsubscribe = unsubscribe_url(user_id=user.pk, forum_id=None)
    context = {
        "recipient": user,
        "since": since.astimezone(scheduling.site_tz()),
        "is_commissioner": is_commissioner,
        "is_vcs": is_vcs,
        "newly_shared": newly_shared,
        "questions": questions,
        "responses": responses,
        "conversations": conversations,
        "preferences_url": absolute(reverse("reminders:preferences")),
        "unsubscribe_url": unsubscribe,
        "site_url": settings.SITE_URL,
    }
    message = EmailMultiAlternatives(
        subject="Your weekly HLS Forum digest",
        body=render_to_string("reminders/email/digest.txt", context),
        to=[user.email],
        headers=_list_headers(list_id="digest", unsubscribe=unsubscribe),
    )
    message.attach_alternative(
        render_to_string("reminders/email/digest.html", context), "text/html"
    )
    return message
