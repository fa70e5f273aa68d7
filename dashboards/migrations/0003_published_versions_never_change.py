from django.db import migrations

# A published version's snapshot, dates and settings never change; the only move left is to withdraw it
# (which keeps the record); a withdrawn version never changes at all.
FROZEN_COLUMNS = ["content", "published_content", "data_year", "number", "threshold", "published_at", "published_by_id", "is_public"]

POSTGRESQL_TRIGGER = f"""
CREATE OR REPLACE FUNCTION dashboards_version_frozen() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status IN ('published', 'withdrawn') THEN
            RAISE EXCEPTION 'a published dashboard version is never deleted';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status = 'withdrawn'
       OR (OLD.status = 'published' AND (
           NEW.status NOT IN ('published', 'withdrawn')
           OR {" OR ".join(f"NEW.{column} IS DISTINCT FROM OLD.{column}" for column in FROZEN_COLUMNS)}
       )) THEN
        RAISE EXCEPTION 'a published dashboard version never changes: publish a new version instead';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER dashboards_version_frozen
    BEFORE UPDATE OR DELETE ON dashboards_dashboardversion
    FOR EACH ROW EXECUTE FUNCTION dashboards_version_frozen();
"""

# SQLite refuses the UPDATE only: the test runner empties tables with DELETE between tests.
SQLITE_TRIGGER = f"""
CREATE TRIGGER dashboards_version_frozen BEFORE UPDATE ON dashboards_dashboardversion
WHEN OLD.status = 'withdrawn'
  OR (OLD.status = 'published' AND (
      NEW.status NOT IN ('published', 'withdrawn')
      OR {" OR ".join(f"NEW.{column} IS NOT OLD.{column}" for column in FROZEN_COLUMNS)}
  ))
BEGIN SELECT RAISE(ABORT, 'a published dashboard version never changes: publish a new version instead'); END;
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_TRIGGER)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS dashboards_version_frozen ON dashboards_dashboardversion;")
        schema_editor.execute("DROP FUNCTION IF EXISTS dashboards_version_frozen();")
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS dashboards_version_frozen;")


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0002_publication")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
