"""The annual report (Loire art. 2): composed by the referent, cited figures masked and sourced, safe
commentary, the dashboard's consent steps, read by members once published."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains

from dashboards import documents, reports, services
from dashboards.models import AnnualReport, ConsentRequest, ReportChapter
from odpe.accounts.access import partners_followed_by
from odpe.audit import Actor
from odpe.errors import TransitionError
from odpe.models import AuditEvent
from tests.dashboards.factories import (
    AnnualReportFactory,
    DashboardVersionFactory,
    DocumentFactory,
    ReportChapterFactory,
    sample_content,
)

pytestmark = pytest.mark.django_db
Status = AnnualReport.Status
Kind = ReportChapter.Kind


@pytest.fixture
def dashboard(partner, other_partner, referent):
    """The 2023 dashboard, published for members: a figure from each source, each with a masked cell."""
    return DashboardVersionFactory(
        published=True, created_by=referent, content=sample_content(partner, other_partner)
    )


@pytest.fixture
def report(dashboard, referent):
    return reports.create_report(dashboard=dashboard, actor=Actor(user=referent))


def cite(report, referent, *codes):
    """A figures chapter citing the dashboard's indicators `codes` (SUIVIS_1 is `partner`'s)."""
    return reports.add_chapter(
        report, actor=Actor(user=referent), kind=Kind.FIGURES, title="Les enfants suivis", figures=list(codes)
    )


def publish(report, referent, correspondent, capture):
    """Preview, consent of the cited source, publication (its tasks not run)."""
    actor = Actor(user=referent)
    reports.preview_report(report, actor=actor)
    with capture(execute=True):
        reports.request_report_consents(report, actor=actor)
    for request in report.consent_requests.filter(partner__in=partners_followed_by(correspondent)):
        services.record_consent(request, actor=Actor(user=correspondent), consent=True)
    with capture():
        return reports.publish_report(report, actor=actor)


# Composition ----------------------------------------------------------------------------------------


def test_a_new_report_starts_on_its_published_dashboard_with_the_usual_chapters(report, dashboard):
    assert (report.data_year, report.dashboard, report.status) == (2023, dashboard, Status.DRAFT)
    assert [(c.position, c.kind) for c in report.chapters.all()] == [
        (1, Kind.COMMENTARY),
        (2, Kind.METHODOLOGY),
        (3, Kind.CONTRIBUTORS),
    ]
    assert AuditEvent.objects.filter(action="report.created", object_id=str(report.pk)).exists()


def test_a_report_cites_only_a_published_dashboard_and_a_year_has_one_report(report, referent):
    draft = DashboardVersionFactory(data_year=2022)
    with pytest.raises(TransitionError):
        reports.create_report(dashboard=draft, actor=Actor(user=referent))
    with pytest.raises(TransitionError):
        reports.create_report(dashboard=report.dashboard, actor=Actor(user=referent))


def test_chapters_keep_their_order_when_moved_and_removed(report, referent):
    actor = Actor(user=referent)
    figures = cite(report, referent, "SUIVIS_1")
    reports.move_chapter(figures, actor=actor, offset=-1)
    assert list(report.chapters.values_list("title", flat=True)) == [
        "Introduction",
        "Méthodologie",
        "Les enfants suivis",
        "Contributeurs",
    ]
    reports.remove_chapter(report.chapters.get(position=1), actor=actor)
    assert list(report.chapters.values_list("position", "title")) == [
        (1, "Méthodologie"),
        (2, "Les enfants suivis"),
        (3, "Contributeurs"),
    ]


def test_chapters_change_only_while_the_report_is_a_draft(report, referent):
    reports.preview_report(report, actor=Actor(user=referent))
    with pytest.raises(TransitionError, match="brouillon"):
        cite(report, referent, "SUIVIS_1")
    assert not report.chapters.filter(kind=Kind.FIGURES).exists()


def test_headings_of_the_commentary_make_the_table_of_contents(report, referent, referent_client):
    ReportChapterFactory(report=report, position=4, body="# Contexte\n\nTexte.\n\n## Les territoires\n")
    response = referent_client.get(reverse("dashboards:report_preview", args=[report.pk]))
    assertContains(response, '<h3 id="chapter-4-contexte">Contexte</h3>', html=True)
    assertContains(response, '<h4 id="chapter-4-les-territoires">Les territoires</h4>', html=True)
    assertContains(response, '<a href="#chapter-4-les-territoires">Les territoires</a>', html=True)
    assertContains(response, '<a href="#chapter-3">Contributeurs</a>', html=True)


def test_a_script_or_a_javascript_link_in_the_commentary_never_reaches_the_page(
    report, referent, correspondent, member_client, django_capture_on_commit_callbacks
):
    chapter = report.chapters.get(position=1)
    body = (
        "Bonjour <script>alert('x')</script>\n\n"
        '[un lien](javascript:alert(1)) et <a href="javascript:alert(2)">un autre</a>\n\n'
        '<img src="x" onerror="alert(3)"> <p onclick="alert(4)">texte</p> [source](https://example.org)'
    )
    reports.change_chapter(chapter, actor=Actor(user=referent), title="Introduction", body=body)
    publish(report, referent, correspondent, django_capture_on_commit_callbacks)

    response = member_client.get(reverse("dashboards:report_read", args=[report.pk]))

    assertContains(response, "Bonjour")
    assertContains(response, '<a href="https://example.org" rel="noopener noreferrer">source</a>', html=True)
    for dangerous in ("alert(", "javascript:", "onerror", "onclick", "<img"):
        assertNotContains(response, dangerous)


def test_cited_figures_are_drawn_masked_and_sourced_as_on_the_dashboard(
    report, referent, partner, other_partner, correspondent, member_client, django_capture_on_commit_callbacks
):
    cite(report, referent, "SUIVIS_1")
    publish(report, referent, correspondent, django_capture_on_commit_callbacks)

    response = member_client.get(reverse("dashboards:report_read", args=[report.pk]))

    assertContains(response, f"Enfants suivis ({partner.short_name})")
    assertNotContains(response, f"Enfants suivis ({other_partner.short_name})")  # not cited
    assertContains(response, f"Source : {escape(partner.name)}")
    forez = response.content.decode().split('<th scope="row">Forez</th>')[1].split("</tr>")[0]
    assert "secret statistique" in forez and "3" not in forez  # the small count of Forez, masked
    assertContains(response, '<svg xmlns="http://www.w3.org/2000/svg"', count=2)  # trend and breakdown


# Workflow and consent -------------------------------------------------------------------------------


def test_each_cited_source_is_asked_and_sees_only_its_figures_among_the_commentary(
    report,
    referent,
    partner,
    other_partner,
    correspondent_client,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    cite(report, referent, "SUIVIS_1", "SUIVIS_2")
    ReportChapterFactory(report=report, position=5, body="Le nombre d’enfants suivis augmente.")
    reports.preview_report(report, actor=Actor(user=referent))
    with django_capture_on_commit_callbacks(execute=True):
        reports.request_report_consents(report, actor=Actor(user=referent))

    assert set(report.consent_requests.values_list("partner", flat=True)) == {partner.pk, other_partner.pk}
    request = report.consent_requests.get(partner=partner)
    assert (request.status, request.figure_count) == ("pending", 1)
    assert "rapport annuel 2023" in mailoutbox[0].subject
    response = correspondent_client.get(request.get_absolute_url())
    assertContains(response, "Rapport annuel 2023 : votre accord")
    assertContains(response, f"Enfants suivis ({partner.short_name})")
    assertNotContains(response, f"Enfants suivis ({other_partner.short_name})")
    assertContains(response, "Le nombre d’enfants suivis augmente.")  # the commentary around it


def test_consent_of_every_cited_source_approves_then_publication_queues_the_pdf(
    report, referent, correspondent, django_capture_on_commit_callbacks
):
    cite(report, referent, "SUIVIS_1")
    reports.preview_report(report, actor=Actor(user=referent))
    reports.request_report_consents(report, actor=Actor(user=referent))
    with pytest.raises(TransitionError):
        reports.publish_report(report, actor=Actor(user=referent))

    [request] = report.consent_requests.all()
    services.record_consent(request, actor=Actor(user=correspondent), consent=True)
    report.refresh_from_db()
    assert report.status == Status.APPROVED
    with django_capture_on_commit_callbacks() as callbacks:
        reports.publish_report(report, actor=Actor(user=referent))

    report.refresh_from_db()
    assert report.status == Status.PUBLISHED and report.published_at is not None
    assert len(callbacks) == 2  # the PDF and the sources' e-mails
    actions = AuditEvent.objects.filter(object_id=str(report.pk)).values_list("action", flat=True)
    assert {"report.previewed", "report.consent_requested", "report.approved", "report.published"} <= set(
        actions
    )
    assert AuditEvent.objects.filter(action="report.consented", object_id=str(request.pk)).exists()


def test_a_report_without_figures_needs_no_consent(report, referent):
    reports.preview_report(report, actor=Actor(user=referent))
    reports.request_report_consents(report, actor=Actor(user=referent))
    report.refresh_from_db()
    assert report.status == Status.APPROVED and not report.consent_requests.exists()


def test_a_refusing_source_is_left_out_and_its_figures_leave_the_report(
    report, referent, correspondent, partner, referent_client, django_capture_on_commit_callbacks
):
    cite(report, referent, "SUIVIS_1", "SUIVIS_2")
    reports.preview_report(report, actor=Actor(user=referent))
    reports.request_report_consents(report, actor=Actor(user=referent))
    own = report.consent_requests.get(partner=partner)
    services.record_consent(
        own, actor=Actor(user=correspondent), consent=False, reason="Chiffres provisoires"
    )
    services.leave_out_source(own, actor=Actor(user=referent))
    other = report.consent_requests.exclude(partner=partner).get()
    ConsentRequest.objects.filter(pk=other.pk).update(status=ConsentRequest.Status.CONSENTED)

    response = referent_client.get(reverse("dashboards:report_preview", args=[report.pk]))

    assertNotContains(response, f"Enfants suivis ({partner.short_name})")


# Pages and rights -----------------------------------------------------------------------------------


def test_only_the_referent_composes(report, admin_client, member_client, correspondent_client):
    for client in (admin_client, member_client, correspondent_client):
        assert client.get(reverse("dashboards:report_list")).status_code == 403
        assert client.get(reverse("dashboards:report_detail", args=[report.pk])).status_code == 403


def test_the_referent_adds_a_chapter_through_the_page(report, referent_client):
    url = reverse("dashboards:chapter_add", args=[report.pk, Kind.FIGURES])
    response = referent_client.post(url, {"title": "Chiffres", "figures": ["SUIVIS_1"]})
    assert response.status_code == 302
    assert report.chapters.get(position=4).figures == ["SUIVIS_1"]


def test_a_figures_chapter_without_figures_is_refused_with_a_message(report, referent_client):
    url = reverse("dashboards:chapter_add", args=[report.pk, Kind.FIGURES])
    response = referent_client.post(url, {"title": "Chiffres", "figures": ["NOT_A_FIGURE"]})
    assertContains(response, "Sélectionnez un choix valide. NOT_A_FIGURE n’en fait pas partie.")
    assert report.chapters.count() == 3


def test_members_read_only_published_reports(report, member_client, client):
    url = reverse("dashboards:report_read", args=[report.pk])
    assert member_client.get(url).status_code == 404  # a draft
    published = AnnualReportFactory(published=True, dashboard__data_year=2022)
    url = reverse("dashboards:report_read", args=[published.pk])
    assert member_client.get(url).status_code == 200
    assert client.get(url).status_code == 404  # the dashboard is for members only


def test_the_public_reads_the_report_of_a_public_dashboard(client):
    published = AnnualReportFactory(published=True, dashboard__is_public=True)
    response = client.get(reverse("dashboards:report_read", args=[published.pk]))
    assertContains(response, published.title)
    assert (
        client.get(reverse("dashboards:report_pdf", args=[published.pk])).status_code == 404
    )  # not made yet


def test_a_source_that_has_not_answered_is_reminded_about_the_report(
    report, referent, correspondent, django_capture_on_commit_callbacks, mailoutbox
):
    cite(report, referent, "SUIVIS_1")
    reports.preview_report(report, actor=Actor(user=referent))
    reports.request_report_consents(report, actor=Actor(user=referent))
    report.consent_requests.update(requested_at=timezone.now() - timedelta(days=8))

    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_pending_consents(timezone.now()) == 1

    assert mailoutbox[-1].subject == "Relance : votre accord est attendu pour le rapport annuel 2023"


def test_a_report_leaves_the_extranet_with_its_dashboard(member_client, referent):
    published = AnnualReportFactory(published=True)
    services.withdraw(published.dashboard, actor=Actor(user=referent), reason="Erreur de saisie")

    response = member_client.get(reverse("dashboards:report_read", args=[published.pk]))

    assert response.status_code == 404


def test_a_studies_chapter_shows_the_library_documents_while_they_are_online(
    report, referent, referent_client
):
    online, withdrawn = DocumentFactory(validated=True), DocumentFactory(validated=True)
    reports.add_chapter(
        report, actor=Actor(user=referent), kind=Kind.STUDIES, title="Études", documents=[online, withdrawn]
    )
    documents.withdraw_document(
        withdrawn, actor=Actor(user=referent), reason="Une version corrigée va suivre."
    )

    response = referent_client.get(reverse("dashboards:report_preview", args=[report.pk]))

    assertContains(response, online.title)
    assertNotContains(response, withdrawn.title)
