"""Personal data encrypted at rest: files are encrypted before they reach the storage (disk or S3) and
decrypted only by a permission-checked view or a task.

The keys come from `settings.DATA_ENCRYPTION_KEYS` (the environment), never from the database or a
backup: whoever holds a copy of the storage and the database still reads nothing. The first key
encrypts; every key listed decrypts, so a key is rotated by putting the new one first and keeping the
old ones until no file needs them.

The format streams (an OLINPE base reaches several hundred MB, and neither encryption nor decryption
holds more than one chunk in memory): AES-256-GCM over chunks of 1 MiB, in the STREAM construction.
  header  = MAGIC (8 bytes) · key id (8 bytes: start of the key's SHA-256) · nonce prefix (7 random bytes)
  chunk   = length of the sealed chunk (4 bytes, big endian) · sealed chunk (plaintext + 16-byte tag)
  nonce   = nonce prefix · chunk counter (4 bytes) · 1 for the last chunk, else 0
Each chunk is authenticated with the header, its position and whether it is the last, so a file cut
short, chunks reordered or a header changed are refused rather than read as something else.
"""

import base64
import hashlib
import os
import struct
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files import File

MAGIC = b"ODPEENC1"
CHUNK_BYTES = 1024 * 1024
_PREFIX_BYTES = 7
_TAG_BYTES = 16
_HEADER_BYTES = len(MAGIC) + 8 + _PREFIX_BYTES
# Past this size the encrypted copy waiting to go to the storage spills from memory to a temporary file.
_SPOOL_BYTES = 8 * CHUNK_BYTES


class EncryptionError(Exception):
    """The bytes cannot be decrypted: not ours, damaged, cut short, or sealed with a key no longer listed."""


def parse_key(text: str) -> bytes:
    """A key as written in the settings: 32 random bytes in URL-safe base64 (`Fernet.generate_key()`)."""
    try:
        key = base64.urlsafe_b64decode(text.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        key = b""
    if len(key) != 32:
        raise ImproperlyConfigured(
            "Each DATA_ENCRYPTION_KEYS entry must be 32 bytes in URL-safe base64 "
            '(python -c "import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())").'
        )
    return key


def key_id(key: bytes) -> bytes:
    return hashlib.sha256(key).digest()[:8]


def _keys() -> list[bytes]:
    return [parse_key(text) for text in settings.DATA_ENCRYPTION_KEYS]


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    return prefix + struct.pack(">IB", counter, 1 if last else 0)


def encrypt_stream(source: BinaryIO, target: BinaryIO) -> None:
    """Write `source`'s bytes to `target`, encrypted with the first key, one chunk at a time."""
    key = _keys()[0]
    prefix = os.urandom(_PREFIX_BYTES)
    header = MAGIC + key_id(key) + prefix
    target.write(header)
    cipher = AESGCM(key)
    counter = 0
    chunk = source.read(CHUNK_BYTES)
    while True:
        following = source.read(CHUNK_BYTES)
        last = not following
        sealed = cipher.encrypt(_nonce(prefix, counter, last), chunk, header)
        target.write(struct.pack(">I", len(sealed)))
        target.write(sealed)
        if last:
            return
        chunk, counter = following, counter + 1


def decrypt_chunks(source: BinaryIO) -> Iterator[bytes]:
    """The plaintext of an encrypted stream, chunk by chunk; EncryptionError if it is not intact."""
    header = source.read(_HEADER_BYTES)
    if len(header) != _HEADER_BYTES or not header.startswith(MAGIC):
        raise EncryptionError("Not an encrypted file of the platform.")
    wanted = header[len(MAGIC) : len(MAGIC) + 8]
    key = next((key for key in _keys() if key_id(key) == wanted), None)
    if key is None:
        raise EncryptionError("The file was encrypted with a key that is no longer configured.")
    cipher, prefix = AESGCM(key), header[-_PREFIX_BYTES:]
    counter = 0
    while True:
        length = source.read(4)
        if len(length) != 4:
            raise EncryptionError("The encrypted file is cut short.")
        (size,) = struct.unpack(">I", length)
        if size < _TAG_BYTES or size > CHUNK_BYTES + _TAG_BYTES:
            raise EncryptionError("The encrypted file is damaged.")
        sealed = source.read(size)
        # The last chunk is the one followed by nothing: it must say so in its nonce.
        last = not source.read(1)
        if not last:
            source.seek(-1, os.SEEK_CUR)
        try:
            yield cipher.decrypt(_nonce(prefix, counter, last), sealed, header)
        except InvalidTag:
            raise EncryptionError("The encrypted file is damaged or was cut short.") from None
        if last:
            return
        counter += 1


def save_encrypted(field_file, source: BinaryIO, name: str) -> None:
    """Store `source` encrypted under the field's random name (the model instance is not saved): the
    storage, local or S3, only ever receives the encrypted bytes."""
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES) as encrypted:
        encrypt_stream(source, encrypted)
        encrypted.seek(0)
        field_file.save(name, File(encrypted), save=False)


def decrypted_chunks(field_file) -> Iterator[bytes]:
    """The stored file's plaintext, streamed: for a response or a task. Opens and closes the file."""
    with field_file.storage.open(field_file.name, "rb") as stored:
        yield from decrypt_chunks(stored)


@contextmanager
def decrypted_copy(field_file) -> Iterator[BinaryIO]:
    """A temporary plaintext copy for a reader that needs a file (a spreadsheet library): in memory when
    small, else in a temporary file removed when the block ends."""
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES) as plain:
        for chunk in decrypted_chunks(field_file):
            plain.write(chunk)
        plain.seek(0)
        yield plain
