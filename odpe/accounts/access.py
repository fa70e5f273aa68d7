"""Who may do what: the role groups, and who may act for which partner. Every view, selector, service,
template and e-mail asks here; nothing else groups roles or reads the partner rights.

Two kinds of right:
- a global role (a group, see `roles`) opens the observatory's pages: the role groups below name the sets
  of roles, each with one meaning;
- a partner's own right (a guardian object permission on the partner, given with the correspondent role)
  lets a person see that partner's files and act in its name: upload and attest a table, answer a consent
  request, share a document. Only the person holding it themselves counts: neither a superuser's blanket
  rights, nor a global or group permission, stand for a partner's own correspondent — no other role acts
  for a partner (platform admins are staff, never superusers).

The ground floor never imports the conventions: the rights are named by their "app.codename" string, and
guardian finds the partner model from it.
"""

from django.db.models import QuerySet
from guardian.models import UserObjectPermission
from guardian.shortcuts import get_objects_for_user, get_users_with_perms

from odpe.accounts.models import User
from odpe.accounts.roles import Role, has_role

# Role groups ------------------------------------------------------------------------------------------

# Review the partners' tables: run the campaigns, accept or return a version, keep the table specs and the
# tables each partner owes under a convention, with their agreed calendars.
REVIEWERS = frozenset({Role.REFERENT, Role.ADMIN})
# Build, review and publish the dashboards, ask the sources' consent, validate the shared documents.
EDITORS = frozenset({Role.REFERENT, Role.ADMIN})
# Read the extranet: conventions and partners, published dashboards (withdrawn ones listed) in full.
EXTRANET_READERS = frozenset({Role.MEMBER, Role.REFERENT, Role.ADMIN})
# Read the documents library: every role (a correspondent reads it too, and finds its partners' own).
LIBRARY_READERS = frozenset({Role.MEMBER, Role.CORRESPONDENT, Role.REFERENT, Role.ADMIN})
# Take part in the collection: correspondents for their partners, reviewers for all.
COLLECTION_PARTICIPANTS = frozenset({Role.CORRESPONDENT}) | REVIEWERS
# Read consent requests: the sources asked (their correspondents) and the editors who asked them.
CONSENT_PARTICIPANTS = frozenset({Role.CORRESPONDENT}) | EDITORS
# Reach the form that shares a document: correspondents in a partner's name, editors in the observatory's.
DOCUMENT_SHARERS = frozenset({Role.CORRESPONDENT}) | EDITORS
# Create the governance bodies and choose their members (membership gives the member role).
BODY_MANAGERS = frozenset({Role.ADMIN})
# Keep the bodies' meetings (agenda, attendance, minutes, documents, decisions) and read every body;
# a member reads only the bodies they sit in.
MEETING_SECRETARIES = frozenset({Role.REFERENT, Role.ADMIN})
# Read the indicator catalogue and the decision that adopted it: every role.
CATALOGUE_READERS = frozenset({Role.MEMBER, Role.CORRESPONDENT, Role.REFERENT, Role.ADMIN})
# Have a body's decision adopt the catalogue as it stands.
CATALOGUE_KEEPERS = frozenset({Role.ADMIN})
# Add indicators and rates to the catalogue, and reword them; the next adoption takes them in.
INDICATOR_AUTHORS = frozenset({Role.REFERENT, Role.ADMIN})
# Keep the personal-data breach register and export its notifications.
BREACH_KEEPERS = frozenset({Role.ADMIN})
# Sign in with a second factor.
SECOND_FACTOR_ROLES = frozenset({Role.ADMIN, Role.REFERENT})
# Destruction certificates: every one for admins, their partners' for correspondents (PIPASE art. 3.3).
CERTIFICATE_READERS = frozenset({Role.ADMIN, Role.CORRESPONDENT})
# Open the page that pseudonymises a nominative extract in the browser (PIPASE annex 1): the partners'
# correspondents who send such data, and the ODPE team who explains it to them.
PSEUDONYMISERS = frozenset({Role.CORRESPONDENT}) | REVIEWERS
# Notices owed to the Département (PIPASE art. 3.3, 4.2): the Département's staff follow them all, the
# recipient's correspondents those of their partners.
NOTICE_READERS = frozenset({Role.ADMIN, Role.REFERENT, Role.CORRESPONDENT})
# Record a notice: the recipient's correspondents, or an admin for a notice that came by mail.
NOTICE_RECORDERS = frozenset({Role.ADMIN, Role.CORRESPONDENT})
# The Département's staff follow every notice owed to it; a correspondent those of their partners.
NOTICE_FOLLOWERS_OF_ALL = frozenset({Role.ADMIN, Role.REFERENT})
# The OLINPE base (pseudonymised personal data): the referent alone, not even the admins.
OLINPE_READERS = frozenset({Role.REFERENT})


