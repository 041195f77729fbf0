"""State changes with side effects on photos: uploading, renditions, hiding,
withdrawing. The admin, the management commands and the bench all go through
these functions, so the rules hold whichever door a photo comes in by.

Storage is reached only through the Storage API (never a local path): the
site may move its media to object storage."""

import datetime
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from photos import hiding, imaging
from photos.models import Photo, Rendition, private_storage, site_today
from photos.validation import validate_upload

logger = logging.getLogger(__name__)

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
    with _removing_files_on_error() as stored, transaction.atomic():
        _store_original(photo, prepared, stored)
        photo.save()
        _renditions_now_or_later(photo, prepared.data, stored)
    return photo


def replace_image(*, photo: Photo, file: File | imaging.PreparedImage) -> Photo:
    """A new file for an existing photo (same credit, same articles)."""
    if photo.status == Photo.Status.WITHDRAWN:
        raise ValidationError(WITHDRAWN_NO_NEW_FILE, code="withdrawn")
    prepared = prepare_upload(file)
    if photo.status == Photo.Status.HIDDEN:
        return _replace_hidden_image(photo, prepared)
    old = _stored_names(photo)
    with _removing_files_on_error() as stored, transaction.atomic():
        photo.renditions.all().delete()
        _store_original(photo, prepared, stored)
        photo.save()
        _renditions_now_or_later(photo, prepared.data, stored)
        _delete_on_commit(old)
    return photo


def ensure_renditions(*, photo: Photo) -> int:
    """Make the renditions a photo lacks (or whose file went missing); returns how
    many were made. Safe to run again: existing, present renditions are kept.
    Never for a hidden or withdrawn photo: its files must not be public."""
    with _removing_files_on_error() as stored, transaction.atomic():
        _lock(photo)  # a photo hidden meanwhile gets no public rendition
        if not photo.image or photo.status != Photo.Status.VISIBLE:
            return 0
        with photo.image.storage.open(photo.image.name, "rb") as original:
            return _make_renditions(photo, original, stored)


def hide_photo(*, photo: Photo, by: AbstractBaseUser | None = None, reason: str = "") -> Photo:
    """Take a photo off every page while a request about it is examined. Its files
    leave public storage once the transaction commits (every URL it had answers
    404); the original waits in private storage for ``unhide_photo``. Hiding an
    already hidden photo whose files are still public moves them."""
    with _removing_files_on_error() as stored, transaction.atomic():
        _lock(photo)
        hidden = photo.status == Photo.Status.HIDDEN
        if photo.status == Photo.Status.VISIBLE or (hidden and photo.image):
            public = hiding.move_to_private(photo, stored)
            photo.status = Photo.Status.HIDDEN
            photo.save()
            _delete_on_commit(public)
            logger.info("Photo %s hidden by %s: %s", photo.pk, by, reason)
    return photo


def unhide_photo(*, photo: Photo, by: AbstractBaseUser | None = None) -> Photo:
    """Show a hidden photo again: its original goes back to public storage under
    a new name (the URLs it had stay dead) and its renditions are made again."""
    with _removing_files_on_error() as stored, transaction.atomic():
        _lock(photo)
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
                _renditions_now_or_later(photo, data, stored)
            _delete_on_commit(private)
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
    with _removing_files_on_error() as stored, transaction.atomic():
        _lock(photo)
        if keep_private_copy and not photo.private_copy:
            _keep_private_copy(photo, stored)
        names = _stored_names(photo) + hiding.private_names(photo)
        photo.renditions.all().delete()
        photo.image = ""
        photo.hidden_original = ""
        photo.status = Photo.Status.WITHDRAWN
        photo.withdrawn_at = photo.withdrawn_at or timezone.now()
        photo.withdrawn_reason = reason[:500]
        photo.withdrawn_case = case_reference[:20]
        photo.save()
        _delete_on_commit(names)
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


def _replace_hidden_image(photo: Photo, prepared: imaging.PreparedImage) -> Photo:
    """A new file for a hidden photo stays private until the photo is shown again."""
    with _removing_files_on_error() as stored, transaction.atomic():
        _lock(photo)
        old = hiding.replace_private(photo, prepared.data, stored)
        photo.width, photo.height = prepared.width, prepared.height
        photo.file_size, photo.phash = len(prepared.data), prepared.phash
        photo.lookup_hash = prepared.lookup_hash
        photo.save()
        _delete_on_commit(old)
    return photo


def restore_photo(*, photo: Photo, by: AbstractBaseUser | None = None) -> Photo:
    """Undo a withdrawal from the private copy: the original goes back to public
    storage under a new unguessable name (the old URLs stay dead), renditions are
    made again and the photo is visible. The private copy is kept until
    ``discard_private_copy``."""
    with _removing_files_on_error() as stored, transaction.atomic():
        _lock(photo)
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
        _renditions_now_or_later(photo, data, stored)
        logger.info("Photo %s restored by %s", photo.pk, by)
    return photo


