"""Backup and restore of the whole platform: its database and its private files, in one archive.

The archive (tar.gz) holds `manifest.json`, `data.jsonl` (Django's serializer, one object a line,
foreign keys to users, groups, permissions and content types by natural key) and the stored files
under `files/`, read and written through Django's storage API (local disk or S3 alike).

Why Django's serializer rather than pg_dump: the archive moves between SQLite (the embedded demo)
and PostgreSQL, needs no client binary of the server's exact version, and is restored by the
platform's own code into a database that `migrate` has just created, with the append-only audit
triggers in place. Restoring only ever INSERTs (the triggers refuse UPDATE and DELETE on the audit
log), so it refuses a database or a storage that already holds data.
"""

import io
import json
import os
import tarfile
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import django
from django.apps import apps
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from odpe import audit
from odpe.audit import Actor

FORMAT = 1
MANIFEST, DATA, FILES = "manifest.json", "data.jsonl", "files/"
# Rebuilt by `migrate` (content types, permissions) or worthless after a restore (sessions).
NOT_SAVED = ["contenttypes", "auth.permission", "sessions"]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


def stored_files(storage: Storage = default_storage, folder: str = "") -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a local storage whose folder does not exist yet: nothing stored
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from stored_files(storage, f"{folder}/{sub}" if folder else sub)


def applied_migrations(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    recorder = MigrationRecorder(connections[using])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def make_backup(path: Path, *, actor: Actor, storage: Storage = default_storage) -> dict:
    """Write the archive at `path` (never over an existing file; readable by its owner only)."""
    with tempfile.TemporaryDirectory() as work:
        data = Path(work) / DATA
        outermost = not connections[DEFAULT_DB_ALIAS].in_atomic_block
        with transaction.atomic():
            if outermost:
                _consistent_snapshot()
            call_command(
                "dumpdata", format="jsonl", natural_foreign=True, exclude=NOT_SAVED, output=str(data)
            )
            migrations = applied_migrations()
        files = list(stored_files(storage))
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "django": django.get_version(),
            "database": connections[DEFAULT_DB_ALIAS].vendor,
            "migrations": migrations,
            "files": files,
        }
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise BackupError(f"{path} exists already: choose another file name.") from None
        with os.fdopen(descriptor, "wb") as output, tarfile.open(fileobj=output, mode="w:gz") as archive:
            _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode())
            archive.add(data, arcname=DATA)
            for name in files:
                info = tarfile.TarInfo(FILES + name)
                info.size, info.mtime = storage.size(name), int(time.time())
                with storage.open(name, "rb") as stored:
                    archive.addfile(info, stored)
    audit.record(actor, "backup.created", archive=path.name, files=len(files))
    return manifest


def _consistent_snapshot() -> None:
    """On PostgreSQL every table is read as of the same instant while the platform runs
    (the first statement of the transaction; SQLite transactions are serialisable already)."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")


def _add_bytes(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime = len(content), int(time.time())
    archive.addfile(info, io.BytesIO(content))


def restore_backup(path: Path, *, actor: Actor, storage: Storage = default_storage) -> Counter:
    """Load the archive into a freshly migrated, empty database and an empty storage.

    Validates before writing anything: archive format, same migrations as the database,
    nothing stored yet. Returns the number of objects restored per model (and of files).
    """
    with tarfile.open(path, mode="r:gz") as archive:
        manifest = json.load(_member(archive, MANIFEST))
        _check_target(manifest, storage)
        restored = Counter()
        connection = connections[DEFAULT_DB_ALIAS]
        with transaction.atomic():
            with connection.constraint_checks_disabled():
                for item in serializers.deserialize("jsonl", _member(archive, DATA)):
                    restored[_insert(item)] += 1
            models = [apps.get_model(label) for label in restored]
            connection.check_constraints(table_names=[model._meta.db_table for model in models])
            _reset_sequences(models)
            for member in archive.getmembers():
                if member.isfile() and member.name.startswith(FILES):
                    _restore_file(archive, member, storage)
                    restored["files"] += 1
            audit.record(
                actor,
                "backup.restored",
                archive=path.name,
                created_at=manifest["created_at"],
                files=restored["files"],
            )
    return restored


def _member(archive: tarfile.TarFile, name: str):
    try:
        return archive.extractfile(name)
    except KeyError:
        raise BackupError(f"{name} is missing: this is not a backup of the platform.") from None


def _check_target(manifest: dict, storage: Storage) -> None:
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r} (this version reads {FORMAT}).")
    missing = set(manifest["migrations"]) - set(applied_migrations())
    extra = set(applied_migrations()) - set(manifest["migrations"])
    if missing or extra:
        raise BackupError(
            "The database is not at the backup's migration state "
            f"(missing: {sorted(missing) or 'none'}; not in the backup: {sorted(extra) or 'none'}). "
            "Restore with the platform version that made the backup, into a database created by "
            "its `migrate`; then upgrade."
        )
    for model in apps.get_models():
        if model is not Group and _is_saved(model) and model._default_manager.exists():
            raise BackupError(
                f"The database already holds data ({model._meta.label}): restore only into a new, "
                "freshly migrated database."
            )
    if next(stored_files(storage), None) is not None:
        raise BackupError("The file storage already holds files: restore only into an empty storage.")


def _is_saved(model) -> bool:
    return model._meta.app_label not in NOT_SAVED and model._meta.label_lower not in NOT_SAVED


def _insert(item) -> str:
    """INSERT only. Role groups exist already (a migration makes them): they get their permissions."""
    instance = item.object
    if isinstance(instance, Group):
        group = Group.objects.filter(name=instance.name).first()
        if group is not None:
            group.permissions.set(item.m2m_data.get("permissions", []))
            return instance._meta.label
        instance.pk = None  # numbered anew: everything refers to groups by name
    item.save(force_insert=True)
    return instance._meta.label


def _reset_sequences(models) -> None:
    """PostgreSQL's id counters continue after the restored ids (SQLite needs nothing)."""
    connection = connections[DEFAULT_DB_ALIAS]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _restore_file(archive: tarfile.TarFile, member: tarfile.TarInfo, storage: Storage) -> None:
    name = member.name.removeprefix(FILES)
    saved = storage.save(name, File(archive.extractfile(member), name=name))
    if saved != name:
        raise BackupError(f"{name} was stored as {saved}: the storage was not empty.")
