"""Indicators and rates defined in the site, on the catalogue page: the ODPE team adds them and rewords
them, each write in the audit log; what is added waits for the next adoption of the catalogue (Loire art. 3)."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from dashboards import services as dashboard_services
from odpe.audit import Actor
from odpe.errors import TransitionError
from odpe.models import AuditEvent
from tests.conventions.factories import PartnerFactory
from tests.dashboards.factories import observe
from tests.uploads.factories import IndicatorFactory
from uploads import catalogue
from uploads.models import Indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def counts():
    in_care = IndicatorFactory(code="enfants-confies", label="Enfants confiés à l'ASE", by_territory=True)
    population = IndicatorFactory(
        code="population-0-20", label="Population des 0-20 ans", domain=Indicator.Domain.CONTEXT
    )
    return in_care, population


def rate_form(in_care, population, **changes) -> dict:
    return {
        "code": "taux-confies",
        "label": "Enfants confiés pour 1 000 jeunes de 0 à 20 ans",
        "domain": Indicator.Domain.JUDICIAL_PROTECTION,
        "numerator": in_care.pk,
        "denominator": population.pk,
        "unit": Indicator.Unit.PER_THOUSAND,
        "definition": "Enfants confiés à l'ASE au 31 décembre rapportés à la population des 0-20 ans.",
        **changes,
    }


def test_referent_defines_a_rate_per_thousand_and_the_next_dashboard_computes_and_masks_it(
    referent_client, referent, counts, django_capture_on_commit_callbacks
):
    in_care, population = counts
    department = PartnerFactory(name="Département de la Loire")
    for territory, children in [("Forez", 3), ("Gier", 400), ("Roannais", 350)]:
        observe(in_care, department, 2023, children, territory=territory)
        observe(population, department, 2023, 40_000, territory=territory)

    response = referent_client.post(reverse("uploads:rate_create"), rate_form(in_care, population))

    assertRedirects(response, reverse("uploads:catalogue"))
    rate = Indicator.objects.get(code="taux-confies")
    assert (rate.numerator, rate.denominator, rate.unit) == (in_care, population, "per_thousand")
    event = AuditEvent.objects.get(action="indicator.defined")
    assert event.details["numerator"] == "enfants-confies" and event.actor == referent
    with django_capture_on_commit_callbacks(execute=True):
        version = dashboard_services.create_version(data_year=2023, actor=Actor(user=referent), threshold=5)
    version.refresh_from_db()
    figures = {f["indicator"]: f for section in version.content["sections"] for f in section["figures"]}
    figure = figures["taux-confies"]
    assert figure["value"]["value"] == pytest.approx(753 / 120_000 * 1000)
    assert figure["rate"]["per"] == 1000 and "31 décembre" in figure["definition"]
    rows = {row["label"]: row for row in figure["breakdowns"][0]["rows"]}
    assert rows["Forez"]["masked"] and not rows["Gier"]["masked"]


def test_a_new_rate_is_listed_as_not_adopted_with_what_it_divides(referent_client, counts):
    referent_client.post(reverse("uploads:rate_create"), rate_form(*counts))

    page = referent_client.get(reverse("uploads:catalogue"))

    assertContains(page, "Indicateurs pas encore adoptés")
    assert [i.code for i in page.context["not_adopted"]] == [
        "enfants-confies",
        "population-0-20",
        "taux-confies",
    ]
    assertContains(page, "Taux\u00a0: Enfants confiés à l&#x27;ASE divisé par Population des 0-20 ans.")


def test_a_member_can_neither_open_nor_post_the_definition_forms(member_client, counts):
    assert member_client.get(reverse("uploads:rate_create")).status_code == 403
    assert member_client.post(reverse("uploads:rate_create"), rate_form(*counts)).status_code == 403
    assert member_client.get(reverse("uploads:catalogue")).context["may_define"] is False

    assert not Indicator.objects.filter(code="taux-confies").exists()


def test_a_rate_dividing_an_indicator_by_itself_is_refused_in_french(referent_client, counts):
    in_care, _population = counts

    response = referent_client.post(
        reverse("uploads:rate_create"), rate_form(in_care, in_care, denominator=in_care.pk)
    )

    assert response.status_code == 400
    assertContains(
        response,
        "Un taux divise un indicateur par un autre\u00a0: choisissez un autre dénominateur.",
        status_code=400,
    )
    assert not Indicator.objects.filter(code="taux-confies").exists()


def test_the_service_refuses_in_french_a_rate_that_is_its_own_denominator(counts):
    in_care, _population = counts
    rate = Indicator(code="taux-lui-meme", label="Taux", domain="context", unit="rate", numerator=in_care)
    rate.denominator = rate

    with pytest.raises(TransitionError, match="ni l’un ni l’autre ne peut être le taux lui-même"):
        catalogue.define_indicator(rate, actor=Actor.platform())
    assert not Indicator.objects.filter(code="taux-lui-meme").exists()
    assert not AuditEvent.objects.filter(action="indicator.defined").exists()


def test_referent_adds_an_indicator_the_partners_send(referent_client):
    response = referent_client.post(
        reverse("uploads:indicator_create"),
        {
            "code": "jeunes-majeurs",
            "label": "Jeunes majeurs accompagnés",
            "domain": Indicator.Domain.ADMINISTRATIVE_PROTECTION,
            "unit": Indicator.Unit.COUNT,
            "by_territory": "on",
            "definition": "Contrats jeunes majeurs en cours au 31 décembre.",
        },
        follow=True,
    )

    assertContains(response, "Indicateur « jeunes-majeurs » ajouté")
    indicator = Indicator.objects.get(code="jeunes-majeurs")
    assert indicator.by_territory and not indicator.by_sex and indicator.numerator is None
    assert [i.code for i in response.context["not_adopted"]] == ["jeunes-majeurs"]


def test_a_code_already_used_is_refused_in_french(referent_client, counts):
    response = referent_client.post(
        reverse("uploads:indicator_create"),
        {"code": "enfants-confies", "label": "Doublon", "domain": "context", "unit": "count"},
    )

    assertContains(response, "existe déjà", status_code=400)
    assert Indicator.objects.filter(code="enfants-confies").count() == 1


def test_referent_rewords_an_indicator_and_its_code_and_shape_stay(referent_client, counts):
    in_care, population = counts
    rate = IndicatorFactory(code="taux", unit="per_thousand", numerator=in_care, denominator=population)

    response = referent_client.post(
        reverse("uploads:indicator_edit", args=[rate.pk]),
        {"label": "Taux d'enfants confiés", "definition": "Au 31 décembre.", "code": "autre"},
    )

    assertRedirects(response, reverse("uploads:catalogue"))
    rate.refresh_from_db()
    assert (rate.code, rate.label, rate.definition) == ("taux", "Taux d'enfants confiés", "Au 31 décembre.")
    assert rate.numerator == in_care
    event = AuditEvent.objects.get(action="indicator.reworded")
    assert event.details["changed"] == ["definition", "label"]


def test_the_django_admin_shows_indicators_without_changing_them(admin_client, counts):
    in_care, _population = counts

    assert admin_client.get(reverse("admin:uploads_indicator_add")).status_code == 403
    assert admin_client.post(reverse("admin:uploads_indicator_change", args=[in_care.pk])).status_code == 403
