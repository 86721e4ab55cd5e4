"""``{% fill_slot name %}``: every template registered for the slot (hls_forum/slots.py),
rendered with the page's context."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from hls_forum import slots

register = template.Library()


@register.simple_tag(takes_context=True)
def fill_slot(context: Any, name: str) -> SafeString:
    engine = context.template.engine
    parts = []
    for template_name in slots.templates_for(name):
        with context.push():
            parts.append(engine.get_template(template_name).render(context))
    return mark_safe("".join(parts))  # noqa: S308 - each part is a template's escaped output
