"""The ``Photo`` rows of an import: what a spec must hold for its row, the row as
``Photo.save()`` would complete it, an existing photo's empty credit, caption
and alt text filled in, and the articles that show changed photos."""

from __future__ import annotations

from django.db import models
from django.utils.text import Truncator

from articles.models import Article
from imports.credits import credit_names
from imports.photo_files.prepared import PreparedPhoto
from imports.records import PhotoSpec, RecordError
from photos.models import Photo, credit_slug

FILLED_FIELDS = ["credit", "caption", "alt_text", "photographer", "agency"]
FILLED_FIELDS += ["photographer_slug", "agency_slug", "updated_at"]


def articles_showing(photo_ids: list[int]) -> list[int]:
    using = (
        models.Q(lead_photo__in=photo_ids)
        | models.Q(gallery__in=photo_ids)
        | models.Q(body_photos__in=photo_ids)
    )
    return list(Article.objects.filter(using).values_list("pk", flat=True).distinct())


def check_spec(spec: PhotoSpec) -> None:
    """What the rows need and a reader may not have checked (the database's
    constraints would refuse the whole batch)."""
    if spec.licence not in Photo.LicenceKind.values:
        raise RecordError(f"photo « {spec.file} » : licence inconnue « {spec.licence} »")
    if spec.source not in Photo.Source.values:
        raise RecordError(f"photo « {spec.file} » : provenance inconnue « {spec.source} »")
    limit = Photo._meta.get_field("credit").max_length
    if len(spec.credit.strip()) > limit:
        raise RecordError(
            f"photo « {spec.file} » : crédit trop long ({len(spec.credit.strip())} caractères, "
            f"{limit} au plus)"
        )


def new_row(photo: PreparedPhoto, repeats: list[PhotoSpec]) -> Photo:
    """The Photo row as ``Photo.save()`` would complete it (bulk_create skips it)."""
    spec, image = photo.spec, photo.image
    row = Photo(
        image=photo.original_name,
        title=cut(spec.title, "title"),
        licence_kind=spec.licence,
        licence_notes=spec.licence_notes,
        licence_end=spec.licence_end,
        source=spec.source,
        width=image.width,
        height=image.height,
        file_size=len(image.data),
        phash=image.phash,
        lookup_hash=image.lookup_hash,
    )
    for each in [spec, *repeats]:
        fill(row, each)
    return row


def fill(photo: Photo, spec: PhotoSpec) -> bool:
    """Fill the photo's empty credit, caption and alt text from ``spec`` (alt text:
    the spec's, else its caption, else its title); True if anything changed."""
    values = {
        "credit": spec.credit.strip(),
        "caption": cut(spec.caption, "caption"),
        "alt_text": cut(spec.alt or spec.caption or spec.title, "alt_text"),
    }
    empty = {
        name: value for name, value in values.items() if value and not getattr(photo, name).strip()
    }
    for name, value in empty.items():
        setattr(photo, name, value)
    if "credit" in empty:
        photographer, agency = credit_names(photo.credit)
        photo.photographer = photo.photographer or photographer
        photo.agency = photo.agency or agency
        photo.photographer_slug = credit_slug(photo.photographer)
        photo.agency_slug = credit_slug(photo.agency)
    return bool(empty)


def cut(text: str, name: str) -> str:
    """Descriptions longer than the field are shortened at a word, with « … »."""
    return Truncator(text.strip()).chars(Photo._meta.get_field(name).max_length)
