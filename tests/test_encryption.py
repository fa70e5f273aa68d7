"""Personal data encrypted at rest: what the storage holds is not the plaintext, a wrong key is refused,
and a key rotation still reads the files sealed with the old key."""

import base64
import io
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from odpe import encryption
from odpe.encryption import EncryptionError
from tests.test_production_settings import run

PLAINTEXT = b"cle_primaire;mois_naissance\n" + b"a" * 64 + b";01/2000\n"


def new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


class StoredFile:
    """What a FileField gives the helpers: a name in the default storage."""

    def __init__(self):
        self.storage, self.name = default_storage, None

    def save(self, name, content, save=False):
        self.name = self.storage.save(name, content)


def stored(data: bytes) -> StoredFile:
    field_file = StoredFile()
    encryption.save_encrypted(field_file, io.BytesIO(data), "transfers/x.csv")
    return field_file


def test_the_storage_holds_encrypted_bytes_and_the_helpers_give_the_plaintext_back(settings):
    field_file = stored(PLAINTEXT)
    with default_storage.open(field_file.name, "rb") as raw:
        on_disk = raw.read()
    assert on_disk.startswith(encryption.MAGIC)
    assert PLAINTEXT not in on_disk and b"cle_primaire" not in on_disk
    assert b"".join(encryption.decrypted_chunks(field_file)) == PLAINTEXT
    with encryption.decrypted_copy(field_file) as plain:
        assert plain.read() == PLAINTEXT


@pytest.mark.parametrize("size", [0, 1, encryption.CHUNK_BYTES, 3 * encryption.CHUNK_BYTES + 17])
def test_files_of_any_size_round_trip_chunk_by_chunk(size):
    data = os.urandom(size)
    sealed = io.BytesIO()
    encryption.encrypt_stream(io.BytesIO(data), sealed)
    sealed.seek(0)
    chunks = list(encryption.decrypt_chunks(sealed))
    assert b"".join(chunks) == data
    assert all(len(chunk) <= encryption.CHUNK_BYTES for chunk in chunks)


def test_a_file_sealed_with_another_key_is_refused(settings):
    field_file = stored(PLAINTEXT)
    settings.DATA_ENCRYPTION_KEYS = [new_key()]
    with pytest.raises(EncryptionError, match="no longer configured"):
        b"".join(encryption.decrypted_chunks(field_file))


def test_after_rotation_new_files_use_the_new_key_and_old_files_still_read(settings):
    old_key = settings.DATA_ENCRYPTION_KEYS[0]
    old_file = stored(PLAINTEXT)
    settings.DATA_ENCRYPTION_KEYS = [new_key(), old_key]
    new_file = stored(PLAINTEXT)
    assert b"".join(encryption.decrypted_chunks(old_file)) == PLAINTEXT
    assert b"".join(encryption.decrypted_chunks(new_file)) == PLAINTEXT
    settings.DATA_ENCRYPTION_KEYS = settings.DATA_ENCRYPTION_KEYS[:1]
    assert b"".join(encryption.decrypted_chunks(new_file)) == PLAINTEXT
    with pytest.raises(EncryptionError):
        b"".join(encryption.decrypted_chunks(old_file))


def sealed_bytes(data: bytes) -> bytes:
    sealed = io.BytesIO()
    encryption.encrypt_stream(io.BytesIO(data), sealed)
    return sealed.getvalue()


def test_a_file_cut_at_a_chunk_boundary_is_refused():
    sealed = sealed_bytes(os.urandom(2 * encryption.CHUNK_BYTES + 5))
    first_chunk_end = 23 + 4 + encryption.CHUNK_BYTES + 16
    with pytest.raises(EncryptionError):
        b"".join(encryption.decrypt_chunks(io.BytesIO(sealed[:first_chunk_end])))


def test_a_changed_byte_is_refused():
    sealed = bytearray(sealed_bytes(PLAINTEXT))
    sealed[-3] ^= 1
    with pytest.raises(EncryptionError, match="damaged"):
        b"".join(encryption.decrypt_chunks(io.BytesIO(bytes(sealed))))


def test_plain_bytes_are_not_taken_for_an_encrypted_file():
    with pytest.raises(EncryptionError, match="Not an encrypted file"):
        b"".join(encryption.decrypt_chunks(io.BytesIO(PLAINTEXT)))


def test_the_production_shape_refuses_to_start_without_a_key():
    result = run(["-c", "import django; django.setup()"], DATA_ENCRYPTION_KEYS=None)
    assert result.returncode != 0
    assert "DATA_ENCRYPTION_KEYS is required" in result.stderr


def test_a_malformed_key_is_refused_at_start_up():
    result = run(["-c", "import django; django.setup()"], DATA_ENCRYPTION_KEYS="too-short")
    assert result.returncode != 0
    assert "32 bytes in URL-safe base64" in result.stderr


def test_the_embedded_default_derives_a_working_key_without_configuration():
    result = run(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings; print(len(settings.DATA_ENCRYPTION_KEYS))",
        ],
        DEBUG=None,
        SECRET_KEY=None,
        DATABASE_URL=None,
        ALLOWED_HOSTS=None,
        DATA_ENCRYPTION_KEYS=None,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1"


def test_content_files_are_accepted_as_source():
    field_file = StoredFile()
    encryption.save_encrypted(field_file, ContentFile(PLAINTEXT), "transfers/y.csv")
    assert b"".join(encryption.decrypted_chunks(field_file)) == PLAINTEXT
