from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from talking_points import place_panels as registry

register = template.Library()


@register.simple_tag(takes_context=True)
def place_panels(context: template.Context, place: Any) -> SafeString:
    """The sections other apps add to the place page, in the order they registered."""
    request = context["request"]
    return format_html_join("\n", "{}", ((panel(request, place),) for panel in registry.panels()))
