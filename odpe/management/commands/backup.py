from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from odpe.audit import Actor
from odpe.backups import BackupError, make_backup


class Command(BaseCommand):
    help = "Save the database and the private files into one archive (see README, “Backup and restore”)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="Archive to write (default: odpe-backup-<date>-<time>.tar.gz in the current folder).",
        )

    def handle(self, *args, output: Path | None = None, **options):
        path = output or Path(f"odpe-backup-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz")
        try:
            manifest = make_backup(path, actor=Actor.platform())
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backup written to {path} ({len(manifest['files'])} files).")
