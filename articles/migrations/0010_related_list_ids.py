from django.db import migrations, models


def forget_lists(apps, schema_editor):
    """Stored lists are derived: each is computed again at its article's next view."""
    apps.get_model("articles", "RelatedList").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0009_related_lists")]

    operations = [
        migrations.AddField(
            model_name="relatedlist",
            name="ids",
            field=models.JSONField(default=list),
        ),
        migrations.RunPython(forget_lists, migrations.RunPython.noop),
    ]
