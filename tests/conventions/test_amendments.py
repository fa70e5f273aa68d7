from datetime import date

import pytest
from django.urls import reverse

from conventions import services
from conventions.models import Amendment, Convention, Signatory
from odpe.audit import Actor
from odpe.errors import TransitionError
from odpe.models import AuditEvent
from tests.conventions.factories import ConventionFactory, PartnerFactory, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def convention(other_partner):
    return ConventionFactory(multipartite=True, ends_on=date(2027, 12, 31), parties=[other_partner])


def accession(convention, partner, admin_user, takes_effect_on=date(2021, 3, 1)) -> Amendment:
    return services.record_amendment(
        convention,
        actor=Actor(user=admin_user),
        signed_on=date(2021, 2, 15),
        takes_effect_on=takes_effect_on,
        subject=f"Adhésion de {partner.name}",
        effect=Amendment.Effect.PARTNER_ACCESSION,
        partner=partner,
    )


def test_accession_makes_the_partner_a_signatory_from_the_amendment_date(convention, partner, admin_user):
    amendment = accession(convention, partner, admin_user)

    signatory = Signatory.objects.get(convention=convention, partner=partner)
    assert signatory.via_amendment == amendment
    assert signatory.joined_on == date(2021, 3, 1)
    assert signatory.left_on is None
    assert amendment.partner == partner


def test_amendments_are_numbered_one_two_three_per_convention(convention, admin_user):
    numbers = [accession(convention, PartnerFactory(), admin_user).number for _ in range(3)]
    elsewhere = accession(ConventionFactory(), PartnerFactory(), admin_user)

    assert numbers == [1, 2, 3]
    assert elsewhere.number == 1


def test_change_of_end_date_moves_the_current_end_and_keeps_the_signed_one(convention, admin_user):
    services.record_amendment(
        convention,
        actor=Actor(user=admin_user),
        signed_on=date(2027, 6, 1),
        takes_effect_on=date(2027, 6, 1),
        subject="Prolongation de deux ans",
        effect=Amendment.Effect.CHANGE_OF_END_DATE,
        new_end_date=date(2029, 12, 31),
    )

    convention.refresh_from_db()
    assert convention.ends_on == date(2027, 12, 31)
    assert convention.current_ends_on == date(2029, 12, 31)
    assert convention.status_on(date(2028, 6, 1)) == Convention.Status.IN_FORCE


def test_change_of_end_date_without_a_date_is_refused(convention, admin_user):
    with pytest.raises(TransitionError):
        services.record_amendment(
            convention,
            actor=Actor(user=admin_user),
            signed_on=date(2027, 6, 1),
            takes_effect_on=date(2027, 6, 1),
            subject="Prolongation",
            effect=Amendment.Effect.CHANGE_OF_END_DATE,
        )

    assert not Amendment.objects.exists()


def test_accession_of_a_partner_already_party_is_refused(convention, other_partner, admin_user):
    with pytest.raises(TransitionError):
        accession(convention, other_partner, admin_user)

    assert not Amendment.objects.exists()
    assert convention.signatories.filter(partner=other_partner).count() == 1


def test_a_partner_that_left_may_accede_again(convention, partner, admin_user):
    earlier = sign(convention, partner)
    earlier.left_on = date(2020, 12, 31)
    earlier.save()

    accession(convention, partner, admin_user)

    assert convention.signatories.filter(partner=partner).count() == 2


def test_accession_without_a_partner_is_refused(convention, admin_user):
    with pytest.raises(TransitionError):
        services.record_amendment(
            convention,
            actor=Actor(user=admin_user),
            signed_on=date(2021, 2, 15),
            takes_effect_on=date(2021, 3, 1),
            subject="Adhésion",
            effect=Amendment.Effect.PARTNER_ACCESSION,
        )


def test_a_change_of_terms_changes_neither_parties_nor_dates(convention, admin_user):
    services.record_amendment(
        convention,
        actor=Actor(user=admin_user),
        signed_on=date(2022, 1, 10),
        takes_effect_on=date(2022, 1, 10),
        subject="Nouvelle rédaction de l'article 4",
        effect=Amendment.Effect.CHANGE_OF_TERMS,
        partner=PartnerFactory(),
        new_end_date=date(2030, 1, 1),
    )

    convention.refresh_from_db()
    amendment = convention.amendments.get()
    assert (amendment.partner, amendment.new_end_date) == (None, None)
    assert convention.current_ends_on == date(2027, 12, 31)
    assert convention.signatories.count() == 1


def test_each_amendment_is_audited_with_its_effect_and_the_acceding_partner(convention, partner, admin_user):
    amendment = accession(convention, partner, admin_user)

    event = AuditEvent.objects.get(action="amendment.recorded")
    assert (event.actor, event.object_type, event.object_id) == (
        admin_user,
        "conventions.Amendment",
        str(amendment.pk),
    )
    assert event.details == {
        "convention": convention.reference,
        "effect": "partner_accession",
        "partner": partner.name,
        "partner_id": str(partner.pk),
    }


def test_the_django_admin_message_names_the_amendment_number_not_none(admin_client, convention):
    data = {
        "convention": convention.pk,
        "signed_on": "2024-05-02",
        "takes_effect_on": "2024-05-02",
        "subject": "Avenant technique",
        "effect": "change_of_terms",
    }

    response = admin_client.post(reverse("admin:conventions_amendment_add"), data, follow=True)

    text = " ".join(str(m) for m in response.context["messages"])
    assert "n° 1" in text
    assert "None" not in text
