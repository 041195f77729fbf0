"""One way to show a photo anywhere on the site: with its credit line and a
link to report it, or a neutral placeholder when it may not be shown
(``photos/figure.py``), and the filters of thumbnails and meta tags
(``photos/display.py``)."""

from urllib.parse import urlsplit

from django import template

from config.site_url import site_url
from photos.display import photo_sources, rendition_url, visible_photo
from photos.figure import figure

register = template.Library()
register.simple_tag(figure, name="photo")
register.filter("visible_photo", visible_photo)
register.filter("rendition_url", rendition_url)

__all__ = ["absolute_media_url", "figure", "photo_sources", "rendition_url", "visible_photo"]


@register.filter
def absolute_media_url(url: str) -> str:
    """A media URL made absolute (feeds, og:image): object storage (S3, a CDN)
    gives absolute URLs already; files on disk have site-relative ones, made
    absolute with the site's address (the request's in development)."""
    if not url or urlsplit(url).scheme or url.startswith("//"):
        return url
    return site_url() + url
