"""``Session.version`` moves with the data, whatever writes it.

The live page caches what was said, the agenda, attendance and actions under the session's
id and version, and its poll answers "not modified" by the version. So the version must
change on every write to the session row or to a row the page shows from it, however the
write is made: a service, a form, the admin, ``QuerySet.update()``, ``bulk_create`` or SQL.
Database triggers do that; no code has to remember to.

- Any update of the session row that leaves ``version`` as it was moves it on by one.
- Any insert, update or delete of an agenda item, attendance, contribution, decision or
  action moves its session (old and new, if it moved) on by one.
- An edit of a talking point's text moves every live session that has it on its agenda.
"""

from django.db import migrations

CHILDREN = ("agendaitem", "attendance", "contribution", "decision", "action")

POSTGRES = [
    """
    CREATE OR REPLACE FUNCTION talking_points_session_version() RETURNS trigger AS $$
    BEGIN
        IF NEW.version = OLD.version THEN
            NEW.version := OLD.version + 1;
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER talking_points_session_version BEFORE UPDATE ON talking_points_session
    FOR EACH ROW EXECUTE FUNCTION talking_points_session_version();
    """,
    """
    CREATE OR REPLACE FUNCTION talking_points_session_row_changed() RETURNS trigger AS $$
    BEGIN
        IF TG_OP <> 'DELETE' THEN
            UPDATE talking_points_session SET version = version + 1 WHERE id = NEW.session_id;
        END IF;
        IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.session_id <> NEW.session_id) THEN
            UPDATE talking_points_session SET version = version + 1 WHERE id = OLD.session_id;
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql;
    """,
    *(
        f"""
        CREATE TRIGGER talking_points_{child}_moves_session
        AFTER INSERT OR UPDATE OR DELETE ON talking_points_{child}
        FOR EACH ROW EXECUTE FUNCTION talking_points_session_row_changed();
        """
        for child in CHILDREN
    ),
    """
    CREATE OR REPLACE FUNCTION talking_points_talkingpoint_changed() RETURNS trigger AS $$
    BEGIN
        UPDATE talking_points_session SET version = version + 1
        WHERE status = 'live' AND id IN (
            SELECT session_id FROM talking_points_agendaitem WHERE talking_point_id = NEW.id
        );
        RETURN NULL;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER talking_points_talkingpoint_moves_sessions
    AFTER UPDATE ON talking_points_talkingpoint
    FOR EACH ROW EXECUTE FUNCTION talking_points_talkingpoint_changed();
    """,
]

POSTGRES_REVERSE = [
    *(
        f"DROP TRIGGER IF EXISTS talking_points_{child}_moves_session ON talking_points_{child};"
        for child in CHILDREN
    ),
    "DROP TRIGGER IF EXISTS talking_points_session_version ON talking_points_session;",
    "DROP TRIGGER IF EXISTS talking_points_talkingpoint_moves_sessions"
    " ON talking_points_talkingpoint;",
    "DROP FUNCTION IF EXISTS talking_points_session_version();",
    "DROP FUNCTION IF EXISTS talking_points_session_row_changed();",
    "DROP FUNCTION IF EXISTS talking_points_talkingpoint_changed();",
]


def _bump(session_id: str) -> str:
    # Fixed text (NEW.id, OLD.session_id …), never input.
    return f"UPDATE talking_points_session SET version = version + 1 WHERE id = {session_id};"  # noqa: S608


SQLITE = [
    # The inner update changes version, so the WHEN stops it firing again.
    """
    CREATE TRIGGER talking_points_session_version AFTER UPDATE ON talking_points_session
    FOR EACH ROW WHEN NEW.version = OLD.version
    BEGIN """
    + _bump("NEW.id")
    + " END;",
    *(
        trigger
        for child in CHILDREN
        for trigger in (
            f"CREATE TRIGGER talking_points_{child}_insert AFTER INSERT ON talking_points_{child}"
            f" BEGIN {_bump('NEW.session_id')} END;",
            f"CREATE TRIGGER talking_points_{child}_update AFTER UPDATE ON talking_points_{child}"
            f" BEGIN {_bump('NEW.session_id')} {_bump('OLD.session_id')} END;",
            f"CREATE TRIGGER talking_points_{child}_delete AFTER DELETE ON talking_points_{child}"
            f" BEGIN {_bump('OLD.session_id')} END;",
        )
    ),
    """
    CREATE TRIGGER talking_points_talkingpoint_moves_sessions
    AFTER UPDATE ON talking_points_talkingpoint
    BEGIN
        UPDATE talking_points_session SET version = version + 1
        WHERE status = 'live' AND id IN (
            SELECT session_id FROM talking_points_agendaitem WHERE talking_point_id = NEW.id
        );
    END;
    """,
]

SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS talking_points_session_version;",
    *(
        f"DROP TRIGGER IF EXISTS talking_points_{child}_{when};"
        for child in CHILDREN
        for when in ("insert", "update", "delete")
    ),
    "DROP TRIGGER IF EXISTS talking_points_talkingpoint_moves_sessions;",
]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("talking_points", "0007_learning_log_page_indexes")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
