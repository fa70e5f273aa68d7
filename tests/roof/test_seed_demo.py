import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from conventions.demo import LOIRE_PARTNERS
from conventions.models import Amendment, Convention, Withdrawal
from conventions.names import split_article
from dashboards.models import Document

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
