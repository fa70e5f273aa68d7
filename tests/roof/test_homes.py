"""Each role's home is a task list: what waits for the person appears, and goes once it is done."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from conventions import services as convention_services
from dashboards import documents as document_services
from dashboards import services as dashboard_services
from dashboards.models import AnnualReport, ConsentRequest
from odpe.accounts import services as account_services
from odpe.accounts.roles import Role
from odpe.audit import Actor
from odpe.templatetags.french import day as french_day
from odpe.worklist import Urgency
from tests.accounts.factories import UserFactory
from tests.conftest import signed_in
from tests.conventions.factories import ConventionFactory, PartnerFactory
from tests.dashboards.factories import (
    AnnualReportFactory,
    ConsentRequestFactory,
    DashboardVersionFactory,
    DocumentFactory,
)
from tests.uploads.factories import CampaignFactory, TableRequirementFactory, xlsx_upload
from uploads import services as upload_services
from uploads.models import ReminderSent, Submission

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def partner_with_its_article(partner):
    partner.article = "la"
    partner.save(update_fields=["article"])


def tasks(client, key: str) -> list:
    """The tasks of the home's list named `key`, whatever the role's section."""
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return [
        task
        for section in response.context["sections"]
        for task_list in section.lists
        if task_list.key == key
        for task in task_list.tasks
    ]


def owed_table(partner, *, opens_ago=10, due_in=30, title="Enfants confiés"):
    """A campaign that expects one table of the partner, with its submission opened."""
    today = timezone.localdate()
    requirement = TableRequirementFactory(partner=partner, spec__title=title)
    campaign = CampaignFactory(
        opens_on=today - timedelta(days=opens_ago), due_on=today + timedelta(days=due_in)
    )
    upload_services.open_submissions(campaign)
    return Submission.objects.get(campaign=campaign, partner=partner, spec=requirement.spec)


def upload(submission, user, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        version = upload_services.receive_upload(
            submission, actor=Actor(user=user), uploaded_file=xlsx_upload(**kwargs), attested=True
        )
    version.refresh_from_db()
    return version


# Correspondent -------------------------------------------------------------------------------------


def test_an_owed_table_waits_with_its_due_date_until_it_is_sent(
    correspondent_client, correspondent, partner, django_capture_on_commit_callbacks
):
    submission = owed_table(partner)

    [task] = tasks(correspondent_client, "owed")
    assert task.title == f"Enfants confiés de la CAF, données {submission.campaign.data_year}"
    assert task.due_on == submission.campaign.due_on
    assert task.detail == "Aucun envoi"
    assert task.url == submission.get_absolute_url()

    upload(submission, correspondent, django_capture_on_commit_callbacks)

    assert tasks(correspondent_client, "owed") == []


def test_a_late_table_says_it_is_late(correspondent_client, partner):
    owed_table(partner, opens_ago=40, due_in=-3)

    response = correspondent_client.get(reverse("home"))

    assertContains(response, "En retard")
    assertContains(response, "Tableaux à envoyer")


def test_a_returned_table_shows_the_referents_comment_in_full_until_sent_again(
    correspondent_client, correspondent, referent, partner, django_capture_on_commit_callbacks
):
    submission = owed_table(partner)
    version = upload(submission, correspondent, django_capture_on_commit_callbacks)
    comment = "Le total du Forez ne correspond pas.\nMerci de reprendre la ligne 3 et de renvoyer le tableau."
    upload_services.return_version(version, actor=Actor(user=referent), comment=comment)

    [task] = tasks(correspondent_client, "returned")
    assert task.detail == comment
    assert tasks(correspondent_client, "owed") == []
    response = correspondent_client.get(reverse("home"))
    assert response.context["sections"][0].lists[0].key == "returned"  # at the top of the page
    assertContains(response, "Le total du Forez ne correspond pas.<br>Merci de reprendre la ligne 3")

    upload(submission, correspondent, django_capture_on_commit_callbacks)

    assert tasks(correspondent_client, "returned") == []


def test_a_consent_request_waits_with_its_deadline_until_answered(
    correspondent_client, correspondent, partner
):
    due_on = timezone.localdate() + timedelta(days=5)
    request = ConsentRequestFactory(partner=partner, due_on=due_on)

    [task] = tasks(correspondent_client, "consents")
    assert task.url == request.get_absolute_url()
    assert "Demandé le" in task.detail
    assert (task.due_on, task.urgency) == (due_on, Urgency.SOON)
    assertContains(correspondent_client.get(reverse("home")), f"Échéance : {french_day(due_on)}")

    dashboard_services.record_consent(request, actor=Actor(user=correspondent), consent=True)

    assert tasks(correspondent_client, "consents") == []


def test_a_shared_document_waits_until_the_referent_validates_it(correspondent_client, referent, partner):
    document = DocumentFactory(partner=partner)

    [task] = tasks(correspondent_client, "my-documents")
    assert task.title == document.title

    document_services.validate_document(document, actor=Actor(user=referent))

    assert tasks(correspondent_client, "my-documents") == []


def test_another_partners_work_is_not_on_the_correspondents_home(correspondent_client, other_partner):
    owed_table(other_partner)
    ConsentRequestFactory(partner=other_partner)
    DocumentFactory(partner=other_partner)

    response = correspondent_client.get(reverse("home"))

    assertContains(response, "Rien ne vous attend.")
    assert all(not task_list.tasks for task_list in response.context["sections"][0].lists)


# Referent ------------------------------------------------------------------------------------------


def test_tables_to_review_come_oldest_first_and_go_once_accepted(
    referent_client, referent, correspondent, partner, django_capture_on_commit_callbacks
):
    first = upload(owed_table(partner, title="Premier"), correspondent, django_capture_on_commit_callbacks)
    upload(owed_table(partner, title="Second"), correspondent, django_capture_on_commit_callbacks)

    titles = [task.title for task in tasks(referent_client, "to-review")]
    assert [title.split(" ")[0] for title in titles] == ["Premier", "Second"]

    upload_services.accept_version(first, actor=Actor(user=referent))

    assert [task.title.split(" ")[0] for task in tasks(referent_client, "to-review")] == ["Second"]


def test_a_late_partner_shows_its_days_late_until_it_sends(
    referent_client, correspondent, partner, django_capture_on_commit_callbacks
):
    submission = owed_table(partner, opens_ago=40, due_in=-6)

    [task] = tasks(referent_client, "late")
    assert task.title == "La CAF"
    assert task.detail == f"1 tableau de {submission.campaign.data_year} en retard de 6 jours."
    assert task.url == submission.campaign.get_absolute_url()

    upload(submission, correspondent, django_capture_on_commit_callbacks)

    assert tasks(referent_client, "late") == []


def test_a_late_partner_says_when_it_was_last_reminded(referent_client, referent, partner):
    submission = owed_table(partner, opens_ago=40, due_in=-6)
    reminded_at = timezone.now() - timedelta(days=2)
    ReminderSent.objects.create(
        campaign=submission.campaign,
        partner=partner,
        spec=submission.spec,
        milestone=ReminderSent.MANUAL,
        sent_at=reminded_at,
        sent_by=referent,
    )

    [task] = tasks(referent_client, "late")
    assert task.detail.endswith(f"en retard de 6 jours. Dernière relance le {french_day(reminded_at)}.")


def test_a_partner_that_left_the_convention_is_not_late(referent_client, admin_user, partner):
    submission = owed_table(partner, opens_ago=40, due_in=-6)
    requirement = submission.spec.requirements.get()
    signatory = requirement.convention.signatories.get(partner=partner)
    signatory.left_on = timezone.localdate() - timedelta(days=1)
    signatory.save(update_fields=["left_on"])

    assert tasks(referent_client, "late") == []


def test_an_upload_refused_by_the_checks_waits_until_a_good_one_arrives(
    referent_client, correspondent, partner, django_capture_on_commit_callbacks
):
    submission = owed_table(partner)
    refused = upload(
        submission, correspondent, django_capture_on_commit_callbacks, rows=[["Forez", "x", 1, 1]]
    )
    assert refused.status == "invalid"

    [task] = tasks(referent_client, "refused")
    assert task.url == refused.get_absolute_url()
    assert task.detail.startswith("Refusé par les contrôles le")

    upload(submission, correspondent, django_capture_on_commit_callbacks)

    assert tasks(referent_client, "refused") == []


def test_consents_waiting_or_refused_are_followed_until_the_source_is_left_out(referent_client, referent):
    waiting = ConsentRequestFactory()
    refused = ConsentRequestFactory(
        version=waiting.version, status=ConsentRequest.Status.REFUSED, reason="Chiffres provisoires"
    )

    details = {task.detail for task in tasks(referent_client, "consents-to-follow")}
    assert "Refusé : Chiffres provisoires" in details
    assert any(detail.startswith("Pas de réponse depuis le") for detail in details)

    dashboard_services.leave_out_source(refused, actor=Actor(user=referent))

    assert len(tasks(referent_client, "consents-to-follow")) == 1


def test_a_consent_past_its_deadline_is_late_on_the_referents_home(referent_client):
    due_on = timezone.localdate() - timedelta(days=2)
    ConsentRequestFactory(due_on=due_on)

    [task] = tasks(referent_client, "consents-to-follow")
    assert (task.due_on, task.urgency) == (due_on, Urgency.LATE)


def test_a_document_to_validate_goes_once_validated(referent_client, referent, partner):
    document = DocumentFactory(partner=partner)

    [task] = tasks(referent_client, "documents-to-validate")
    assert task.url == document.get_absolute_url()

    document_services.validate_document(document, actor=Actor(user=referent))

    assert tasks(referent_client, "documents-to-validate") == []


def test_the_campaigns_progress_counts_the_accepted_tables(
    referent_client, referent, correspondent, partner, django_capture_on_commit_callbacks
):
    version = upload(owed_table(partner), correspondent, django_capture_on_commit_callbacks)
    [progress] = tasks(referent_client, "progress")
    assert progress.title.endswith(": 0 tableau accepté sur 1")

    upload_services.accept_version(version, actor=Actor(user=referent))

    [progress] = tasks(referent_client, "progress")
    assert progress.title.endswith(": 1 tableau accepté sur 1")


def test_a_referent_with_nothing_to_do_reads_so(referent_client):
    assertContains(referent_client.get(reverse("home")), "Rien ne vous attend.")


# Member --------------------------------------------------------------------------------------------


def test_a_member_finds_the_latest_publications_and_documents(member_client, partner):
    DashboardVersionFactory(published=True, data_year=2023)
    document = DocumentFactory(partner=partner, validated=True)
    DocumentFactory(partner=partner)  # not online: not for members

    assert [task.title for task in tasks(member_client, "publications")] == ["Tableau de bord 2023"]
    assert [task.title for task in tasks(member_client, "documents")] == [document.title]
    assertContains(member_client.get(reverse("home")), "Rien ne vous attend.")


# Admin ---------------------------------------------------------------------------------------------


def test_a_convention_ending_within_90_days_is_on_the_admins_home(admin_client):
    today = timezone.localdate()
    ending = ConventionFactory(reference="PIPASE", ends_on=today + timedelta(days=60))
    ConventionFactory(reference="LATER", ends_on=today + timedelta(days=200))

    [task] = tasks(admin_client, "conventions-ending")
    assert task.url == ending.get_absolute_url()
    assert task.due_on == ending.current_ends_on


def test_a_withdrawal_under_notice_shows_its_days_left(admin_client, admin_user, partner):
    convention = ConventionFactory(parties=[partner])
    today = timezone.localdate()
    withdrawal = convention_services.record_withdrawal(
        convention.signatories.get(partner=partner),
        actor=Actor(user=admin_user),
        letter_sent_on=today - timedelta(days=2),
        letter_received_on=today - timedelta(days=1),
    )

    [task] = tasks(admin_client, "withdrawals")
    assert (
        task.title
        == f"La Caisse d'Allocations Familiales de la Loire quitte la convention {convention.reference}"
    )
    assert task.due_on == withdrawal.effective_on
    assert str(withdrawal.days_left(today)) in task.detail


def test_a_pending_invitation_goes_once_revoked(admin_client, admin_user):
    invitation, _token = account_services.invite_person(
        "nouvelle@example.org", Role.MEMBER, actor=Actor(user=admin_user)
    )

    [task] = tasks(admin_client, "invitations")
    assert "nouvelle@example.org" in task.title
    assert task.url == reverse("invitation_list")

    account_services.revoke_invitation(invitation, actor=Actor(user=admin_user))

    assert tasks(admin_client, "invitations") == []


# Several roles -------------------------------------------------------------------------------------


def test_a_person_with_several_roles_sees_a_section_per_role(partner):
    person = UserFactory(role=Role.MEMBER)
    account_services.add_correspondent(person, partner, actor=Actor.platform())

    response = signed_in(person).get(reverse("home"))

    assert [section.role for section in response.context["sections"]] == [Role.CORRESPONDENT, Role.MEMBER]
    assertContains(response, "En tant que correspondant")
    assertContains(response, "En tant que membre")
    assertNotContains(response, "En tant qu’administrateur")


def test_the_home_reads_a_bounded_number_of_queries(
    referent_client, correspondent, partner, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    for title in ("Un", "Deux", "Trois"):
        upload(owed_table(partner, title=title), correspondent, django_capture_on_commit_callbacks)
        DocumentFactory(partner=partner)
    PartnerFactory()

    with django_assert_max_num_queries(30):
        referent_client.get(reverse("home"))


def test_a_consent_request_on_an_annual_report_is_on_both_homes(
    correspondent_client, referent_client, partner
):
    report = AnnualReportFactory(status=AnnualReport.Status.AWAITING_CONSENT)
    request = ConsentRequestFactory(version=None, report=report, partner=partner, figures={})

    [asked] = tasks(correspondent_client, "consents")
    [followed] = tasks(referent_client, "consents-to-follow")

    assert asked.url == request.get_absolute_url()
    assert "rapport annuel" in asked.title
    assert followed.url == report.get_absolute_url()


def test_a_study_s_source_that_has_not_agreed_is_followed_until_the_study_goes_public(
    referent_client, referent, partner, correspondent
):
    study = DocumentFactory(validated=True, partner=None, title="Étude sur les sorties de l'ASE")
    document_services.request_document_consents(study, actor=Actor(user=referent), sources=[partner])

    [followed] = tasks(referent_client, "consents-to-follow")
    assert followed.url == study.get_absolute_url()
    assert "Étude sur les sorties de l'ASE" in followed.title

    dashboard_services.record_consent(
        study.consent_requests.get(), actor=Actor(user=correspondent), consent=True
    )
    document_services.release_document(study, actor=Actor(user=referent))

    assert tasks(referent_client, "consents-to-follow") == []
