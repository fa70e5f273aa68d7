"""The documents library's pages: sharing, the referent's decisions, reading and downloading."""

from datetime import date
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.html import escape
from guardian.shortcuts import assign_perm
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from dashboards.models import Document
from odpe.accounts.roles import Role
from odpe.models import AuditEvent
from tests.accounts.factories import UserFactory
from tests.conftest import signed_in
from tests.dashboards.factories import PDF_BYTES, DocumentFactory, docx_bytes, upload
from tests.dashboards.test_documents import french
from tests.test_content_security_policy import inline_code

pytestmark = pytest.mark.django_db
Status = Document.Status
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'


def form(partner, file, **fields):
    data = {
        "title": "Étude sur l’accueil familial",
        "summary": "",
        "published_on": "2025-03-14",
        "file": file,
    }
    if partner is not None:
        data["partner"] = partner.pk
    return {**data, **fields}


def nothing_stored() -> bool:
    root = Path(default_storage.location)
    return not Document.objects.exists() and not (root.exists() and any(p.is_file() for p in root.rglob("*")))


# Sharing ---------------------------------------------------------------------------------------------


def test_a_correspondent_shares_a_pdf_for_their_partner(correspondent_client, correspondent, partner):
    response = correspondent_client.post(
        reverse("dashboards:document_share"), form(partner, upload("Étude.pdf")), follow=True
    )

    document = Document.objects.get()
    assertRedirects(response, document.get_absolute_url())
    assertContains(response, "Document reçu")
    assert (document.partner, document.uploaded_by, document.status) == (
        partner,
        correspondent,
        Status.SUBMITTED,
    )
    assert document.published_on == date(2025, 3, 14)
    assert AuditEvent.objects.filter(action="document.shared", object_id=str(document.pk)).exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [("etude.pdf", EXECUTABLE), ("etude.pdf", HTML), ("schema.pdf", SVG), ("tableau.xlsx", HTML)],
)
def test_a_renamed_executable_html_or_svg_is_refused_in_french_and_nothing_is_stored(
    correspondent_client, partner, name, content
):
    response = correspondent_client.post(
        reverse("dashboards:document_share"), form(partner, upload(name, content))
    )

    assert response.status_code == 400
    assertContains(response, "n’est ni un PDF ni un document bureautique", status_code=400)
    assert nothing_stored()


def test_a_macro_enabled_office_file_is_refused(correspondent_client, partner):
    response = correspondent_client.post(
        reverse("dashboards:document_share"), form(partner, upload("etude.docx", docx_bytes(macros=True)))
    )

    assertContains(response, "contient des macros", status_code=400)
    assert nothing_stored()


def test_a_real_document_under_the_wrong_extension_is_refused_with_the_right_one(
    correspondent_client, partner
):
    response = correspondent_client.post(
        reverse("dashboards:document_share"), form(partner, upload("etude.pdf", docx_bytes()))
    )

    assertContains(
        response,
        escape(french("un document Word, mais son nom ne se termine pas par « .docx »")),
        status_code=400,
    )
    assert nothing_stored()


def test_a_file_over_the_size_limit_is_refused(correspondent_client, partner, settings):
    settings.DOCUMENT_MAX_BYTES = 50

    response = correspondent_client.post(
        reverse("dashboards:document_share"), form(partner, upload("etude.pdf"))
    )

    assertContains(response, "la limite est de 50", status_code=400)
    assert nothing_stored()


def test_a_correspondent_cannot_share_in_another_partners_name(correspondent_client, other_partner):
    response = correspondent_client.post(
        reverse("dashboards:document_share"), form(other_partner, upload("etude.pdf"))
    )

    assertContains(response, "Sélectionnez un choix valide", status_code=400)
    assert nothing_stored()


def test_a_correspondent_whose_institution_may_only_read_is_refused_the_share_page(partner):
    reader = UserFactory(role=Role.CORRESPONDENT)
    assign_perm("conventions.view_partner_data", reader, partner)

    assert signed_in(reader).get(reverse("dashboards:document_share")).status_code == 403


