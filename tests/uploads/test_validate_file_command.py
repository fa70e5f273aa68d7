"""`manage.py validate_file`: exit status 0 valid, 1 invalid or refused, 2 bad usage; --json prints only JSON."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.uploads.factories import COUNTS_SCHEMA, GOOD_ROWS, TableSpecFactory, xlsx_bytes

ROOT = Path(__file__).resolve().parents[2]


def run(*args):
    # The embedded default: no database server, no broker.
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    return subprocess.run(
        [sys.executable, "manage.py", "validate_file", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.fixture
def schema_file(tmp_path):
    path = tmp_path / "schema.json"
    path.write_text(json.dumps(COUNTS_SCHEMA), encoding="utf-8")
    return path


def workbook(tmp_path, rows, name="tableau.xlsx"):
    path = tmp_path / name
    path.write_bytes(xlsx_bytes(rows))
    return path


def test_valid_file_exits_0_with_json(tmp_path, schema_file):
    result = run(workbook(tmp_path, GOOD_ROWS), "--schema", schema_file, "--json")

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"valid": True, "errors": [], "warnings": []}


def test_invalid_file_exits_1_and_json_names_the_cell(tmp_path, schema_file):
    result = run(workbook(tmp_path, [["Forez", 1, 2, 4]]), "--schema", schema_file, "--json")

    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["valid"] is False
    assert {"code", "message", "sheet", "cell", "row", "field"} <= set(report["errors"][0])
    assert report["errors"][0]["cell"] == "D2"


def test_refused_file_exits_1(tmp_path, schema_file):
    path = tmp_path / "faux.xlsx"
    path.write_bytes(b"%PDF-1.4 not a workbook")

    result = run(path, "--schema", schema_file, "--json")

    assert result.returncode == 1
    assert json.loads(result.stdout)["errors"][0]["code"] == "file-not-xlsx"


def test_human_output_is_french(tmp_path, schema_file):
    result = run(workbook(tmp_path, [["Forez", 1, 2, 4]]), "--schema", schema_file)

    assert result.returncode == 1
    assert "Fichier non valide" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["missing.xlsx", "--schema", "schema.json"],
        ["tableau.xlsx"],
        ["tableau.xlsx", "--schema", "missing.json"],
        ["tableau.xlsx", "--schema", "broken.json"],
        ["tableau.xlsx", "--schema", "invalid.json"],
    ],
)
def test_bad_usage_exits_2(tmp_path, schema_file, args):
    workbook(tmp_path, GOOD_ROWS)
    (tmp_path / "broken.json").write_text("{not json")
    (tmp_path / "invalid.json").write_text(json.dumps({"fields": [{"name": "a", "type": "colour"}]}))

    result = run(*[tmp_path / arg if arg.endswith((".xlsx", ".json")) else arg for arg in args])

    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout == ""


def test_stored_spec_is_found_by_code(tmp_path, db):
    TableSpecFactory(code="enfants")
    out = io.StringIO()

    call_command("validate_file", workbook(tmp_path, GOOD_ROWS), "--spec", "enfants", "--json", stdout=out)

    assert json.loads(out.getvalue())["valid"] is True


def test_unknown_spec_is_bad_usage(tmp_path, db):
    with pytest.raises(CommandError) as error:
        call_command("validate_file", workbook(tmp_path, GOOD_ROWS), "--spec", "inconnu")

    assert error.value.returncode == 2


def test_the_reader_budget_comes_from_the_setting(tmp_path, schema_file, settings):
    settings.VALIDATION_READER_MAX_BYTES = 1024
    output = io.StringIO()

    with pytest.raises(SystemExit) as exit_:
        call_command(
            "validate_file", workbook(tmp_path, GOOD_ROWS), "--schema", schema_file, "--json", stdout=output
        )

    assert exit_.value.code == 1
    assert json.loads(output.getvalue())["errors"][0]["code"] == "file-dimensions"


def test_the_command_starts_without_openpyxl_nor_the_views(tmp_path, schema_file):
    probe = (
        "import sys, runpy; sys.argv = ['manage.py', 'validate_file', *sys.argv[1:]]\n"
        "try:\n    runpy.run_path('manage.py', run_name='__main__')\n"
        "finally:\n    print(sorted(name for name in ('openpyxl', 'scipy', 'odpe.urls') if name in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, workbook(tmp_path, GOOD_ROWS), "--schema", schema_file],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout + result.stderr
