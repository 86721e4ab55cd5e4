"""Template helpers for the account pages (sign-in, sign-up, two-step sign-in) and the
idle sign-out warning every signed-in page carries."""

from __future__ import annotations

import time
from typing import Any

from django import template
from django.conf import settings
from django.forms import BoundField
from django.utils.safestring import SafeString

from hls_forum.middleware import SESSION_SEEN_AT

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


@register.inclusion_tag("allauth/_idle_warning.html", takes_context=True)
def idle_warning(context: template.Context) -> dict[str, Any]:
    """The "you will be signed out soon" dialog for a signed-in person, with the seconds
    left before the idle sign-out (``hls_forum.middleware.SessionLifetimeMiddleware``)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return {"show": False}
    seen = request.session.get(SESSION_SEEN_AT)
    idle = settings.SESSION_IDLE_TIMEOUT
    left = idle - (time.time() - seen) if isinstance(seen, int | float) else idle
    return {
        "show": True,
        "seconds_left": max(0, int(left)),
        "warn_before": min(settings.SESSION_IDLE_WARNING, idle),
        "idle_timeout": idle,
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path(),
    }
