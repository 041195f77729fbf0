"""What readers may see of a photo: whether it may be shown at all, and the
URLs of its files (sources of a ``<picture>``, a thumbnail's rendition).

A photo is shown only when readers may see it *and* it has a public file: a
hidden or withdrawn photo has none (its files left public storage), so nothing
here ever gives a URL for it, nor a URL that would answer 404.

Renditions are read with ``photo.renditions.all()``, so a list of photos
prefetched with ``prefetch_related("renditions")`` costs no query per photo."""


def showable(photo) -> bool:
    return photo is not None and photo.is_visible and bool(photo.image)


def visible_photo(photo):
    """The photo if readers may see it and it has a public file, else None (for
    thumbnails and meta tags)."""
    return photo if showable(photo) else None


def _renditions(photo, fmt: str) -> list:
    return sorted((r for r in photo.renditions.all() if r.format == fmt), key=lambda r: r.width)


def photo_sources(photo) -> dict:
    """What ``<picture>`` needs: WebP and JPEG ``srcset`` strings and a fallback
    ``src`` (a middle-sized JPEG, or the original when there are no renditions)."""
    jpegs, webps = _renditions(photo, "jpeg"), _renditions(photo, "webp")
    fallback = next((r for r in jpegs if r.width >= 960), jpegs[-1] if jpegs else None)
    return {
        "webp_srcset": ", ".join(f"{r.file.url} {r.width}w" for r in webps),
        "jpeg_srcset": ", ".join(f"{r.file.url} {r.width}w" for r in jpegs),
        "src": fallback.file.url if fallback else photo.image.url,
    }


def rendition_url(photo, width=480) -> str:
    """URL of the smallest JPEG rendition at least ``width`` pixels wide (the
    largest one if none is that wide, the original if there are none), for
    thumbnails: ``{{ photo|rendition_url:480 }}``. Does not check visibility:
    combine with ``visible_photo``."""
    if photo is None or not photo.image:
        return ""
    jpegs = _renditions(photo, "jpeg")
    if not jpegs:
        return photo.image.url
    return next((r for r in jpegs if r.width >= int(width)), jpegs[-1]).file.url
