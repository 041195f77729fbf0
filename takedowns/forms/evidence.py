"""Proof files sent with a notice: the accepted types, the check of each file
(its content must match its extension) and the field taking several of them."""

import hashlib
import os

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image

from photos.validation import megabytes

# Accepted proof files: extension -> (content type, what the first bytes must be).
EVIDENCE_TYPES = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}
EVIDENCE_ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


def check_evidence(upload) -> tuple[str, str]:
    """(content type, sha256) of an acceptable proof file, or a ValidationError
    naming the file: PDF, JPEG or PNG whose content matches its extension."""
    name = os.path.basename(upload.name or "")
    extension = os.path.splitext(name)[1].lower()
    if extension not in EVIDENCE_TYPES:
        raise ValidationError(
            _("« %(name)s » : seuls les fichiers PDF, JPEG et PNG sont acceptés.") % {"name": name},
            code="extension",
        )
    if not upload.size:
        raise ValidationError(_("« %(name)s » est vide.") % {"name": name}, code="empty")
    limit = settings.TAKEDOWN_MAX_FILE_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("« %(name)s » est trop lourd (%(size)s) : %(limit)s au plus par fichier.")
            % {"name": name, "size": megabytes(upload.size), "limit": megabytes(limit)},
            code="too_large",
        )
    content_type, signatures = EVIDENCE_TYPES[extension]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    mismatch = ValidationError(
        _(
            "« %(name)s » n'est pas un vrai fichier %(kind)s : son contenu ne correspond "
            "pas à son extension."
        )
        % {"name": name, "kind": extension.lstrip(".").upper().replace("JPEG", "JPG")},
        code="content",
    )
    if not head.startswith(signatures):
        raise mismatch
    if content_type.startswith("image/"):
        try:
            with Image.open(upload, formats=["JPEG" if "jpeg" in content_type else "PNG"]) as im:
                im.verify()
        except Exception as exc:  # Pillow raises many types for damaged files
            raise mismatch from exc
        finally:
            upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return content_type, digest.hexdigest()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several proof files; each is checked and named in its error message."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = EVIDENCE_ACCEPT

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            return []
        if len(files) > settings.TAKEDOWN_MAX_FILES:
            raise ValidationError(
                _("%(n)d fichiers au plus.") % {"n": settings.TAKEDOWN_MAX_FILES}, code="count"
            )
        errors, accepted = [], []
        for upload in files:
            try:
                content_type, digest = check_evidence(upload)
            except ValidationError as error:
                errors.extend(error.messages)
            else:
                accepted.append((upload, content_type, digest))
        if errors:
            raise ValidationError(errors)
        return accepted
