"""Deciding whether an uploaded file may become a photo, before anything is stored.

Checks run from the cheapest to the most expensive, and nothing is decoded
until the pixel count read from the header is known to be within the limit:
a small compressed file can otherwise expand to gigabytes (a "decompression
bomb"). Only Pillow's JPEG, PNG, WebP and GIF parsers ever see the file."""

import os
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from photos import imaging

FORMATS_BY_EXTENSION = {
    ".jpg": "JPEG",
    ".jpeg": "JPEG",
    ".png": "PNG",
    ".webp": "WEBP",
    ".gif": "GIF",
}
ACCEPTED_FORMATS = sorted(set(FORMATS_BY_EXTENSION.values()))
FORMAT_NAMES = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}
ACCEPT_ATTRIBUTE = ",".join(["image/jpeg", "image/png", "image/webp", "image/gif"])
# Markup (SVG, HTML, XML) starts with "<" once a byte-order mark and blanks are gone.
_SNIFF_BYTES = 512


def validate_upload(upload: File) -> imaging.PreparedImage:
    """Check an uploaded file and return it cleaned and re-encoded, or raise a
    ValidationError whose message tells the editor what is wrong, in French."""
    _check_size(upload)
    extension = _check_extension(upload.name or "")
    _check_not_markup(upload)
    with _opened(upload) as image:
        _check_format(image.format, extension)
        _check_pixels(image.width, image.height)
        try:
            image.verify()
        except Exception as exc:  # Pillow raises many types for damaged files
            raise _damaged() from exc
    with _opened(upload) as image:
        try:
            image.load()
        except Exception as exc:
            raise _damaged() from exc
        return imaging.prepare(image, image.format)


def _check_size(upload: File) -> None:
    size = upload.size
    if not size:
        raise ValidationError(_("Le fichier est vide."), code="empty")
    limit = settings.PHOTO_MAX_UPLOAD_BYTES
    if size > limit:
        raise ValidationError(
            _("Le fichier est trop lourd (%(size)s) : la limite est de %(limit)s.")
            % {"size": megabytes(size), "limit": megabytes(limit)},
            code="too_large",
        )


def megabytes(size: int) -> str:
    # "Mo" rather than filesizeformat's "Mio": the unit editors know.
    return _("%(n)s Mo") % {"n": number_format(size / 1024 / 1024, 1)}


def _check_extension(name: str) -> str:
    extension = os.path.splitext(name)[1].lower()
    if extension not in FORMATS_BY_EXTENSION:
        raise ValidationError(
            _(
                "Le fichier « %(name)s » n'a pas une extension d'image acceptée "
                "(.jpg, .jpeg, .png, .webp ou .gif)."
            )
            % {"name": os.path.basename(name)},
            code="extension",
        )
    return extension


def _check_not_markup(upload: File) -> None:
    upload.seek(0)
    head = upload.read(_SNIFF_BYTES)
    upload.seek(0)
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise ValidationError(
            _(
                "Ce fichier est un document texte (SVG, HTML ou XML) déguisé en image. "
                "Seules les photos JPEG, PNG, WebP et GIF sont acceptées."
            ),
            code="markup",
        )


@contextmanager
def _opened(upload: File) -> Iterator[Image.Image]:
    """Open lazily: Pillow reads the header only, the pixels are not decoded yet."""
    upload.seek(0)
    try:
        image = Image.open(upload, formats=ACCEPTED_FORMATS)
    except Image.DecompressionBombError as exc:
        raise _too_many_pixels(None, None) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ValidationError(
            _("Ce fichier n'est pas une image JPEG, PNG, WebP ou GIF lisible."),
            code="unreadable",
        ) from exc
    try:
        yield image
    finally:
        # Not image.close(): it would close the upload, which Pillow does not own.
        upload.seek(0)


def _check_format(actual: str, extension: str) -> None:
    expected = FORMATS_BY_EXTENSION[extension]
    if actual != expected:
        raise ValidationError(
            _(
                "Le contenu de ce fichier est une image %(actual)s, mais son nom se termine "
                "par « %(extension)s ». Renommez-le ou enregistrez-le au bon format."
            )
            % {"actual": FORMAT_NAMES.get(actual, actual), "extension": extension},
            code="extension_mismatch",
        )


def _check_pixels(width: int, height: int) -> None:
    if width * height > settings.PHOTO_MAX_PIXELS:
        raise _too_many_pixels(width, height)


def _too_many_pixels(width: int | None, height: int | None) -> ValidationError:
    limit = settings.PHOTO_MAX_PIXELS / 1_000_000
    if width is None:
        size = _("L'image est bien trop grande")
    else:
        size = _("L'image est trop grande : %(w)s × %(h)s pixels (%(mp)s mégapixels)") % {
            "w": width,
            "h": height,
            "mp": f"{width * height / 1_000_000:.0f}",
        }
    return ValidationError(
        _("%(size)s ; la limite est de %(limit)s mégapixels.")
        % {"size": size, "limit": f"{limit:g}"},
        code="too_many_pixels",
    )


def _damaged() -> ValidationError:
    return ValidationError(
        _(
            "L'image est incomplète ou endommagée (fichier tronqué ?) : "
            "elle ne peut pas être lue entièrement."
        ),
        code="damaged",
    )
