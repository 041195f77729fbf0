"""Lists of article cards for reader pages, each in a constant number of queries
whatever the archive's size.

A card shows the title, date, standfirst, section, authors and lead photo: the
``body`` (the largest column by far) is never read for a list.

What only changes with the content (the sections, the archive's calendar, the
number of articles of each section, genre and author) is kept per content version
(``config.derived``); so are the home page's cards (``articles.views.HomeView``)."""

import operator
from array import array
from functools import reduce

from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth, ExtractYear
from django.http import Http404
from django.utils import timezone

from articles.models import Article, Author, GenreTag, Section, TaggedArticle
from config import derived
from config.prepared import Prepared, cache_prefetched
from photos.models import Rendition


def sections(request) -> list[Section]:
    """The sections (the menu, the home page, section pages)."""
    return derived.kept(("sections",), lambda: list(Section.objects.all()), request)


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


def ids_by_day(articles):
    """Ids of ``articles``, newest first by day, then time: the order the (day,
    time, status) index holds, for the date archives."""
    return articles.order_by("-publication_date", "-published_at", "-pk").values_list(
        "pk", flat=True
    )


def home_articles(
    request, latest_count: int, per_section: int
) -> tuple[list[Article], list[tuple[Section, list[Article]]]]:
    """The latest articles, and the latest of each section, as cards."""
    all_sections = sections(request)
    latest_ids, section_ids = _home_ids(all_sections, latest_count, per_section)
    every_id = [*latest_ids, *(pk for ids in section_ids.values() for pk in ids)]
    found = {article.pk: article for article in cards_of(every_id)}
    latest = [found[pk] for pk in latest_ids if pk in found]
    blocks = []
    for section in all_sections:
        items = [found[pk] for pk in section_ids.get(section.pk, ()) if pk in found]
        if items:
            blocks.append((section, items))
    return latest, blocks


def _home_ids(all_sections, latest_count: int, per_section: int):
    """The home page's ids in one query: each part is a small ``LIMIT`` subquery
    walking the (section, published_at) index, so its cost does not grow with the
    archive."""
    published = Article.objects.published().order_by("-published_at", "-pk").values("pk")
    parts = [published[:latest_count]] + [
        published.filter(section=section)[:per_section] for section in all_sections
    ]
    rows = list(
        Article.objects.filter(reduce(operator.or_, (Q(pk__in=p) for p in parts)))
        .order_by("-published_at", "-pk")
        .values_list("pk", "section_id")
    )
    section_ids: dict[int, list[int]] = {}
    for pk, section_id in rows:
        ids = section_ids.setdefault(section_id, [])
        if len(ids) < per_section:
            ids.append(pk)
    return [pk for pk, _section in rows[:latest_count]], section_ids


def calendar(request=None) -> dict[int, dict[int, int]]:
    """``{year: {month: number of articles}}`` of the published articles."""
    return derived.kept(("calendar",), _calendar, request)


def _calendar() -> dict[int, dict[int, int]]:
    rows = (
        Article.objects.published()
        .annotate(year=ExtractYear("publication_date"), month=ExtractMonth("publication_date"))
        .values_list("year", "month")
        .annotate(count=Count("pk"))
        .order_by()
    )
    months: dict[int, dict[int, int]] = {}
    for year, month, count in rows:
        months.setdefault(year, {})[month] = count
    return months


def archive_years(request=None) -> list[dict]:
    """``{"year", "count"}`` for every year with published articles, newest first."""
    return [
        {"year": year, "count": sum(months.values())}
        for year, months in sorted(calendar(request).items(), reverse=True)
    ]


def section_counts(request=None) -> dict[int, int]:
    """The number of published articles of each section."""
    return derived.kept(("sections", "count"), lambda: _counts("section"), request)


def author_counts(request=None) -> dict[int, int]:
    """The number of published articles of each author."""
    return derived.kept(("authors", "count"), lambda: _counts("authors"), request)


