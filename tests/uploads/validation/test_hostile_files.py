"""Hostile and mistaken files: each refused with a French message, quickly, never with a traceback."""

import io
import struct
import time
import zipfile
import zlib

import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from tests.uploads.validation.workbooks import TABLE, rezip, sheet_xml, xlsx_bytes
from uploads.validation import validate_workbook

SHEET = "xl/worksheets/sheet1.xml"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def refused(path, code):
    started = time.monotonic()
    report = validate_workbook(path, TABLE)
    elapsed = time.monotonic() - started
    assert [finding.code for finding in report.errors] == [code], report.errors
    assert elapsed < 10
    return report.errors[0].message


def test_an_empty_file(tmp_path):
    (path := tmp_path / "vide.xlsx").write_bytes(b"")

    assert "vide" in refused(path, "file-not-xlsx")


def test_a_pdf_renamed(tmp_path):
    (path := tmp_path / "rapport.xlsx").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")

    assert "PDF" in refused(path, "file-not-xlsx")


def test_a_csv_renamed(tmp_path):
    (path := tmp_path / "export.xlsx").write_text("Territoire;Filles\nForez;12\n", encoding="utf-8")

    assert "CSV" in refused(path, "file-not-xlsx")


def test_a_legacy_xls_renamed(tmp_path):
    (path := tmp_path / "ancien.xlsx").write_bytes(OLE_MAGIC + b"\0" * 504 + "Workbook".encode("utf-16-le"))

    assert "97-2003" in refused(path, "file-not-xlsx")


def test_an_opendocument_spreadsheet_renamed(tmp_path):
    path = tmp_path / "libre.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")

    assert "OpenDocument" in refused(path, "file-not-xlsx")


def test_a_word_document_renamed(tmp_path):
    path = tmp_path / "courrier.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")

    assert "Word" in refused(path, "file-not-xlsx")


def test_a_password_protected_workbook(tmp_path):
    encrypted = io.BytesIO()
    office = OOXMLFile(io.BytesIO(xlsx_bytes()))
    office.encrypt("secret", encrypted)
    (path := tmp_path / "protege.xlsx").write_bytes(encrypted.getvalue())

    assert "mot de passe" in refused(path, "file-encrypted")


def test_a_workbook_with_macros(tmp_path):
    source = xlsx_bytes()
    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        content_types = archive.read("[Content_Types].xml").decode()
    content_types = content_types.replace(
        "spreadsheetml.sheet.main+xml", "ms-excel.sheet.macroEnabled.main+xml"
    )
    path = rezip(
        source,
        tmp_path / "macro.xlsx",
        replace={"[Content_Types].xml": content_types},
        add={"xl/vbaProject.bin": b"\0" * 64},
    )

    assert "macros" in refused(path, "file-macro")


def test_a_truncated_workbook(tmp_path):
    source = xlsx_bytes()
    (path := tmp_path / "coupe.xlsx").write_bytes(source[: len(source) // 2])

    assert "endommagé" in refused(path, "file-corrupt")


def test_a_zip_bomb_is_refused_from_its_declared_size(tmp_path):
    path = rezip(
        xlsx_bytes(), tmp_path / "bombe.xlsx", add={"xl/media/zeros.bin": b"\0" * (250 * 1024 * 1024)}
    )

    assert "décompressé" in refused(path, "file-too-large")


def test_a_zip_bomb_that_lies_about_its_size_is_refused_while_inflating(tmp_path):
    path = rezip(
        xlsx_bytes(), tmp_path / "menteuse.xlsx", add={"xl/media/zeros.bin": b"\0" * (250 * 1024 * 1024)}
    )
    data = bytearray(path.read_bytes())
    # Declare 1 kB uncompressed for the big part, in its local header and in the central directory.
    name = b"xl/media/zeros.bin"
    for signature, size_offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            name_offset = 30 if signature == b"PK\x03\x04" else 46
            if data[start + name_offset : start + name_offset + len(name)] == name:
                data[start + size_offset : start + size_offset + 4] = (1024).to_bytes(4, "little")
            start += 4
    path.write_bytes(bytes(data))

    assert "décompressé" in refused(path, "file-too-large")


def test_a_file_over_the_size_limit(tmp_path):
    path = rezip(
        xlsx_bytes(),
        tmp_path / "gros.xlsx",
        add={"xl/media/bruit.bin": zlib.compress(b"x") * 2},
        compression=zipfile.ZIP_STORED,
    )
    from uploads.validation import Limits

    report = validate_workbook(path, TABLE, limits=Limits(max_file_bytes=1024))

    assert [finding.code for finding in report.errors] == ["file-too-large"]
    assert "limite" in report.errors[0].message


def test_xml_entities_are_never_expanded(tmp_path):
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
    )
    path = rezip(xlsx_bytes(), tmp_path / "entites.xlsx", replace={SHEET: laughs})

    assert "DOCTYPE" in refused(path, "file-corrupt")


def test_sixteen_thousand_columns_are_refused_before_reading(tmp_path):
    cells = "".join(f'<c r="{letter}1"><v>1</v></c>' for letter in ("A", "B", "XFD"))
    path = rezip(
        xlsx_bytes(),
        tmp_path / "large.xlsx",
        replace={SHEET: sheet_xml(f'<row r="1">{cells}</row>', "A1:XFD1")},
    )

    assert "colonnes" in refused(path, "file-dimensions")


def test_far_away_cells_that_would_make_a_huge_grid_are_refused(tmp_path):
    rows = '<row r="1"><c r="A1"><v>1</v></c></row><row r="400000"><c r="IV400000"><v>1</v></c></row>'
    path = rezip(xlsx_bytes(), tmp_path / "creuse.xlsx", replace={SHEET: sheet_xml(rows)})

    refused(path, "file-dimensions")


def test_a_sheet_whose_xml_is_broken(tmp_path):
    path = rezip(xlsx_bytes(), tmp_path / "casse.xlsx", replace={SHEET: "<worksheet><sheetData><row><c r="})

    assert "endommagé" in refused(path, "file-corrupt")


def test_a_sheet_whose_compressed_bytes_are_damaged(tmp_path):
    """The inflater's own error (ISA-L's, not zlib's) is a damaged file, not a crash."""
    data = bytearray(xlsx_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(SHEET)
    header = info.header_offset
    name_length, extra_length = struct.unpack("<HH", data[header + 26 : header + 30])
    data[header + 30 + name_length + extra_length] = 0xFF  # a deflate block of the reserved type
    (path := tmp_path / "inflation.xlsx").write_bytes(bytes(data))

    assert "endommagé" in refused(path, "file-corrupt")


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/_rels/workbook.xml.rels"])
def test_a_workbook_whose_index_is_broken(tmp_path, part):
    path = rezip(xlsx_bytes(), tmp_path / "index.xlsx", replace={part: "<not xml"})

    refused(path, "file-corrupt")
