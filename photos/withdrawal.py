"""Photos leaving the site and coming back: hidden while a request is examined
(and shown again), withdrawn for good (or restored from a private copy), and
withdrawn when their licence ends."""

import logging

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from photos import hiding, imaging, tasks
from photos.file_transactions import (
    delete_on_commit,
    lock_photo,
    removing_files_on_error,
    stored_names,
)
from photos.models import Photo, private_storage

logger = logging.getLogger(__name__)


def hide_photo(*, photo: Photo, by: AbstractBaseUser | None = None, reason: str = "") -> Photo:
    """Take a photo off every page while a request about it is examined. Its files
    leave public storage once the transaction commits (every URL it had answers
    404); the original waits in private storage for ``unhide_photo``. Hiding an
    already hidden photo whose files are still public moves them."""
    with removing_files_on_error() as stored, transaction.atomic():
        lock_photo(photo)
        hidden = photo.status == Photo.Status.HIDDEN
        if photo.status == Photo.Status.VISIBLE or (hidden and photo.image):
            public = hiding.move_to_private(photo, stored)
            photo.status = Photo.Status.HIDDEN
            photo.save()
            delete_on_commit(public)
            logger.info("Photo %s hidden by %s: %s", photo.pk, by, reason)
    return photo


def unhide_photo(*, photo: Photo, by: AbstractBaseUser | None = None) -> Photo:
    """Show a hidden photo again: its original goes back to public storage under
    a new name (the URLs it had stay dead) and its renditions are made again."""
    with removing_files_on_error() as stored, transaction.atomic():
        lock_photo(photo)
        if photo.status == Photo.Status.WITHDRAWN:
            raise ValidationError(
                _("La photo « %(photo)s » a été retirée : ses fichiers n'existent plus.")
                % {"photo": photo},
                code="withdrawn",
            )
        if photo.status == Photo.Status.HIDDEN:
            data = hiding.bring_back(photo, stored)
            private = hiding.private_names(photo)
            photo.hidden_original = ""
            photo.status = Photo.Status.VISIBLE
            photo.save()
            if data is not None:
                tasks.renditions_now_or_later(photo, data, stored)
            delete_on_commit(private)
            logger.info("Photo %s shown again by %s", photo.pk, by)
    return photo


def withdraw_photo(
    *,
    photo: Photo,
    by: AbstractBaseUser | None = None,
    reason: str = "",
    keep_private_copy: bool = False,
    case_reference: str = "",
) -> Photo:
    """Remove a photo for good: its original and renditions are deleted from
    storage (so their URLs answer 404), the row stays as a record of what was
    withdrawn and why, and keeps its perceptual hash to refuse re-uploads.
    Files are deleted once the transaction commits, so a rollback loses nothing.

    With ``keep_private_copy``, the original's bytes are first copied to private
    storage (never served) so that ``restore_photo`` can undo a mistaken
    withdrawal; ``discard_private_copy`` deletes that copy when the case is closed.
    ``case_reference`` names the rights holder's request that led to it."""
    with removing_files_on_error() as stored, transaction.atomic():
        lock_photo(photo)
        if keep_private_copy and not photo.private_copy:
            _keep_private_copy(photo, stored)
        names = stored_names(photo) + hiding.private_names(photo)
        photo.renditions.all().delete()
        photo.image = ""
        photo.hidden_original = ""
        photo.status = Photo.Status.WITHDRAWN
        photo.withdrawn_at = photo.withdrawn_at or timezone.now()
        photo.withdrawn_reason = reason[:500]
        photo.withdrawn_case = case_reference[:20]
        photo.save()
        delete_on_commit(names)
        logger.info("Photo %s withdrawn by %s: %s", photo.pk, by, reason)
    return photo


def _keep_private_copy(photo: Photo, stored: list) -> None:
    """The original's bytes, kept in private storage for ``restore_photo``. A
    hidden photo's original is there already: it just changes hands."""
    if photo.hidden_original:
        photo.private_copy, photo.hidden_original = photo.hidden_original, ""
        return
    if not photo.image:
        return
    private = private_storage()
    try:
        with photo.image.storage.open(photo.image.name, "rb") as original:
            name = private.save(imaging.random_name("originals", "jpg"), original)
    except OSError:  # a missing original must not block a takedown
        logger.warning("Photo %s: no original to keep before withdrawal", photo.pk)
    else:
        stored.append((private, name))
        photo.private_copy = name


def restore_photo(*, photo: Photo, by: AbstractBaseUser | None = None) -> Photo:
    """Undo a withdrawal from the private copy: the original goes back to public
    storage under a new unguessable name (the old URLs stay dead), renditions are
    made again and the photo is visible. The private copy is kept until
    ``discard_private_copy``."""
    with removing_files_on_error() as stored, transaction.atomic():
        lock_photo(photo)
        if photo.status != Photo.Status.WITHDRAWN or not photo.private_copy:
            raise ValidationError(
                _(
                    "La photo « %(photo)s » n'a pas de copie conservée : elle ne peut pas être "
                    "remise en ligne."
                )
                % {"photo": photo},
                code="no_private_copy",
            )
        with private_storage().open(photo.private_copy, "rb") as copy:
            data = copy.read()
        photo.image.save("original.jpg", ContentFile(data), save=False)
        stored.append((photo.image.storage, photo.image.name))
        photo.file_size = len(data)
        photo.status = Photo.Status.VISIBLE
        photo.withdrawn_at = None
        photo.withdrawn_reason = ""
        photo.withdrawn_case = ""
        photo.save()
        tasks.renditions_now_or_later(photo, data, stored)
        logger.info("Photo %s restored by %s", photo.pk, by)
    return photo


def discard_private_copy(*, photo: Photo) -> Photo:
    """Delete the private copy of a withdrawn photo (once its case is closed)."""
    with transaction.atomic():
        lock_photo(photo)
        if photo.private_copy:
            delete_on_commit([(private_storage(), photo.private_copy)])
            photo.private_copy = ""
            photo.save(update_fields=["private_copy", "updated_at"])
    return photo


def withdraw_expired_licences(*, dry_run: bool = False) -> list[Photo]:
    """Withdraw the photos whose licence ended before today (site time zone)."""
    expired = list(
        Photo.objects.licence_expired().exclude(status=Photo.Status.WITHDRAWN).order_by("pk")
    )
    if dry_run:
        return expired
    for photo in expired:
        reason = _("Fin des droits le %(date)s.") % {
            "date": formats.date_format(photo.licence_end, "SHORT_DATE_FORMAT")
        }
        withdraw_photo(photo=photo, reason=reason)
    return expired
