"""Is this file a workbook we may open? Checked on the zip container, before any cell is parsed.

Refused here: anything that is not an .xlsx zip (empty, PDF, CSV, legacy .xls, OpenDocument, Word),
password-protected workbooks, macros, files or parts larger than the limits — the uncompressed sizes are
measured by really inflating each part, so a zip that lies about its sizes cannot slip through —, XML
with DOCTYPE or entity declarations (never expanded: refused), and sheets whose dimensions are absurd
(16,384 columns, far-away cells that would make the reader allocate a huge grid).
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from defusedxml import ElementTree

from uploads.validation.findings import Finding
from uploads.validation.text import column_index, french_number

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTION_STREAMS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
CHUNK = 1 << 20
MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"

# What zipfile, zlib and the XML parser raise on a damaged file (zipfile raises RuntimeError for an
# encrypted member, NotImplementedError for an unknown compression method).
UNREADABLE = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    struct.error,
    KeyError,
    ValueError,
    OSError,
    RuntimeError,
    NotImplementedError,
    ElementTree.ParseError,
)
SAVE_AS_XLSX = "Ouvrez-le dans votre tableur et enregistrez-le au format « Classeur Excel (.xlsx) »."


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 20 * 1024 * 1024
    max_uncompressed_bytes: int = 200 * 1024 * 1024
    max_parts: int = 1_000
    max_rows: int = 500_000
    max_columns: int = 256
    max_cells: int = 6_000_000


class Refused(Exception):
    """The file is refused as a whole; `finding` says why, in French."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.finding = Finding(code=code, message=message)


@dataclass(frozen=True)
class Package:
    """What the workbook declares: its sheets, in order, with the zip part holding each."""

    sheets: dict[str, str]  # sheet name -> part name


def open_package(path: Path, limits: Limits) -> Package:
    """Every check that needs no inflating: the kind of file, its size, the parts it lists."""
    size = path.stat().st_size
    if size == 0:
        raise Refused("file-not-xlsx", "Le fichier est vide. " + SAVE_AS_XLSX)
    if size > limits.max_file_bytes:
        raise Refused(
            "file-too-large",
            f"Le fichier pèse {_megabytes(size)} ; la limite est de {_megabytes(limits.max_file_bytes)}. "
            "Retirez du classeur ce que le tableau ne demande pas.",
        )
    with path.open("rb") as file:
        head = file.read(8)
    if head == OLE_MAGIC:
        _refuse_ole(path)
    if head.startswith(b"%PDF"):
        raise Refused(
            "file-not-xlsx", "Ce fichier est un document PDF, pas un classeur Excel. " + SAVE_AS_XLSX
        )
    if not head.startswith(b"PK\x03\x04"):
        raise Refused("file-not-xlsx", _not_a_zip(head))
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            _check_kind(archive, names)
            _check_parts(infos, limits)
            return Package(sheets=_sheets(archive))
    except (ElementTree.DTDForbidden, ElementTree.EntitiesForbidden, ElementTree.ExternalReferenceForbidden):
        raise Refused("file-corrupt", _declarations()) from None
    except UNREADABLE:
        raise Refused("file-corrupt", _corrupt()) from None


def inflate_and_scan(path: Path, sheet_part: str, limits: Limits) -> None:
    """Inflate every part for real, within the limits, and scan the sheet we are about to read.

    Costs one pass of zlib over the file, a fraction of what parsing the cells costs.
    """
    total = 0
    try:
        with zipfile.ZipFile(path) as archive, path.open("rb") as raw:
            for info in archive.infolist():
                if info.is_dir():
                    continue
                scanner = SheetScanner(limits) if info.filename == sheet_part else None
                total = _inflate(raw, info, limits, total, scanner)
                if scanner is not None:
                    scanner.finish()
    except UNREADABLE:
        raise Refused("file-corrupt", _corrupt()) from None


