"""The photos' admin, one module per part: the photo admin (``photo``), its
list's filters (``filters``) and actions (``actions``), the page that adds
several photos at once (``several_files``) and what an editor is told after
saving a photo (``upload_notices``); the queue of photos to credit is
``photos.admin_queue``. Importing the package registers them all, as Django's
admin autodiscovery expects of ``photos.admin``."""

from photos import admin_queue  # noqa: F401 (registers the credit queue)
from photos.admin.actions import PhotoActions
from photos.admin.filters import CreditFilter, LicenceFilter
from photos.admin.photo import PhotoAdmin
from photos.admin.several_files import SeveralFiles
from photos.admin.upload_notices import LICENCE_SOON_DAYS, upload_warnings

__all__ = [
    "LICENCE_SOON_DAYS",
    "CreditFilter",
    "LicenceFilter",
    "PhotoActions",
    "PhotoAdmin",
    "SeveralFiles",
    "upload_warnings",
]
