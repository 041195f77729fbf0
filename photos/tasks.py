"""Background work on photos, through the project's one task interface
(django-tasks; ``django.tasks`` from Django 6), and the one place that decides
whether renditions are made right away or by a worker."""

from django.db import transaction
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import Task

from photos import renditions
from photos.models import Photo


@task()
def generate_renditions(photo_id: int) -> int:
    """Make the renditions a photo lacks, from its stored original; returns how
    many were made (0 for a photo deleted or withdrawn in the meantime)."""
    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is None:
        return 0
    return renditions.ensure_renditions(photo=photo)


def runs_inline(background: Task) -> bool:
    """Whether ``background`` would run right away, in this process (the
    immediate backend, the default) rather than later in a worker."""
    return isinstance(background.get_backend(), ImmediateBackend)


def renditions_now_or_later(photo: Photo, original: bytes, stored: list) -> None:
    """With tasks run inline (the default), make the renditions right here, in the
    caller's transaction, from the bytes in hand: the photo is complete when the
    caller returns and a failure rolls everything back. With a worker, ask it for
    them once the photo is committed; pages show the original until they arrive."""
    if runs_inline(generate_renditions):
        renditions.make_renditions(photo, original, stored)
    else:
        photo_id = photo.pk
        transaction.on_commit(lambda: generate_renditions.enqueue(photo_id))
