"""« Photos à créditer »: a proxy of Photo for the editors' queue, whose view and
change permissions go to editors and the editor-in-chief (groups created by
articles 0005), not to writers."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = ["Éditeur", "Rédacteur en chef"]
CODENAMES = ["view_phototocredit", "change_phototocredit"]


def grant(apps, schema_editor):
    config = apps.get_app_config("photos")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="photos", codename__in=CODENAMES
    )
    for name in ROLES:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="photos", codename__in=CODENAMES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("photos", "0003_withdrawal_private_copy"),
        ("articles", "0005_editorial_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="PhotoToCredit",
            fields=[],
            options={
                "verbose_name": "photo à créditer",
                "verbose_name_plural": "photos à créditer",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("photos.photo",),
        ),
        migrations.RunPython(grant, revoke),
    ]
