"""The coherence report's counts equal the anomalies the generator planted, year after year."""

import io

import pytest
from openpyxl import load_workbook

from uploads.olinpe.coherence import CHECKS, check_base
from uploads.olinpe.dictionary import shipped
from uploads.olinpe.reading import read_base
from uploads.olinpe.report import report_workbook
from uploads.olinpe.synthetic import ANOMALY_KINDS, Anomalies, Settings, generate, write_csv


def _checked(generated, tmp_path):
    reports, previous = {}, None
    for year, frame in generated.bases.items():
        path = tmp_path / f"olinpe-{year}.csv"
        write_csv(frame, path)
        base = read_base(path, shipped())
        reports[year] = check_base(base.frame, year, shipped(), previous)
        previous = base.frame
    return reports


def test_counts_equal_the_planted_anomalies_every_year(synthetic, tmp_path):
    for year, report in _checked(synthetic, tmp_path).items():
        assert {kind: report.count(kind) for kind in ANOMALY_KINDS} == synthetic.planted[year], year
        assert report.count("beyond_21") == 0


def test_planted_counts_are_those_asked_for(synthetic):
    first, *later = sorted(synthetic.planted)
    assert synthetic.planted[first]["year_breaks"] == 0
    for year in later:
        assert synthetic.planted[year] == {kind: getattr(Anomalies(), kind) for kind in ANOMALY_KINDS}


def test_other_counts_of_anomalies_are_found_as_planted(tmp_path):
    asked = Anomalies(
        duplicates=1,
        sex_conflicts=7,
        birth_conflicts=0,
        end_before_start=2,
        outside_window=9,
        minor_measure_after_18=1,
        young_adult_measure_before_18=5,
        overlapping_placements=6,
        unknown_codes=11,
        year_breaks=4,
    )
    generated = generate(Settings(children=2_000, years=2, first_year=2020, seed=11, anomalies=asked))
    reports = _checked(generated, tmp_path)
    assert {kind: reports[2021].count(kind) for kind in ANOMALY_KINDS} == generated.planted[2021]
    assert generated.planted[2021]["sex_conflicts"] == 7


def test_a_base_without_planted_anomalies_has_none(clean_synthetic, tmp_path):
    for report in _checked(clean_synthetic, tmp_path).values():
        assert {finding.code: finding.count for finding in report.findings} == dict.fromkeys(CHECKS, 0)


def test_dont_know_and_empty_shares_count_what_was_written(synthetic, tmp_path):
    reports = _checked(synthetic, tmp_path)
    for year, report in reports.items():
        assert {
            s.variable: s.dont_know for s in report.shares if s.dont_know is not None
        } == synthetic.dont_know[year]
        assert {s.variable: s.empty for s in report.shares} == synthetic.empty[year]


def test_each_finding_gives_examples_that_are_record_numbers_of_the_base(synthetic, tmp_path):
    report = _checked(synthetic, tmp_path)[2023]
    records = synthetic.bases[2023].height
    duplicates = next(f for f in report.findings if f.code == "duplicates")
    assert 0 < len(duplicates.examples) <= 5
    # The generator appends its copies at the end of the file: the second occurrence is what is counted.
    assert all(records - duplicates.count < number <= records for number in duplicates.examples)
    for finding in report.findings:
        assert finding.explanation and finding.title
        assert all(isinstance(number, int) and number >= 1 for number in finding.examples)


def test_unknown_codes_are_detailed_by_variable(synthetic, tmp_path):
    report = _checked(synthetic, tmp_path)[2022]
    assert sum(report.unknown_by_variable.values()) == synthetic.planted[2022]["unknown_codes"]
    assert "NATMES" not in report.unknown_by_variable


@pytest.mark.parametrize("seed", [1, 2])
def test_the_generator_is_seeded(seed):
    settings = Settings(children=300, years=2, seed=seed)
    assert generate(settings).bases[settings.first_year].equals(generate(settings).bases[settings.first_year])


def test_report_workbook_lists_each_check_with_its_count_explanation_and_examples(synthetic, tmp_path):
    report = _checked(synthetic, tmp_path)[2023]
    problems = [
        {
            "field": "NATMES",
            "message": "« NATMES » doit contenir un nombre entier.",
            "count": 2,
            "examples": [5, 10],
        }
    ]
    workbook = load_workbook(io.BytesIO(report_workbook(report.as_dict(), problems)))
    assert workbook.sheetnames == ["Cohérence", "Codes inconnus", "Ne sait pas et vides", "Schéma"]
    rows = list(workbook["Cohérence"].iter_rows(min_row=3, values_only=True))
    by_title = {row[0]: row for row in rows}
    duplicates = by_title["Enregistrements en double"]
    assert duplicates[1] == synthetic.planted[2023]["duplicates"]
    assert duplicates[3].startswith("Plusieurs enregistrements")
    assert duplicates[4] == ", ".join(str(n) for n in report.findings[0].examples)
    assert len(rows) == len(CHECKS)
    assert list(workbook["Schéma"].iter_rows(min_row=2, values_only=True)) == [
        ("NATMES", "« NATMES » doit contenir un nombre entier.", 2, "5, 10")
    ]
