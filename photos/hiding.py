"""Where a hidden photo's files go: out of public storage, so that every URL the
photo had (original, renditions, feed enclosures, ``og:image``, ``srcset``)
answers 404 while it is hidden, exactly as after a withdrawal, and back under
new names when it is shown again.

The original is moved to private storage (never served) and named in
``Photo.hidden_original``; renditions are deleted and made again from it when
the photo comes back. These helpers change the photo in memory and in storage
only; ``photos.services`` calls them inside its transactions, saves the row and
deletes the public files once the transaction commits (a rollback loses nothing).
Storage is reached through the Storage API only."""

import logging

from django.core.files.base import ContentFile

from photos import imaging
from photos.models import Photo, private_storage

logger = logging.getLogger(__name__)


def move_to_private(photo: Photo, stored: list) -> list[tuple]:
    """Copy the original to private storage, drop the renditions' rows and
    unlink the original; returns the public (storage, name) pairs to delete
    after commit. A missing original does not stop the photo being hidden."""
    public = [(photo.image.storage, photo.image.name)] if photo.image else []
    public += [(r.file.storage, r.file.name) for r in photo.renditions.all() if r.file]
    if photo.image and not photo.hidden_original:
        name = _copy_to_private(photo)
        if name:
            stored.append((private_storage(), name))
            photo.hidden_original = name
    photo.renditions.all().delete()
    photo.image = ""
    return public


def bring_back(photo: Photo, stored: list) -> bytes | None:
    """Put the private original back in public storage under a new unguessable
    name and return its bytes (to make the renditions from), or None when the
    photo has no private original left (pages then show the placeholder). The
    private file is left to the caller to delete after commit (``private_names``)."""
    if not photo.hidden_original:
        return None
    try:
        with private_storage().open(photo.hidden_original, "rb") as original:
            data = original.read()
    except OSError:  # lost meanwhile: the photo comes back without a file
        logger.warning("Photo %s: private original missing when shown again", photo.pk)
        return None
    photo.image.save("original.jpg", ContentFile(data), save=False)
    stored.append((photo.image.storage, photo.image.name))
    photo.file_size = len(data)
    return data


def replace_private(photo: Photo, data: bytes, stored: list) -> list[tuple]:
    """A new original for a hidden photo goes to private storage too: it must not
    be served before the photo is shown again. Returns the old private file."""
    old = private_names(photo)
    name = private_storage().save(imaging.random_name("hidden", "jpg"), ContentFile(data))
    stored.append((private_storage(), name))
    photo.hidden_original = name
    return old


def private_names(photo: Photo) -> list[tuple]:
    """The (storage, name) of the private original of a hidden photo, if any."""
    return [(private_storage(), photo.hidden_original)] if photo.hidden_original else []


def _copy_to_private(photo: Photo) -> str:
    try:
        with photo.image.storage.open(photo.image.name, "rb") as original:
            return private_storage().save(imaging.random_name("hidden", "jpg"), original)
    except OSError:
        logger.warning("Photo %s: no original to keep while it is hidden", photo.pk)
        return ""
