"""Is this file a workbook we may open? Checked on the zip container, before any cell is parsed.

Refused here: anything that is not an .xlsx zip (empty, PDF, CSV, legacy .xls, OpenDocument, Word),
password-protected workbooks, macros, files or parts larger than the limits — the uncompressed sizes are
measured by really inflating each part, so a zip that lies about its sizes cannot slip through —, XML
with DOCTYPE or entity declarations anywhere (never expanded: refused), and sheets that would make the
reader allocate too much: a grid past the limits in rows, columns or area (16,384 columns, far-away
cells), or too many copies of long strings (see `uploads.validation.extents`). A large sheet is read
in a bounded process instead of being measured (see `uploads.validation.apart`).
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from defusedxml import ElementTree
from isal import isal_zlib

from uploads.validation.extents import SLOW_BYTES, SharedStrings, SheetExtents, Unusual
from uploads.validation.findings import Finding
from uploads.validation.text import french_number

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTION_STREAMS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
CHUNK = 1 << 20
MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"

# What zipfile, zlib (or ISA-L's) and the XML parser raise on a damaged file (zipfile raises RuntimeError
# for an encrypted member, NotImplementedError for an unknown compression method).
UNREADABLE = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    isal_zlib.error,
    EOFError,
    struct.error,
    KeyError,
    ValueError,
    OSError,
    RuntimeError,
    NotImplementedError,
    ElementTree.ParseError,
)
ENCODING = re.compile(rb"<\?xml[^>]*?\sencoding\s*=\s*[\"']([^\"']*)[\"']")
ASCII_ENCODINGS = {
    b"utf-8",
    b"utf8",
    b"us-ascii",
    b"ascii",
    b"iso-8859-1",
    b"latin-1",
    b"latin1",
    b"windows-1252",
}
SAVE_AS_XLSX = "Ouvrez-le dans votre tableur et enregistrez-le au format « Classeur Excel (.xlsx) »."


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 20 * 1024 * 1024
    max_uncompressed_bytes: int = 200 * 1024 * 1024
    max_parts: int = 1_000
    max_rows: int = 500_000
    max_columns: int = 256
    max_cells: int = 4_000_000  # rows × columns of the grid the reader allocates
    # What the reader holds, estimated from the sheet's XML: with the process itself (about 135 MB for
    # the upload worker, Django loaded; `validate_file` starts at about 65 MB) and the chunks being
    # checked, a check stays under 400 MB (benchmarks/hostile_workbooks.py; 288 MB let a 144,000 × 26
    # sheet reach 406 MB). The platform sets it from VALIDATION_READER_MAX_BYTES.
    max_reader_bytes: int = 232 * 1024 * 1024
    # A sheet whose XML declares more is not measured beforehand, which would cost more than reading it:
    # it is read in a process of its own whose memory and time the system bounds (`uploads.validation.apart`).
    read_apart_from_bytes: int = 16 * 1024 * 1024
    max_reader_seconds: int = 120


class Refused(Exception):
    """The file is refused as a whole; `finding` says why, in French."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.finding = Finding(code=code, message=message)


@dataclass(frozen=True)
class Package:
    """What the workbook declares: its sheets, in order, with the zip part holding each."""

    sheets: dict[str, str]  # sheet name -> part name
    declared_sizes: dict[str, int]  # part name -> its size once inflated, as the zip declares it

    def read_apart(self, sheet_name: str, limits: Limits) -> bool:
        """A declared size may lie: a small one gets the sheet measured, a large one the bounded process."""
        return self.declared_sizes.get(self.sheets[sheet_name], 0) >= limits.read_apart_from_bytes


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
            return Package(
                sheets=_sheets(archive), declared_sizes={info.filename: info.file_size for info in infos}
            )
    except (ElementTree.DTDForbidden, ElementTree.EntitiesForbidden, ElementTree.ExternalReferenceForbidden):
        raise Refused("file-corrupt", _declarations()) from None
    except UNREADABLE:
        raise Refused("file-corrupt", _corrupt()) from None


def inflate_and_scan(path: Path, sheet_part: str, limits: Limits, *, measure_sheet: bool = True) -> None:
    """Inflate every part for real, within the limits, and scan the sheet we are about to read.

    Every XML part is searched whole for declarations; the shared strings are measured first, then
    the sheet is scanned for what the reader would allocate (see `uploads.validation.extents`), unless
    `measure_sheet` is false because the sheet is read in a bounded process. Costs one pass of zlib over
    the file (two over the shared strings), a fraction of the parsing; the measure costs about as much as
    reading the sheet.
    """
    try:
        with zipfile.ZipFile(path) as archive, path.open("rb") as raw:
            infos = [info for info in archive.infolist() if not info.is_dir()]
            strings = SharedStrings()
            for info in infos:
                if measure_sheet and _is_shared_strings(info.filename):
                    measured = SharedStrings()
                    _inflate(raw, info, limits, 0, [Declarations(), measured])
                    measured.finish()
                    strings.merge(measured)
            total = 0
            for info in infos:
                consumers = [Declarations()] if _is_xml(info.filename, sheet_part) else []
                sheet = SheetExtents(strings) if measure_sheet and info.filename == sheet_part else None
                if sheet is not None:
                    consumers.append(SheetCheck(sheet, limits))
                total = _inflate(raw, info, limits, total, consumers)
                if sheet is not None:
                    sheet.finish()
                    _check_extents(sheet, limits, finished=True)
    except Unusual:
        raise Refused(
            "file-dimensions",
            "La feuille à lire est écrite d'une manière inhabituelle (cases sans référence, balises écrites "
            f"autrement que par un tableur) sur plus de {_megabytes(SLOW_BYTES)} : la plateforme ne peut pas "
            "en vérifier la taille. Ouvrez le classeur dans votre tableur et enregistrez-le à nouveau au "
            "format « Classeur Excel (.xlsx) ».",
        ) from None
    except UNREADABLE:
        raise Refused("file-corrupt", _corrupt()) from None


