"""Full-text search reads a stored document instead of analysing every row's text again.

On PostgreSQL, ``search_document`` is kept by the built-in ``tsvector_update_trigger`` from
the entry's text fields on every insert and update (however made), filled for the entries
already there, and indexed (GIN). The index on the expression it replaces is dropped. A
search then filters a place's newest entries by reading the stored document (or, for rare
words, uses the index) rather than running ``to_tsvector`` on each row it looks at.

On SQLite the column stays empty: search there matches the text itself.
"""

import django.contrib.postgres.search
from django.db import migrations

FIELDS = ("title", "body", "tried", "happened", "learned", "next_steps")
TABLE = "talking_points_learningentry"
DOCUMENT = " || ' ' || ".join(f"coalesce({field}, '')" for field in FIELDS)

FORWARD = [
    f"""
    CREATE TRIGGER talking_points_learningentry_search_document
    BEFORE INSERT OR UPDATE OF {", ".join(FIELDS)} ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION
    tsvector_update_trigger(search_document, 'pg_catalog.english', {", ".join(FIELDS)});
    """,
    # Fixed text built from the names above, never input.
    f"UPDATE {TABLE} SET search_document = to_tsvector('pg_catalog.english', {DOCUMENT});",  # noqa: S608
    f"CREATE INDEX learning_search_document ON {TABLE} USING gin (search_document);",
    "DROP INDEX IF EXISTS learning_entry_search;",
    # The planner's statistics of the new column, so it weighs the index against a scan.
    f"ANALYZE {TABLE};",
]

BACKWARD = [
    f"DROP TRIGGER IF EXISTS talking_points_learningentry_search_document ON {TABLE};",
    "DROP INDEX IF EXISTS learning_search_document;",
]


def _run(statements):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


def _old_index(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Going back: the expression index of migration 0004 again."""
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    schema_editor.add_index(
        apps.get_model("talking_points", "LearningEntry"),
        GinIndex(SearchVector(*FIELDS, config="english"), name="learning_entry_search"),
    )


class Migration(migrations.Migration):
    dependencies = [("talking_points", "0008_session_version_triggers")]

    operations = [
        migrations.AddField(
            model_name="learningentry",
            name="search_document",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(_run(FORWARD), _run(BACKWARD)),
        migrations.RunPython(migrations.RunPython.noop, _old_index),
    ]