def _inflate(raw, info: zipfile.ZipInfo, limits: Limits, total: int, scanner: SheetScanner | None) -> int:
    raw.seek(info.header_offset)
    header = raw.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile("bad local header")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    raw.seek(info.header_offset + 30 + name_length + extra_length)
    left = info.compress_size
    inflater = zlib.decompressobj(-zlib.MAX_WBITS) if info.compress_type == zipfile.ZIP_DEFLATED else None
    tail = b""
    while left > 0:
        chunk = raw.read(min(CHUNK, left))
        if not chunk:
            raise EOFError
        left -= len(chunk)
        pending = chunk
        while pending:
            budget = limits.max_uncompressed_bytes - total
            if inflater is None:
                data, pending = pending, b""
            else:
                data = inflater.decompress(pending, budget + 1)
                pending = inflater.unconsumed_tail
            total += len(data)
            if total > limits.max_uncompressed_bytes:
                raise Refused(
                    "file-too-large",
                    f"Une fois décompressé, le classeur dépasse {_megabytes(limits.max_uncompressed_bytes)}. "
                    "Retirez du classeur ce que le tableau ne demande pas.",
                )
            if not tail and (b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data[:4096]):
                # Declarations can only stand in the prolog, before the root element.
                raise Refused("file-corrupt", _declarations())
            window = tail + data
            if scanner is not None:
                scanner.feed(window, len(tail))
            tail = window[-64:] or b" "
    return total


class SheetScanner:
    """Bounds of the sheet from its XML, so that the reader never allocates an absurd grid.

    python-calamine builds a dense grid from the first to the last cell: two cells at A1 and XFD1048576
    would ask for seventeen billion. Rows are counted from the `<row r="…">` tags and columns from the
    cell references; a sheet past the limits in rows, columns or area is refused. Two regular expressions
    with a literal prefix keep this at a small fraction of the parsing time. (A file that lies — a cell
    referencing a row its tags do not announce — is left to the worker's crash guard.)
    """

    _ROW = re.compile(rb'<row r="(\d+)"')
    _WIDE_COLUMN = re.compile(rb' r="([A-Z]{2,})\d')

    def __init__(self, limits: Limits):
        self.limits = limits
        self.max_row = 0
        self.row_tags = 0
        self.max_column = 0

    def feed(self, window: bytes, overlap: int) -> None:
        rows = self._ROW.findall(window)
        if rows:
            self.max_row = max(self.max_row, *map(int, rows))
            self.row_tags += len(rows)
        else:  # rows without a number follow one another
            self.row_tags += window.count(b"<row", overlap)
        self.max_row = max(self.max_row, self.row_tags)
        wide = set(self._WIDE_COLUMN.findall(window))
        if wide:
            widest = max(wide, key=lambda letters: (len(letters), letters))
            self.max_column = max(self.max_column, column_index(widest.decode()) + 1)
        elif b' r="' in window:
            self.max_column = max(self.max_column, 26)  # single letters: at most Z
        if self.max_row > self.limits.max_rows or self.max_column > self.limits.max_columns:
            raise self._refusal()

    def finish(self) -> None:
        if self.max_row * self.max_column > self.limits.max_cells:
            raise self._refusal()

    def _refusal(self) -> Refused:
        return Refused(
            "file-dimensions",
            "La feuille à lire s'étend bien au-delà d'un tableau de statistiques "
            f"(au plus {french_number(self.limits.max_rows)} lignes, {self.limits.max_columns} colonnes "
            f"et {french_number(self.limits.max_cells)} cases). Supprimez les lignes et colonnes inutilisées, "
            "ou copiez le tableau seul dans un nouveau classeur.",
        )