def test_the_referent_adds_a_document_of_the_observatory_itself(referent_client, referent):
    response = referent_client.post(reverse("dashboards:document_share"), form(None, upload("bilan.pdf")))

    document = Document.objects.get()
    assertRedirects(response, document.get_absolute_url())
    assert (document.partner, document.uploaded_by, document.status) == (None, referent, Status.SUBMITTED)


def test_sharing_too_often_gets_a_429_and_nothing_more_is_kept(correspondent_client, partner, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "share_document": "2/h/user"}
    url = reverse("dashboards:document_share")

    statuses = [
        correspondent_client.post(url, form(partner, upload(f"etude-{n}.pdf"))).status_code for n in range(3)
    ]

    assert statuses == [302, 302, 429]
    assert Document.objects.count() == 2
    assert correspondent_client.get(url).status_code == 200  # reading the form is not counted


# Reading ---------------------------------------------------------------------------------------------


def test_a_member_reads_only_online_documents_newest_first(member_client, partner):
    older = DocumentFactory(
        partner=partner, validated=True, title="Étude ancienne", published_on=date(2023, 5, 2)
    )
    newer = DocumentFactory(
        partner=partner, validated=True, title="Étude récente", published_on=date(2025, 1, 9)
    )
    for state in ({}, {"rejected": True}, {"withdrawn": True}):
        DocumentFactory(partner=partner, title=f"Caché {sorted(state) or 'envoyé'}", **state)

    page = member_client.get(reverse("dashboards:document_list")).content.decode()

    assert page.index(escape(newer.title)) < page.index(escape(older.title))
    assert "Caché" not in page
    assert "9 janvier 2025" in page


def test_the_library_searches_titles_and_filters_by_partner_and_year(member_client, partner, other_partner):
    own = DocumentFactory(
        partner=partner, validated=True, title="Placements familiaux 2024", published_on=date(2024, 6, 1)
    )
    DocumentFactory(
        partner=other_partner,
        validated=True,
        title="Placements en établissement",
        published_on=date(2025, 2, 1),
    )
    observatory = DocumentFactory(observatory=True, validated=True, title="Rapport annuel de l’observatoire")
    url = reverse("dashboards:document_list")

    def titles(**query):
        page = member_client.get(url, query)
        return {document.title for document in page.context["page"]}

    assert titles(query="placements FAMILIAUX") == {own.title}
    assert titles(query="placements") == {own.title, "Placements en établissement"}
    assert titles(partner=partner.pk) == {own.title}
    assert titles(partner="observatory") == {observatory.title}
    assert titles(year=2024) == {own.title}
    assertContains(member_client.get(url, {"query": "inconnu"}), "Aucun document en ligne ne correspond")


def test_the_year_filter_offers_years_without_a_thousands_separator(member_client, partner):
    DocumentFactory(partner=partner, validated=True, published_on=date(2024, 6, 1))

    assertContains(
        member_client.get(reverse("dashboards:document_list")),
        '<option value="2024">2024</option>',
        html=True,
    )


def test_the_library_reads_a_bounded_number_of_queries(
    member_client, partner, other_partner, django_assert_max_num_queries
):
    for number in range(30):
        DocumentFactory(partner=partner if number % 2 else other_partner, validated=True)

    with django_assert_max_num_queries(12):
        assert member_client.get(reverse("dashboards:document_list")).status_code == 200


def test_a_correspondent_follows_their_own_documents_in_any_state_and_reads_the_online_ones(
    correspondent_client, partner, other_partner
):
    own_waiting = DocumentFactory(partner=partner, title="Notre étude en attente")
    own_rejected = DocumentFactory(partner=partner, rejected=True, title="Notre étude refusée")
    others_online = DocumentFactory(partner=other_partner, validated=True, title="Étude en ligne d’un autre")
    others_waiting = DocumentFactory(partner=other_partner, title="Étude en attente d’un autre")

    page = correspondent_client.get(reverse("dashboards:document_list"))

    for document in (own_waiting, own_rejected, others_online):
        assertContains(page, document.get_absolute_url())
    assertNotContains(page, others_waiting.get_absolute_url())
    assertContains(page, "En attente de validation")
    detail = correspondent_client.get(own_rejected.get_absolute_url())
    assertContains(detail, escape("Les effectifs par commune sont trop petits."))


