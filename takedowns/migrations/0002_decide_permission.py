"""Only the editor-in-chief decides on rights holders' requests: the permission
goes to the "Rédacteur en chef" group (created by articles 0005), to no one else."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CHIEF = "Rédacteur en chef"


def grant(apps, schema_editor):
    config = apps.get_app_config("takedowns")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(
        content_type__app_label="takedowns", codename="decide_notice"
    )
    group, _ = Group.objects.get_or_create(name=CHIEF)
    group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="takedowns", codename="decide_notice"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("takedowns", "0001_initial"),
        ("articles", "0005_editorial_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