def _check_kind(archive: zipfile.ZipFile, names: set[str]) -> None:
    if "mimetype" in names and archive.read("mimetype")[:64].startswith(
        b"application/vnd.oasis.opendocument"
    ):
        raise Refused(
            "file-not-xlsx", "Ce fichier est au format OpenDocument (.ods), pas Excel. " + SAVE_AS_XLSX
        )
    if "word/document.xml" in names:
        raise Refused("file-not-xlsx", "Ce fichier est un document Word, pas un classeur Excel.")
    if "xl/workbook.bin" in names:
        raise Refused("file-not-xlsx", "Ce classeur est au format binaire (.xlsb). " + SAVE_AS_XLSX)
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise Refused(
            "file-not-xlsx", "Ce fichier compressé n'est pas un classeur Excel (.xlsx). " + SAVE_AS_XLSX
        )
    content_types = archive.read("[Content_Types].xml")
    if len(content_types) > 1024 * 1024:
        raise Refused("file-corrupt", _corrupt())
    if (
        any(PurePosixPath(name).name.lower() == "vbaproject.bin" for name in names)
        or b"macroEnabled" in content_types
    ):
        raise Refused(
            "file-macro",
            "Ce classeur contient des macros, que la plateforme n'accepte pas. "
            "Enregistrez-le au format « Classeur Excel (.xlsx) », sans macro.",
        )


def _check_parts(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(infos) > limits.max_parts:
        raise Refused("file-corrupt", _corrupt())
    for info in infos:
        if info.flag_bits & 0x1:
            raise Refused(
                "file-encrypted",
                "Ce classeur est protégé par un mot de passe. Enregistrez-le sans mot de passe.",
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise Refused("file-corrupt", _corrupt())
    declared = sum(info.file_size for info in infos)
    if declared > limits.max_uncompressed_bytes:
        raise Refused(
            "file-too-large",
            f"Une fois décompressé, le classeur dépasse {_megabytes(limits.max_uncompressed_bytes)}. "
            "Retirez du classeur ce que le tableau ne demande pas.",
        )


def _sheets(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet names to their parts, from xl/workbook.xml and its relationships (small files)."""
    for name in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
        if archive.getinfo(name).file_size > 4 * 1024 * 1024:
            raise Refused("file-corrupt", _corrupt())
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {}
    for relation in relations.iter(f"{PACKAGE_REL_NS}Relationship"):
        target = relation.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        targets[relation.get("Id")] = _normalise(part)
    sheets = {}
    for sheet in workbook.iter(f"{MAIN_NS}sheet"):
        part = targets.get(sheet.get(f"{REL_NS}id"))
        if sheet.get("name") and part:
            sheets[sheet.get("name")] = part
    return sheets


def _normalise(part: str) -> str:
    stack: list[str] = []
    for piece in part.split("/"):
        if piece == "..":
            if stack:
                stack.pop()
        elif piece not in ("", "."):
            stack.append(piece)
    return "/".join(stack)


def _refuse_ole(path: Path) -> None:
    """An OLE compound file: a password-protected .xlsx (it is wrapped so) or a legacy .xls."""
    with path.open("rb") as file:
        content = file.read()
    if any(stream in content for stream in ENCRYPTION_STREAMS):
        raise Refused(
            "file-encrypted", "Ce classeur est protégé par un mot de passe. Enregistrez-le sans mot de passe."
        )
    raise Refused("file-not-xlsx", "Ce fichier est à l'ancien format Excel 97-2003 (.xls). " + SAVE_AS_XLSX)


def _not_a_zip(head: bytes) -> str:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "Ce fichier n'est pas un classeur Excel (.xlsx). " + SAVE_AS_XLSX
    return "Ce fichier est un fichier texte (CSV ?), pas un classeur Excel. " + SAVE_AS_XLSX


def _corrupt() -> str:
    return (
        "Le classeur est endommagé ou incomplet et ne peut pas être lu. "
        "Ouvrez-le dans votre tableur, enregistrez-le à nouveau au format .xlsx et déposez-le encore."
    )


def _declarations() -> str:
    return (
        "Le classeur contient des déclarations XML (DOCTYPE, entités) qu'Excel n'écrit jamais : "
        "il est refusé par sécurité. Enregistrez-le à nouveau depuis votre tableur."
    )


def _megabytes(size: int) -> str:
    return f"{french_number(round(size / (1024 * 1024), 1))} Mo"