def is_reviewer(user) -> bool:
    return has_role(user, *REVIEWERS)


def is_editor(user) -> bool:
    return has_role(user, *EDITORS)


def reads_olinpe(user) -> bool:
    return has_role(user, *OLINPE_READERS)


def follows_every_notice(user) -> bool:
    return has_role(user, *NOTICE_FOLLOWERS_OF_ALL)


def reads_extranet(user) -> bool:
    return has_role(user, *EXTRANET_READERS)


def keeps_meetings(user) -> bool:
    return has_role(user, *MEETING_SECRETARIES)


def referents() -> QuerySet[User]:
    """The observatory's referents in office: the contacts of the partners, told of what they send."""
    return User.objects.filter(groups__name=Role.REFERENT, is_active=True)


# A partner's own rights ---------------------------------------------------------------------------------

VIEW_PARTNER_DATA = "conventions.view_partner_data"  # see the partner's own files and data
SUBMIT_PARTNER_DATA = "conventions.submit_partner_data"  # act in the partner's name
CORRESPONDENT_PERMISSIONS = (VIEW_PARTNER_DATA, SUBMIT_PARTNER_DATA)


def _partners_where(user, permissions: list[str], *, any_perm: bool = False) -> QuerySet:
    return get_objects_for_user(
        user,
        permissions,
        any_perm=any_perm,
        use_groups=False,
        with_superuser=False,
        accept_global_perms=False,
    )


def partners_followed_by(user) -> QuerySet:
    """The partners whose own files and data the person sees as one of their correspondents."""
    return _partners_where(user, [VIEW_PARTNER_DATA])


def partners_acted_for(user) -> QuerySet:
    """The partners in whose name the person acts: upload and attest a table, answer a consent
    request, share a document. Only a partner's own correspondents do, whatever other role they hold."""
    return _partners_where(user, [SUBMIT_PARTNER_DATA])


def partners_represented_by(user) -> QuerySet:
    """The partners on which the person holds any correspondent's right (the one to take back when the
    person stops being their correspondent)."""
    return _partners_where(user, list(CORRESPONDENT_PERMISSIONS), any_perm=True)


def may_act_for(user, partner) -> bool:
    return partners_acted_for(user).filter(pk=partner.pk).exists()


def may_share_documents(user) -> bool:
    """Editors share the observatory's own documents; correspondents those of a partner they act for."""
    return is_editor(user) or partners_acted_for(user).exists()


def _holders(partner, permission: str) -> QuerySet[User]:
    codename = permission.split(".", 1)[1]
    return get_users_with_perms(
        partner, only_with_perms_in=[codename], with_superusers=False, with_group_users=False
    )


def correspondents_of(partner) -> QuerySet[User]:
    """The people who hold a correspondent's right on the partner themselves."""
    return _holders(partner, VIEW_PARTNER_DATA)


def correspondents_acting_for(partner) -> QuerySet[User]:
    """The correspondents who may still act in the partner's name (a withdrawal takes this right back)."""
    return _holders(partner, SUBMIT_PARTNER_DATA)


def correspondents_acting_for_each(partners) -> dict:
    """`correspondents_acting_for` of several partners in one query: {partner pk: [people, by name]}."""
    app_label, codename = SUBMIT_PARTNER_DATA.split(".", 1)
    pks = {str(partner.pk): partner.pk for partner in partners}
    grants = (
        UserObjectPermission.objects.filter(
            permission__codename=codename,
            permission__content_type__app_label=app_label,
            object_pk__in=list(pks),
            user__is_superuser=False,
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__email")
    )
    people: dict = {pk: [] for pk in pks.values()}
    for grant in grants:
        people[pks[grant.object_pk]].append(grant.user)
    return people
