"""A yearly extract is read as business software exports it, and refused when it carries an identity."""

import pytest

from uploads.olinpe.dictionary import shipped
from uploads.olinpe.reading import Refused, read_base
from uploads.olinpe.synthetic import write_csv, write_xlsx


@pytest.fixture(scope="module")
def base(synthetic):
    return synthetic.bases[2022].head(300)


@pytest.mark.parametrize(
    "options",
    [
        {"separator": ";", "encoding": "utf-8", "quoted": False},
        {"separator": ",", "encoding": "utf-8", "quoted": True},
        {"separator": ";", "encoding": "latin-1", "quoted": True},
        {"separator": ",", "encoding": "latin-1", "quoted": False},
    ],
)
def test_csv_exports_read_the_same(base, tmp_path, options):
    path = tmp_path / "base.csv"
    write_csv(
        base.with_columns(TERRITOIRE=base["TERRITOIRE"].str.replace("FOREZ", "FOREZ-ETE")), path, **options
    )
    read = read_base(path, shipped())
    assert read.problems == []
    assert read.records == 300
    assert read.frame["NUMANONYM"].to_list() == base["NUMANONYM"].to_list()
    assert read.frame["NATMES"].to_list() == base["NATMES"].to_list()


def test_latin1_accents_are_read(base, tmp_path):
    path = tmp_path / "base.csv"
    write_csv(
        base.with_columns(TERRITOIRE=base["TERRITOIRE"].str.replace(r"^.*$", "VALLÉE DU GIER")),
        path,
        encoding="latin-1",
    )
    read = read_base(path, shipped())
    assert read.problems == []
    assert set(read.frame["TERRITOIRE"]) == {"VALLÉE DU GIER"}


def test_xlsx_export_reads_like_the_csv(base, tmp_path):
    write_xlsx(base, tmp_path / "base.xlsx")
    write_csv(base, tmp_path / "base.csv")
    from_xlsx, from_csv = (
        read_base(tmp_path / "base.xlsx", shipped()),
        read_base(tmp_path / "base.csv", shipped()),
    )
    assert from_xlsx.problems == []
    assert from_xlsx.frame.equals(from_csv.frame)


def test_months_are_read_as_aaaa_mm_or_mm_aaaa(base, tmp_path):
    path = tmp_path / "base.csv"
    french = base.with_columns(
        DATDEBMES=base["DATDEBMES"].str.slice(5, 2) + "/" + base["DATDEBMES"].str.slice(0, 4)
    )
    write_csv(french, path)
    write_csv(base, tmp_path / "iso.csv")
    assert (
        read_base(path, shipped())
        .frame["DATDEBMES"]
        .equals(read_base(tmp_path / "iso.csv", shipped()).frame["DATDEBMES"])
    )


def _with_cell(base, tmp_path, column, row, value):
    changed = base.with_columns(base[column].cast(str).scatter(row, value))
    path = tmp_path / "base.csv"
    write_csv(changed, path)
    return path


def test_cells_of_the_wrong_type_are_counted_with_their_record_numbers(base, tmp_path):
    path = _with_cell(base, tmp_path, "NATMES", [4, 9], "AEMO")
    problems = read_base(path, shipped()).problems
    assert [(p.code, p.field, p.count, p.examples) for p in problems] == [("type", "NATMES", 2, (5, 10))]
    assert "nombre entier" in problems[0].message


def test_birth_month_outside_1_to_12_is_out_of_bounds(base, tmp_path):
    path = _with_cell(base, tmp_path, "MNAIS", [0], "13")
    read = read_base(path, shipped())
    assert [(p.code, p.field, p.examples) for p in read.problems] == [("bounds", "MNAIS", (1,))]
    assert read.frame["MNAIS"][0] is None


@pytest.mark.parametrize(
    ("column", "value", "found"),
    [
        ("TERRITOIRE", "1 85 07 42 123 456 78", "sécurité sociale"),
        ("NBFRAT", "1850742123456", "sécurité sociale"),
        ("DATPPE", "12/03/2021", "date complète"),
        ("TERRITOIRE", "jean.martin@example.org", "adresse électronique"),
    ],
)
def test_a_direct_identifier_refuses_the_file(base, tmp_path, column, value, found):
    path = _with_cell(base, tmp_path, column, [123], value)
    with pytest.raises(Refused, match=found):
        read_base(path, shipped())


def test_a_header_naming_an_identity_refuses_the_file(base, tmp_path):
    path = tmp_path / "base.csv"
    write_csv(base.with_columns(base["TERRITOIRE"].alias("Nom de l'enfant")), path)
    with pytest.raises(Refused, match="un nom"):
        read_base(path, shipped())


def test_an_unknown_column_refuses_the_file(base, tmp_path):
    path = tmp_path / "base.csv"
    write_csv(base.with_columns(base["TERRITOIRE"].alias("COMMENTAIRE")), path)
    with pytest.raises(Refused, match="COMMENTAIRE"):
        read_base(path, shipped())


def test_a_missing_required_variable_refuses_the_file(base, tmp_path):
    path = tmp_path / "base.csv"
    write_csv(base.drop("DATDEBMES"), path)
    with pytest.raises(Refused, match="DATDEBMES"):
        read_base(path, shipped())


def test_a_missing_optional_variable_reads_as_empty(base, tmp_path):
    path = tmp_path / "base.csv"
    write_csv(base.drop("TERRITOIRE"), path)
    assert read_base(path, shipped()).frame["TERRITOIRE"].null_count() == 300


def test_an_old_excel_file_is_refused_with_what_to_do(tmp_path):
    path = tmp_path / "base.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    with pytest.raises(Refused, match=".xlsx"):
        read_base(path, shipped())
