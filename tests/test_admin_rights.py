"""The Django admin is a technical tool: the admin role works there without being a superuser, and
roles, partner rights and body memberships change there only through the services (audit rows)."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.urls import NoReverseMatch, reverse

from conventions import services as convention_services
from conventions.models import Amendment, Body, BodyMembership, Convention
from odpe.accounts.roles import Role, roles_of
from odpe.audit import Actor
from odpe.errors import TransitionError
from odpe.models import AuditEvent
from tests.accounts.factories import UserFactory
from tests.conventions.factories import ConventionFactory, PartnerFactory

pytestmark = pytest.mark.django_db
ACTION_CHECKBOX = admin.helpers.ACTION_CHECKBOX_NAME


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


# The project's own admin pages (third-party ones, such as authenticators, stay the superuser's).
PROJECT_APPS = {"odpe", "accounts", "conventions", "uploads", "dashboards"}


@pytest.mark.parametrize(
    "model", [m for m in admin.site._registry if m._meta.app_label in PROJECT_APPS], ids=lambda m: m.__name__
)
def test_the_admin_role_reads_every_admin_list_without_being_a_superuser(admin_client, admin_user, model):
    assert not admin_user.is_superuser
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200


def test_the_user_change_form_leaves_groups_alone(admin_client):
    person = UserFactory(role=Role.MEMBER)
    admin_group = Group.objects.get(name=Role.ADMIN)

    response = admin_client.post(
        admin_url(type(person), "change", person.pk),
        {
            "email": person.email,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "is_active": "on",
            "groups": [admin_group.pk],
            "is_superuser": "on",
            "is_staff": "on",
        },
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert roles_of(person) == {Role.MEMBER}
    assert not person.is_superuser
    assert not person.is_staff


def test_the_admin_grants_a_role_through_the_service(admin_client):
    person = UserFactory()

    response = admin_client.post(
        admin_url(type(person), "changelist"),
        {"action": "grant_role", ACTION_CHECKBOX: [person.pk], "role": Role.REFERENT, "apply": "1"},
    )

    assert response.status_code == 302
    assert Role.REFERENT in roles_of(type(person).objects.get(pk=person.pk))
    assert AuditEvent.objects.filter(action="role.granted", object_id=str(person.pk)).exists()


def test_the_admin_cannot_give_rights_to_a_role_group(admin_client):
    member_group = Group.objects.get(name=Role.MEMBER)
    delete_partner = Permission.objects.get(codename="delete_partner")

    admin_client.post(
        admin_url(Group, "change", member_group.pk), {"name": Role.MEMBER, "permissions": [delete_partner.pk]}
    )

    assert not member_group.permissions.filter(pk=delete_partner.pk).exists()


def test_the_partner_admin_has_no_page_editing_object_permissions(partner):
    with pytest.raises(NoReverseMatch):
        reverse("admin:conventions_partner_permissions", args=[partner.pk])


def test_the_admin_adds_and_removes_a_correspondent_through_the_services(admin_client, partner):
    person = UserFactory()
    url = admin_url(type(partner), "changelist")

    admin_client.post(
        url, {"action": "add_correspondent", ACTION_CHECKBOX: [partner.pk], "user": person.pk, "apply": "1"}
    )
    assert type(person).objects.get(pk=person.pk).has_perm("conventions.submit_partner_data", partner)

    admin_client.post(
        url,
        {"action": "remove_correspondent", ACTION_CHECKBOX: [partner.pk], "user": person.pk, "apply": "1"},
    )
    person = type(person).objects.get(pk=person.pk)
    assert not person.has_perm("conventions.view_partner_data", partner)
    assert Role.CORRESPONDENT not in roles_of(person)
    assert AuditEvent.objects.filter(action="partner.correspondent_added", object_id=str(person.pk)).exists()
    assert AuditEvent.objects.filter(
        action="partner.correspondent_removed", object_id=str(person.pk)
    ).exists()


@pytest.fixture
def committee(db):
    return Body.objects.create(kind=Body.Kind.MONITORING_COMMITTEE)


@pytest.fixture
def conference(db):
    return Body.objects.create(kind=Body.Kind.CONFERENCE)


def join(body, user):
    return convention_services.add_body_member(body, user, actor=Actor.platform())


def test_deleting_a_membership_from_the_bodys_admin_page_is_impossible(admin_client, committee):
    person = UserFactory()
    membership = join(committee, person)

    admin_client.post(
        admin_url(Body, "change", committee.pk),
        {
            "kind": committee.kind,
            "description": "",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "1",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-id": membership.pk,
            "memberships-0-body": committee.pk,
            "memberships-0-user": person.pk,
            "memberships-0-since": membership.since.isoformat(),
            "memberships-0-DELETE": "on",
        },
    )

    assert BodyMembership.objects.filter(pk=membership.pk, until__isnull=True).exists()
    assert Role.MEMBER in roles_of(type(person).objects.get(pk=person.pk))


def test_the_membership_admin_deletes_nothing(admin_client, committee):
    membership = join(committee, UserFactory())

    response = admin_client.post(admin_url(BodyMembership, "delete", membership.pk), {"post": "yes"})

    assert response.status_code == 403
    assert BodyMembership.objects.filter(pk=membership.pk).exists()


def test_ending_a_membership_in_the_admin_takes_the_member_role_back(admin_client, committee):
    person = UserFactory()
    membership = join(committee, person)

    admin_client.post(
        admin_url(BodyMembership, "changelist"),
        {"action": "end_memberships", ACTION_CHECKBOX: [membership.pk]},
    )

    membership.refresh_from_db()
    assert membership.until is not None
    assert Role.MEMBER not in roles_of(type(person).objects.get(pk=person.pk))
    assert AuditEvent.objects.filter(action="body.membership_ended", object_id=str(membership.pk)).exists()
    assert AuditEvent.objects.filter(action="role.revoked", object_id=str(person.pk)).exists()


def test_ending_one_membership_keeps_the_role_while_another_stands(committee, conference):
    person = UserFactory()
    first = join(committee, person)
    join(conference, person)

    convention_services.end_body_membership(first, actor=Actor.platform())

    assert Role.MEMBER in roles_of(type(person).objects.get(pk=person.pk))
    assert AuditEvent.objects.filter(action="body.membership_ended", object_id=str(first.pk)).exists()
    assert not AuditEvent.objects.filter(action="role.revoked").exists()


def test_ending_a_membership_twice_is_refused_with_a_message(committee):
    membership = join(committee, UserFactory())
    convention_services.end_body_membership(membership, actor=Actor.platform())

    with pytest.raises(TransitionError):
        convention_services.end_body_membership(membership, actor=Actor.platform())


def test_a_partner_represented_on_a_body_keeps_its_membership_audited_with_the_partner(committee):
    partner = PartnerFactory()
    membership = convention_services.add_body_member(
        committee, UserFactory(), partner=partner, actor=Actor.platform()
    )

    convention_services.end_body_membership(membership, actor=Actor.platform())

    event = AuditEvent.objects.get(action="body.membership_ended")
    assert event.details["partner_id"] == str(partner.pk)


def test_the_admin_role_opens_the_change_pages_and_action_forms(admin_client, partner, committee):
    person = UserFactory()
    join(committee, person)

    for url in [
        admin_url(type(person), "change", person.pk),
        admin_url(type(partner), "change", partner.pk),
        admin_url(Body, "change", committee.pk),
    ]:
        assert admin_client.get(url).status_code == 200, url
    response = admin_client.post(
        admin_url(type(partner), "changelist"), {"action": "add_correspondent", ACTION_CHECKBOX: [partner.pk]}
    )
    assert response.status_code == 200
    assert "user" in response.context["form"].fields


def test_the_admin_role_records_an_amendment_and_a_withdrawal_in_the_admin_as_before(admin_client, partner):
    convention = ConventionFactory(parties=[partner])

    assert admin_client.get(admin_url(Amendment, "add")).status_code == 200
    for field in ["convention", "partner"]:
        response = admin_client.get(
            reverse("admin:autocomplete"),
            {"app_label": "conventions", "model_name": "amendment", "field_name": field, "term": ""},
        )
        assert response.status_code == 200, field
    response = admin_client.post(
        admin_url(Convention, "changelist"), {"action": "record_withdrawal", ACTION_CHECKBOX: [convention.pk]}
    )
    assert response.status_code == 200
    assert "signatory" in response.context["form"].fields


def test_adding_a_member_on_the_bodys_admin_page_goes_through_the_service(admin_client, committee):
    person = UserFactory()

    response = admin_client.post(
        admin_url(Body, "change", committee.pk),
        {
            "kind": committee.kind,
            "description": "",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-body": committee.pk,
            "memberships-0-user": person.pk,
            "memberships-0-since": "2025-01-06",
        },
    )

    assert response.status_code == 302
    assert BodyMembership.objects.filter(body=committee, user=person, until__isnull=True).exists()
    assert Role.MEMBER in roles_of(type(person).objects.get(pk=person.pk))
    assert AuditEvent.objects.filter(action="body.member_added").exists()
