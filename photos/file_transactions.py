"""Keeping storage in step with the database in the services' transactions:
files stored by a block that fails are removed again, files to delete go once
the transaction commits (a rollback loses nothing), and the row lock that keeps
two editors' actions on one photo from interleaving. Storage is reached only
through the Storage API (never a local path)."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction

from photos.models import Photo


@contextmanager
def removing_files_on_error() -> Iterator[list[tuple]]:
    """Collects the (storage, name) of files stored inside the block and deletes
    them if the block fails: the database rolls back, storage does not."""
    stored: list[tuple] = []
    try:
        yield stored
    except BaseException:
        for storage, name in stored:
            storage.delete(name)
        raise


def lock_photo(photo: Photo) -> None:
    """Re-read the caller's photo under a row lock: two editors acting at once
    must not interleave a withdrawal and an unhide."""
    photo.refresh_from_db(from_queryset=Photo.objects.select_for_update())


def stored_names(photo: Photo) -> list[tuple]:
    names = [(photo.image.storage, photo.image.name)] if photo.image else []
    names += [(r.file.storage, r.file.name) for r in photo.renditions.all() if r.file]
    return names


def delete_on_commit(names: list[tuple]) -> None:
    def delete():
        for storage, name in names:
            storage.delete(name)

    transaction.on_commit(delete)
