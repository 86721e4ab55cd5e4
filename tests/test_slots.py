"""A lower page's slot draws what higher apps registered for it, with the page's context."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from django.template import Context, Template
from django.test import override_settings

from hls_forum import slots


@pytest.fixture
def part_template(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "part.html").write_text("<p>{{ greeting }} {{ thing }} {{ user_name }}</p>")
    engine = {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [str(tmp_path)],
        "OPTIONS": {"libraries": {"slots": "hls_forum.templatetags.slots"}},
    }
    before = dict(slots._slots)
    with override_settings(TEMPLATES=[engine]):
        yield "part.html"
    slots._slots.clear()
    slots._slots.update(before)


def test_a_slot_draws_each_registered_part_once_with_the_page_context(part_template: str) -> None:
    def reader(context: Mapping[str, Any]) -> dict[str, Any]:
        return {"user_name": context["name"].upper()}

    slots.register("test_page", part_template, reader)
    slots.register("test_page", part_template, reader)  # ready() twice: still one part
    page = Template('{% load slots %}<main>{% slot "test_page" thing=typed %}</main>')

    html = page.render(Context({"greeting": "Hello", "name": "ann", "typed": "<b>"}))

    assert html == "<main><p>Hello &lt;b&gt; ANN</p></main>"


def test_a_slot_nobody_fills_draws_nothing() -> None:
    page = Template('{% load slots %}<main>{% slot "nobody_fills_this" %}</main>')
    assert page.render(Context({})) == "<main></main>"
