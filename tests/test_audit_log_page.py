"""The security-incident page: the audit log filtered, paginated, labelled in French, exported."""

import ast
import csv
import io
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from pytest_django.asserts import assertRedirects

from conventions import services as convention_services
from odpe import audit
from odpe.audit import Actor
from odpe.models import ACTION_LABELS, AuditEvent
from odpe.roof import withdrawals
from odpe.spreadsheets import neutralise
from tests.conventions.factories import ConventionFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
PARIS = ZoneInfo("Europe/Paris")


def recorded_action_codes() -> set[str]:
    """Every action string passed to audit.record anywhere in the platform's code."""
    codes = set()
    for app in ["odpe", "conventions", "uploads", "dashboards"]:
        for path in (ROOT / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "record"
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "audit"
                ):
                    codes |= {c.value for c in ast.walk(node.args[1]) if isinstance(c, ast.Constant)}
    return codes


def test_every_action_code_recorded_in_the_code_has_a_label():
    codes = recorded_action_codes()

    assert {"user.signed_in", "withdrawal.applied", "audit.exported"} <= codes
    assert codes - set(ACTION_LABELS) == set()


def test_the_page_shows_actions_in_french_not_codes(admin_client, admin_user):
    audit.record(Actor(user=admin_user), "user.signed_in", admin_user)

    page = admin_client.get(reverse("audit_log")).content.decode()

    assert "<td>Connexion</td>" in page
    assert ">user.signed_in<" not in page  # the code is only the filter's option value


def at(day: str):
    return time_machine.travel(datetime.fromisoformat(day).replace(tzinfo=PARIS), tick=False)


@pytest.fixture
def withdrawn(partner, other_partner, admin_user):
    """A withdrawal of `partner`, recorded then applied, next to unrelated events."""
    convention = ConventionFactory(data_transfer=True, parties=[partner, other_partner])
    with at("2024-03-04 10:00"):
        withdrawal = convention_services.record_withdrawal(
            convention.signatories.get(partner=partner),
            actor=Actor(user=admin_user, ip="192.0.2.1"),
            letter_sent_on=date(2024, 3, 1),
            letter_received_on=date(2024, 3, 4),
        )
    with at("2024-04-04 00:15"):
        withdrawals.apply_due_withdrawals(withdrawal.effective_on)
    with at("2024-05-02 09:00"):
        audit.record(Actor(user=admin_user), "user.signed_in", admin_user)
    return withdrawal


def listed_actions(response) -> list[str]:
    return [event.action for event in response.context["page"]]


def test_filtering_by_partner_finds_the_events_that_concern_it(admin_client, withdrawn, partner):
    response = admin_client.get(reverse("audit_log"), {"partner": partner.pk})

    assert listed_actions(response) == [
        "data.destroyed",
        "partner.rights_revoked",
        "withdrawal.applied",
        "withdrawal.recorded",
    ]


def test_the_other_partner_has_none_of_these_events(admin_client, withdrawn, other_partner):
    response = admin_client.get(reverse("audit_log"), {"partner": other_partner.pk})

    assert listed_actions(response) == []
    assert "Aucun événement ne correspond à ces filtres." in response.content.decode()


def test_filtering_by_person_action_and_period(admin_client, withdrawn, admin_user):
    by_person = admin_client.get(reverse("audit_log"), {"actor": admin_user.pk})
    by_action = admin_client.get(reverse("audit_log"), {"action": "withdrawal.applied"})
    by_period = admin_client.get(reverse("audit_log"), {"date_from": "2024-04-04", "date_to": "2024-04-04"})

    assert listed_actions(by_person) == ["user.signed_in", "withdrawal.recorded"]
    assert listed_actions(by_action) == ["withdrawal.applied"]
    assert set(listed_actions(by_period)) == {
        "withdrawal.applied",
        "partner.rights_revoked",
        "data.destroyed",
    }


def test_a_period_ending_before_it_starts_is_refused_with_a_french_message(admin_client, withdrawn):
    response = admin_client.get(reverse("audit_log"), {"date_from": "2024-05-01", "date_to": "2024-04-01"})

    assert listed_actions(response) == []
    assert "La fin de la période précède son début." in response.content.decode()


