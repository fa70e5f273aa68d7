from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from odpe.audit import Actor
from odpe.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive made by `backup` into a freshly migrated, empty database and an empty "
        "file storage (see README, “Backup and restore”)."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive: Path, **options):
        try:
            restored = restore_backup(archive, actor=Actor.platform())
        except BackupError as error:
            raise CommandError(str(error)) from error
        for label, count in sorted(restored.items()):
            self.stdout.write(f"{label}: {count}")
        self.stdout.write(f"Restored from {archive}.")