def discard_private_copy(*, photo: Photo) -> Photo:
    """Delete the private copy of a withdrawn photo (once its case is closed)."""
    with transaction.atomic():
        _lock(photo)
        if photo.private_copy:
            _delete_on_commit([(private_storage(), photo.private_copy)])
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


def update_credits(
    *,
    photos: Iterable[Photo],
    credit: str,
    photographer: str | None = None,
    agency: str | None = None,
    licence_kind: str | None = None,
    licence_end: datetime.date | None = None,
) -> int:
    """Correct the credit of several photos at once; ``None`` keeps a field as is.

    A ``licence_end`` before a photo's ``licence_start`` is refused for all of them."""
    photos = list(photos)
    if licence_end is not None:
        _check_licence_end(photos, licence_end)
    changes = {"credit": credit, "photographer": photographer, "agency": agency}
    changes |= {"licence_kind": licence_kind, "licence_end": licence_end}
    with transaction.atomic():
        for photo in photos:
            for name, value in changes.items():
                if value is not None:
                    setattr(photo, name, value)
            photo.save()  # one by one: save() recomputes the credits-page slugs
    return len(photos)


def _check_licence_end(photos: list[Photo], licence_end: datetime.date) -> None:
    early = [p for p in photos if p.licence_start and p.licence_start > licence_end]
    if early:
        raise ValidationError(
            _("La fin des droits précède leur début pour : %(photos)s.")
            % {"photos": ", ".join(f"« {p} »" for p in early)},
            code="licence_dates",
        )


def photo_problems(photo: Photo) -> list[str]:
    """Why this photo may not appear in a published article, in French; empty if it may."""
    name = str(photo) or _("n° %(pk)s") % {"pk": photo.pk}
    problems = []
    if not (photo.credit or "").strip():
        problems.append(_("La photo « %(name)s » n'a pas de crédit.") % {"name": name})
    if not (photo.alt_text or "").strip():
        problems.append(_("La photo « %(name)s » n'a pas de texte alternatif.") % {"name": name})
    if photo.status != Photo.Status.VISIBLE:
        problems.append(
            _("La photo « %(name)s » est %(status)s.")
            % {"name": name, "status": photo.get_status_display()}
        )
    if photo.licence_end and photo.licence_end < site_today():
        problems.append(
            _("Les droits de la photo « %(name)s » ont pris fin le %(date)s.")
            % {"name": name, "date": formats.date_format(photo.licence_end, "j F Y")}
        )
    return problems


def check_publishable(photos: Iterable[Photo]) -> list[str]:
    """Every problem preventing these photos from appearing in a published article."""
    seen, problems = set(), []
    for photo in photos:
        if photo is None or photo.pk in seen:
            continue
        seen.add(photo.pk)
        problems.extend(photo_problems(photo))
    return problems


# Storage helpers -------------------------------------------------------------


@contextmanager
def _removing_files_on_error() -> Iterator[list[tuple]]:
    """Collects the (storage, name) of files stored inside the block and deletes
    them if the block fails: the database rolls back, storage does not."""
    stored: list[tuple] = []
    try:
        yield stored
    except BaseException:
        for storage, name in stored:
            storage.delete(name)
        raise


def _lock(photo: Photo) -> None:
    """Re-read the caller's photo under a row lock: two editors acting at once
    must not interleave a withdrawal and an unhide."""
    photo.refresh_from_db(from_queryset=Photo.objects.select_for_update())


def _store_original(photo: Photo, prepared: imaging.PreparedImage, stored: list) -> None:
    photo.image.save("original.jpg", ContentFile(prepared.data), save=False)
    stored.append((photo.image.storage, photo.image.name))
    photo.width, photo.height = prepared.width, prepared.height
    photo.file_size = len(prepared.data)
    photo.phash = prepared.phash
    photo.lookup_hash = prepared.lookup_hash


def _renditions_now_or_later(photo: Photo, original: bytes, stored: list) -> None:
    """With tasks run inline (the default), make the renditions right here, in the
    caller's transaction, from the bytes in hand: the photo is complete when the
    caller returns and a failure rolls everything back. With a worker, ask it for
    them once the photo is committed; pages show the original until they arrive."""
    from photos import tasks

    if tasks.runs_inline(tasks.generate_renditions):
        _make_renditions(photo, original, stored)
    else:
        photo_id = photo.pk
        transaction.on_commit(lambda: tasks.generate_renditions.enqueue(photo_id))


def _make_renditions(photo: Photo, original, stored: list) -> int:
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


def _stored_names(photo: Photo) -> list[tuple]:
    names = [(photo.image.storage, photo.image.name)] if photo.image else []
    names += [(r.file.storage, r.file.name) for r in photo.renditions.all() if r.file]
    return names


def _delete_on_commit(names: list[tuple]) -> None:
    def delete():
        for storage, name in names:
            storage.delete(name)

    transaction.on_commit(delete)
