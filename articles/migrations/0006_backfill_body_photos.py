"""Fill ``body_photos`` for articles saved before the field existed."""

import re

from django.db import migrations

REFERENCE = re.compile(r'<figure data-photo="(\d+)">')


def backfill(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Photo = apps.get_model("photos", "Photo")
    for article in Article.objects.filter(body__contains="data-photo").iterator():
        ids = {int(pk) for pk in REFERENCE.findall(article.body)}
        article.body_photos.set(Photo.objects.filter(pk__in=ids))


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_editorial_roles")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