# Ladder for every page with an id ------------------------------------------------------------------

PAGES = ["dashboards:document_detail", "dashboards:document_file"]
DECISIONS = ["dashboards:document_reject", "dashboards:document_withdraw"]


@pytest.mark.parametrize("name", PAGES + DECISIONS + ["dashboards:document_validate"])
def test_anonymous_visitors_are_sent_to_sign_in(client, partner, name):
    url = reverse(name, args=[DocumentFactory(partner=partner).pk])

    response = client.post(url) if name.endswith("validate") else client.get(url)

    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", PAGES)
def test_a_person_without_a_role_gets_403_even_for_a_document_that_does_not_exist(name):
    client = signed_in(UserFactory())

    assert client.get(reverse(name, args=["00000000-0000-0000-0000-000000000000"])).status_code == 403


@pytest.mark.parametrize("name", DECISIONS + ["dashboards:document_validate"])
@pytest.mark.parametrize("role", ["member_client", "correspondent_client"])
def test_only_the_odpe_team_decides(request, partner, name, role):
    client = request.getfixturevalue(role)
    document = DocumentFactory(partner=partner, validated=name.endswith("withdraw"))
    url = reverse(name, args=[document.pk])

    assert (client.post(url) if name.endswith("validate") else client.get(url)).status_code == 403
    document.refresh_from_db()
    assert document.status in (Status.SUBMITTED, Status.VALIDATED)


