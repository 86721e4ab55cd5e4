"""PostgreSQL refuses any UPDATE or DELETE of an audit event, whatever code asks.

The one exception is the retention purge, which sets ``hls.audit_purge`` with SET LOCAL
inside its own transaction (privacy.account_data.purge_audit_events). TRUNCATE (used
only by test-database flushes) is not a row event and is unaffected. Other databases rely
on the model's own refusal.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION privacy_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('hls.audit_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER privacy_auditevent_append_only
    BEFORE UPDATE OR DELETE ON privacy_auditevent
    FOR EACH ROW EXECUTE FUNCTION privacy_auditevent_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS privacy_auditevent_append_only ON privacy_auditevent;
DROP FUNCTION IF EXISTS privacy_auditevent_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_audit_log_and_data_exports")]

    operations = [migrations.RunPython(forward, backward)]
