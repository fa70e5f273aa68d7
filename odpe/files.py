"""Files people send, for every app: random stored names, and the intake of an uploaded file (its
SHA-256 and size, its bytes in the private storage, deleted again if what keeps it fails)."""

import hashlib
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db.models.fields.files import FieldFile
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateUploadTo:
    """Random stored names in a folder: the original name never reaches the storage."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        if not re.fullmatch(r"[a-z0-9]{1,10}", suffix):  # only the extension of the sender's name is kept
            suffix = "bin"
        return f"{self.folder}/{uuid.uuid4().hex}.{suffix}"

    def __eq__(self, other):
        return isinstance(other, PrivateUploadTo) and other.folder == self.folder


@dataclass(frozen=True)
class Received:
    """The fingerprint of the bytes as received."""

    sha256: str
    size: int


def fingerprint(uploaded_file) -> Received:
    """SHA-256 and size of an uploaded file, read in chunks; the file is rewound for what follows."""
    digest, size = hashlib.sha256(), 0
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
        size += len(chunk)
    uploaded_file.seek(0)
    return Received(sha256=digest.hexdigest(), size=size)


@contextmanager
def intake(field_file: FieldFile, uploaded_file, name: str) -> Iterator[Received]:
    """Take in an uploaded file: fingerprint it, store its bytes under the field's random name (the
    model instance is not saved), and run the block that records it.

    If the block raises, its transaction rolls back and the stored bytes are deleted: they must not
    outlive the record that would have kept them.
    """
    received = fingerprint(uploaded_file)
    field_file.save(name, uploaded_file, save=False)
    try:
        yield received
    except BaseException:
        field_file.storage.delete(field_file.name)
        raise