def test_the_log_is_paginated_and_pages_keep_the_filters(
    admin_client, admin_user, django_assert_max_num_queries
):
    for _ in range(60):
        audit.record(Actor(user=admin_user), "user.signed_in", admin_user)

    with django_assert_max_num_queries(12):
        first = admin_client.get(reverse("audit_log"), {"action": "user.signed_in"})
    second = admin_client.get(reverse("audit_log"), {"action": "user.signed_in", "page": 2})

    assert len(first.context["page"]) == 50
    assert len(second.context["page"]) == 10
    assert "?action=user.signed_in&amp;page=2" in first.content.decode()


def export(client, **filters) -> list[list[str]]:
    response = client.get(reverse("audit_log_export"), filters)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = b"".join(response.streaming_content)
    assert content.startswith("\ufeff".encode())  # Excel reads UTF-8 after a byte-order mark
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_the_export_holds_the_filtered_events_in_french(admin_client, withdrawn, partner):
    header, *rows = export(admin_client, partner=partner.pk, action="withdrawal.recorded")

    assert header[:4] == ["Date et heure", "Personne", "Action", "Code de l’action"]
    [row] = rows
    assert row[0] == "04/03/2024 10:00:00"
    assert row[1:4] == ["admin@example.org", "Dénonciation enregistrée", "withdrawal.recorded"]
    assert row[7] == "192.0.2.1"
    assert partner.name in row[8]


def test_the_export_is_itself_audited_with_its_filters(admin_client, admin_user, withdrawn, partner):
    export(admin_client, partner=partner.pk, date_from="2024-03-01")

    event = AuditEvent.objects.get(action="audit.exported")
    assert event.actor == admin_user
    assert event.details["events"] == 4
    assert event.details["filters"] == {"date_from": "2024-03-01"}
    assert event.details["partner_id"] == str(partner.pk)


@pytest.mark.parametrize(
    ("cell", "exported"),
    [
        ("=1+1", "'=1+1"),
        ("+33 4 77 00 00 00", "'+33 4 77 00 00 00"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Conseil départemental", "Conseil départemental"),
        ("", ""),
        (None, ""),
        (42, "42"),
    ],
)
def test_neutralise_turns_formula_starts_into_text(cell, exported):
    assert neutralise(cell) == exported


def test_an_object_label_starting_like_a_formula_is_neutralised_in_the_export(admin_client, admin_user):
    admin_user.first_name, admin_user.last_name = "=cmd|' /C calc'!A0", ""
    admin_user.save()
    audit.record(Actor(user=admin_user), "user.signed_in", admin_user)

    _header, row = export(admin_client, action="user.signed_in")

    assert row[4].startswith("'=cmd")


def test_an_export_with_refused_filters_goes_back_to_the_page(admin_client):
    response = admin_client.get(reverse("audit_log_export"), {"date_from": "pas une date"})

    assertRedirects(response, f"{reverse('audit_log')}?date_from=pas+une+date", fetch_redirect_response=False)
    assert not AuditEvent.objects.filter(action="audit.exported").exists()


def test_the_home_page_shows_recent_actions_in_french_and_links_the_incident_page(admin_client, admin_user):
    audit.record(Actor(user=admin_user), "invitation.sent", admin_user)

    page = admin_client.get(reverse("home")).content.decode()

    assert "Invitation envoyée" in page
    assert reverse("audit_log") in page


def test_the_details_read_as_labelled_french_lines_with_short_ids(admin_client, admin_user, partner):
    audit.record(
        Actor(user=admin_user),
        "dashboard.published",
        admin_user,
        public=True,
        left_out=[],
        sha256="ab" * 32,
        **audit.about_partner(partner),
    )

    content = admin_client.get(reverse("audit_log")).content.decode()
    page = content[content.index("<tbody>") :]  # the events, not the filters' options

    assert "<dt>Public</dt><dd>oui</dd>" in page
    assert "<dt>Sources écartées</dt><dd>aucun</dd>" in page
    assert f'<abbr title="{partner.pk}">{str(partner.pk)[:8]}</abbr>' in page
    assert "abababababab…</abbr>" in page
    for raw in ("<dt>public</dt>", "True", "left_out", "[]"):
        assert raw not in page
