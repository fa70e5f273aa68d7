import io
import logging
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from conventions.demo import DEMO_ACCOUNTS, LOIRE_PARTNERS
from conventions.models import Amendment, Convention, Withdrawal
from conventions.names import split_article
from dashboards.models import ConsentRequest, DashboardVersion, Document
from odpe.accounts import access
from odpe.accounts.models import User
from tests.conftest import signed_in
from uploads.data_requests.models import DataRequest
from uploads.models import Campaign, SubmissionVersion
from uploads.selectors import due_dates, review_queue

pytestmark = pytest.mark.django_db


def model_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_seed_demo_loads_the_loire_convention_with_its_49_parties_amendment_and_notice(settings):
    settings.DEMO_DATA_ALLOWED = True
    call_command("seed_demo", stdout=None)

    loire = Convention.objects.get(reference="ODPE-LOIRE-2019")
    original = loire.signatories.filter(via_amendment__isnull=True)
    assert len(LOIRE_PARTNERS) == 48
    assert original.count() == 49
    # The article is kept apart from the name: « Le Département de la Loire » is « le » + « Département… ».
    assert set(original.values_list("partner__article", "partner__name")) == {
        split_article(name) for name in ["Le Département de la Loire", *(row[0] for row in LOIRE_PARTNERS)]
    }
    assert loire.amendments.get().effect == Amendment.Effect.PARTNER_ACCESSION
    assert loire.signatories.filter(via_amendment__isnull=False).count() == 1
    assert Withdrawal.objects.get(signatory__convention=loire).applied_at is None
    assert loire.status == Convention.Status.UNDER_NOTICE
    assert Convention.objects.filter(kind=Convention.Kind.BILATERAL).exists()
    assert (
        Convention.objects.get(kind=Convention.Kind.DATA_TRANSFER).exit_policy
        == Convention.ExitPolicy.DESTROY
    )


def test_seed_demo_twice_gives_the_same_data(settings):
    settings.DEMO_DATA_ALLOWED = True
    call_command("seed_demo", stdout=None)
    first = model_counts()

    call_command("seed_demo", stdout=None)

    assert model_counts() == first


def test_seed_demo_refuses_to_run_with_production_settings(settings):
    settings.DEMO_DATA_ALLOWED = False

    with pytest.raises(CommandError):
        call_command("seed_demo")

    assert not Convention.objects.exists()


def test_seed_demo_puts_two_documents_online_and_leaves_one_for_the_referent(settings):
    settings.DEMO_DATA_ALLOWED = True
    call_command("seed_demo", stdout=None)

    online = Document.objects.filter(status=Document.Status.VALIDATED)
    assert online.count() == 2
    assert online.filter(partner__isnull=True).count() == 1  # the observatory's own report
    waiting = Document.objects.get(status=Document.Status.SUBMITTED)
    assert waiting.partner.with_article(full=True) == "la Caisse d'Allocations Familiales de la Loire"
    assert all(document.original_name.endswith(".pdf") for document in Document.objects.all())


