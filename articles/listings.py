"""Lists of article cards for reader pages, each in a constant number of queries
whatever the archive's size.

A card shows the title, date, standfirst, section, authors and lead photo: the
``body`` (the largest column by far) is never read for a list."""

import operator
from functools import reduce

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.utils import timezone

from articles.models import Article, GenreTag, Section, TaggedArticle


def sections(request) -> list[Section]:
    """The sections, read once per request (the menu and the home page both use them)."""
    if not hasattr(request, "_sections"):
        request._sections = list(Section.objects.all())
    return request._sections


def section_by_slug(request, slug: str) -> Section:
    """A section of the menu's list (no query of its own), or a 404."""
    for section in sections(request):
        if section.slug == slug:
            return section
    raise Http404


def ids_of(articles):
    """Ids of ``articles``, newest first: a page of ids is read from an index alone
    (no row is read for the articles an OFFSET skips); ``cards_of`` reads the rest."""
    return articles.order_by("-published_at", "-pk").values_list("pk", flat=True)


def home_articles(
    all_sections: list[Section], latest_count: int, per_section: int
) -> tuple[list[Article], list[tuple[Section, list[Article]]]]:
    """The latest articles, and the latest of each section, in one query: each
    part is a small ``LIMIT`` subquery walking the (section, published_at) index,
    so its cost does not grow with the archive."""
    published = Article.objects.published().order_by("-published_at", "-pk").values("pk")
    parts = [published[:latest_count]] + [
        published.filter(section=section)[:per_section] for section in all_sections
    ]
    rows = list(
        Article.objects.for_listing().filter(reduce(operator.or_, (Q(pk__in=p) for p in parts)))
    )
    latest = rows[:latest_count]
    blocks = []
    for section in all_sections:
        items = [article for article in rows if article.section_id == section.pk][:per_section]
        if items:
            blocks.append((section, items))
    return latest, blocks


def archive_years(published) -> list[dict]:
    """``{"year", "count"}`` for every year with published articles, newest first."""
    return list(
        published.annotate(year=ExtractYear("publication_date"))
        .values("year")
        .annotate(count=Count("pk"))
        .order_by("-year")
    )


def genre_entries(tag: GenreTag):
    """Ids of a genre's published articles, newest first, read from the genre rows'
    own index (``TaggedArticle.published_at``): a page and the count of a genre of
    ten thousand articles cost no more than those of a genre of ten."""
    return (
        TaggedArticle.objects.filter(tag=tag, published_at__lte=timezone.now())
        .order_by("-published_at", "-content_object_id")
        .values_list("content_object_id", flat=True)
    )


def cards_of(ids, prefetch: bool = True) -> list[Article]:
    """The articles of ``ids`` (those still published), in that order, as cards;
    without ``prefetch``, the caller fetches ``CARD_PREFETCH`` itself."""
    ids = list(ids)
    articles = Article.objects.published().for_listing()
    if not prefetch:
        articles = articles.prefetch_related(None)
    found = articles.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]