@pytest.mark.parametrize("name", PAGES)
def test_a_correspondent_gets_404_for_another_partners_unvalidated_document(
    other_partner_correspondent_client, partner, name
):
    for state in ({}, {"rejected": True}, {"withdrawn": True}):
        document = DocumentFactory(partner=partner, **state)
        assert other_partner_correspondent_client.get(reverse(name, args=[document.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="document.downloaded").exists()


@pytest.mark.parametrize("name", PAGES)
def test_a_member_gets_404_for_a_document_that_is_not_online(member_client, partner, name):
    for state in ({}, {"rejected": True}, {"withdrawn": True}):
        document = DocumentFactory(partner=partner, **state)
        assert member_client.get(reverse(name, args=[document.pk])).status_code == 404


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize(
    ("role", "state"),
    [
        ("member_client", {"validated": True}),
        ("other_partner_correspondent_client", {"validated": True}),
        ("correspondent_client", {}),  # their own partner's, waiting
        ("correspondent_client", {"rejected": True}),
        ("referent_client", {"withdrawn": True}),
        ("admin_client", {}),
    ],
)
def test_the_right_people_get_the_page_and_the_file(request, partner, name, role, state):
    client = request.getfixturevalue(role)
    document = DocumentFactory(partner=partner, **state)

    response = client.get(reverse(name, args=[document.pk]))

    assert response.status_code == 200
    if response.streaming:
        assert b"".join(response.streaming_content) == PDF_BYTES


@pytest.mark.parametrize("name", DECISIONS)
def test_the_referent_gets_the_decision_pages(referent_client, partner, name):
    document = DocumentFactory(partner=partner, validated=name.endswith("withdraw"))

    assert referent_client.get(reverse(name, args=[document.pk])).status_code == 200


# Downloading -----------------------------------------------------------------------------------------


def test_a_download_is_an_audited_attachment_under_its_sanitised_name(member_client, member, partner):
    document = DocumentFactory(partner=partner, validated=True, original_name='Étude "finale"\r\n.pdf')

    response = member_client.get(reverse("dashboards:document_file", args=[document.pk]))

    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''%C3%89tude%20_finale_.pdf"
    event = AuditEvent.objects.get(action="document.downloaded")
    assert (event.actor, event.object_id) == (member, str(document.pk))


def test_an_office_document_is_served_with_its_own_type(member_client, partner):
    document = DocumentFactory(partner=partner, validated=True, original_name="tableau.xlsx")

    response = member_client.get(reverse("dashboards:document_file", args=[document.pk]))

    b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="tableau.xlsx"'


def test_no_page_shows_a_storage_url(member_client, partner):
    document = DocumentFactory(partner=partner, validated=True)

    for url in (reverse("dashboards:document_list"), document.get_absolute_url()):
        page = member_client.get(url).content.decode()
        assert document.file.name not in page
        assert reverse("dashboards:document_file", args=[document.pk]) in page


# The referent's decisions ----------------------------------------------------------------------------


def test_the_referent_sees_the_waiting_documents_oldest_first(referent_client, partner):
    first = DocumentFactory(partner=partner, title="Premier envoyé")
    second = DocumentFactory(observatory=True, title="Second envoyé")
    online = DocumentFactory(partner=partner, validated=True, title="Déjà en ligne")

    page = referent_client.get(reverse("dashboards:document_queue")).content.decode()

    assert page.index(first.title) < page.index(second.title)
    assert online.title not in page


def test_the_referent_validates_and_the_partner_is_told(
    referent_client, correspondent, partner, django_capture_on_commit_callbacks
):
    document = DocumentFactory(partner=partner)
    detail = referent_client.get(document.get_absolute_url())
    assertContains(detail, reverse("dashboards:document_validate", args=[document.pk]))

    with django_capture_on_commit_callbacks(execute=True):
        response = referent_client.post(
            reverse("dashboards:document_validate", args=[document.pk]), follow=True
        )

    assertRedirects(response, document.get_absolute_url())
    assertContains(response, "Document en ligne")
    document.refresh_from_db()
    assert document.status == Status.VALIDATED
    assert [message.to for message in mail.outbox] == [[correspondent.email]]


def test_validating_twice_shows_a_message_not_an_error(referent_client, partner):
    document = DocumentFactory(partner=partner, validated=True)

    response = referent_client.post(reverse("dashboards:document_validate", args=[document.pk]), follow=True)

    assert response.status_code == 200
    assertContains(response, escape(french("« En ligne » : il ne peut pas être mis en ligne")))


def test_rejecting_without_a_comment_is_an_inline_error(referent_client, partner):
    document = DocumentFactory(partner=partner)

    response = referent_client.post(
        reverse("dashboards:document_reject", args=[document.pk]), {"comment": ""}
    )

    assertContains(response, "Ce champ est obligatoire")
    document.refresh_from_db()
    assert document.status == Status.SUBMITTED


def test_the_referent_rejects_with_a_comment(
    referent_client, correspondent, partner, django_capture_on_commit_callbacks
):
    document = DocumentFactory(partner=partner)

    with django_capture_on_commit_callbacks(execute=True):
        response = referent_client.post(
            reverse("dashboards:document_reject", args=[document.pk]),
            {"comment": "Données nominatives page 3."},
            follow=True,
        )

    assertRedirects(response, document.get_absolute_url())
    assertContains(response, "Document non publié")
    document.refresh_from_db()
    assert (document.status, document.review_comment) == (Status.REJECTED, "Données nominatives page 3.")
    assert "Données nominatives page 3." in mail.outbox[0].body


def test_the_referent_withdraws_an_online_document_and_members_lose_it(
    referent_client, member_client, partner, django_capture_on_commit_callbacks
):
    document = DocumentFactory(partner=partner, validated=True)

    with django_capture_on_commit_callbacks(execute=True):
        response = referent_client.post(
            reverse("dashboards:document_withdraw", args=[document.pk]),
            {"reason": "Version corrigée à venir."},
            follow=True,
        )

    assertContains(response, "Document retiré")
    assertContains(response, "Version corrigée à venir.")
    document.refresh_from_db()
    assert document.status == Status.WITHDRAWN
    assert member_client.get(document.get_absolute_url()).status_code == 404


def test_the_documents_pages_render_nothing_the_content_security_policy_refuses(referent_client, partner):
    waiting, online = DocumentFactory(partner=partner), DocumentFactory(partner=partner, validated=True)
    urls = [
        reverse("dashboards:extranet"),
        reverse("dashboards:document_list"),
        reverse("dashboards:document_share"),
        reverse("dashboards:document_queue"),
        waiting.get_absolute_url(),
        reverse("dashboards:document_reject", args=[waiting.pk]),
        reverse("dashboards:document_withdraw", args=[online.pk]),
    ]

    for url in urls:
        response = referent_client.get(url)
        assert response.status_code == 200, url
        assert inline_code(response.content.decode()) == [], url
