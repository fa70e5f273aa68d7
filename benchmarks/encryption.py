"""Encryption at rest, measured on a 200 MB file: time and peak memory to encrypt it into the storage
and to read it back decrypted, chunk by chunk.

    .venv/bin/python benchmarks/encryption.py [MEGABYTES]

The peak memory is the process's resident set (ru_maxrss) above what it held before, and Python's own
allocations (tracemalloc); both must stay near a few chunks of 1 MiB whatever the file's size.
"""

import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "odpe.settings")

import django  # noqa: E402

django.setup()

from django.core.files.storage import FileSystemStorage  # noqa: E402

from odpe import encryption  # noqa: E402


class StoredFile:
    def __init__(self, storage):
        self.storage, self.name = storage, None

    def save(self, name, content, save=False):
        self.name = self.storage.save(name, content)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(megabytes: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "plain.bin"
        with source.open("wb") as out:
            for _ in range(megabytes):
                out.write(os.urandom(1024 * 1024))
        field_file = StoredFile(FileSystemStorage(location=Path(folder) / "storage"))
        before = rss_mb()
        tracemalloc.start()
        started = time.perf_counter()
        with source.open("rb") as plain:
            encryption.save_encrypted(field_file, plain, "olinpe/base.bin")
        encrypted_s = time.perf_counter() - started
        encrypt_peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.reset_peak()
        started, size = time.perf_counter(), 0
        for chunk in encryption.decrypted_chunks(field_file):
            size += len(chunk)
        decrypted_s = time.perf_counter() - started
        decrypt_peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
        assert size == megabytes * 1024 * 1024
        print(f"file: {megabytes} MB")
        print(f"encrypt into the storage: {encrypted_s:.2f} s, Python peak {encrypt_peak:.1f} MB")
        print(f"decrypt, streamed:        {decrypted_s:.2f} s, Python peak {decrypt_peak:.1f} MB")
        print(f"resident set growth over both: {rss_mb() - before:.1f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
