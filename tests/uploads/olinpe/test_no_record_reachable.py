"""No URL ever returns an individual OLINPE record: every page and download of the project, for every
role, is searched for the anonymisation numbers and the exact lines of the imported base."""

import pytest
from django.urls import reverse

from tests.test_access_matrix import MATRIX, POST_ONLY
from uploads.olinpe.synthetic import write_csv

pytestmark = pytest.mark.django_db
ROLES = ["member", "correspondent", "referent", "admin"]


@pytest.fixture
def imported(referent_client, synthetic, tmp_path, django_capture_on_commit_callbacks):
    frame = synthetic.bases[2022].head(400)
    path = tmp_path / "olinpe.csv"
    write_csv(frame, path)
    with django_capture_on_commit_callbacks(execute=True), path.open("rb") as file:
        referent_client.post(reverse("olinpe:base_import"), {"year": 2022, "file": file})
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    return set(frame["NUMANONYM"].to_list()), lines


def _content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("role", ROLES)
def test_no_page_or_download_shows_a_record(request, role, imported):
    numbers, lines = imported
    client = request.getfixturevalue(f"{role}_client")
    olinpe_pages = [name for name in MATRIX if "olinpe" in name and name not in POST_ONLY]
    urls = [reverse(name, args=[2022] if name != "olinpe:index" else []) for name in olinpe_pages]
    urls += [reverse("home"), reverse("olinpe:index")]
    for url in urls:
        body = _content(client.get(url))
        text = body.decode("utf-8", "replace")
        assert not any(number in text for number in numbers), url
        assert not any(line in text for line in lines[:50]), url
        # A workbook is a zip: its sheets are compressed, so read the report the way a person would.
        if body.startswith(b"PK"):
            from io import BytesIO

            from openpyxl import load_workbook

            cells = " ".join(
                str(value)
                for sheet in load_workbook(BytesIO(body)).worksheets
                for row in sheet.iter_rows(values_only=True)
                for value in row
                if value is not None
            )
            assert not any(number in cells for number in numbers), url


def test_the_stored_file_has_no_url(imported):
    from uploads.olinpe.models import YearlyBase

    base = YearlyBase.objects.get(year=2022)
    assert base.file.name.startswith("olinpe/")
    assert base.file.name.endswith(".enc")
