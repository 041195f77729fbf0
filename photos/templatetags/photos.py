"""One way to show a photo anywhere on the site: with its credit line and a
link to report it, or a neutral placeholder when it may not be shown.

A photo is shown only when readers may see it *and* it has a public file: a
hidden or withdrawn photo has none (its files left public storage), so no tag
here ever emits a URL for it, nor a URL that would answer 404.

Renditions are read with ``photo.renditions.all()``, so a list of photos
prefetched with ``prefetch_related("renditions")`` costs no query per photo."""

from urllib.parse import urlsplit

from django import template

from config.site_url import site_url

register = template.Library()


def _showable(photo) -> bool:
    return photo is not None and photo.is_visible and bool(photo.image)


@register.inclusion_tag("photos/includes/photo.html")
def photo(photo, css_class="", sizes="100vw", caption=True):
    return {
        "photo": photo,
        "visible": _showable(photo),
        "css_class": css_class,
        "sizes": sizes,
        "show_caption": caption,
    }


@register.filter
def absolute_media_url(url: str) -> str:
    """A media URL made absolute (feeds, og:image): object storage (S3, a CDN)
    gives absolute URLs already; files on disk have site-relative ones, made
    absolute with the site's address (the request's in development)."""
    if not url or urlsplit(url).scheme or url.startswith("//"):
        return url
    return site_url() + url


@register.filter
def visible_photo(photo):
    """The photo if readers may see it and it has a public file, else None (for
    thumbnails and meta tags)."""
    return photo if _showable(photo) else None


def _renditions(photo, fmt: str) -> list:
    return sorted((r for r in photo.renditions.all() if r.format == fmt), key=lambda r: r.width)


@register.simple_tag
def photo_sources(photo):
    """What ``<picture>`` needs: WebP and JPEG ``srcset`` strings and a fallback
    ``src`` (a middle-sized JPEG, or the original when there are no renditions)."""
    jpegs, webps = _renditions(photo, "jpeg"), _renditions(photo, "webp")
    fallback = next((r for r in jpegs if r.width >= 960), jpegs[-1] if jpegs else None)
    return {
        "webp_srcset": ", ".join(f"{r.file.url} {r.width}w" for r in webps),
        "jpeg_srcset": ", ".join(f"{r.file.url} {r.width}w" for r in jpegs),
        "src": fallback.file.url if fallback else photo.image.url,
    }


@register.filter
def rendition_url(photo, width=480):
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