def genre_counts(request=None) -> dict[int, int]:
    """The number of published articles of each genre, counted on the genre rows'
    own index (``TaggedArticle.published_at``)."""

    def compute():
        rows = (
            TaggedArticle.objects.filter(published_at__lte=timezone.now())
            .values_list("tag")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return dict(rows)

    return derived.kept(("genres", "count"), compute, request)


def _counts(field: str) -> dict[int, int]:
    rows = Article.objects.published().values_list(field).annotate(n=Count("pk")).order_by()
    return {key: n for key, n in rows if key is not None}


def authors_with_articles(request=None) -> list[Author]:
    """The authors of at least one published article, by name, with ``article_count``."""
    return derived.kept(
        ("authors", "list"),
        lambda: with_counts(Author.objects.order_by("name", "pk"), author_counts(request)),
        request,
    )


def author_ids(request, author: Author) -> array:
    """Ids of an author's published articles, newest first, kept per content
    version: an author's articles are found through the authors' links, so a
    page of them cannot be read from one index, and a prolific author's page
    read and sorted every one of them at each request."""
    return derived.kept(
        ("authors", "ids", author.pk),
        lambda: array("q", ids_of(Article.objects.published().filter(authors=author))),
        request,
    )


def with_counts(rows, counts: dict[int, int]) -> list:
    """The rows of ``rows`` named in ``counts``, each with its ``article_count``."""
    found = list(rows.filter(pk__in=list(counts)))
    for row in found:
        row.article_count = counts[row.pk]
    return found


def genre_entries(tag: GenreTag):
    """Ids of a genre's published articles, newest first, read from the genre rows'
    own index (``TaggedArticle.published_at``): a page and the count of a genre of
    ten thousand articles cost no more than those of a genre of ten."""
    return (
        TaggedArticle.objects.filter(tag=tag, published_at__lte=timezone.now())
        .order_by("-published_at", "-content_object_id")
        .values_list("content_object_id", flat=True)
    )


# The columns a card shows (articles/cards.py), its lead photo's included: a
# list reads no other. Reading another on a card costs a query per card, which
# the pinned query counts (tests/articles/test_listings.py) would show.
CARD_FIELDS = (
    *("title", "slug", "standfirst", "published_at", "publication_date"),
    *("section__name", "section__slug", "lead_photo__image", "lead_photo__width"),
    *("lead_photo__height", "lead_photo__credit", "lead_photo__status"),
    "lead_photo__licence_end",
)


_CARDS = Prepared(
    lambda ids, now: (
        Article.objects.published(now=now)
        .select_related("section", "lead_photo")
        .only(*CARD_FIELDS)
        .filter(pk__in=ids)
    )
)
_AUTHORS = Prepared(
    lambda ids: (
        Article.authors.through.objects.filter(article_id__in=ids)
        .select_related("author")
        .order_by("author__name", "author_id")
    )
)
# Each photo's renditions are sorted where they are used (photos.templatetags).
_RENDITIONS = Prepared(lambda ids: Rendition.objects.filter(photo_id__in=ids).order_by())


def cards_of(ids, prefetch: bool = True) -> list[Article]:
    """The articles of ``ids`` (those still published), in that order, as cards,
    in prepared queries (``config.prepared``); without ``prefetch``, the caller
    reads their authors and photos' renditions itself (``with_authors``,
    ``with_renditions``)."""
    ids = list(ids)
    found = {card.pk: card for card in _CARDS(ids, timezone.now())}
    articles = [found[pk] for pk in ids if pk in found]
    if prefetch:
        with_authors(articles)
        with_renditions([card.lead_photo for card in articles if card.lead_photo is not None])
    return articles


def with_authors(articles: list[Article]) -> None:
    """Each article's ``authors.all()``, read in one query, by name."""
    by_article: dict[int, list] = {article.pk: [] for article in articles}
    for link in _AUTHORS(list(by_article)):
        by_article[link.article_id].append(link.author)
    for article in articles:
        cache_prefetched(article, "authors", by_article[article.pk])


def with_renditions(photos: list) -> None:
    """Each photo's ``renditions.all()``, read in one query."""
    by_photo: dict[int, list] = {photo.pk: [] for photo in photos}
    for rendition in _RENDITIONS(list(by_photo)):
        by_photo[rendition.photo_id].append(rendition)
    for photo in photos:
        cache_prefetched(photo, "renditions", by_photo[photo.pk])
