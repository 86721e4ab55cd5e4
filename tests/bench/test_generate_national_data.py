"""``manage.py generate_national_data``: counts, determinism, every kind of row, and the
app's pages working on what it generates (at a tiny scale, on PostgreSQL)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client

from bench.national_data import NATIONAL, checksum, copy_columns, plan
from partnerships.models import CommissionerProfile, Forum, Organisation, Place, User
from reminders.models import Delivery
from talking_points.models import (
    Contribution,
    Decision,
    LearningEntry,
    LearningKind,
    Review,
    Session,
    SessionStatus,
    StoryConsent,
    Visibility,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bench_installed")]

TINY = 0.001


@pytest.fixture(autouse=True)
def postgres_only() -> None:
    if connection.vendor != "postgresql":
        message = "generate_national_data needs PostgreSQL (set DATABASE_URL=postgres://...)"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)


def generate(tmp_path: Path, **options: Any) -> dict[str, Any]:
    personas = tmp_path / "personas.json"
    call_command("generate_national_data", personas_file=str(personas), verbosity=0, **options)
    return dict(json.loads(personas.read_text()))


def counts() -> dict[str, int]:
    return {
        "places": Place.objects.count(),
        "organisations": Organisation.objects.count(),
        "people": User.objects.count(),
        "commissioners": CommissionerProfile.objects.count(),
        "learning_entries": LearningEntry.objects.count(),
        "sessions": Session.objects.count(),
        "contributions": Contribution.objects.count(),
        "deliveries": Delivery.objects.count(),
    }


def test_plan_at_national_scale_is_the_issues_numbers() -> None:
    assert plan(1.0) == {
        "places": 300,
        "organisations": 10_000,
        "people": 50_000,
        "commissioners": 1_000,
        "learning_entries": 1_000_000,
        "sessions": 20_000,
        "contributions": 500_000,
        "deliveries": 200_000,
    }
    assert plan(1.0) == NATIONAL


@pytest.mark.parametrize("scale", [TINY, 2 * TINY])
def test_generate_counts_match_the_plan_when_scaled(tmp_path: Path, scale: float) -> None:
    generate(tmp_path, scale=scale, seed=1)

    assert counts() == plan(scale)
    assert LearningEntry.objects.count() == round(1_000_000 * scale)
    assert Contribution.objects.count() == round(500_000 * scale)


def test_generate_same_seed_twice_gives_identical_data(tmp_path: Path) -> None:
    first_personas = generate(tmp_path, scale=TINY, seed=5)
    first = checksum()

    second_personas = generate(tmp_path, scale=TINY, seed=5, flush=True)
    second = checksum()
    generate(tmp_path, scale=TINY, seed=6, flush=True)
    other_seed = checksum()

    assert second == first
    assert second_personas == first_personas
    assert other_seed["talking_points_learningentry"] != first["talking_points_learningentry"]


def test_generate_every_kind_visibility_and_status_exists(tmp_path: Path) -> None:
    generate(tmp_path, scale=TINY, seed=2)

    kinds = set(LearningEntry.objects.values_list("kind", flat=True))
    visibilities = set(LearningEntry.objects.values_list("visibility", flat=True))
    assert kinds == set(LearningKind.values)
    assert visibilities == set(Visibility.values)
    assert set(Session.objects.values_list("status", flat=True)) == set(SessionStatus.values)
    assert set(Delivery.objects.values_list("kind", flat=True)) == {"reminder", "digest"}
    assert Contribution.objects.filter(is_anonymous=True, author__isnull=True).exists()
    assert StoryConsent.objects.filter(withdrawn_at__isnull=True).exists()
    assert Review.objects.exists()
    assert Decision.objects.filter(at_the_table__isnull=False).exists()
    assert LearningEntry.objects.filter(tags__isnull=False).exists()
    assert Forum.objects.filter(memberships__role="facilitator").exists()
    # Realistic skew: organisation-only and place entries outnumber public ones.
    public = LearningEntry.objects.filter(visibility=Visibility.PUBLIC).count()
    assert LearningEntry.objects.filter(visibility=Visibility.ORGANISATION).count() > public


def test_generate_keeps_the_promises_of_the_trust_rules(tmp_path: Path) -> None:
    generate(tmp_path, scale=TINY, seed=4)

    # A story is shared beyond its organisation only with consent that stands, and never
    # wider than that consent allows.
    shared_stories = LearningEntry.objects.filter(kind=LearningKind.STORY).exclude(
        visibility=Visibility.ORGANISATION
    )
    assert shared_stories.exists()
    for entry in shared_stories.select_related("consent"):
        assert entry.consent.allows(entry.visibility)
    # Anonymous contributions hold nothing about their author (also a database constraint).
    assert not Contribution.objects.filter(is_anonymous=True, author_name__gt="").exists()
    # Every commissioner has two-step sign-in, as the middleware demands.
    from allauth.mfa.models import Authenticator

    commissioners = CommissionerProfile.objects.values("user_id")
    assert Authenticator.objects.filter(user_id__in=commissioners).count() == (
        CommissionerProfile.objects.count()
    )


def test_generate_refuses_tables_that_already_have_rows(tmp_path: Path) -> None:
    generate(tmp_path, scale=TINY, seed=1)

    with pytest.raises(CommandError, match="already have rows"):
        generate(tmp_path, scale=TINY, seed=1)


def test_copy_columns_refuses_a_not_null_field_the_rows_do_not_give() -> None:
    with pytest.raises(CommandError, match=r"Place\.name is NOT NULL"):
        copy_columns(Place, ("id", "slug"))


def test_copy_columns_fills_constant_defaults_and_nulls() -> None:
    columns, fill = copy_columns(Place, ("id", "name", "slug"))

    assert columns == [
        "id",
        "name",
        "slug",
        "county",
        "engagement_level",
        "current_practice",
        "time_zone",
    ]
    assert fill == ("", "low", "", "Europe/London")


def test_copy_columns_refuses_a_computed_default_the_rows_do_not_give() -> None:
    with pytest.raises(CommandError, match="computed default"):
        copy_columns(Forum, ("id", "place_id", "name", "slug", "purpose"))


def test_bench_pages_answer_on_generated_data(tmp_path: Path) -> None:
    from bench.pages import pages_and_personas

    generate(tmp_path, scale=TINY, seed=1)
    pages, personas = pages_and_personas(tmp_path / "personas.json")

    answers = {}
    for page in pages:
        client = Client()
        if page.persona != "anonymous":
            client.force_login(User.objects.get(email=personas[page.persona]))
        headers = dict(page.headers or {})
        if page.unchanged_etag:  # as bench/web.py does: this session's current ETag
            headers["If-None-Match"] = client.get(page.path, headers=headers)["ETag"]
        response = client.get(page.path, headers=headers)
        answers[page.name] = response.status_code

    assert answers == {
        "bare view": 200,
        "bare view signed in": 200,
        "place dashboard": 200,
        "learning log": 200,
        "learning log deep page": 200,
        "learning log filtered": 200,
        "entry page": 200,
        "search": 200,
        "varied search": 200,
        "review queue": 200,
        "forum page": 200,
        "live session": 200,
        "live poll unchanged ETag": 304,
    }


def test_bench_pages_show_generated_entries_to_the_member(tmp_path: Path) -> None:
    from bench.pages import pages_and_personas

    generate(tmp_path, scale=TINY, seed=1)
    pages, personas = pages_and_personas(tmp_path / "personas.json")
    log = next(p for p in pages if p.name == "learning log")
    member = User.objects.get(email=personas["member"])
    client = Client()
    client.force_login(member)

    response = client.get(log.path)

    assert len(response.context["entries"]) > 0
    queue = next(p for p in pages if p.name == "review queue")
    commissioner = Client()
    commissioner.force_login(User.objects.get(email=personas["commissioner"]))
    assert len(commissioner.get(queue.path).context["page_obj"].entries) > 0


def test_bench_entry_page_shows_the_member_responses_replies_and_links(tmp_path: Path) -> None:
    from bench.pages import pages_and_personas

    generate(tmp_path, scale=TINY, seed=1)
    pages, personas = pages_and_personas(tmp_path / "personas.json")
    pages_again, _ = pages_and_personas(tmp_path / "personas.json")
    entry_page = next(p for p in pages if p.name == "entry page")
    client = Client()
    client.force_login(User.objects.get(email=personas["member"]))

    response = client.get(entry_page.path)

    threads = list(response.context["threads"])
    assert threads
    assert any(thread.replies.all() for thread in threads)
    assert {link.relation for link in response.context["links_out"]} == {
        "came_from",
        "led_to",
        "relates_to",
    }
    # A second run finds the same entry and adds nothing.
    assert next(p for p in pages_again if p.name == "entry page").path == entry_page.path
    assert Review.objects.filter(entry_id=response.context["entry"].pk).count() == len(
        threads
    ) + sum(len(thread.replies.all()) for thread in threads)


def test_bench_search_words_each_find_generated_entries(tmp_path: Path) -> None:
    from bench.pages import search_words

    generate(tmp_path, scale=TINY, seed=1)
    words = search_words()

    assert len(words) >= 50
    assert [w for w in words if not LearningEntry.objects.search(w).exists()] == []


def test_generated_outsider_is_refused_the_live_session(tmp_path: Path) -> None:
    from bench.pages import pages_and_personas

    generate(tmp_path, scale=TINY, seed=1)
    pages, personas = pages_and_personas(tmp_path / "personas.json")
    live = next(p for p in pages if p.name == "live session")
    queue = next(p for p in pages if p.name == "review queue")
    client = Client()
    client.force_login(User.objects.get(email=personas["outsider"]))

    assert client.get(live.path).status_code == 404
    assert client.get(queue.path).status_code == 403
