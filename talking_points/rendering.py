"""Markdown in, safe HTML out. The source is stored as typed; only nh3's output is shown,
so nothing a person types can run script in another person's browser."""

from __future__ import annotations

import html as html_lib
import re

import markdown as markdown_lib  # type: ignore[import-untyped]
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h3",
    "h4",
    "a",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
# Headings a person types sit under the page's own headings (one <h1> per page).
_HEADING = re.compile(r"<(/?)h[1-6]\b", re.IGNORECASE)

# Markup that would run or embed something. The forms refuse it with a clear message,
# even though rendering would strip it anyway.
UNSAFE_MARKUP = re.compile(
    r"<\s*/?\s*(script|iframe|object|embed|style|link|meta|base|form|input|svg|math)\b"
    r"|\bon[a-z]+\s*="
    r"|javascript\s*:",
    re.IGNORECASE,
)


def render_markdown(source: str) -> SafeString:
    if not source:
        return mark_safe("")
    html = markdown_lib.markdown(source, extensions=["sane_lists"], output_format="html")
    html = _HEADING.sub(lambda m: f"<{m.group(1)}h3", html)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 has sanitised it


def plain_text(source: str) -> str:
    """Markdown source as plain text, for excerpts, CSV and email."""
    html = markdown_lib.markdown(source or "", output_format="html")
    return html_lib.unescape(nh3.clean(html, tags=set()))
