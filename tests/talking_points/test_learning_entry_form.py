"""The learning entry form asks only what the chosen kind needs, and says only what is wrong."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from talking_points.models import LearningEntry, StoryConsent
from tests.conftest import World, client_for
from tests.talking_points.test_learning_bad_input import post_entry, valid_entry
from tests.test_form_pages import parse

pytestmark = pytest.mark.django_db

# What a browser sends for the consent section left empty (radios unchosen send nothing).
EMPTY_CONSENT = {"consent-given_by": "", "consent-given_on": "", "consent-obtained_by": ""}


def form_page(world: World, query: str = "") -> str:
    url = reverse("talking_points:entry_create", args=[world.place.slug])
    return client_for(world.member_a).get(url + query).content.decode()


def summary_items(body: str) -> list[str]:
    summary = re.search(r'<div class="error-summary".*?</ul>', body, re.S)
    assert summary is not None
    return [
        re.sub(r"<[^>]+>", "", item).strip()
        for item in re.findall(r"<li>.*?</li>", summary[0], re.S)
    ]


def section(body: str, kind: str) -> str:
    """The markup inside ``<div data-kind-section="kind">``, to its matching ``</div>``."""
    start = body.index(f'<div data-kind-section="{kind}">')
    depth = 0
    for tag in re.finditer(r"<(/?)div\b", body[start:]):
        depth += -1 if tag[1] else 1
        if depth == 0:
            return body[start : start + tag.start()]
    raise AssertionError("unclosed section")


def test_no_kind_is_chosen_before_the_writer_chooses_one(world: World) -> None:
    body = form_page(world)
    kinds = re.findall(r'<input type="radio" name="kind"[^>]*>', body)
    assert len(kinds) == 5
    assert [k for k in kinds if "checked" in k] == []
    assert "---------" not in body


def test_a_kind_in_the_link_is_chosen(world: World) -> None:
    kinds = re.findall(r'<input type="radio" name="kind"[^>]*>', form_page(world, "?kind=story"))
    assert [re.search(r'value="(\w+)"', k)[1] for k in kinds if "checked" in k] == ["story"]  # type: ignore[index]


def test_experiment_and_consent_questions_are_in_their_kinds_sections(world: World) -> None:
    body = form_page(world)
    experiment = section(body, "experiment")
    for name in ("tried", "happened", "learned", "next_steps", "experiment_status", "review_date"):
        assert f'name="{name}"' in experiment
    story = section(body, "story")
    for name in ("given_by", "method", "given_on", "obtained_by", "widest_visibility"):
        assert f'name="consent-{name}"' in story
    assert 'name="body"' not in experiment + story
    assert "data-kind-form" in body


def test_the_text_is_labelled_as_needed(world: World) -> None:
    body = form_page(world)
    assert '<label for="id_body" class="label">What you want to say</label>' in body
    assert re.search(r'<textarea name="body"[^>]*required', body)


def test_a_breakthrough_with_one_mistake_is_told_only_that_mistake(world: World) -> None:
    response = post_entry(world, valid_entry(world, title="", **EMPTY_CONSENT))

    body = response.content.decode()
    assert summary_items(body) == ["Title: Enter a title"]
    assert body.count('class="error-message"') == 1
    assert parse(body).ids.count("error-summary-title") == 1
    assert LearningEntry.objects.count() == 0


def test_a_breakthrough_needs_its_text(world: World) -> None:
    body = post_entry(world, valid_entry(world, body="")).content.decode()
    assert summary_items(body) == ["What you want to say: Write what you want to say."]


def test_no_kind_chosen_is_explained(world: World) -> None:
    body = post_entry(world, valid_entry(world, kind="")).content.decode()
    assert summary_items(body) == ["What kind of learning is this: Choose a kind"]


def test_a_breakthrough_ignores_and_clears_an_experiment_s_answers(world: World) -> None:
    extra: dict[str, Any] = {
        "tried": "x" * 6000,
        "experiment_status": "sideways",
        "review_date": "2026-02-30",
        **EMPTY_CONSENT,
    }
    response = post_entry(world, valid_entry(world, **extra))

    assert response.status_code == 302
    entry = LearningEntry.objects.get()
    assert (entry.tried, entry.experiment_status, entry.review_date) == ("", "", None)
    assert StoryConsent.objects.count() == 0


def test_an_experiment_may_leave_the_text_empty_but_not_what_was_tried(world: World) -> None:
    data = valid_entry(world, kind="experiment", body="", experiment_status="running")

    body = post_entry(world, data).content.decode()

    assert summary_items(body) == ["What we tried: Say what you tried."]
    assert '<label for="id_body" class="label">What you want to say (optional)</label>' in body


def test_a_story_s_consent_errors_share_the_one_summary(world: World) -> None:
    data = valid_entry(
        world,
        kind="story",
        visibility="commissioners",
        **{**EMPTY_CONSENT, "consent-given_by": "R.", "consent-method": "verbal"},
    )

    body = post_entry(world, data).content.decode()

    assert parse(body).ids.count("error-summary-title") == 1
    assert "Check the consent details below." in summary_items(body)
    assert "When consent was given: Enter the date consent was given" in summary_items(body)