def _inflate(raw, info: zipfile.ZipInfo, limits: Limits, total: int, consumers: list) -> int:
    raw.seek(info.header_offset)
    header = raw.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile("bad local header")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    raw.seek(info.header_offset + 30 + name_length + extra_length)
    left = info.compress_size
    # ISA-L inflates the same streams as zlib in half its time: every part of every file is inflated here.
    inflater = (
        isal_zlib.decompressobj(-zlib.MAX_WBITS) if info.compress_type == zipfile.ZIP_DEFLATED else None
    )
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
                data = inflater.decompress(pending, min(budget + 1, CHUNK))
                pending = inflater.unconsumed_tail
            total += len(data)
            if total > limits.max_uncompressed_bytes:
                raise Refused(
                    "file-too-large",
                    f"Une fois décompressé, le classeur dépasse {_megabytes(limits.max_uncompressed_bytes)}. "
                    "Retirez du classeur ce que le tableau ne demande pas.",
                )
            for consumer in consumers:
                consumer.feed(data)
    return total


class Declarations:
    """Refuses a part holding a DOCTYPE or an entity declaration anywhere, or an encoding we do not read.

    Searched in the whole part, across chunk boundaries, in any letter case; parts that are not in
    UTF-8 (or an ASCII-compatible encoding) could hide them, and the sheet's tags, from byte searches.
    """

    MARKERS = (b"<!doctype", b"<!entity")
    KEEP = 8  # a marker cut by a chunk boundary is found with these bytes from the chunk before

    def __init__(self) -> None:
        self.tail = b""
        self.started = False

    def feed(self, data: bytes) -> None:
        if not self.started and data:
            self.started = True
            if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\0" in data[:4] or _foreign_encoding(data):
                raise Refused("file-corrupt", _corrupt())
        window = self.tail + data
        # Every marker holds a "!": one byte, searched with memchr, spares lowering most chunks.
        if b"!" in window and any(marker in window.lower() for marker in self.MARKERS):
            raise Refused("file-corrupt", _declarations())
        self.tail = window[-self.KEEP :]


class SheetCheck:
    """Feeds the sheet's extents and refuses as soon as they pass a limit."""

    def __init__(self, sheet: SheetExtents, limits: Limits):
        self.sheet = sheet
        self.limits = limits

    def feed(self, data: bytes) -> None:
        self.sheet.feed(data)
        _check_extents(self.sheet, self.limits, finished=False)


def _check_extents(sheet: SheetExtents, limits: Limits, *, finished: bool) -> None:
    if sheet.rows > limits.max_rows or sheet.columns > limits.max_columns or sheet.area > limits.max_cells:
        raise Refused(
            "file-dimensions",
            "La feuille à lire s'étend bien au-delà d'un tableau de statistiques : "
            f"{_extent(sheet.rows)} lignes et {_extent(sheet.columns)} colonnes, quand la plateforme en lit "
            f"au plus {french_number(limits.max_rows)} lignes, {limits.max_columns} colonnes "
            f"et {french_number(limits.max_cells)} cases (lignes × colonnes). Supprimez les lignes et "
            "colonnes inutilisées, ou copiez le tableau seul dans un nouveau classeur.",
        )
    if sheet.memory > limits.max_reader_bytes or (
        finished and sheet.strings.memory > limits.max_reader_bytes
    ):
        raise too_much_to_read(limits)


def too_much_to_read(limits: Limits) -> Refused:
    return Refused(
        "file-dimensions",
        "La feuille à lire contient trop de données pour être contrôlée (trop de cases ou de textes "
        f"longs, répétés) : sa lecture demanderait plus de {_megabytes(limits.max_reader_bytes)} de "
        "mémoire. Supprimez ce que le tableau ne demande pas, ou copiez le tableau seul dans un "
        "nouveau classeur.",
    )


def _extent(count: int) -> str:
    return french_number(count) if count < 10**9 else "des milliards de"


def _is_shared_strings(name: str) -> bool:
    return name.lower().endswith("sharedstrings.xml")


def _is_xml(name: str, sheet_part: str) -> bool:
    return name == sheet_part or name.lower().endswith((".xml", ".rels", ".vml"))


def _foreign_encoding(data: bytes) -> bool:
    """An XML declaration naming an encoding whose tags are not ASCII bytes."""
    declared = ENCODING.match(data.removeprefix(b"\xef\xbb\xbf"))
    return declared is not None and declared.group(1).lower().replace(b"_", b"-") not in ASCII_ENCODINGS


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
