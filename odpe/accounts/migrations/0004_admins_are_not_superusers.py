from django.db import migrations


def demote_platform_admins(apps, schema_editor):
    """Platform admins were made superusers when given their role: they become staff with the rights
    of their group. An account made by `createsuperuser` holds no role and stays a superuser."""
    User = apps.get_model("accounts", "User")
    User.objects.filter(groups__name="admin", is_superuser=True).update(is_superuser=False, is_staff=True)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_roles")]

    operations = [migrations.RunPython(demote_platform_admins, migrations.RunPython.noop)]
