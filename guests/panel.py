"""What the facilitator's guest panel shows: the link, its QR code (drawn here as inline
SVG, nothing fetched from elsewhere) and what waits to be admitted."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import segno
from django.http import HttpRequest
from django.urls import reverse
from django.utils.safestring import mark_safe

from talking_points.models import Session

from .models import GuestLink, WaitingContribution

# The list is "waiting for you": the oldest first, a screenful at most (admitting one
# brings the next into view).
WAITING_SHOWN = 10


def qr_svg(url: str) -> str:
    """The QR code for ``url`` as an SVG element to put straight into the page."""
    code = segno.make(url, error="m")
    svg = code.svg_inline(scale=4, dark="#000", light="#fff", border=2, omitsize=False)
    return svg.replace("<svg ", '<svg role="img" aria-labelledby="guest-qr-caption" ', 1)


def panel_context(request: HttpRequest, session: Session) -> dict[str, Any]:
    """One query without a guest link; with one, two (three when the list is full), whatever
    the number of guests or waiting contributions.

    Precondition: the reader is a facilitator of the session's forum."""
    link = GuestLink.objects.filter(session_id=session.pk).first() if session.is_live else None
    url = qr = ""
    if link is not None:
        url = request.build_absolute_uri(reverse("guests:join", kwargs={"token": link.token}))
        qr = mark_safe(qr_svg(url))  # noqa: S308 - drawn by segno from our own address
    # Without a link nobody can have joined, so there is nothing waiting to look for.
    waiting = WaitingContribution.objects.for_facilitator_of(session.pk)
    shown = list(waiting[:WAITING_SHOWN]) if link is not None else []
    return {
        "session": session,
        "link": link,
        "link_url": url,
        "qr_svg": qr,
        "waiting": shown,
        "waiting_more": max(0, waiting.count() - len(shown)) if len(shown) == WAITING_SHOWN else 0,
        "poll_seconds": 5,
    }


def slot_reader(context: Mapping[str, Any]) -> dict[str, Any]:
    """The panel in the live page's facilitator tools (the page has checked the role). Its
    first poll draws it afresh, then it carries the poll's ETag."""
    return {**panel_context(context["request"], context["session"]), "etag": ""}
