"""The sheet scanner bounds what python-calamine will allocate, in every spelling a sheet may use.

Hostile sheets here would make the reader abort the process: they are given to the scanner only
(`inflate_and_scan`, which runs before any reader), never to python-calamine.
"""

import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from tests.uploads.validation.workbooks import rezip, sheet_xml, xlsx_bytes
from uploads.validation import Limits
from uploads.validation.container import Refused, inflate_and_scan

SHEET = "xl/worksheets/sheet1.xml"


def scanned(tmp_path, rows: str, *, limits=None, strings=None, compression=zipfile.ZIP_DEFLATED):
    add = {} if strings is None else {"xl/sharedStrings.xml": strings}
    path = rezip(
        xlsx_bytes(),
        tmp_path / "feuille.xlsx",
        replace={SHEET: sheet_xml(rows)},
        add=add,
        compression=compression,
    )
    inflate_and_scan(path, SHEET, limits or Limits())
    return path


def refusal(tmp_path, rows: str, **kwargs) -> Refused:
    with pytest.raises(Refused) as raised:
        scanned(tmp_path, rows, **kwargs)
    return raised.value


def test_a_far_cell_in_single_quotes_is_refused(tmp_path):
    refused = refusal(
        tmp_path,
        "<row r='1'><c r='A1'><v>1</v></c></row><row r='1048576'><c r='XFD1048576'><v>1</v></c></row>",
    )

    assert refused.finding.code == "file-dimensions"
    assert "lignes" in refused.finding.message


def test_a_far_cell_with_a_tab_before_its_reference_is_refused(tmp_path):
    refused = refusal(tmp_path, '<row\tr="1048576"><c\tr="XFD1048576"><v>1</v></c></row>')

    assert refused.finding.code == "file-dimensions"


@pytest.mark.parametrize("reference", ["AN1048576", "IV1048576", "C99999999999"])
def test_a_cell_reference_beyond_its_row_tag_is_refused(tmp_path, reference):
    rows = f'<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="{reference}"><v>1</v></c></row>'

    assert refusal(tmp_path, rows).finding.code == "file-dimensions"


def test_cells_without_references_follow_the_row_before(tmp_path):
    rows = '<row r="499999"><c r="A499999"><v>1</v></c></row><row><c><v>1</v></c></row><row><c><v>1</v></c></row>'
    roomy = Limits(max_cells=10**9, max_reader_bytes=10**12)

    assert "lignes" in refusal(tmp_path, rows, limits=roomy).finding.message


def test_cells_without_references_follow_one_another_across_columns(tmp_path):
    rows = '<row r="1">' + "<c><v>1</v></c>" * 257 + "</row>"

    assert "colonnes" in refusal(tmp_path, rows).finding.message


def test_prefixed_element_names_are_read_as_the_reader_reads_them(tmp_path):
    rows = '<x:row xmlns:x="urn:x" r = "1"><x:c r = "XFD1"><x:v>1</x:v></x:c></x:row>'

    assert refusal(tmp_path, rows).finding.code == "file-dimensions"


def test_one_long_string_repeated_a_million_times_is_refused(tmp_path):
    strings = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<si><t>{'x' * 1000}</t></si></sst>"
    )
    rows = "".join(
        f'<row r="{n}">'
        + "".join(f'<c r="{letter}{n}" t="s"><v>0</v></c>' for letter in "ABCDEFGHIJ")
        + "</row>"
        for n in range(1, 30_001)
    )

    refused = refusal(tmp_path, rows, strings=strings)

    assert "mémoire" in refused.finding.message


def test_a_long_sheet_in_unusual_spellings_is_refused_rather_than_read_slowly(tmp_path):
    rows = "<row>" + "<c><v>1</v></c>" * 4 + "</row>"

    refused = refusal(tmp_path, rows * 200_000)

    assert "inhabituelle" in refused.finding.message


def test_a_doctype_after_a_long_comment_is_refused(tmp_path):
    part = (
        '<?xml version="1.0"?><!--' + "x" * 5000 + '--><!DOCTYPE worksheet [<!ENTITY e "e">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>'
    )
    path = rezip(xlsx_bytes(), tmp_path / "entites.xlsx", replace={"xl/styles.xml": part})

    with pytest.raises(Refused) as raised:
        inflate_and_scan(path, SHEET, Limits())

    assert "DOCTYPE" in raised.value.finding.message


