"""The admins' pages on conventions and partners: each action through the client, its message, the
database after, its audit row and the e-mail to the partner's correspondents and the referents."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertRedirects

from conventions.models import Amendment, Convention, Partner, Signatory, Withdrawal
from odpe.models import AuditEvent
from tests.conventions.factories import ConventionFactory, PartnerFactory, sign

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def convention(partner, correspondent):
    return ConventionFactory(multipartite=True, parties=[partner])


def test_admin_creates_a_convention_and_adds_its_signatory(
    admin_client, partner, correspondent, mailoutbox, django_capture_on_commit_callbacks
):
    data = {
        "reference": "ODPE-2025",
        "title": "Convention de partage",
        "kind": Convention.Kind.CHARTER,
        "signed_on": "2025-01-10",
        "takes_effect_on": "2025-02-01",
        "ends_on": "2028-01-31",
        "notice_months": 3,
        "notice_counted_from": Convention.NoticeStart.RECEIVED,
        "exit_policy": Convention.ExitPolicy.RETAIN,
    }
    response = admin_client.post(reverse("conventions:convention_create"), data, follow=True)

    convention = Convention.objects.get(reference="ODPE-2025")
    assertRedirects(response, reverse("conventions:signatory_add", args=[convention.pk]))
    assert messages_of(response) == ["Convention créée\u00a0: ajoutez ses signataires ci-dessous."]
    assert convention.current_ends_on == date(2028, 1, 31)
    assert AuditEvent.objects.filter(action="convention.created", object_id=str(convention.pk)).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("conventions:signatory_add", args=[convention.pk]), {"partner": partner.pk}
        )

    assert response.status_code == 302
    assert Signatory.objects.get(convention=convention, partner=partner).joined_on == date(2025, 2, 1)
    assert AuditEvent.objects.get(action="signatory.added").details["partner_id"] == str(partner.pk)
    assert [m.to for m in mailoutbox] == [[correspondent.email]]
    assert "ODPE-2025" in mailoutbox[0].subject


def test_adding_a_signatory_twice_shows_a_message_not_an_error(admin_client, convention, partner):
    response = admin_client.post(
        reverse("conventions:signatory_add", args=[convention.pk]), {"partner": partner.pk}
    )

    assert response.status_code == 200
    assertContains(response, "est déjà partie à cette convention")
    assert convention.signatories.count() == 1


def test_a_convention_taking_effect_before_its_signature_is_refused(admin_client):
    data = {
        "reference": "X",
        "title": "X",
        "kind": "bilateral",
        "signed_on": "2025-02-01",
        "takes_effect_on": "2025-01-01",
        "notice_months": 3,
        "notice_counted_from": "received",
        "exit_policy": "retain",
    }

    response = admin_client.post(reverse("conventions:convention_create"), data)

    assert response.status_code == 200
    assert not Convention.objects.exists()


def test_admin_records_an_accession_and_the_message_names_its_number(
    admin_client,
    convention,
    other_partner,
    other_partner_correspondent,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    data = {
        "signed_on": "2024-05-02",
        "takes_effect_on": "2024-06-01",
        "subject": "Adhésion",
        "effect": Amendment.Effect.PARTNER_ACCESSION,
        "partner": other_partner.pk,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("conventions:amendment_create", args=[convention.pk]), data, follow=True
        )

    assertRedirects(response, convention.get_absolute_url())
    assert messages_of(response) == ["Avenant n° 1 enregistré."]
    assert convention.signatories.filter(partner=other_partner, via_amendment__number=1).exists()
    assert AuditEvent.objects.get(action="amendment.recorded").details["partner_id"] == str(other_partner.pk)
    assert [m.to for m in mailoutbox] == [[other_partner_correspondent.email]]
    assertContains(response, "Avenant n° 1 — Adhésion")


def test_admin_records_a_new_end_date(admin_client, convention):
    data = {
        "signed_on": "2024-05-02",
        "takes_effect_on": "2024-05-02",
        "subject": "Prolongation",
        "effect": Amendment.Effect.CHANGE_OF_END_DATE,
        "new_end_date": "2030-12-31",
    }

    admin_client.post(reverse("conventions:amendment_create", args=[convention.pk]), data)

    convention.refresh_from_db()
    assert convention.current_ends_on == date(2030, 12, 31)


def test_an_end_date_change_without_a_date_is_refused_on_the_field(admin_client, convention):
    data = {
        "signed_on": "2024-05-02",
        "takes_effect_on": "2024-05-02",
        "subject": "Prolongation",
        "effect": Amendment.Effect.CHANGE_OF_END_DATE,
    }

    response = admin_client.post(reverse("conventions:amendment_create", args=[convention.pk]), data)

    assert response.status_code == 200
    assert response.context["form"].errors["new_end_date"] == ["Indiquez la nouvelle date de fin."]
    assert not Amendment.objects.exists()


def withdrawal_data(convention, partner) -> dict:
    return {
        "signatory": convention.signatories.get(partner=partner).pk,
        "initiated_by": "partner",
        "letter_sent_on": "2024-11-27",
        "letter_received_on": "2024-11-30",
        "reason": "",
    }


def test_the_withdrawal_preview_shows_the_effective_date_and_records_nothing(
    admin_client, convention, partner
):
    response = admin_client.post(
        reverse("conventions:withdrawal_preview", args=[convention.pk]), withdrawal_data(convention, partner)
    )

    assert response.status_code == 200
    assertContains(response, "28 février 2025")
    assertContains(response, "perdront leurs droits")
    assertContains(response, reverse("conventions:withdrawal_confirm", args=[convention.pk]))
    assert not Withdrawal.objects.exists()


def test_the_preview_says_rights_are_kept_through_another_convention(admin_client, convention, partner):
    other = ConventionFactory(bilateral=True, reference="BIL-1", parties=[partner])

    response = admin_client.post(
        reverse("conventions:withdrawal_preview", args=[convention.pk]), withdrawal_data(convention, partner)
    )

    assertContains(response, other.reference)
    assertContains(response, "conservent leurs droits")


def test_confirming_records_the_withdrawal_and_tells_the_correspondents(
    admin_client, convention, partner, correspondent, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("conventions:withdrawal_confirm", args=[convention.pk]),
            withdrawal_data(convention, partner),
            follow=True,
        )

    assertRedirects(response, convention.get_absolute_url())
    assert messages_of(response) == [
        f"Dénonciation enregistrée\u00a0: {partner.name} quitte la convention le 28/02/2025."
    ]
    assert Withdrawal.objects.get().effective_on == date(2025, 2, 28)
    assert AuditEvent.objects.filter(action="withdrawal.recorded").count() == 1
    assert [m.to for m in mailoutbox] == [[correspondent.email]]
    assert "28/02/2025" in mailoutbox[0].body


def test_admin_uploads_the_signed_pdf(admin_client, convention):
    response = admin_client.post(
        reverse("conventions:document_upload", args=[convention.pk]),
        {"document": SimpleUploadedFile("signée.pdf", PDF, content_type="application/pdf")},
    )

    assertRedirects(response, convention.get_absolute_url(), fetch_redirect_response=False)
    convention.refresh_from_db()
    with convention.signed_document.open("rb") as document:
        assert document.read() == PDF
    assert AuditEvent.objects.filter(action="convention.document_uploaded").exists()


def test_a_file_named_pdf_that_is_not_a_pdf_is_refused(admin_client, convention):
    response = admin_client.post(
        reverse("conventions:document_upload", args=[convention.pk]),
        {"document": SimpleUploadedFile("faux.pdf", b"PK\x03\x04 zip", content_type="application/pdf")},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["document"] == ["Ce fichier n’est pas un document PDF."]
    convention.refresh_from_db()
    assert not convention.signed_document


def test_admin_renames_a_partner_and_the_correspondents_are_told(
    admin_client, partner, correspondent, mailoutbox, django_capture_on_commit_callbacks
):
    data = {
        "name": "Tribunal judiciaire de Saint-Étienne",
        "short_name": "TJ",
        "kind": Partner.Kind.JUSTICE,
        "representative_title": "",
        "address": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("conventions:partner_edit", args=[partner.pk]), data, follow=True
        )

    assertRedirects(response, partner.get_absolute_url())
    partner.refresh_from_db()
    assert (partner.name, partner.kind) == ("Tribunal judiciaire de Saint-Étienne", Partner.Kind.JUSTICE)
    assert set(AuditEvent.objects.get(action="partner.updated").details["fields"]) == {
        "name",
        "short_name",
        "kind",
    }
    assert [m.to for m in mailoutbox] == [[correspondent.email]]


def test_a_logo_that_is_no_image_is_refused(admin_client, partner):
    data = {
        "name": partner.name,
        "kind": partner.kind,
        "logo": SimpleUploadedFile("logo.png", b"not an image", content_type="image/png"),
    }

    response = admin_client.post(reverse("conventions:partner_edit", args=[partner.pk]), data)

    assert response.status_code == 200
    assert "logo" in response.context["form"].errors
    partner.refresh_from_db()
    assert not partner.logo


def test_the_convention_page_shows_its_life_in_order(admin_client, convention, other_partner):
    sign(convention, other_partner)
    response = admin_client.get(convention.get_absolute_url())

    assertContains(response, "Vie de la convention")
    kinds = [event["kind"] for event in response.context["timeline"]]
    assert kinds == ["signed", "in_force"]


@pytest.mark.parametrize(
    "name",
    ["convention_create", "signatory_add", "amendment_create", "withdrawal_preview", "document_upload"],
)
def test_the_admin_pages_are_refused_to_a_referent_before_any_lookup(referent_client, name):
    args = [] if name == "convention_create" else ["00000000-0000-0000-0000-000000000000"]

    assert referent_client.get(reverse(f"conventions:{name}", args=args)).status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in(client, convention):
    response = client.get(reverse("conventions:amendment_create", args=[convention.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_counts_of_parties_leave_out_a_partner_whose_accession_starts_later(
    member_client, convention, other_partner
):
    today = timezone.localdate()
    sign(convention, other_partner, joined_on=today + timedelta(days=200))
    gone = sign(convention, PartnerFactory(), joined_on=convention.takes_effect_on)
    gone.left_on = today - timedelta(days=1)
    gone.save(update_fields=["left_on"])

    listed = member_client.get(reverse("conventions:convention_list"))
    detail = member_client.get(reverse("conventions:convention_detail", args=[convention.pk]))

    assert [c.party_count for c in listed.context["conventions"] if c.pk == convention.pk] == [1]
    assertContains(detail, "1 partenaire participe actuellement à cette convention.")
