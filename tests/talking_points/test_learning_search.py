"""Search: PostgreSQL full-text with a GIN index; an honest substring search on SQLite."""

from __future__ import annotations

import pytest
from django.db import connection

from talking_points.models import LearningEntry
from tests import factories


@pytest.fixture
def entries(db: None) -> None:
    place = factories.PlaceFactory()
    org = factories.OrganisationFactory(places=[place])
    for title, body in (
        ("Cooking together", "We cooked lunch for twenty neighbours."),
        ("Bus routes", "The winter route was cut."),
        ("Experiment", ""),
    ):
        factories.LearningEntryFactory(
            place=place, organisation=org, title=title, body=body, visibility="public"
        )
    LearningEntry.objects.filter(title="Experiment").update(
        kind="experiment", learned="Neighbours cook better in pairs."
    )


def titles(words: str) -> set[str]:
    return set(LearningEntry.objects.visible_to(None).search(words).values_list("title", flat=True))


def test_search_covers_title_body_and_experiment_fields(entries: None) -> None:
    assert titles("route") == {"Bus routes"}
    assert titles("neighbours") == {"Cooking together", "Experiment"}
    assert titles("bus cut") == {"Bus routes"}
    assert titles("") == {"Cooking together", "Bus routes", "Experiment"}
    assert titles("zebra") == set()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text only")
def test_postgres_search_understands_word_forms_and_phrases(entries: None) -> None:
    assert titles("cooking") == {"Cooking together", "Experiment"}  # cook, cooked, cooking
    assert titles('"winter route"') == {"Bus routes"}
    assert titles("bus -winter") == set()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL GIN index")
def test_postgres_search_uses_the_gin_index(entries: None) -> None:
    query = LearningEntry.objects.search("cooking")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = query.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "learning_search_document" in plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text only")
def test_an_entry_s_search_document_follows_every_write(entries: None) -> None:
    """The stored document is kept by the database, so an ``update()`` (or the admin)
    finds the new words as a form's save does."""
    entry = LearningEntry.objects.get(title="Bus routes")

    LearningEntry.objects.filter(pk=entry.pk).update(body="Allotment harvest shared")

    assert titles("allotment") == {"Bus routes"}


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite fallback only")
def test_sqlite_search_needs_every_word(entries: None) -> None:
    assert titles("cooked lunch") == {"Cooking together"}
    assert titles("cooked winter") == set()
