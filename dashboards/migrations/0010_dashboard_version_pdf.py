import importlib

import odpe.files
from django.db import migrations, models

frozen = importlib.import_module("dashboards.migrations.0003_published_versions_never_change")


def keep_the_trigger_on_sqlite(apps, schema_editor):
    """SQLite adds the column by rebuilding the table, which drops its triggers: the one that keeps
    published versions frozen is made again (PostgreSQL adds the column in place and keeps it)."""
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS dashboards_version_frozen;")
        schema_editor.execute(frozen.SQLITE_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0009_territory_shapes"),
    ]

    operations = [
        migrations.AddField(
            model_name="dashboardversion",
            name="pdf",
            field=models.FileField(
                blank=True,
                max_length=300,
                upload_to=odpe.files.PrivateUploadTo("dashboards"),
                verbose_name="PDF",
            ),
        ),
        migrations.RunPython(keep_the_trigger_on_sqlite, migrations.RunPython.noop),
    ]
