from __future__ import annotations

from typing import Any

from django import template

from ..panel import panel_context

register = template.Library()


@register.inclusion_tag("guests/_panel.html", takes_context=True)
def guest_panel(context: Any) -> dict[str, Any]:
    """The guest panel on the facilitator's live page (the page has checked the role)."""
    session = context["session"]
    data = panel_context(context["request"], session)
    data["etag"] = ""  # the first poll draws it afresh, then carries the poll's ETag
    data["request"] = context["request"]
    data["csrf_token"] = context.get("csrf_token")
    return data
