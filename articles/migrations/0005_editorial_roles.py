"""The three editorial roles as groups. Permissions are created here (they are
normally created after migrations) so that the groups can be filled at once."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

WRITER, EDITOR, CHIEF = "Rédacteur", "Éditeur", "Rédacteur en chef"

WRITER_PERMS = [
    "articles.add_article", "articles.change_article", "articles.view_article",
    "articles.view_section", "articles.view_author", "articles.view_genretag",
    "articles.add_galleryitem", "articles.change_galleryitem", "articles.delete_galleryitem",
    "articles.view_galleryitem",
    "photos.add_photo", "photos.change_photo", "photos.view_photo",
]  # fmt: skip
EDITOR_EXTRA = [
    "articles.publish_article", "articles.edit_any_article", "articles.delete_article",
    "articles.add_section", "articles.change_section",
    "articles.add_author", "articles.change_author",
    "articles.add_genretag", "articles.change_genretag", "articles.delete_genretag",
    "articles.view_articleevent", "articles.view_historicalarticle",
    "photos.delete_photo",
]  # fmt: skip
CHIEF_EXTRA = [
    "articles.delete_section", "articles.delete_author",
    "auth.add_user", "auth.change_user", "auth.view_user", "auth.view_group",
]  # fmt: skip
ROLES = {
    WRITER: WRITER_PERMS,
    EDITOR: WRITER_PERMS + EDITOR_EXTRA,
    CHIEF: WRITER_PERMS + EDITOR_EXTRA + CHIEF_EXTRA,
}


def create_roles(apps, schema_editor):
    for config in apps.get_app_configs():
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_editorial_workflow"),
        ("photos", "0002_credits_licences_renditions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
