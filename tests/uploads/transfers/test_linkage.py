"""The linkage report on planted data: people matched by primary key, by secondary key only (a typo in
the first name or the day of birth, annex 1 §3.2), not matched; counts only, reached by designated people."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from odpe.audit import Actor
from odpe.errors import TransitionError
from odpe.models import AuditEvent
from tests.conftest import signed_in
from tests.uploads.transfers.factories import (
    department,
    designate,
    person,
    receive,
    transfer_convention,
    xlsx_bytes,
)
from uploads.transfers import linkage, services
from uploads.transfers.models import LinkageReport

pytestmark = pytest.mark.django_db

SAME = [
    ("DUPONT", "MARIE"),
    ("MARTIN", "LEO"),
    ("BERNARD", "EMMA"),
    ("PETIT", "JADE"),
    ("DURAND", "LOUIS"),
    ("LEROY", "ZOE"),
]
FIRST_NAME_TYPO = [("MOREAU", "CHLOE", "CLOE"), ("SIMON", "HUGO", "UGO")]
ABSENT = [("LAURENT", "INES"), ("MICHEL", "NOAH")]
ONLY_ON_THE_RIGHT = [("GARCIA", "LINA"), ("DAVID", "ADAM"), ("ROUX", "MILA"), ("FOURNIER", "NOLAN")]


def planted():
    """The Département's dataset (two rows per person: two measures) and the partner's."""
    left = [person(name, first) for name, first in SAME]
    left += [person(name, first) for name, first, _ in FIRST_NAME_TYPO]
    left.append(person("FAURE", "ROSE", "12", "05", "2001"))  # the partner typed the 21st
    left += [person(name, first) for name, first in ABSENT]
    left = left + left
    right = [person(name, first) for name, first in SAME]
    right += [person(name, typo) for name, _, typo in FIRST_NAME_TYPO]
    right.append(person("FAURE", "ROSE", "21", "05", "2001"))
    right += [person(name, first) for name, first in ONLY_ON_THE_RIGHT]
    return left, right


def test_the_counts_are_right_on_planted_keys():
    left, right = planted()
    as_pairs = lambda rows: linkage.collect_keys((row["cle_primaire"], row["cle_secondaire"]) for row in rows)  # noqa: E731

    counts = linkage.link(as_pairs(left), as_pairs(right))

    assert counts == linkage.Linkage(
        left_rows=22,
        left_people=11,
        right_rows=13,
        right_people=13,
        by_primary_key=6,
        by_secondary_key_only=3,
        not_matched=2,
    )


def test_keys_in_capitals_match_keys_in_lower_case():
    row = person("DUPONT", "MARIE")
    upper = {key: value.upper() for key, value in row.items()}

    counts = linkage.link(
        linkage.collect_keys([(row["cle_primaire"], row["cle_secondaire"])]),
        linkage.collect_keys([(upper["cle_primaire"], upper["cle_secondaire"])]),
    )

    assert counts.by_primary_key == 1


@pytest.fixture
def datasets(partner, correspondent):
    sender = department()
    convention = transfer_convention(partner, sender)
    designate(convention, partner, correspondent)
    left, right = planted()
    first = receive(convention, sender, left, correspondent, label="Département")
    second = receive(convention, sender, None, correspondent, label="Partenaire", content=xlsx_bytes(right))
    return first, second


def test_the_service_keeps_the_counts_and_audits_them(datasets, correspondent):
    report = services.compute_linkage(*datasets, actor=Actor(user=correspondent))

    assert (report.by_primary_key, report.by_secondary_key_only, report.not_matched) == (6, 3, 2)
    assert (report.left_rows, report.right_people) == (22, 13)
    event = AuditEvent.objects.get(action="transfers.linkage_computed")
    assert event.details["by_secondary_key_only"] == 3


def test_a_dataset_is_not_linked_with_itself(datasets, correspondent):
    with pytest.raises(TransitionError):
        services.compute_linkage(datasets[0], datasets[0], actor=Actor(user=correspondent))


def test_the_page_shows_counts_and_no_key(datasets, correspondent):
    client = signed_in(correspondent)
    left, right = datasets

    response = client.post(
        reverse("transfers:linkage_create", args=[left.convention_id]),
        {"left": left.pk, "right": right.pk},
        follow=True,
    )

    assertContains(response, '<td class="number" id="by-primary">6</td>', html=False)
    assertContains(response, '<td class="number" id="by-secondary">3</td>', html=False)
    assertContains(response, '<td class="number" id="not-matched">2</td>', html=False)
    assertNotContains(response, person("DUPONT", "MARIE")["cle_primaire"])


def test_a_correspondent_not_designated_gets_404_for_the_report(
    datasets, correspondent, other_partner_correspondent_client
):
    report = services.compute_linkage(*datasets, actor=Actor(user=correspondent))

    assert other_partner_correspondent_client.get(report.get_absolute_url()).status_code == 404
    assert LinkageReport.objects.count() == 1
