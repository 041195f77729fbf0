"""An import's photo files in storage: their names, their renditions encoded in
threads, their writing and deletion, and the journal rows (``StoredFile``) that
name them until their photos are committed."""

from __future__ import annotations

import logging
import os
from concurrent.futures import ThreadPoolExecutor

from django.core.files.base import ContentFile
from django.db import connection

from imports.models import StoredFile
from imports.photo_files.prepared import PreparedPhoto
from photos import services
from photos.models import Photo, Rendition

logger = logging.getLogger(__name__)

ORIGINAL = Photo._meta.get_field("image")
RENDITION = Rendition._meta.get_field("file")


def plan(photo: PreparedPhoto) -> None:
    """Storage names, as the fields' ``upload_to`` makes them for an upload."""
    photo.original_name = ORIGINAL.generate_filename(None, "original.jpg")
    photo.planned = {
        (width, fmt): RENDITION.generate_filename(Rendition(format=fmt), f"r.{fmt}")
        for width, fmt in services.rendition_sizes(photo.image.width)
    }
    photo.renditions = []


def render(todo: list[PreparedPhoto]):
    """The renditions of each photo, in order, encoded by one thread per CPU."""
    jobs = [(p.image.data, list(p.planned)) for p in todo]
    workers = min(os.cpu_count() or 1, len(jobs))
    if workers < 2:
        yield from (services.render_renditions(*job) for job in jobs)
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(lambda job: services.render_renditions(*job), jobs)


def write(name: str, data: bytes, written: list[str]) -> None:
    saved = ORIGINAL.storage.save(name, ContentFile(data))
    written.append(saved)
    if saved != name:  # the storage renamed it: the journal would not know it
        raise OSError(f"storage saved {name!r} as {saved!r}")


def delete_files(names: list[str]) -> list[str]:
    """Delete files from storage; returns those deleted (a failure is logged and
    its journal row kept, for ``clean_interrupted``)."""
    deleted = []
    for name in names:
        try:
            ORIGINAL.storage.delete(name)
        except OSError:
            logger.warning("Could not delete the imported file %s", name, exc_info=True)
        else:
            deleted.append(name)
    return deleted


def forget(names: list[str], chunk: int = 10_000) -> None:
    """Delete the journal rows of ``names``, one statement per 10,000 names.
    Not ``QuerySet.delete()``: with delete signals connected for every model (the
    page cache), it reads the rows first and deletes them a hundred at a time."""
    table = connection.ops.quote_name(StoredFile._meta.db_table)
    for start in range(0, len(names), chunk):
        part = names[start : start + chunk]
        marks = ", ".join(["%s"] * len(part))
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE name IN ({marks})", part)  # noqa: S608
