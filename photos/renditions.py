"""Renditions of a photo: which sizes it has, encoding them (pure image work)
and storing the ones it lacks. Where they are made (inline or by a worker) is
decided by :mod:`photos.tasks`."""

from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from photos import imaging
from photos.file_transactions import lock_photo, removing_files_on_error
from photos.models import Photo, Rendition


def ensure_renditions(*, photo: Photo) -> int:
    """Make the renditions a photo lacks (or whose file went missing); returns how
    many were made. Safe to run again: existing, present renditions are kept.
    Never for a hidden or withdrawn photo: its files must not be public."""
    with removing_files_on_error() as stored, transaction.atomic():
        lock_photo(photo)  # a photo hidden meanwhile gets no public rendition
        if not photo.image or photo.status != Photo.Status.VISIBLE:
            return 0
        with photo.image.storage.open(photo.image.name, "rb") as original:
            return make_renditions(photo, original, stored)


def make_renditions(photo: Photo, original, stored: list) -> int:
    """Create the missing renditions from the original (bytes or an open file)."""
    if not photo.width:
        return 0  # an original whose size could not be read when it was saved
    existing = {(r.width, r.format): r for r in photo.renditions.all()}
    wanted = [size for size in rendition_sizes(photo.width) if not _present(existing.get(size))]
    if not wanted:
        return 0
    for made in render_renditions(original, wanted):
        rendition = existing.get((made.width, made.format)) or Rendition(
            photo=photo, width=made.width, format=made.format
        )
        rendition.height = made.height
        rendition.file.save(f"r.{made.format}", ContentFile(made.data), save=False)
        stored.append((rendition.file.storage, rendition.file.name))
        rendition.save()
    return len(wanted)


@dataclass(frozen=True)
class RenditionImage:
    """One rendition, encoded, not stored yet."""

    width: int
    height: int
    format: str
    data: bytes


def rendition_sizes(original_width: int) -> list[tuple[int, str]]:
    """Every (width, format) a photo this wide has, largest first."""
    widths = imaging.rendition_widths(original_width, settings.PHOTO_RENDITION_WIDTHS)
    return [(width, fmt) for width in widths for fmt in Rendition.Format.values]


def render_renditions(original, sizes: list[tuple[int, str]]) -> list[RenditionImage]:
    """Encode the renditions ``sizes`` of an original (bytes or an open file).
    Pure image work, no database or storage: it may run in a worker thread."""
    widths = sorted({width for width, _fmt in sizes}, reverse=True)
    source = ContentFile(original) if isinstance(original, bytes) else original
    image, icc = imaging.load_for_renditions(source, widths[0])
    made = []
    for width in widths:  # largest first, each one resized from the previous
        image = imaging.resized(image, width)
        for fmt in [f for w, f in sizes if w == width]:
            data = imaging.encode(image, fmt, imaging.RENDITION_QUALITY[fmt], icc)
            made.append(RenditionImage(width, image.height, fmt, data))
    return made


def _present(rendition: Rendition | None) -> bool:
    return bool(rendition and rendition.file and rendition.file.storage.exists(rendition.file.name))
