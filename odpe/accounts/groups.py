"""The role groups, and the Django admin rights of the admin group.

Platform admins are staff, never superusers: the Django admin is a technical tool for them, and what
they may do there comes from their group. Each app declares the rights its admin pages need as
`admin_role_permissions` (codenames) on its AppConfig; after every `migrate` (and every `flush`) the
groups are made again and the admin group holds exactly those rights.
"""

from django.contrib.auth.models import Group, Permission

from odpe.accounts.roles import Role


def set_up_role_groups(sender, using="default", **kwargs) -> None:
    for role in Role.values:
        Group.objects.using(using).get_or_create(name=role)
    codenames = getattr(sender, "admin_role_permissions", ())
    if codenames:
        admin_group = Group.objects.using(using).get(name=Role.ADMIN)
        permissions = Permission.objects.using(using).filter(
            content_type__app_label=sender.label, codename__in=codenames
        )
        admin_group.permissions.add(*permissions)
