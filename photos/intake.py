"""Photos coming in: a new photo's file validated, checked against the
withdrawn pictures and stored, and a new file for an existing photo."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from photos import hiding, imaging, tasks
from photos.file_transactions import (
    delete_on_commit,
    lock_photo,
    removing_files_on_error,
    stored_names,
)
from photos.models import Photo
from photos.validation import validate_upload

WITHDRAWN_NO_NEW_FILE = gettext_lazy(
    "Une photo retirée ne reçoit plus de fichier : ajoutez une nouvelle photo, "
    "dont les droits sont établis."
)


def prepare_upload(
    file: File | imaging.PreparedImage, *, withdrawn: Iterable[tuple[int, str]] | None = None
) -> imaging.PreparedImage:
    """Validate and clean an uploaded file, and refuse a picture that was withdrawn
    before: a photo taken down at a rights holder's request must not come back.

    ``withdrawn``: the (pk, phash) of the withdrawn photos, when the caller has
    them already (an import checks thousands of files against one read)."""
    prepared = file if isinstance(file, imaging.PreparedImage) else validate_upload(file)
    if withdrawn is None:
        withdrawn = withdrawn_hashes()
    close = sorted(
        (distance, pk)
        for pk, phash in withdrawn
        if (distance := imaging.hamming(prepared.phash, phash)) <= settings.PHOTO_DUPLICATE_DISTANCE
    )
    if close:
        photo = Photo.objects.get(pk=close[0][1])
        raise ValidationError(
            _(
                "Cette image ressemble à une photo retirée (« %(title)s », crédit : "
                "« %(credit)s », n° %(pk)s) : elle ne peut pas être remise en ligne."
            )
            % {"title": str(photo), "credit": photo.credit or "—", "pk": photo.pk},
            code="withdrawn_duplicate",
        )
    return prepared


def withdrawn_hashes() -> list[tuple[int, str]]:
    """(pk, perceptual hash) of every withdrawn photo: pictures that may not come back."""
    return list(
        Photo.objects.filter(status=Photo.Status.WITHDRAWN)
        .exclude(phash="")
        .values_list("pk", "phash")
    )


def upload_photo(
    *,
    file: File | imaging.PreparedImage,
    alt_text: str,
    credit: str = "",
    title: str = "",
    caption: str = "",
    photographer: str = "",
    agency: str = "",
    source: str = Photo.Source.PRESS_KIT,
    licence_kind: str = Photo.LicenceKind.PRESS,
    licence_start: datetime.date | None = None,
    licence_end: datetime.date | None = None,
    licence_notes: str = "",
    uploaded_by: AbstractBaseUser | None = None,
) -> Photo:
    photo = Photo(
        alt_text=alt_text,
        credit=credit,
        title=title,
        caption=caption,
        photographer=photographer,
        agency=agency,
        source=source,
        licence_kind=licence_kind,
        licence_start=licence_start,
        licence_end=licence_end,
        licence_notes=licence_notes,
    )
    photo.full_clean(exclude=["image"])
    return add_photo(photo=photo, file=file, uploaded_by=uploaded_by)


def add_photo(
    *,
    photo: Photo,
    file: File | imaging.PreparedImage,
    uploaded_by: AbstractBaseUser | None = None,
) -> Photo:
    """Store a new photo (its metadata already set on ``photo``) with its renditions
    (made by a task worker, if one is configured)."""
    prepared = prepare_upload(file)
    photo.uploaded_by = uploaded_by
    with removing_files_on_error() as stored, transaction.atomic():
        _store_original(photo, prepared, stored)
        photo.save()
        tasks.renditions_now_or_later(photo, prepared.data, stored)
    return photo


def replace_image(*, photo: Photo, file: File | imaging.PreparedImage) -> Photo:
    """A new file for an existing photo (same credit, same articles)."""
    if photo.status == Photo.Status.WITHDRAWN:
        raise ValidationError(WITHDRAWN_NO_NEW_FILE, code="withdrawn")
    prepared = prepare_upload(file)
    if photo.status == Photo.Status.HIDDEN:
        return _replace_hidden_image(photo, prepared)
    old = stored_names(photo)
    with removing_files_on_error() as stored, transaction.atomic():
        photo.renditions.all().delete()
        _store_original(photo, prepared, stored)
        photo.save()
        tasks.renditions_now_or_later(photo, prepared.data, stored)
        delete_on_commit(old)
    return photo


def _replace_hidden_image(photo: Photo, prepared: imaging.PreparedImage) -> Photo:
    """A new file for a hidden photo stays private until the photo is shown again."""
    with removing_files_on_error() as stored, transaction.atomic():
        lock_photo(photo)
        old = hiding.replace_private(photo, prepared.data, stored)
        photo.width, photo.height = prepared.width, prepared.height
        photo.file_size, photo.phash = len(prepared.data), prepared.phash
        photo.lookup_hash = prepared.lookup_hash
        photo.save()
        delete_on_commit(old)
    return photo


def _store_original(photo: Photo, prepared: imaging.PreparedImage, stored: list) -> None:
    photo.image.save("original.jpg", ContentFile(prepared.data), save=False)
    stored.append((photo.image.storage, photo.image.name))
    photo.width, photo.height = prepared.width, prepared.height
    photo.file_size = len(prepared.data)
    photo.phash = prepared.phash
    photo.lookup_hash = prepared.lookup_hash
