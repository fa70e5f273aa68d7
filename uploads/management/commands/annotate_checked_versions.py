"""Give every version checked before annotated copies were kept its copy (once, after deploying them).

Annotated copies are made by the worker when it checks a version (`uploads.services.validate_version`);
a version checked earlier has none, and its download page says so until this command has run. Safe to
run again: a version that has its copy, or needs none, is left alone.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from uploads import services
from uploads.models import SubmissionVersion


class Command(BaseCommand):
    help = "Make the annotated copy of every checked version that should have one and has none."

    def handle(self, *args, **options):
        versions = (
            SubmissionVersion.objects.filter(report__isnull=False, annotated_copy="", bytes_deleted_at=None)
            .exclude(file="")
            .order_by("uploaded_at")
        )
        made = sum(services.add_missing_annotated_copy(version) for version in versions.iterator())
        self.stdout.write(_("Annotated copies made: %(count)s.") % {"count": made})
