"""``{% slot "name" key=value … %}``: the parts higher apps registered for a named place in
this page (``hls_forum/slots.py``), each drawn with the page's context, the slot's
arguments and what its reader adds."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from hls_forum import slots

register = template.Library()


@register.simple_tag(takes_context=True)
def slot(context: template.Context, name: str, **arguments: Any) -> SafeString:
    engine = context.template.engine if context.template else template.Engine.get_default()
    html = []
    for part in slots.parts(name):
        with context.push(**arguments):
            extra = part.reader(context.flatten()) if part.reader else {}  # type: ignore[arg-type]
            with context.push(**extra):
                html.append(engine.get_template(part.template_name).render(context))
    return mark_safe("".join(html))  # noqa: S308 - each part is a template, escaped as it renders
