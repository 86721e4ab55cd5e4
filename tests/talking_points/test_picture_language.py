"""Shared language: the explain_terms filter, the readability score and its htmx endpoint."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils.safestring import mark_safe

from partnerships.language import (
    count_syllables,
    explain_terms_html,
    flesch_reading_ease,
    known_terms,
)
from tests import factories
from tests.conftest import World


def test_explain_terms_escapes_before_marking() -> None:
    html = explain_terms_html("<script>alert(1)</script> the system & more", known_terms())
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&amp; more" in html
    assert '<dfn tabindex="0" aria-describedby="term-' in html


def test_explain_terms_marks_jargon_with_its_meaning_once() -> None:
    html = explain_terms_html("The system is a system.", known_terms())
    assert html.count("<dfn") == 1
    assert 'role="tooltip"' in html
    assert "All the people and organisations" in html
    assert html.endswith("is a system.")


def test_explain_terms_ids_are_unique_and_referenced() -> None:
    html = explain_terms_html("VCS and HLS and commissioning", known_terms())
    described = re.findall(r'aria-describedby="([^"]+)"', html)
    ids = re.findall(r'id="([^"]+)"', html)
    assert len(described) == 3
    assert sorted(described) == sorted(ids)


def test_explain_terms_glossary_meaning_wins_over_jargon() -> None:
    terms = known_terms([("System", "Our own meaning, agreed in March.")])
    html = explain_terms_html("our system", terms)
    assert "Our own meaning, agreed in March." in html
    assert "From this place's glossary" in html


def test_explain_terms_prefers_the_longest_term() -> None:
    html = explain_terms_html("An outcomes framework.", known_terms())
    assert '<dfn tabindex="0" aria-describedby' in html
    assert ">outcomes framework</dfn>" in html


def test_explain_terms_matches_whole_words_only() -> None:
    html = explain_terms_html("systemic ecosystem subsystems", known_terms())
    assert "<dfn" not in html


def test_explain_terms_never_marks_inside_links_of_safe_html() -> None:
    value = mark_safe('<a href="/system/">the system</a> and the system')
    html = explain_terms_html(value, known_terms())
    assert '<a href="/system/">the system</a>' in html
    assert html.count("<dfn") == 1


def test_explain_terms_keeps_entities_intact_in_safe_html() -> None:
    value = mark_safe("Tom &amp; the VCS<br>next line")
    html = explain_terms_html(value, known_terms([("amp", "Not a word here.")]))
    assert "Tom &amp; the" in html
    assert "Not a word here." not in html
    assert "<br>" in html


def test_explain_terms_leaves_sanitised_markdown_whole() -> None:
    from talking_points.rendering import render_markdown

    value = render_markdown('The system & [a > b](https://example.org/ "x > system") works.')
    html = explain_terms_html(value, known_terms())
    assert html.count("<dfn") == 1
    assert ">system</dfn>" in html
    assert 'title="x &gt; system"' in html
    assert ">a &gt; b</a>" in html
    assert "&amp;amp;" not in html


def test_explain_terms_takes_a_quoted_greater_than_as_part_of_the_tag() -> None:
    value = mark_safe('<a href="/x" title="a > system">the system</a> and the system')
    html = explain_terms_html(value, known_terms())
    assert '<a href="/x" title="a > system">the system</a>' in html
    assert html.count("<dfn") == 1


def test_explain_terms_filter_uses_the_places_glossary(world: World) -> None:
    factories.GlossaryTermFactory(place=world.place, term="alliance", meaning="One team.")
    template = Template("{% load picture %}{{ text|explain_terms:place|linebreaksbr }}")
    html = template.render(Context({"text": "Our alliance\n<b>bold</b>", "place": world.place}))
    assert ">alliance</dfn>" in html
    assert "One team." in html
    assert "<br>&lt;b&gt;bold&lt;/b&gt;" in html


def test_forum_purpose_explains_terms(client: Client, world: World) -> None:
    world.forum.purpose = "We change the system together, <i>without</i> jargon."
    world.forum.save()
    response = client.get(reverse("talking_points:forum_detail", kwargs={"slug": world.forum.slug}))
    content = response.content.decode()
    assert response.status_code == 200
    assert ">system</dfn>" in content
    assert "&lt;i&gt;without&lt;/i&gt;" in content


@pytest.mark.parametrize(
    ("word", "syllables"),
    [("cat", 1), ("table", 2), ("reading", 2), ("organisation", 5), ("the", 1), ("people", 2)],
)
def test_count_syllables_on_common_words(word: str, syllables: int) -> None:
    assert count_syllables(word) == syllables


def test_flesch_plain_text_scores_as_easy() -> None:
    text = "We meet every week. We talk about what went well. We share tea and cake. " * 2
    result = flesch_reading_ease(text)
    assert result is not None
    assert result.score > 80
    assert result.too_hard is False


def test_flesch_dense_jargon_scores_as_hard_and_prompts() -> None:
    text = (
        "Organisational transformation necessitates comprehensive interdisciplinary "
        "collaboration, facilitating systemic capability development across "
        "institutionally heterogeneous commissioning environments and accountability "
        "frameworks."
    )
    result = flesch_reading_ease(text)
    assert result is not None
    assert result.score < 0
    assert result.too_hard is True
    assert result.band == "very hard"


def test_flesch_needs_enough_words() -> None:
    assert flesch_reading_ease("Too short to judge.") is None


def test_readability_endpoint_scores_the_named_field(client: Client, db: None) -> None:
    hard = (
        "Organisational transformation necessitates comprehensive interdisciplinary "
        "collaboration, facilitating systemic capability development across "
        "institutionally heterogeneous commissioning environments."
    )
    response = client.post(
        reverse("talking_points:readability_check") + "?field=meaning",
        {"meaning": hard, "other": "ignored"},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Reading ease:" in content
    assert "may be hard for some partners to read" in content
    assert "<html" not in content


def test_readability_endpoint_refuses_get(client: Client, db: None) -> None:
    response = client.get(reverse("talking_points:readability_check"))
    assert response.status_code == 405
