"""The indicator catalogue is adopted by a body's decision (Loire art. 3): a version of the list, which
the next campaign collects, and which the catalogue page names with the decision that adopted it."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from conventions.models import Decision
from odpe.audit import Actor
from odpe.errors import TransitionError
from odpe.models import AuditEvent
from tests.conventions.factories import DecisionFactory, MeetingFactory
from tests.uploads.factories import IndicatorFactory
from uploads import catalogue, services
from uploads.models import CatalogueVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def decision():
    meeting = MeetingFactory(held_at=datetime(2026, 3, 12, 14, 0, tzinfo=ZoneInfo("Europe/Paris")))
    return DecisionFactory(meeting=meeting, kind=Decision.Kind.INDICATOR_LIST)


def test_admin_adopts_the_catalogue_by_a_decision_and_the_page_names_it(admin_client, decision):
    indicators = [IndicatorFactory(), IndicatorFactory()]

    response = admin_client.post(reverse("uploads:catalogue_adopt"), {"decision": decision.pk})

    assertRedirects(response, reverse("uploads:catalogue"))
    version = CatalogueVersion.objects.get()
    assert version.number == 1 and version.adopted_by == decision
    assert set(version.indicators.all()) == set(indicators)
    assert AuditEvent.objects.get(action="catalogue.adopted").details["indicators"] == 2
    page = admin_client.get(reverse("uploads:catalogue"))
    assertContains(page, "Adoptée par le Comité de suivi le 12 mars 2026")
    assertContains(page, indicators[0].code)


def test_a_new_campaign_collects_the_latest_adopted_version(decision):
    IndicatorFactory()
    first = catalogue.adopt_catalogue(decision, actor=Actor.platform())
    IndicatorFactory()
    second = catalogue.adopt_catalogue(DecisionFactory(), actor=Actor.platform())

    campaign = services.create_campaign(
        actor=Actor.platform(), data_year=2026, opens_on=date(2027, 1, 15), due_on=date(2027, 3, 31)
    )

    assert (first.number, second.number) == (1, 2)
    assert campaign.catalogue == second
    assert second.indicators.count() == 2 and first.indicators.count() == 1


def test_an_indicator_added_after_the_adoption_waits_for_the_next_decision(member_client, decision):
    IndicatorFactory(label="Mesures de placement")
    catalogue.adopt_catalogue(decision, actor=Actor.platform())
    IndicatorFactory(label="Jeunes majeurs accompagnés")

    page = member_client.get(reverse("uploads:catalogue"))

    assertContains(page, "Indicateurs pas encore adoptés")
    assert [i.label for i in page.context["not_adopted"]] == ["Jeunes majeurs accompagnés"]


def test_a_decision_of_another_kind_cannot_adopt_the_catalogue():
    IndicatorFactory()
    work_axes = DecisionFactory(kind=Decision.Kind.WORK_AXES)

    with pytest.raises(TransitionError, match="liste des indicateurs"):
        catalogue.adopt_catalogue(work_axes, actor=Actor.platform())
    assert not CatalogueVersion.objects.exists()


def test_one_decision_adopts_one_version_only(admin_client, decision):
    IndicatorFactory()
    catalogue.adopt_catalogue(decision, actor=Actor.platform())

    with pytest.raises(TransitionError, match="déjà adopté"):
        catalogue.adopt_catalogue(decision, actor=Actor.platform())


def test_posting_an_already_used_decision_shows_a_message_not_an_error(admin_client, decision):
    IndicatorFactory()
    catalogue.adopt_catalogue(decision, actor=Actor.platform())

    response = admin_client.post(reverse("uploads:catalogue_adopt"), {"decision": decision.pk}, follow=True)

    assertContains(response, "Choisissez une décision d’adoption de la liste des indicateurs.")
    assert CatalogueVersion.objects.count() == 1


def test_an_empty_catalogue_cannot_be_adopted(decision):
    with pytest.raises(TransitionError):
        catalogue.adopt_catalogue(decision, actor=Actor.platform())


def test_only_admins_adopt_the_catalogue(referent_client, decision):
    IndicatorFactory()

    assert (
        referent_client.post(reverse("uploads:catalogue_adopt"), {"decision": decision.pk}).status_code == 403
    )
    assert not CatalogueVersion.objects.exists()


def test_the_catalogue_page_says_when_nothing_was_adopted(correspondent_client):
    assertContains(correspondent_client.get(reverse("uploads:catalogue")), "Aucune version du catalogue")
