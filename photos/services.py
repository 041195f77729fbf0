"""State changes with side effects on photos: uploading, renditions, hiding,
withdrawing. The admin, the management commands and the bench all go through
these functions, so the rules hold whichever door a photo comes in by.

Storage is reached only through the Storage API (never a local path): the
site may move its media to object storage.

This module is their public face: :mod:`photos.intake` (uploads and new
files), :mod:`photos.renditions` (sizes, encoding, storing),
:mod:`photos.withdrawal` (hiding, withdrawing, restoring, expired licences),
:mod:`photos.credits` (credit corrections, what may be published), on
:mod:`photos.file_transactions` (storage kept in step with the database);
:mod:`photos.tasks` decides where renditions are made."""

from photos.credits import check_publishable, photo_problems, update_credits
from photos.intake import (
    WITHDRAWN_NO_NEW_FILE,
    add_photo,
    prepare_upload,
    replace_image,
    upload_photo,
    withdrawn_hashes,
)
from photos.renditions import (
    RenditionImage,
    ensure_renditions,
    render_renditions,
    rendition_sizes,
)
from photos.withdrawal import (
    discard_private_copy,
    hide_photo,
    restore_photo,
    unhide_photo,
    withdraw_expired_licences,
    withdraw_photo,
)

__all__ = [
    "WITHDRAWN_NO_NEW_FILE",
    "RenditionImage",
    "add_photo",
    "check_publishable",
    "discard_private_copy",
    "ensure_renditions",
    "hide_photo",
    "photo_problems",
    "prepare_upload",
    "render_renditions",
    "rendition_sizes",
    "replace_image",
    "restore_photo",
    "unhide_photo",
    "update_credits",
    "upload_photo",
    "withdraw_expired_licences",
    "withdraw_photo",
    "withdrawn_hashes",
]
