"""``{% panels "spot" %}``: render the templates other apps registered for a spot."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from hls_forum import panels as registry

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context: Any, spot: str) -> SafeString:
    engine = context.template.engine
    parts = []
    for name in registry.templates(spot):
        with context.push():
            parts.append(engine.get_template(name).render(context))
    return mark_safe("".join(parts))  # noqa: S308 - each part is a rendered, escaped template
