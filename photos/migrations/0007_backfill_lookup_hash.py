"""Lookup hashes for the photos stored before the field existed, computed from
their stored originals (decoded at a reduced scale: a few milliseconds each).
A file that cannot be read is left without a hash; the lookup index hashes such
photos later, a few at a time, should the file come back."""

from django.db import migrations


def backfill(apps, schema_editor):
    from photos.lookup import hash_stored

    Photo = apps.get_model("photos", "Photo")
    rows = (
        Photo.objects.filter(lookup_hash="")
        .exclude(image="")
        .exclude(status="withdrawn")
        .only("pk", "image")
    )
    for photo in rows.iterator(chunk_size=500):
        value = hash_stored(photo.image.storage, photo.image.name)
        if value:
            Photo.objects.filter(pk=photo.pk).update(lookup_hash=value)


class Migration(migrations.Migration):
    dependencies = [("photos", "0006_photo_lookup_hash")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]
