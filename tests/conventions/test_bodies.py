"""Governance bodies: membership managed in the site, the charter's limit per organisation, each change
audited; members see their own bodies only."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from conventions import meetings, services
from conventions.models import Body, BodyMembership, Partner
from odpe.accounts.roles import Role, has_role
from odpe.audit import Actor
from odpe.errors import TransitionError
from odpe.models import AuditEvent
from tests.accounts.factories import UserFactory
from tests.conventions.factories import BodyFactory

pytestmark = pytest.mark.django_db


def test_admin_adds_a_member_who_gets_the_member_role_and_an_audit_row(admin_client, partner):
    committee = BodyFactory()
    person = UserFactory(first_name="Claire", last_name="Martin")

    response = admin_client.post(
        reverse("conventions:body_member_add", args=[committee.pk]),
        {"user": person.pk, "partner": partner.pk, "since": "2026-01-05"},
    )

    assertRedirects(response, committee.get_absolute_url())
    membership = BodyMembership.objects.get(body=committee, user=person)
    assert membership.partner == partner and membership.seat == 1
    assert has_role(UserFactory._meta.model.objects.get(pk=person.pk), Role.MEMBER)
    event = AuditEvent.objects.get(action="body.member_added")
    assert event.details["partner_id"] == str(partner.pk)


def test_a_third_representative_of_one_organisation_is_refused_with_a_french_message(admin_client, partner):
    partner.article = Partner.Article.LA
    partner.save()
    conference = BodyFactory(kind=Body.Kind.CONFERENCE, charter_limit=True)
    for _ in range(2):
        services.add_body_member(conference, UserFactory(), partner=partner, actor=Actor.platform())
    third = UserFactory()

    response = admin_client.post(
        reverse("conventions:body_member_add", args=[conference.pk]),
        {"user": third.pk, "partner": partner.pk},
    )

    assert response.status_code == 200
    assertContains(response, "La CAF a déjà 2 représentants")
    assert not BodyMembership.objects.filter(user=third).exists()
    assert AuditEvent.objects.filter(action="body.member_added").count() == 2


def test_a_seat_freed_by_an_ended_membership_can_be_taken_again(partner):
    conference = BodyFactory(kind=Body.Kind.CONFERENCE, charter_limit=True)
    first, _second = (
        services.add_body_member(conference, UserFactory(), partner=partner, actor=Actor.platform())
        for _ in range(2)
    )
    services.end_body_membership(first, actor=Actor.platform())

    replacement = services.add_body_member(conference, UserFactory(), partner=partner, actor=Actor.platform())

    assert replacement.seat == first.seat == 1


def test_the_database_refuses_two_people_on_one_seat(partner):
    committee = BodyFactory()
    BodyMembership.objects.create(body=committee, user=UserFactory(), partner=partner, seat=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        BodyMembership.objects.create(body=committee, user=UserFactory(), partner=partner, seat=1)


def test_a_body_without_limit_takes_any_number_of_representatives(partner):
    network = BodyFactory(kind=Body.Kind.CORRESPONDENTS_NETWORK)

    seats = [
        services.add_body_member(network, UserFactory(), partner=partner, actor=Actor.platform()).seat
        for _ in range(3)
    ]

    assert seats == [1, 2, 3]


def test_sitting_twice_in_one_body_is_refused():
    committee = BodyFactory()
    person = UserFactory()
    services.add_body_member(committee, person, actor=Actor.platform())

    with pytest.raises(TransitionError, match="siège déjà"):
        services.add_body_member(committee, person, actor=Actor.platform())


def test_admin_ends_a_membership_and_the_member_role_goes_with_the_last_one(admin_client):
    committee = BodyFactory()
    person = UserFactory()
    membership = services.add_body_member(committee, person, actor=Actor.platform())

    response = admin_client.post(reverse("conventions:body_member_end", args=[membership.pk]))

    assertRedirects(response, committee.get_absolute_url())
    membership.refresh_from_db()
    assert membership.until is not None
    assert not has_role(UserFactory._meta.model.objects.get(pk=person.pk), Role.MEMBER)
    assert AuditEvent.objects.filter(action="body.membership_ended").exists()


def test_admin_creates_a_working_group_with_the_charter_limit(admin_client):
    response = admin_client.post(
        reverse("conventions:body_create"),
        {"kind": Body.Kind.WORKING_GROUP, "name": "Sorties de l'ASE", "representatives_per_partner": "2"},
    )

    group = Body.objects.get(kind=Body.Kind.WORKING_GROUP)
    assertRedirects(response, group.get_absolute_url())
    assert str(group) == "Groupe de travail «\u00a0Sorties de l'ASE\u00a0»"
    assert group.representatives_per_partner == 2
    assert AuditEvent.objects.filter(action="body.created", object_id=str(group.pk)).exists()


def test_a_working_group_without_a_name_is_refused(admin_client):
    response = admin_client.post(reverse("conventions:body_create"), {"kind": Body.Kind.WORKING_GROUP})

    assertContains(response, "Donnez un nom au groupe de travail")
    assert not Body.objects.exists()


def test_a_second_monitoring_committee_is_refused():
    BodyFactory()

    with pytest.raises(TransitionError):
        meetings.create_body(actor=Actor.platform(), kind=Body.Kind.MONITORING_COMMITTEE)


def test_member_sees_their_body_and_gets_404_for_another(member_client, member):
    committee = BodyFactory()
    conference = BodyFactory(kind=Body.Kind.CONFERENCE)
    services.add_body_member(committee, member, actor=Actor.platform())

    listing = member_client.get(reverse("conventions:body_list"))

    assertContains(listing, "Comité de suivi")
    assertNotContains(listing, "Conférence stratégique")
    assert member_client.get(committee.get_absolute_url()).status_code == 200
    assert member_client.get(conference.get_absolute_url()).status_code == 404


def test_a_former_member_no_longer_sees_the_body(member_client, member):
    committee = BodyFactory()
    conference = BodyFactory(kind=Body.Kind.CONFERENCE)
    services.add_body_member(conference, member, actor=Actor.platform())
    services.end_body_membership(
        services.add_body_member(committee, member, actor=Actor.platform()), actor=Actor.platform()
    )

    assert member_client.get(committee.get_absolute_url()).status_code == 404


def test_member_cannot_add_members(member_client, member):
    committee = BodyFactory()
    services.add_body_member(committee, member, actor=Actor.platform())

    assert member_client.get(reverse("conventions:body_member_add", args=[committee.pk])).status_code == 403


def test_correspondent_gets_403_for_the_bodies(correspondent_client):
    assert correspondent_client.get(reverse("conventions:body_list")).status_code == 403
