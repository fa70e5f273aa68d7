"""Properties: the fast column checks agree with the per-cell reading; no file makes the engine raise."""

import io
import zipfile
from datetime import date, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.uploads.validation.workbooks import TABLE, xlsx_bytes
from uploads.validation import validate_workbook
from uploads.validation.cells import read_cell
from uploads.validation.schema import parse_schema
from uploads.validation.table import clean_column

FIELDS = [
    {"name": "n", "type": "integer", "constraints": {"minimum": 0, "maximum": 1000}},
    {"name": "n", "type": "integer", "constraints": {"required": True}},
    {"name": "x", "type": "number", "constraints": {"enum": [0, 1.5, 2]}},
    {"name": "y", "type": "year"},
    {"name": "s", "type": "string", "constraints": {"enum": ["Forez", "Roannais"]}},
    {"name": "s", "type": "string", "constraints": {"pattern": "[A-Z][0-9]{2}", "required": True}},
    {"name": "s", "type": "string", "constraints": {"minLength": 2, "maxLength": 3}},
    {"name": "d", "type": "date", "constraints": {"minimum": "2020-01-01"}},
    {"name": "b", "type": "boolean"},
    {"name": "n", "type": "integer", "constraints": {"enum": ["1", "2", "1000"]}},
    {"name": "x", "type": "number", "constraints": {"exclusiveMinimum": 0}},
    {"name": "x", "type": "number", "decimalChar": ",", "groupChar": " "},
    {"name": "d", "type": "date", "format": "%d/%m/%Y"},
]
# Every type, format and option: the per-cell reading never raises, whatever the cell holds.
ALL_TYPES = [
    {"name": "v", "type": kind, **options}
    for kind, options in [
        ("string", {"format": "email"}),
        ("string", {"format": "uri"}),
        ("string", {"format": "binary"}),
        ("string", {"format": "uuid"}),
        ("number", {"bareNumber": False}),
        ("integer", {"bareNumber": False}),
        ("object", {}),
        ("array", {"constraints": {"minLength": 1}}),
        ("date", {"format": "any"}),
        ("time", {"format": "any", "constraints": {"minimum": "06:00"}}),
        ("time", {"format": "%H:%M"}),
        ("datetime", {"constraints": {"maximum": "2030-01-01T00:00:00"}}),
        ("datetime", {"format": "any"}),
        ("yearmonth", {"constraints": {"minimum": "2020-01"}}),
        ("duration", {"constraints": {"maximum": "P1Y"}}),
        ("geopoint", {}),
        ("geopoint", {"format": "array"}),
        ("geopoint", {"format": "object"}),
        ("geojson", {}),
        ("any", {"constraints": {"required": True}}),
    ]
]
CELLS = st.one_of(
    st.just(""),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6),
    st.integers(-5, 2100).map(float),
    st.booleans(),
    st.dates(date(2010, 1, 1), date(2030, 1, 1)),
    st.datetimes(datetime(2010, 1, 1), datetime(2030, 1, 1)),  # noqa: DTZ001 (Excel dates are naive)
    st.sampled_from(["Forez", "forez ", "Roannais", "A12", "B7", "ab", "abcd", " ", "1 234", "12,5", "oui"]),
    st.text(max_size=6),
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(field=st.sampled_from(FIELDS), values=st.lists(CELLS, min_size=1, max_size=12))
def test_a_column_found_clean_reads_the_same_cell_by_cell(field, values):
    item = parse_schema({"fields": [field]}).fields[0]
    values = tuple(values)

    clean = clean_column(item, values, set(map(type, values)))

    if clean is not None:
        readings = [read_cell(item, value) for value in values]
        assert all(reading.problem is None and reading.note is None for reading in readings)
        assert list(clean) == [reading.value for reading in readings]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    field=st.sampled_from(ALL_TYPES),
    value=st.one_of(CELLS, st.sampled_from(["{}", "[]", "[1, 2]", '{"lon": 1}', "P1Y", "10:00+02:00"])),
)
def test_any_cell_of_any_type_gets_a_reading_never_an_exception(field, value):
    item = parse_schema({"fields": [field], "missingValues": ["", "NA"]}).fields[0]

    reading = read_cell(item, value)

    assert reading.problem is None or reading.problem.message


def mutations():
    source = xlsx_bytes()
    return st.one_of(
        st.binary(max_size=2048),
        st.lists(st.tuples(st.integers(0, len(source) - 1), st.integers(0, 255)), max_size=20).map(
            lambda changes: bytes(_mutated(source, changes))
        ),
        st.integers(0, len(source)).map(lambda cut: source[:cut]),
        st.tuples(st.sampled_from(_parts(source)), st.binary(max_size=300)).map(
            lambda change: _with_part(source, *change)
        ),
    )


def _mutated(source: bytes, changes) -> bytearray:
    data = bytearray(source)
    for position, value in changes:
        data[position] = value
    return data


def _parts(source: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        return archive.namelist()


def _with_part(source: bytes, name: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as original, zipfile.ZipFile(buffer, "w") as copy:
        for info in original.infolist():
            copy.writestr(info.filename, content if info.filename == name else original.read(info.filename))
    return buffer.getvalue()


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=mutations())
def test_random_and_mutated_files_always_get_a_report_never_an_exception(tmp_path, data):
    path = tmp_path / "fuzz.xlsx"
    path.write_bytes(data)

    report = validate_workbook(path, TABLE)

    assert all(finding.message for finding in report.errors + report.warnings)
