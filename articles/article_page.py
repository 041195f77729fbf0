"""What the article page reads: the page most readers see (they arrive from a
search engine on one old article, never in a page cache), so its queries are
prepared (``config.prepared``): compiling them through the ORM cost more than
running them. Seven statements at most, whatever the archive's size: the
article, its gallery, its body's photos, its genres, the "À lire aussi" cards,
every author, every photo's renditions."""

import datetime

from django.utils import timezone

from articles import listings
from articles.models import Article, GalleryItem, GenreTag
from articles.related import related_ids
from config.prepared import Prepared, cache_prefetched
from photos.models import Photo

_ARTICLE = Prepared(
    lambda day, slug, now: (
        Article.objects.published(now=now)
        .select_related("section", "lead_photo", "related_list")
        .filter(publication_date=day, slug=slug)
    )
)
_GALLERY = Prepared(
    lambda article: GalleryItem.objects.filter(article_id=article).select_related("photo")
)
_PHOTOS = Prepared(lambda ids: Photo.objects.filter(pk__in=ids))
_GENRES = Prepared(
    lambda article: GenreTag.objects.filter(tagged_articles__content_object_id=article)
)


def published_article(day: datetime.date, slug: str) -> Article | None:
    """The published article of that day and slug, with its section, lead photo and
    stored related list."""
    return next(iter(_ARTICLE(day, slug, timezone.now())), None)


def page_context(article: Article) -> dict:
    """Everything the article's template shows beyond the article itself."""
    ids = article.body_photo_ids()
    body_photos = {photo.pk: photo for photo in _PHOTOS(ids)}
    gallery = [item.photo for item in _GALLERY(article.pk)]
    cache_prefetched(article, "tags", list(_GENRES(article.pk)))
    related = listings.cards_of(related_ids(article), prefetch=False)
    listings.with_authors([article, *related])
    leads = [card.lead_photo for card in (article, *related)]
    listings.with_renditions(
        [p for p in (*leads, *gallery, *body_photos.values()) if p is not None]
    )
    return {
        "body_photos": body_photos,
        "gallery": gallery,
        "genres": article.genres,
        "related": related,
    }
