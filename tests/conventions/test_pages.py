import uuid
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertRedirects

from conventions import services
from conventions.models import Amendment
from odpe.audit import Actor
from odpe.models import AuditEvent
from tests.conventions.factories import ConventionFactory, PartnerFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
READER_CLIENTS = ["member_client", "referent_client", "admin_client"]


@pytest.fixture
def convention(partner, other_partner):
    return ConventionFactory(multipartite=True, parties=[partner, other_partner])


@pytest.fixture
def parties():
    # No short names: the page shows the name whether it prints `partner.name` or `partner`.
    return [
        PartnerFactory(name="Caisse d'Allocations Familiales de la Loire", short_name=""),
        PartnerFactory(name="Tribunal judiciaire de Roanne", short_name=""),
    ]


PAGES = ["convention_list", "convention_detail", "partner_list", "partner_detail"]


def page_url(page: str, convention, partner) -> str:
    args = {"convention_detail": [convention.pk], "partner_detail": [partner.pk]}.get(page, [])
    return reverse(f"conventions:{page}", args=args)


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitor_is_sent_to_the_login_page(client, convention, partner, page):
    url = page_url(page, convention, partner)

    response = client.get(url)

    assertRedirects(response, f"{reverse('account_login')}?next={url}", fetch_redirect_response=False)


@pytest.mark.parametrize("page", PAGES)
def test_correspondent_cannot_browse_conventions_and_partners(
    correspondent_client, convention, partner, page
):
    assert correspondent_client.get(page_url(page, convention, partner)).status_code == 403


@pytest.mark.parametrize("reader", READER_CLIENTS)
@pytest.mark.parametrize("page", PAGES)
def test_members_referents_and_admins_see_conventions_and_partners(
    request, reader, convention, partner, page
):
    client = request.getfixturevalue(reader)

    assert client.get(page_url(page, convention, partner)).status_code == 200


@pytest.mark.parametrize("name", ["convention_detail", "partner_detail", "convention_document"])
def test_unknown_id_is_404(member_client, name):
    assert member_client.get(reverse(f"conventions:{name}", args=[uuid.uuid4()])).status_code == 404


def test_convention_detail_lists_its_parties(member_client, parties):
    convention = ConventionFactory(parties=parties)

    response = member_client.get(convention.get_absolute_url())

    for partner in parties:
        assertContains(response, escape(partner.name))


def test_convention_detail_shows_a_partner_who_acceded_by_amendment(member_client, convention, admin_user):
    newcomer = PartnerFactory(name="Ordre des Avocats de Saint-Etienne", short_name="")
    services.record_amendment(
        convention,
        actor=Actor(user=admin_user),
        signed_on=date(2021, 2, 15),
        takes_effect_on=date(2021, 3, 1),
        subject="Adhésion de l'Ordre des Avocats",
        effect=Amendment.Effect.PARTNER_ACCESSION,
        partner=newcomer,
    )

    assertContains(member_client.get(convention.get_absolute_url()), newcomer.name)


def test_partner_detail_lists_its_conventions(member_client, convention, partner):
    response = member_client.get(partner.get_absolute_url())

    assertContains(response, convention.reference)


def test_convention_document_is_404_when_none_was_uploaded(member_client, convention):
    response = member_client.get(reverse("conventions:convention_document", args=[convention.pk]))

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="convention.document_downloaded").exists()


def test_convention_document_download_is_audited(member_client, member, convention):
    convention.signed_document = SimpleUploadedFile("convention signée.pdf", PDF, "application/pdf")
    convention.save()

    response = member_client.get(reverse("conventions:convention_document", args=[convention.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == f'attachment; filename="{convention.reference}.pdf"'
    event = AuditEvent.objects.get(action="convention.document_downloaded")
    assert (event.actor, event.object_id) == (member, str(convention.pk))


def test_stored_document_name_does_not_reveal_the_uploaded_name(convention):
    convention.signed_document = SimpleUploadedFile("convention signée.pdf", PDF, "application/pdf")
    convention.save()

    assert convention.signed_document.name.startswith("conventions/")
    assert "signée" not in convention.signed_document.name


def many_conventions(count: int = 12):
    partners = PartnerFactory.create_batch(4)
    parent = ConventionFactory(multipartite=True, parties=partners)
    for _ in range(count):
        convention = ConventionFactory(
            bilateral=True, parent=parent, ends_on=date(2030, 1, 1), parties=partners
        )
        services.record_withdrawal(
            convention.signatories.first(),
            actor=Actor.platform(),
            letter_sent_on=date(2024, 1, 2),
            letter_received_on=date(2024, 1, 3),
        )


def test_convention_list_query_count_does_not_grow_with_conventions(
    member_client, django_assert_max_num_queries
):
    many_conventions()

    with django_assert_max_num_queries(10):
        response = member_client.get(reverse("conventions:convention_list"))

    assert response.status_code == 200


def test_partner_list_query_count_does_not_grow_with_partners(member_client, django_assert_max_num_queries):
    many_conventions()
    PartnerFactory.create_batch(10, with_logo=True)

    with django_assert_max_num_queries(8):
        response = member_client.get(reverse("conventions:partner_list"))

    assert response.status_code == 200
