from django.db import migrations

POSTGRESQL_TRIGGER = """
CREATE OR REPLACE FUNCTION odpe_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'odpe_auditevent is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER odpe_auditevent_append_only
    BEFORE UPDATE OR DELETE ON odpe_auditevent
    FOR EACH ROW EXECUTE FUNCTION odpe_auditevent_append_only();
"""

# SQLite only refuses UPDATE: the test runner empties tables with DELETE between tests.
SQLITE_TRIGGER = """
CREATE TRIGGER odpe_auditevent_append_only BEFORE UPDATE ON odpe_auditevent
BEGIN SELECT RAISE(ABORT, 'odpe_auditevent is append-only'); END;
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_TRIGGER)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS odpe_auditevent_append_only ON odpe_auditevent;")
        schema_editor.execute("DROP FUNCTION IF EXISTS odpe_auditevent_append_only();")
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS odpe_auditevent_append_only;")


class Migration(migrations.Migration):
    dependencies = [("odpe", "0001_initial")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
