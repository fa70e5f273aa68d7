"""The review page puts each figure beside the partner's last accepted year and the previous version."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from odpe.audit import Actor
from tests.uploads.factories import CampaignFactory, SubmissionFactory, xlsx_upload
from uploads import services
from uploads.models import SubmissionVersion

Status = SubmissionVersion.Status
LAST_YEAR_ROWS = [["Forez", 12, 10, 22], ["Roannais", 7, 9, 16]]
# Forez's girls and total more than double: the checks warn on both cells (`VALIDATION_CHANGE_RATIO`).
SHARP_ROWS = [["Forez", 30, 10, 40], ["Roannais", 7, 9, 16]]
WARNED = 'class="numeric cell--warned"'


def checked_version(submission, correspondent, capture, rows):
    with capture(execute=True):
        version = services.receive_upload(
            submission, actor=Actor(user=correspondent), uploaded_file=xlsx_upload(rows), attested=True
        )
    version.refresh_from_db()
    return version


@pytest.fixture
def last_year(submission, correspondent, referent, django_capture_on_commit_callbacks):
    """The same table of the same partner, accepted for the year before."""
    earlier = SubmissionFactory(
        campaign=CampaignFactory(data_year=submission.campaign.data_year - 1),
        partner=submission.partner,
        spec=submission.spec,
    )
    version = checked_version(earlier, correspondent, django_capture_on_commit_callbacks, LAST_YEAR_ROWS)
    return services.accept_version(version, actor=Actor(user=referent))


def cells_of(comparison, label):
    row = next(row for row in comparison.rows if row.labels == [label])
    return dict(zip(comparison.value_fields, row.cells, strict=True))


def test_referent_sees_each_figure_beside_last_year_with_the_difference_and_the_warnings(
    referent_client, submission, correspondent, last_year, django_capture_on_commit_callbacks
):
    version = checked_version(submission, correspondent, django_capture_on_commit_callbacks, SHARP_ROWS)
    assert {finding.field for finding in version.findings.warnings} == {"filles", "total"}

    response = referent_client.get(version.get_absolute_url())

    comparison = response.context["comparison"]
    assert comparison.last_year == last_year.submission.campaign.data_year
    assert comparison.previous_number is None
    forez = cells_of(comparison, "Forez")
    assert (forez["filles"].value, forez["filles"].last_year, forez["filles"].change_from_last_year) == (
        30,
        12,
        18,
    )
    assert forez["filles"].warned and forez["total"].warned and not forez["garcons"].warned
    assert not any(cell.warned for cell in cells_of(comparison, "Roannais").values())
    assertContains(response, "+18")
    assertContains(response, str(comparison.last_year))
    # The value and its difference from last year, for each of the two warned cells.
    assertContains(response, WARNED, count=4)
    assertContains(response, "Les contrôles ont signalé 2 cases")


def test_a_corrected_version_stands_beside_the_previous_one(
    referent_client, referent, submission, correspondent, django_capture_on_commit_callbacks
):
    first = checked_version(submission, correspondent, django_capture_on_commit_callbacks, LAST_YEAR_ROWS)
    services.return_version(first, actor=Actor(user=referent), comment="Le Forez est incomplet.")
    second = checked_version(submission, correspondent, django_capture_on_commit_callbacks, SHARP_ROWS)

    response = referent_client.get(second.get_absolute_url())

    comparison = response.context["comparison"]
    assert comparison.last_year is None
    assert comparison.previous_number == first.number
    forez = cells_of(comparison, "Forez")
    assert (forez["total"].previous, forez["total"].change_from_previous) == (22, 18)
    assert cells_of(comparison, "Roannais")["total"].change_from_previous == 0
    assertContains(response, f"version {first.number}")
    # No earlier year accepted: the checks had nothing to warn about.
    assertNotContains(response, WARNED)


def test_without_any_baseline_the_figures_show_as_sent(
    referent_client, submission, correspondent, django_capture_on_commit_callbacks
):
    version = checked_version(submission, correspondent, django_capture_on_commit_callbacks, LAST_YEAR_ROWS)

    response = referent_client.get(version.get_absolute_url())

    assert response.context["comparison"].columns_per_field == 1
    assertContains(response, "Roannais")
    assertContains(response, "Aucune année antérieure")
    assertNotContains(response, "Écart")


def test_accepting_after_reading_the_warnings_takes_one_click(
    referent_client, submission, correspondent, last_year, django_capture_on_commit_callbacks
):
    version = checked_version(submission, correspondent, django_capture_on_commit_callbacks, SHARP_ROWS)
    accept = reverse("uploads:version_accept", args=[version.pk])
    assertContains(referent_client.get(version.get_absolute_url()), f'action="{accept}"')

    response = referent_client.post(accept)

    assertRedirects(response, version.get_absolute_url())
    version.refresh_from_db()
    assert version.status == Status.ACCEPTED


def test_correspondent_sees_no_review_table(
    correspondent_client, submission, correspondent, last_year, django_capture_on_commit_callbacks
):
    version = checked_version(submission, correspondent, django_capture_on_commit_callbacks, SHARP_ROWS)

    response = correspondent_client.get(version.get_absolute_url())

    assert "comparison" not in response.context
    assertNotContains(response, WARNED)
