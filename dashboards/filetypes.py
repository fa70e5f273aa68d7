"""What a shared document really is, read from its bytes (magic numbers), never from its name.

Accepted: PDF, and office documents in their open formats — Word (.docx), Excel (.xlsx), OpenDocument
text (.odt) and spreadsheet (.ods). Everything else is refused: executables, HTML, SVG, images, archives,
legacy or password-protected office files (OLE containers), office files with macros, damaged zips.
Only a zip's directory and its few-byte `mimetype` entry are read: nothing is inflated, so a zip bomb
costs nothing here. Pure Python: nothing from Django.
"""

import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import BinaryIO


@dataclass(frozen=True)
class DocumentType:
    extension: str
    mime: str


PDF = DocumentType("pdf", "application/pdf")
DOCX = DocumentType("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = DocumentType("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
ODT = DocumentType("odt", "application/vnd.oasis.opendocument.text")
ODS = DocumentType("ods", "application/vnd.oasis.opendocument.spreadsheet")
ACCEPTED = {kind.extension: kind for kind in (PDF, DOCX, XLSX, ODT, ODS)}
BINARY = DocumentType("bin", "application/octet-stream")
ODF_TYPES = {ODT.mime: ODT, ODS.mime: ODS}

PDF_MAGIC = re.compile(rb"%PDF-[12]\.\d")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls, and encrypted .docx/.xlsx
UNREADABLE_ZIP = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    RuntimeError,
    NotImplementedError,
)
UNSAFE_CHARACTERS = re.compile(r'[<>:"/\\|?*;]')
MAX_STEM = 150


class NotAccepted(Exception):
    """The bytes are not an accepted document; `reason` says why, for the message people read."""

    UNKNOWN = "unknown"  # not a PDF nor an office document in an open format
    LEGACY_OFFICE = "legacy-office"  # .doc/.xls, or an office file protected by a password
    MACROS = "macros"
    DAMAGED = "damaged"

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def identify(stream: BinaryIO) -> DocumentType:
    """The type of document the stream holds, from its content; raises NotAccepted otherwise.

    The stream must be seekable; it is left at its start.
    """
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    try:
        if PDF_MAGIC.match(head):
            return PDF
        if head.startswith(OLE_MAGIC):
            raise NotAccepted(NotAccepted.LEGACY_OFFICE)
        if head.startswith(ZIP_MAGIC):
            return _identify_zip(stream)
        raise NotAccepted(NotAccepted.UNKNOWN)
    finally:
        stream.seek(0)


def _identify_zip(stream: BinaryIO) -> DocumentType:
    try:
        with zipfile.ZipFile(stream) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
            if entries and entries[0].filename == "mimetype":  # OpenDocument: the first entry, stored
                if entries[0].file_size > 100:
                    raise NotAccepted(NotAccepted.UNKNOWN)
                declared = archive.read(entries[0]).decode("ascii", "replace").strip()
                if any(name.startswith(("Basic/", "Scripts/")) for name in names):
                    raise NotAccepted(NotAccepted.MACROS)
                if declared in ODF_TYPES:
                    return ODF_TYPES[declared]
                raise NotAccepted(NotAccepted.UNKNOWN)
    except UNREADABLE_ZIP as error:
        raise NotAccepted(NotAccepted.DAMAGED) from error
    if "[Content_Types].xml" not in names:
        raise NotAccepted(NotAccepted.UNKNOWN)
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise NotAccepted(NotAccepted.MACROS)
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    raise NotAccepted(NotAccepted.UNKNOWN)


def extension_of(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).suffix.lower().lstrip(".")


def type_of_name(name: str) -> DocumentType:
    """The type a kept name ends with: kept names end with their real type's extension (anything
    else would be served as opaque bytes)."""
    return ACCEPTED.get(extension_of(name), BINARY)


def safe_filename(name: str, kind: DocumentType) -> str:
    """A file name to give back to people: no folder, no control or reserved character, no leading
    dot, a sensible length, and the extension of the document's real type."""
    base = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    base = "".join(char for char in base if not unicodedata.category(char).startswith("C"))
    base = " ".join(UNSAFE_CHARACTERS.sub("_", base).split())
    stem = base[: -len(kind.extension) - 1] if extension_of(base) == kind.extension else base
    stem = stem.strip(" .")[:MAX_STEM].strip(" .") or "document"
    return f"{stem}.{kind.extension}"
