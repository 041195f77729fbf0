"""Uploaded media served by Django, for development and tests only (``SERVE_MEDIA``).

Files are read through the Storage API (``default_storage``), never from a local
path, so this works whatever backend holds the media: the file system, memory
(tests) or object storage. In production the web server, the bucket or a CDN
serves media and this view is not routed.

Only raster image types are served inline; anything else is a download
(``application/octet-stream``, ``Content-Disposition: attachment``), so that a
stray HTML or SVG file can never run as a page of the site."""

import posixpath

from django.core.exceptions import SuspiciousFileOperation
from django.core.files import File
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from django.views.static import was_modified_since

INLINE_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
}


def storage_name(path: str) -> str | None:
    """The storage name a URL path stands for, or None when it tries to leave the
    media root (``..``), is absolute, or carries odd characters."""
    if not path or "\\" in path or "\x00" in path or path.startswith("/"):
        return None
    parts = path.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return None
    return posixpath.join(*parts)


@require_safe
def serve_media(request, path: str):
    name = storage_name(path)
    if name is None:
        raise Http404("Not found")
    try:
        if not default_storage.exists(name):
            raise Http404("Not found")
        modified = _modified_time(name)
        if modified is not None and not was_modified_since(
            request.META.get("HTTP_IF_MODIFIED_SINCE"), modified
        ):
            return HttpResponseNotModified()
        size = default_storage.size(name)
        # Streamed through a wrapper of its own: the WSGI handler replaces close()
        # on what it streams, and a storage may hand every caller the same object
        # (InMemoryStorage does), which would then end this response when closed.
        handle = File(default_storage.open(name, "rb"))
    except (OSError, SuspiciousFileOperation) as exc:  # gone, a folder, outside the root
        raise Http404("Not found") from exc
    filename = posixpath.basename(name)
    content_type = INLINE_TYPES.get(posixpath.splitext(filename)[1].lower())
    response = FileResponse(
        handle,
        content_type=content_type or "application/octet-stream",
        as_attachment=content_type is None,
        filename=filename,
    )
    response["Content-Length"] = str(size)
    response["X-Content-Type-Options"] = "nosniff"
    if modified is not None:
        response["Last-Modified"] = http_date(modified)
    return response


def _modified_time(name: str) -> float | None:
    try:
        return default_storage.get_modified_time(name).timestamp()
    except (NotImplementedError, OSError):
        return None
