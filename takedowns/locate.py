"""Finding the photos a sender means from the addresses they paste: an article
page (its lead photo, gallery and photos in the text), an image file or one of
its renditions, or a "Signaler cette photo" link."""

import datetime
from urllib.parse import parse_qs, unquote, urlsplit

from django.conf import settings
from django.db.models import Q
from django.urls import Resolver404, resolve

from articles.models import Article
from photos.models import Photo


def site_hosts(extra: str = "") -> set[str]:
    hosts = {urlsplit(settings.SITE_URL).hostname or ""}
    hosts |= {h.lstrip(".") for h in settings.ALLOWED_HOSTS if h and h != "*"}
    if extra:
        hosts.add(extra.split(":")[0])
    return {h.lower() for h in hosts if h}


def is_site_url(url: str, request_host: str = "") -> bool:
    parts = urlsplit(url.strip())
    if not parts.scheme and not parts.netloc:
        return url.strip().startswith("/")
    return parts.scheme in ("http", "https") and (parts.hostname or "") in site_hosts(request_host)


def photos_for_url(url: str) -> list[Photo]:
    """The photos shown at a URL of this site (empty when none can be told)."""
    parts = urlsplit(url.strip())
    path = unquote(parts.path or "/")
    if path.startswith(settings.MEDIA_URL):
        name = path[len(settings.MEDIA_URL) :]
        return list(Photo.objects.filter(Q(image=name) | Q(renditions__file=name)).distinct())
    try:
        match = resolve(path)
    except Resolver404:
        return []
    if match.view_name == "articles:detail":
        try:
            day = datetime.date(
                int(match.kwargs["year"]), int(match.kwargs["month"]), int(match.kwargs["day"])
            )
        except ValueError:
            return []
        article = (
            Article.objects.published()
            .filter(publication_date=day, slug=match.kwargs["slug"])
            .select_related("lead_photo")
            .first()
        )
        if article is None:
            return []
        photos = [article.lead_photo] if article.lead_photo else []
        photos += [item.photo for item in article.gallery_items.select_related("photo")]
        photos += list(article.body_photos.all())
        return list(dict.fromkeys(photos))
    if match.view_name == "takedowns:notice":
        ids = [v for v in parse_qs(parts.query).get("photo", []) if v.isdigit()]
        return list(Photo.objects.filter(pk__in=ids))
    return []
