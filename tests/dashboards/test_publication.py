"""Consent and publication (Loire art. 5): nothing leaves the ODPE team without each source's agreement."""

import pytest
from django.db import DatabaseError, IntegrityError, transaction

from dashboards import services
from dashboards.models import ConsentRequest, DashboardVersion
from odpe.audit import Actor
from odpe.errors import TransitionError
from odpe.models import AuditEvent
from tests.dashboards.factories import observe
from tests.uploads.factories import IndicatorFactory

pytestmark = pytest.mark.django_db
Status = DashboardVersion.Status


@pytest.fixture
def figures(partner, other_partner):
    """One figure from each source; the first source's has a small count."""
    own, other = IndicatorFactory(label="Enfants suivis"), IndicatorFactory(label="Mesures")
    for territory, value in [("Forez", 2), ("Roannais", 40), ("Gier", 60)]:
        observe(own, partner, 2023, value, territory=territory)
    observe(other, other_partner, 2023, 250)
    return own, other


@pytest.fixture
def in_review(referent, figures, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        version = services.create_version(data_year=2023, actor=Actor(user=referent))
    return services.submit_for_review(version, actor=Actor(user=referent))


def ask(version, referent, capture):
    with capture(execute=True):
        return services.request_consents(version, actor=Actor(user=referent))


def answer(version, partner, user, capture, consent=True, reason=""):
    request = version.consent_requests.get(partner=partner)
    with capture(execute=True):
        return services.record_consent(request, actor=Actor(user=user), consent=consent, reason=reason)


def test_each_source_is_asked_about_exactly_its_figures_as_they_will_be_published(
    in_review,
    referent,
    partner,
    other_partner,
    correspondent,
    other_partner_correspondent,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    version = ask(in_review, referent, django_capture_on_commit_callbacks)

    assert version.status == Status.AWAITING_CONSENT
    own = version.consent_requests.get(partner=partner)
    [section] = own.figures["sections"]
    assert [figure["label"] for figure in section["figures"]] == ["Enfants suivis"]
    forez = next(row for row in section["figures"][0]["breakdowns"][0]["rows"] if row["label"] == "Forez")
    assert forez == {  # masked, value and reason absent, in the territory's years too
        "label": "Forez",
        "value": None,
        "masked": "secret",
        "previous": None,
        "history": [{"year": 2023, "value": None, "masked": "secret"}],
    }
    assert {message.to[0] for message in mailoutbox} == {
        correspondent.email,
        other_partner_correspondent.email,
    }


def test_publication_is_refused_while_a_source_has_not_answered(
    in_review, referent, partner, correspondent, django_capture_on_commit_callbacks
):
    version = ask(in_review, referent, django_capture_on_commit_callbacks)
    answer(version, partner, correspondent, django_capture_on_commit_callbacks)
    version.refresh_from_db()

    assert version.status == Status.AWAITING_CONSENT
    with pytest.raises(TransitionError):
        services.publish(version, actor=Actor(user=referent))


def test_every_consent_approves_and_publication_freezes_a_public_content_without_masked_values(
    in_review,
    referent,
    partner,
    other_partner,
    correspondent,
    other_partner_correspondent,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    version = ask(in_review, referent, django_capture_on_commit_callbacks)
    answer(version, partner, correspondent, django_capture_on_commit_callbacks)
    answer(version, other_partner, other_partner_correspondent, django_capture_on_commit_callbacks)
    version.refresh_from_db()
    assert version.status == Status.APPROVED
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        version = services.publish(version, actor=Actor(user=referent), is_public=True)

    assert version.status == Status.PUBLISHED and version.is_public
    cells = [
        cell
        for section in version.published_content["sections"]
        for figure in section["figures"]
        for cell in [figure["value"], *figure["trend"], *(r for b in figure["breakdowns"] for r in b["rows"])]
        if cell
    ]
    assert all(cell["value"] is None for cell in cells if cell["masked"])
    assert {message.to[0] for message in mailoutbox} == {
        correspondent.email,
        other_partner_correspondent.email,
    }
    assert AuditEvent.objects.filter(action="dashboard.published", object_id=str(version.pk)).exists()


def test_a_refusing_source_is_left_out_and_the_publication_says_so(
    in_review,
    referent,
    partner,
    other_partner,
    correspondent,
    other_partner_correspondent,
    django_capture_on_commit_callbacks,
):
    version = ask(in_review, referent, django_capture_on_commit_callbacks)
    answer(version, partner, correspondent, django_capture_on_commit_callbacks)
    refusal = answer(
        version,
        other_partner,
        other_partner_correspondent,
        django_capture_on_commit_callbacks,
        consent=False,
        reason="Chiffres provisoires",
    )

    services.leave_out_source(refusal, actor=Actor(user=referent))
    version = services.publish(version, actor=Actor(user=referent))

    published = version.published_content
    assert [f["label"] for s in published["sections"] for f in s["figures"]] == ["Enfants suivis"]
    assert [source["name"] for source in published["sources"]] == [partner.name]
    assert published["left_out"] == [other_partner.name]


def test_a_refusal_needs_a_reason(
    in_review, referent, other_partner, other_partner_correspondent, django_capture_on_commit_callbacks
):
    version = ask(in_review, referent, django_capture_on_commit_callbacks)

    with pytest.raises(TransitionError):
        answer(
            version,
            other_partner,
            other_partner_correspondent,
            django_capture_on_commit_callbacks,
            consent=False,
        )


def test_after_a_refusal_the_referent_may_return_the_dashboard_to_draft(
    in_review, referent, other_partner, other_partner_correspondent, django_capture_on_commit_callbacks
):
    version = ask(in_review, referent, django_capture_on_commit_callbacks)
    answer(
        version,
        other_partner,
        other_partner_correspondent,
        django_capture_on_commit_callbacks,
        consent=False,
        reason="Non",
    )

    version = services.return_to_draft(version, actor=Actor(user=referent), reason="Chiffres à revoir")

    assert version.status == Status.DRAFT
    assert AuditEvent.objects.filter(action="dashboard.returned_to_draft", object_id=str(version.pk)).exists()


@pytest.fixture
def published(
    in_review,
    referent,
    partner,
    other_partner,
    correspondent,
    other_partner_correspondent,
    django_capture_on_commit_callbacks,
):
    version = ask(in_review, referent, django_capture_on_commit_callbacks)
    answer(version, partner, correspondent, django_capture_on_commit_callbacks)
    answer(version, other_partner, other_partner_correspondent, django_capture_on_commit_callbacks)
    return services.publish(version, actor=Actor(user=referent))


def test_the_database_refuses_to_change_a_published_version(published):
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        DashboardVersion.objects.filter(pk=published.pk).update(published_content={"sections": []})


def test_the_database_refuses_to_bring_a_published_version_back_to_draft(published):
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        DashboardVersion.objects.filter(pk=published.pk).update(status=Status.DRAFT)


def test_withdrawing_a_publication_keeps_its_record(published, referent):
    version = services.withdraw(published, actor=Actor(user=referent), reason="Erreur de source")

    assert version.status == Status.WITHDRAWN
    assert version.published_content is not None
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        DashboardVersion.objects.filter(pk=version.pk).update(withdrawal_reason="")


def test_a_correction_is_a_new_version_asking_only_the_sources_whose_figures_changed(
    published, referent, figures, partner, other_partner, django_capture_on_commit_callbacks
):
    own, _other = figures
    observe(own, partner, 2023, 75, territory="Pilat")
    with django_capture_on_commit_callbacks(execute=True):
        correction = services.create_version(data_year=2023, actor=Actor(user=referent))
    correction = services.submit_for_review(correction, actor=Actor(user=referent))

    correction = ask(correction, referent, django_capture_on_commit_callbacks)

    assert correction.number == published.number + 1
    statuses = dict(correction.consent_requests.values_list("partner", "status"))
    assert statuses == {
        partner.pk: ConsentRequest.Status.PENDING,
        other_partner.pk: ConsentRequest.Status.CARRIED_OVER,
    }
    published.refresh_from_db()
    assert published.status == Status.PUBLISHED  # the first version is unchanged


def test_a_partner_that_leaves_has_its_open_requests_closed_and_can_be_left_out(
    in_review, referent, other_partner, django_capture_on_commit_callbacks
):
    version = ask(in_review, referent, django_capture_on_commit_callbacks)

    assert services.close_consent_requests(other_partner, actor=Actor.platform()) == 1
    services.leave_out_source(version.consent_requests.get(partner=other_partner), actor=Actor(user=referent))

    assert version.consent_requests.get(partner=other_partner).status == ConsentRequest.Status.CLOSED
