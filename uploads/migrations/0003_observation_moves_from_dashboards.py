import django.db.models.deletion
from django.db import migrations, models


def move_content_type(apps, schema_editor, source="dashboards", target="uploads"):
    """The permissions of the model follow it: its content type changes app rather than being made anew."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label=target, model="observation").exists():
        ContentType.objects.using(db).filter(app_label=source, model="observation").update(app_label=target)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="uploads", target="dashboards")


class Migration(migrations.Migration):
    """The observations belong to the collection: the model joins uploads' state over the table that
    `dashboards.0005_observation_moves_to_uploads` renamed (no row is copied)."""

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("conventions", "0001_initial"),
        ("dashboards", "0005_observation_moves_to_uploads"),
        ("uploads", "0002_submission_version_annotated_copy"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Observation",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("data_year", models.PositiveSmallIntegerField(verbose_name="data year")),
                        ("territory", models.CharField(blank=True, max_length=100, verbose_name="territory")),
                        ("sex", models.CharField(blank=True, max_length=40, verbose_name="sex")),
                        ("age_group", models.CharField(blank=True, max_length=40, verbose_name="age group")),
                        ("value", models.DecimalField(decimal_places=6, max_digits=22, verbose_name="value")),
                        (
                            "indicator",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="observations",
                                to="uploads.indicator",
                                verbose_name="indicator",
                            ),
                        ),
                        (
                            "source",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="observations",
                                to="conventions.partner",
                                verbose_name="source",
                            ),
                        ),
                        (
                            "version",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="observations",
                                to="uploads.submissionversion",
                                verbose_name="submitted version",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "observation",
                        "verbose_name_plural": "observations",
                        "ordering": ["indicator", "data_year", "territory", "sex", "age_group"],
                        "indexes": [
                            models.Index(fields=["data_year", "indicator"], name="observation_year_indicator")
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("indicator", "data_year", "territory", "sex", "age_group", "source"),
                                name="one_observation_per_breakdown_and_source",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("data_year__gte", 2000)), name="observation_data_year_plausible"
                            ),
                        ],
                    },
                )
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