def test_a_doctype_cut_by_a_chunk_boundary_is_refused():
    from uploads.validation.container import Declarations

    declarations = Declarations()
    declarations.feed(b'<?xml version="1.0"?>' + b" " * 100 + b"<!DOC")

    with pytest.raises(Refused):
        declarations.feed(b"TYPE x>")


def test_an_honest_sheet_of_half_a_million_rows_and_four_columns_is_accepted(tmp_path):
    rows = "".join(
        f'<row r="{n}"><c r="A{n}"><v>1</v></c><c r="B{n}"><v>2</v></c><c r="C{n}"><v>3</v></c>'
        f'<c r="D{n}"><v>6</v></c></row>'
        for n in range(1, 499_991)
    )

    scanned(tmp_path, rows, compression=zipfile.ZIP_STORED)


# What python-calamine reads from generated sheets, against what the scanner says beforehand.

SPACES = st.sampled_from([" ", "\t", "\n", "  ", " \r\n"])
QUOTES = st.sampled_from(['"', "'"])
PREFIXES = st.sampled_from(["", "", "x:"])


@st.composite
def spelled_reference(draw, value: str) -> str:
    quote = draw(QUOTES)
    return f"{draw(SPACES)}r{draw(st.sampled_from(['', ' ', chr(9)]))}={draw(st.sampled_from(['', ' ']))}{quote}{value}{quote}"


@st.composite
def sheets(draw):
    prefix = draw(PREFIXES)
    parts = []
    for _ in range(draw(st.integers(0, 8))):
        row_number = draw(st.none() | st.integers(1, 40))
        row_attribute = "" if row_number is None else draw(spelled_reference(str(row_number)))
        if draw(st.booleans()) and draw(st.booleans()):
            parts.append(f"<{prefix}row{row_attribute}/>")
            continue
        cells = []
        for _ in range(draw(st.integers(0, 6))):
            place = draw(st.none() | st.tuples(st.integers(1, 30), st.integers(1, 40)))
            attribute = ""
            if place is not None:
                column, row = place
                letters = chr(64 + column) if column <= 26 else "A" + chr(64 + column - 26)
                attribute = draw(spelled_reference(f"{letters}{row}"))
            cells.append(f"<{prefix}c{attribute}><{prefix}v>1</{prefix}v></{prefix}c>")
        if draw(st.booleans()):
            cells.insert(0, "<!-- </row> <c r='A1'> -->")
        parts.append(f"<{prefix}row{row_attribute}>{''.join(cells)}</{prefix}row>")
    namespace = ' xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"' if prefix else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<{prefix}worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"{namespace}>'
        f"<{prefix}sheetData>{''.join(parts)}</{prefix}sheetData></{prefix}worksheet>"
    )


@settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(part=sheets(), cuts=st.lists(st.integers(1, 60), max_size=30))
def test_the_scanner_never_sees_less_than_the_reader(tmp_path, part, cuts):
    from uploads.validation.extents import SheetExtents

    data = part.encode()
    extents = SheetExtents()
    position = 0
    for size in cuts:
        extents.feed(data[position : position + size])
        position += size
    extents.feed(data[position:])
    extents.finish()
    path = rezip(xlsx_bytes(), tmp_path / "genere.xlsx", replace={SHEET: part})
    workbook = CalamineWorkbook.from_path(str(path))
    try:
        sheet = workbook.get_sheet_by_name("Enfants")
        if sheet.height:
            start_row, start_column = sheet.start
            assert extents.rows >= start_row + sheet.height
            assert extents.columns >= start_column + sheet.width
            assert extents.cells >= sum(1 for row in sheet.to_python() for value in row if value != "")
        small = Limits(max_rows=20, max_columns=10, max_cells=150)
        over = extents.rows > 20 or extents.columns > 10 or extents.area > 150
        if over:
            with pytest.raises(Refused):
                inflate_and_scan(path, SHEET, small)
        else:
            inflate_and_scan(path, SHEET, small)
    finally:
        workbook.close()
