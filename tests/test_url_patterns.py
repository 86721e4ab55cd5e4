"""Every URL pattern has a path of its own. Two apps once both claimed
forums/<slug>/reminders/ (a POST-only toggle and a GET page): whichever was included first
won, and the other page answered 405 to everyone."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver


def patterns(entries: list[Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    for entry in entries:
        if isinstance(entry, URLResolver):
            yield from patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.name or entry.lookup_str


def test_no_two_url_patterns_share_a_path() -> None:
    by_shape: dict[str, list[str]] = {}
    for template, name in patterns(get_resolver().url_patterns):
        shape = re.sub(r"<(?:\w+:)?\w+>", "<>", template)  # the converter names do not matter
        by_shape.setdefault(shape, []).append(name)

    shared = {shape: names for shape, names in by_shape.items() if len(names) > 1}
    assert shared == {}
