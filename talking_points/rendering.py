"""Markdown in, safe HTML out. The source is stored as typed; only nh3's output is shown,
so nothing a person types can run script in another person's browser."""

from __future__ import annotations

import functools
import html as html_lib
import re
import threading

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


# Building a Markdown converter (its parser and every pattern) costs more than converting a
# short text, and a list page converts dozens: keep one per thread (they are not
# thread-safe) and reset it between texts.
_converters = threading.local()


def _convert(source: str, *, lists: bool) -> str:
    name = "lists" if lists else "plain"
    converter = getattr(_converters, name, None)
    if converter is None:
        extensions = ["sane_lists"] if lists else []
        converter = markdown_lib.Markdown(extensions=extensions, output_format="html")
        setattr(_converters, name, converter)
    return str(converter.reset().convert(source))


# Both below are pure functions of the text, so each process keeps the latest results: the
# same entries are shown again and again, and converting them cost a tenth of a list page.
# Keyed by the text itself, so an edited entry is simply a new text (nothing to invalidate).
TEXTS_REMEMBERED = 1024


@functools.lru_cache(maxsize=TEXTS_REMEMBERED)
def render_markdown(source: str) -> SafeString:
    if not source:
        return mark_safe("")
    html = _convert(source, lists=True)
    html = _HEADING.sub(lambda m: f"<{m.group(1)}h3", html)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 has sanitised it


# Emphasis marks Markdown left as typed because they do not pair up (``**bold`` with no
# close, or a pair split across paragraphs or by a cut): strong/emphasis marks that
# touch a word on one side only, or a bare "**". "2 * 3" (a single mark) is left alone.
_STRAY_EMPHASIS = re.compile(
    r"(?<![\w*])[*_]{1,3}(?=[^\s*_])|(?<=[^\s*_])[*_]{1,3}(?![\w*])|(?<!\S)\*{2,3}(?!\S)"
)


@functools.lru_cache(maxsize=TEXTS_REMEMBERED)
def plain_text(source: str) -> str:
    """Markdown source as plain text, for excerpts, CSV and email: no Markdown marks
    are left in it, not even ones that do not pair up."""
    html = _convert(source or "", lists=False)
    text = html_lib.unescape(nh3.clean(html, tags=set()))
    return _STRAY_EMPHASIS.sub("", text)
