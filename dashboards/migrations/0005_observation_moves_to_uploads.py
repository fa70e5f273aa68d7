from django.db import migrations


class Migration(migrations.Migration):
    """The observations belong to the collection: their table is renamed, its rows kept, and the model
    leaves dashboards' state; `uploads.0003_observation_moves_from_dashboards` takes it up."""

    dependencies = [("dashboards", "0004_document_withdrawal")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel("Observation")],
            database_operations=[migrations.AlterModelTable("Observation", "uploads_observation")],
        )
    ]