def test_seed_demo_gives_every_role_something_to_do(settings):
    settings.DEMO_DATA_ALLOWED = True
    call_command("seed_demo", stdout=io.StringIO())
    today = timezone.localdate()
    campaign = Campaign.objects.order_by("-data_year").first()
    submissions = {
        submission.partner.short_name: submission
        for submission in campaign.submissions.select_related("partner", "latest_version")
    }

    # The referent: a table to review, a document to validate, a consent to follow up, partners late.
    [to_review] = review_queue()
    assert to_review.submission.campaign == campaign
    assert Document.objects.filter(status=Document.Status.SUBMITTED).exists()
    waiting = ConsentRequest.objects.get(status=ConsentRequest.Status.PENDING)
    assert waiting.version.status == DashboardVersion.Status.AWAITING_CONSENT
    dates = due_dates(campaign, today)
    late = {
        name
        for name, s in submissions.items()
        if s.is_late_on(today, dates.get((s.partner_id, s.spec_id), campaign.due_on))
    }
    assert {"CHU de Saint-Etienne", "CH de Firminy", "CH de Montbrison"} <= late
    assert late.isdisjoint({"CAF de la Loire", "CH de Roanne"})
    # The correspondents: a consent to give, a returned table with its comment, a refused one, one owed.
    assert access.may_act_for(User.objects.get(email="correspondant.caf@odpe-demo.fr"), waiting.partner)
    assert submissions["CHU de Saint-Etienne"].latest_version.review_comment
    assert submissions["CH de Firminy"].latest_status == SubmissionVersion.Status.INVALID
    assert submissions["CH de Montbrison"].latest_version is None
    assert submissions["CH de Roanne"].accepted_version is not None
    # The admin: a partner's withdrawal still to take effect. The member: a published year.
    assert Withdrawal.objects.filter(applied_at__isnull=True).exists()
    assert DashboardVersion.objects.filter(status=DashboardVersion.Status.PUBLISHED).exists()
    # Files sent over the past weeks, not all at the moment of seeding.
    sent = [s.latest_version.uploaded_at.date() for s in submissions.values() if s.latest_version]
    assert len(set(sent)) == len(sent) and all(today - timedelta(weeks=5) < day < today for day in sent)


def home_tasks(email: str) -> dict[str, list[str]]:
    """The titles of each task list on the person's home, by the list's key."""
    response = signed_in(User.objects.get(email=email)).get(reverse("home"))
    assert response.status_code == 200
    return {
        task_list.key: [task.title for task in task_list.tasks]
        for section in response.context["sections"]
        for task_list in section.lists
        if task_list.tasks
    }


def test_after_seeding_every_roles_home_has_a_task_and_the_data_request_is_on_two_homes(settings):
    settings.DEMO_DATA_ALLOWED = True
    call_command("seed_demo", stdout=io.StringIO())

    homes = {
        role: home_tasks(email)
        for role, email in [
            ("admin", "admin@odpe-demo.fr"),
            ("referent", "referent@odpe-demo.fr"),
            ("correspondent", "correspondant.caf@odpe-demo.fr"),
            ("member", "membre@odpe-demo.fr"),
        ]
    }

    assert all(homes.values()), homes
    # The data request is open: the CAF owes its answer, the Département's waits for the referent.
    [request] = DataRequest.objects.all()
    assert request.due_on > timezone.localdate()
    assert homes["correspondent"]["data-requests"] == [f"{request.title} — CAF de la Loire"]
    assert homes["referent"]["data-answers"] == [f"{request.title} — Département de la Loire"]
    assert homes["correspondent"]["consents"]


def test_the_demo_table_to_review_shows_the_change_the_checks_warned_about(settings):
    settings.DEMO_DATA_ALLOWED = True
    call_command("seed_demo", stdout=io.StringIO())
    [version] = review_queue()

    response = signed_in(User.objects.get(email="referent@odpe-demo.fr")).get(version.get_absolute_url())

    assert response.context["comparison"].last_year == version.submission.campaign.data_year - 1
    assert response.context["comparison"].warned_cells == 1


def test_seed_demo_publishes_a_past_year_for_the_public_and_prints_only_its_own_lines(
    settings, client, capsys, caplog
):
    settings.DEMO_DATA_ALLOWED = True
    out = io.StringIO()

    call_command("seed_demo", stdout=out)

    year = timezone.localdate().year - 3
    public = client.get(reverse("dashboards:published_list"))
    assert f"/published/{year}/" in public.content.decode()
    assert client.get(reverse("dashboards:published_detail", args=[year])).status_code == 200
    # A few lines of its own around the accounts, and nothing from the tasks, e-mails or PDF makers.
    assert len(out.getvalue().splitlines()) <= len(DEMO_ACCOUNTS) + 6
    assert capsys.readouterr() == ("", "")
    assert not [record for record in caplog.records if record.levelno < logging.WARNING]
