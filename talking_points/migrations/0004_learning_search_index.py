"""A GIN index for full-text search over learning entries, on PostgreSQL only.

SQLite has no GIN indexes; there the app falls back to a plain substring search. The
expression must stay identical to ``talking_points.models.learning.search_vector()``.
"""

from django.db import migrations

FIELDS = ("title", "body", "tried", "happened", "learned", "next_steps")
INDEX_NAME = "learning_entry_search"


def _index():  # type: ignore[no-untyped-def]
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    return GinIndex(SearchVector(*FIELDS, config="english"), name=INDEX_NAME)


def create_index(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.add_index(apps.get_model("talking_points", "LearningEntry"), _index())


def drop_index(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_index(apps.get_model("talking_points", "LearningEntry"), _index())


class Migration(migrations.Migration):
    dependencies = [("talking_points", "0003_learning_logs")]

    operations = [migrations.RunPython(create_index, drop_index)]
