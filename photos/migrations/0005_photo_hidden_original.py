"""Hidden photos keep their original in private storage: the photos already
hidden when this runs have their public files moved there (and their
renditions deleted: they are made again when the photo is shown)."""

import secrets

from django.db import migrations, models, transaction

from photos.models import private_storage


def move_hidden_files(apps, schema_editor):
    Photo = apps.get_model("photos", "Photo")
    for photo in Photo.objects.filter(status="hidden").exclude(image=""):
        public = [(r.file.storage, r.file.name) for r in photo.renditions.all() if r.file]
        public.append((photo.image.storage, photo.image.name))
        try:
            with photo.image.storage.open(photo.image.name, "rb") as original:
                name = f"hidden/{secrets.token_urlsafe(16)}.jpg"
                photo.hidden_original = private_storage().save(name, original)
        except OSError:
            pass  # no original left: nothing to keep
        photo.renditions.all().delete()
        photo.image = ""
        photo.save(update_fields=["image", "hidden_original"])
        transaction.on_commit(lambda public=public: _delete(public))


def _delete(files):
    for storage, name in files:
        storage.delete(name)


class Migration(migrations.Migration):
    dependencies = [
        ("photos", "0004_credit_queue"),
    ]

    operations = [
        migrations.AddField(
            model_name="photo",
            name="hidden_original",
            field=models.CharField(blank=True, editable=False, max_length=200),
        ),
        migrations.RunPython(move_hidden_files, migrations.RunPython.noop),
    ]
