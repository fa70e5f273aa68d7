"""No English string reaches a French user: the catalogue covers every marked string."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["manage.py", "odpe", "conventions", "uploads", "dashboards", "templates", "locale"]


@pytest.fixture
def fresh_catalogue(tmp_path) -> Path:
    if not shutil.which("msgattrib"):
        if os.environ.get("CI"):
            pytest.fail("CI must check the catalogue: install gettext.")
        pytest.skip("needs the gettext tools")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "fr", "--no-obsolete", "--no-location"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    return tmp_path / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def msgattrib(po: Path, flag: str) -> str:
    return subprocess.run(
        ["msgattrib", flag, "--no-obsolete", str(po)], check=True, capture_output=True, text=True
    ).stdout


def test_every_string_of_the_interface_has_a_french_translation(fresh_catalogue):
    assert msgattrib(fresh_catalogue, "--untranslated") == ""


def test_no_french_translation_is_left_fuzzy(fresh_catalogue):
    assert msgattrib(fresh_catalogue, "--only-fuzzy") == ""
