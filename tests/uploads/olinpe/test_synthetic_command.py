import pytest
from django.core.management import CommandError, call_command

from uploads.olinpe.dictionary import shipped
from uploads.olinpe.reading import read_base


def test_command_writes_one_readable_file_per_year_and_says_what_was_planted(tmp_path, capsys):
    call_command(
        "olinpe_synthetic", str(tmp_path), "--children", "400", "--years", "2", "--anomaly", "duplicates=2"
    )
    printed = capsys.readouterr().out
    assert "duplicates 2" in printed
    files = sorted(tmp_path.iterdir())
    assert [path.name for path in files] == ["olinpe-2015.csv", "olinpe-2016.csv"]
    assert read_base(files[0], shipped()).problems == []


def test_command_writes_xlsx_workbooks(tmp_path):
    call_command("olinpe_synthetic", str(tmp_path), "--children", "200", "--years", "1", "--format", "xlsx")
    assert read_base(tmp_path / "olinpe-2015.xlsx", shipped()).records > 0


def test_an_unknown_anomaly_kind_is_a_usage_error(tmp_path):
    with pytest.raises(CommandError, match="TYPE=NOMBRE"):
        call_command("olinpe_synthetic", str(tmp_path), "--anomaly", "typos=3")
