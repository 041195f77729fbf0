"""Editors and the editor-in-chief manage old addresses: the permissions go to the
"Éditeur" and "Rédacteur en chef" groups (created by articles 0005), not to writers."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR, CHIEF = "Éditeur", "Rédacteur en chef"
CODENAMES = ["add_oldaddress", "change_oldaddress", "delete_oldaddress", "view_oldaddress"]


def grant(apps, schema_editor):
    config = apps.get_app_config("imports")
    # A migration's app configs have no models module, and create_permissions skips
    # those; tests also call this with the real registry, which must stay as it was.
    previous = getattr(config, "models_module", None)
    config.models_module = previous or True
    try:
        create_permissions(config, apps=apps, verbosity=0)
    finally:
        config.models_module = previous
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="imports", codename__in=CODENAMES
    )
    for name in (EDITOR, CHIEF):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="imports", codename__in=CODENAMES
    )
    for group in Group.objects.filter(name__in=[EDITOR, CHIEF]):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0001_initial"),
        ("articles", "0005_editorial_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
