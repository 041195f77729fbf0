"""Background work on photos, through the project's one task interface
(django-tasks; ``django.tasks`` from Django 6)."""

from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import Task

from photos import services
from photos.models import Photo


@task()
def generate_renditions(photo_id: int) -> int:
    """Make the renditions a photo lacks, from its stored original; returns how
    many were made (0 for a photo deleted or withdrawn in the meantime)."""
    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is None:
        return 0
    return services.ensure_renditions(photo=photo)


def runs_inline(background: Task) -> bool:
    """Whether ``background`` would run right away, in this process (the
    immediate backend, the default) rather than later in a worker."""
    return isinstance(background.get_backend(), ImmediateBackend)
