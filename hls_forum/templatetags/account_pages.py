"""Template helpers for the account pages (sign-in, sign-up, two-step sign-in) and the
idle sign-out warning every signed-in page carries."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.forms import BoundField
from django.utils.crypto import salted_hmac
from django.utils.safestring import SafeString

from hls_forum.middleware import idle_seconds_left

register = template.Library()


@register.filter
def described_widget(field: BoundField) -> SafeString:
    """The field's input, pointing (aria-describedby) at its hint and error messages as
    ``templates/allauth/_field.html`` gives them ids, and marked invalid when it is."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    attrs: dict[str, Any] = {"aria-describedby": " ".join(ids)} if ids else {}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.inclusion_tag("_idle_warning.html", takes_context=True)
def idle_warning(context: template.Context) -> dict[str, Any]:
    """The "you will be signed out soon" dialog on a signed-in person's pages, with the
    seconds left before the idle sign-out (``hls_forum.middleware``). ``draft_owner`` lets
    site.js give back what was typed only to the person who typed it."""
    request = context.get("request")
    left = idle_seconds_left(request) if request is not None else None
    if request is None or left is None:
        return {"show": False}
    return {
        "show": True,
        "seconds_left": left,
        "warn_before": min(settings.SESSION_IDLE_WARNING, settings.SESSION_IDLE_TIMEOUT),
        "draft_owner": salted_hmac("idle-drafts", str(request.user.pk)).hexdigest()[:20],
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path(),
    }
