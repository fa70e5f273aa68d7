"""The one answer to "who may do what": the role groups, and who acts for which partner."""

import ast
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission
from guardian.shortcuts import assign_perm, remove_perm

from odpe.accounts import access
from odpe.accounts.models import User
from odpe.accounts.roles import Role
from odpe.accounts.services import add_correspondent
from odpe.audit import Actor
from tests.accounts.factories import UserFactory
from tests.conventions.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def with_role(role: str) -> User:
    if role == Role.CORRESPONDENT:
        user = UserFactory()
        add_correspondent(user, PartnerFactory(), actor=Actor.platform())
        return user
    return UserFactory(role=role)


@pytest.mark.parametrize(
    ("role", "reviewer", "editor", "extranet"),
    [
        (Role.ADMIN, True, True, True),
        (Role.REFERENT, True, True, True),
        (Role.MEMBER, False, False, True),
        (Role.CORRESPONDENT, False, False, False),
    ],
)
def test_each_role_reviews_edits_and_reads_the_extranet_as_its_group_says(role, reviewer, editor, extranet):
    user = with_role(role)

    assert access.is_reviewer(user) is reviewer
    assert access.is_editor(user) is editor
    assert access.reads_extranet(user) is extranet


def test_a_person_without_a_role_or_signed_out_is_in_no_group():
    for user in (UserFactory(), AnonymousUser()):
        assert not access.is_reviewer(user)
        assert not access.is_editor(user)
        assert not access.reads_extranet(user)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.REFERENT, Role.MEMBER])
def test_no_global_role_acts_for_or_follows_a_partner(role, partner):
    user = with_role(role)

    assert not access.may_act_for(user, partner)
    assert not access.partners_acted_for(user).exists()
    assert not access.partners_followed_by(user).exists()


def test_a_correspondent_acts_for_and_follows_their_own_partner_only(correspondent, partner, other_partner):
    assert access.may_act_for(correspondent, partner)
    assert not access.may_act_for(correspondent, other_partner)
    assert list(access.partners_acted_for(correspondent)) == [partner]
    assert list(access.partners_followed_by(correspondent)) == [partner]
    assert list(access.correspondents_of(partner)) == [correspondent]
    assert list(access.correspondents_acting_for(partner)) == [correspondent]


def test_a_correspondent_whose_right_to_act_was_taken_back_still_follows_the_partner(correspondent, partner):
    remove_perm(access.SUBMIT_PARTNER_DATA, correspondent, partner)

    assert not access.may_act_for(correspondent, partner)
    assert not access.may_share_documents(correspondent)
    assert list(access.partners_followed_by(correspondent)) == [partner]
    assert list(access.partners_represented_by(correspondent)) == [partner]
    assert list(access.correspondents_of(partner)) == [correspondent]
    assert not access.correspondents_acting_for(partner).exists()


def test_the_superuser_does_not_act_for_or_follow_a_partner(partner):
    technical = User.objects.create_superuser("technique@example.org", "Un-mot-de-passe-assez-long-42")

    assert technical.has_perm(access.SUBMIT_PARTNER_DATA, partner)  # Django's blanket rights…
    assert not access.may_act_for(technical, partner)  # …never stand for the partner's own correspondent
    assert not access.partners_acted_for(technical).exists()
    assert not access.partners_followed_by(technical).exists()
    assert not access.correspondents_of(partner).exists()


def test_a_global_or_group_permission_does_not_act_for_a_partner(partner):
    with_global = UserFactory()
    codename = access.SUBMIT_PARTNER_DATA.split(".")[1]
    with_global.user_permissions.add(Permission.objects.get(codename=codename))
    in_group = UserFactory()
    group = Group.objects.create(name="guichet")
    in_group.groups.add(group)
    assign_perm(access.SUBMIT_PARTNER_DATA, group, partner)

    for user in (with_global, in_group):
        assert not access.may_act_for(user, partner)
        assert not access.partners_acted_for(user).exists()
    assert not access.correspondents_acting_for(partner).exists()


def test_an_admin_who_is_also_a_correspondent_reviews_everything_but_acts_for_their_partner_only(
    admin_user, partner, other_partner
):
    add_correspondent(admin_user, other_partner, actor=Actor.platform())

    assert access.is_reviewer(admin_user)
    assert access.is_editor(admin_user)
    assert access.reads_extranet(admin_user)
    assert access.may_act_for(admin_user, other_partner)
    assert not access.may_act_for(admin_user, partner)
    assert list(access.partners_acted_for(admin_user)) == [other_partner]


def test_a_member_who_is_also_a_correspondent_reads_the_extranet_and_acts_for_their_partner(member, partner):
    add_correspondent(member, partner, actor=Actor.platform())

    assert access.reads_extranet(member)
    assert not access.is_reviewer(member)
    assert access.may_act_for(member, partner)
    assert access.may_share_documents(member)


@pytest.mark.parametrize(
    ("role", "shares"),
    [(Role.ADMIN, True), (Role.REFERENT, True), (Role.MEMBER, False), (Role.CORRESPONDENT, True)],
)
def test_editors_and_acting_correspondents_share_documents(role, shares):
    assert access.may_share_documents(with_role(role)) is shares


def test_the_referents_are_the_active_holders_of_the_referent_role(referent, admin_user):
    retired = UserFactory(role=Role.REFERENT, is_active=False)

    assert list(access.referents()) == [referent]
    assert retired not in access.referents()


# One home per rule: nothing outside the module groups roles or reads a partner's rights ---------------

ROOT = Path(__file__).resolve().parent.parent.parent
APPS = ["odpe", "conventions", "uploads", "dashboards"]
HOME = ROOT / "odpe" / "accounts" / "access.py"
RIGHTS_READERS = {"get_objects_for_user", "get_users_with_perms", "get_perms", "get_user_perms"}
# Two roles asked in one condition (`"a" in user_roles or "b" in user_roles`); one role and another
# condition (`"admin" in user_roles and not convention.closed_at`) is not a role group.
ROLES_COMBINED_IN_TEMPLATE = re.compile(
    r"in user_roles\s+(?:or|and)\s+(?:not\s+)?[\"'][a-z]+[\"']\s+(?:not\s+)?in\s+user_roles"
)


def app_modules():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts and path != HOME:
                yield path


def _names_role(node) -> bool:
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "Role"


def test_roles_are_grouped_only_in_the_access_module():
    offenders = []
    for path in app_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            members = node.args if isinstance(node, ast.Call) else getattr(node, "elts", [])
            if (
                isinstance(node, ast.Call | ast.Tuple | ast.List | ast.Set)
                and sum(map(_names_role, members)) > 1
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == [], "A set of roles is a role group of odpe/accounts/access.py."


def test_partner_rights_are_read_only_in_the_access_module():
    offenders = []
    for path in app_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module == "guardian.shortcuts":
                offenders += [
                    f"{path.relative_to(ROOT)}:{node.lineno} {alias.name}"
                    for alias in node.names
                    if alias.name in RIGHTS_READERS
                ]
    assert offenders == [], "Who holds a partner's rights is odpe/accounts/access.py's answer."


def test_templates_ask_the_role_groups_rather_than_combine_roles():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in (ROOT / "templates").rglob("*.html")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if ROLES_COMBINED_IN_TEMPLATE.search(line)
    ]
    assert offenders == [], (
        "A template asks `reads_extranet`, `is_reviewer` or `is_editor` (context processor)."
    )
