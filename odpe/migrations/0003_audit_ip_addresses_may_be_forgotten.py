"""The audit log stays append-only, with one narrow exception for the retention of IP addresses: an
UPDATE whose only change is to empty `ip` (`odpe.models.AuditEventQuerySet.forget_ip_addresses`).
Any other UPDATE, and DELETE on PostgreSQL, is still refused by the database."""

from django.db import migrations

POSTGRESQL_TRIGGER = """
CREATE OR REPLACE FUNCTION odpe_auditevent_append_only() RETURNS trigger AS $$
DECLARE
    forgotten odpe_auditevent;
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.ip IS NOT NULL AND NEW.ip IS NULL THEN
        forgotten := OLD;
        forgotten.ip := NULL;
        -- Every column, present and future, compared: only the address may change.
        IF ROW(NEW.*) IS NOT DISTINCT FROM ROW(forgotten.*) THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'odpe_auditevent is append-only';
END;
$$ LANGUAGE plpgsql;
"""

PREVIOUS_POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION odpe_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'odpe_auditevent is append-only';
END;
$$ LANGUAGE plpgsql;
"""

# SQLite compares the columns one by one (`IS` is equality that treats NULL as a value): a column added
# to the audit log later must be added here too.
SQLITE_TRIGGER = """
CREATE TRIGGER odpe_auditevent_append_only BEFORE UPDATE ON odpe_auditevent
WHEN NOT (
    OLD.ip IS NOT NULL AND NEW.ip IS NULL
    AND NEW.id IS OLD.id AND NEW."at" IS OLD."at" AND NEW.actor_id IS OLD.actor_id
    AND NEW.actor_label IS OLD.actor_label AND NEW."action" IS OLD."action"
    AND NEW.object_type IS OLD.object_type AND NEW.object_id IS OLD.object_id
    AND NEW.object_repr IS OLD.object_repr AND NEW.details IS OLD.details
)
BEGIN SELECT RAISE(ABORT, 'odpe_auditevent is append-only'); END;
"""

PREVIOUS_SQLITE_TRIGGER = """
CREATE TRIGGER odpe_auditevent_append_only BEFORE UPDATE ON odpe_auditevent
BEGIN SELECT RAISE(ABORT, 'odpe_auditevent is append-only'); END;
"""


def allow_forgetting_ips(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_TRIGGER)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS odpe_auditevent_append_only;")
        schema_editor.execute(SQLITE_TRIGGER)


def refuse_every_update(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PREVIOUS_POSTGRESQL_FUNCTION)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS odpe_auditevent_append_only;")
        schema_editor.execute(PREVIOUS_SQLITE_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [("odpe", "0002_audit_append_only")]

    operations = [migrations.RunPython(allow_forgetting_ips, refuse_every_update)]
