"""Reader lists: their query counts do not depend on the archive's size, genre
pages read the genre rows' copy of the publication time, "À lire aussi" is
stored, and article URLs are built as reverse() builds them."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from articles import paths, related
from articles.models import Article, RelatedArticle, RelatedList, TaggedArticle
from config import derived
from tests.factories import (
    CHIEF,
    ArticleFactory,
    AuthorFactory,
    PhotoFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def archive(n: int) -> dict:
    """``n`` published articles over two sections, two genres, two authors and
    two years, most with a lead photo; returns a URL per page kind."""
    sections = [SectionFactory(), SectionFactory()]
    authors = [AuthorFactory(), AuthorFactory()]
    photos = [PhotoFactory(), PhotoFactory()]
    start = timezone.now() - datetime.timedelta(days=400)
    articles = [
        ArticleFactory(
            section=sections[i % 2],
            published_at=start + datetime.timedelta(days=i * 300 // n, hours=i),
            lead_photo=photos[i % 2] if i % 3 else None,
            tags=["Polar", "Drame"] if i % 2 else ["Polar"],
            authors=authors if i % 4 == 0 else [authors[0]],
        )
        for i in range(n)
    ]
    year = articles[-1].publication_date.year
    return {
        "home": "/",
        "article": articles[-1].get_absolute_url(),
        "tag": "/genres/polar/",
        "tag, last page": "/genres/polar/?page=last",
        "section": sections[0].get_absolute_url(),
        "author": authors[0].get_absolute_url(),
        "year archive": reverse("articles:archive-year", kwargs={"year": str(year)}),
        "archive index": reverse("articles:archives"),
    }


def query_counts(client, urls: dict, cold: bool = False) -> dict:
    """Queries per page; ``cold``: right after a change of content, when what is
    kept per content version (``config.derived``) is computed again."""
    counts = {}
    for kind, url in urls.items():
        client.get(url)  # one-off lookups, and the article's stored related list
        if cold:
            derived.forget()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (kind, url)
        counts[kind] = len(queries)
    return counts


# The queries of each page kind, whatever the archive's size. The menu, the home
# page's cards, the archive's calendar and the counts per section, genre and author are
# kept per content version.
EXPECTED = {
    "home": 0,
    "article": 6,  # article (with its related ids), genres, gallery, cards, authors, photos
    "tag": 5,  # genre, ids, cards, authors, photos
    "tag, last page": 5,
    "section": 4,  # ids, cards, authors, photos
    "author": 4,  # author, cards, authors, photos (its ids are kept)
    "year archive": 4,  # ids, cards, authors, photos
}
# Right after a change: the menu, and each page's kept value.
EXPECTED_COLD = {
    "home": 5,  # menu, ids, cards, authors, photos
    "article": 7,  # and the menu
    "tag": 7,  # menu, counts per genre
    "tag, last page": 7,
    "section": 6,  # menu, counts per section
    "author": 7,  # menu, counts per author, its ids
    "year archive": 6,  # menu, calendar
}


@pytest.mark.parametrize("size", [6, 90])
def test_each_page_kind_costs_the_same_queries_whatever_the_archive_size(client, size):
    urls = archive(size)
    urls.pop("archive index")
    assert query_counts(client, urls) == EXPECTED
    assert query_counts(client, urls, cold=True) == EXPECTED_COLD


def test_a_change_of_content_is_seen_at_once_on_kept_pages(client):
    section = SectionFactory(name="Scènes")
    old = ArticleFactory(title="Premier article", section=section)
    year = reverse("articles:archive-year", kwargs={"year": str(old.publication_date.year)})
    for url in ("/", section.get_absolute_url(), year, reverse("articles:archives")):
        client.get(url)
    ArticleFactory(title="Deuxième article", section=section, published_at=old.published_at)
    assert "Deuxième article" in client.get("/").content.decode()
    assert "2 articles" in client.get(reverse("articles:archives")).content.decode()
    assert "Deuxième article" in client.get(year).content.decode()
    old.status = Article.Status.ARCHIVED
    old.save()
    assert "Premier article" not in client.get("/").content.decode()
    section.name = "Planches"
    section.save()
    assert "Planches" in client.get("/").content.decode()


def test_the_archive_index_costs_the_same_queries_whatever_the_archive_size(client):
    small = query_counts(client, {"index": archive(4)["archive index"]})
    ArticleFactory.create_batch(30)
    assert query_counts(client, {"index": reverse("articles:archives")}) == small


def test_a_genre_page_follows_publication_and_unpublication(client):
    article = ArticleFactory(title="Un polar de passage", tags=["Polar"])
    assert "Un polar de passage" in client.get("/genres/polar/").content.decode()
    article.status = Article.Status.ARCHIVED
    article.save()
    assert TaggedArticle.objects.get().published_at is None
    assert "Un polar de passage" not in client.get("/genres/polar/").content.decode()
    article.status = Article.Status.PUBLISHED
    article.save()
    assert "Un polar de passage" in client.get("/genres/polar/").content.decode()


def test_a_genre_added_later_lists_the_article(client):
    article = ArticleFactory(title="Ajouté plus tard")
    article.tags.add("Western")
    assert TaggedArticle.objects.get().published_at == article.published_at
    assert "Ajouté plus tard" in client.get("/genres/western/").content.decode()


def test_a_draft_is_on_no_genre_page(client):
    ArticleFactory(title="Brouillon secret", status=Article.Status.DRAFT, tags=["Polar"])
    assert TaggedArticle.objects.get().published_at is None
    assert client.get("/genres/polar/").status_code == 200
    assert "Brouillon secret" not in client.get("/genres/polar/").content.decode()


def test_a_scheduled_article_reaches_its_genre_page_at_its_time(client):
    when = timezone.now() + datetime.timedelta(hours=2)
    ArticleFactory(
        title="Programmé pour plus tard",
        status=Article.Status.SCHEDULED,
        published_at=when,
        tags=["Polar"],
    )
    assert "Programmé pour plus tard" not in client.get("/genres/polar/").content.decode()
    with time_machine.travel(when + datetime.timedelta(minutes=1)):
        assert "Programmé pour plus tard" in client.get("/genres/polar/").content.decode()


def test_genre_pages_page_newest_first(client):
    start = timezone.now() - datetime.timedelta(days=100)
    for i in range(25):
        ArticleFactory(
            title=f"Polar numéro {i:02d}",
            published_at=start + datetime.timedelta(days=i),
            tags=["Polar"],
        )
    first = client.get("/genres/polar/").content.decode()
    second = client.get("/genres/polar/?page=2").content.decode()
    assert first.index("Polar numéro 24") < first.index("Polar numéro 05")
    assert "Polar numéro 04" in second and "Polar numéro 05" not in second


def related_titles(client, article) -> list[str]:
    html = client.get(article.get_absolute_url()).content.decode()
    if 'id="related-title"' not in html:
        return []
    return [
        title
        for title in ("Voisin un", "Voisin deux", "Nouveau voisin")
        if title in html[html.index('id="related-title"') :]
    ]


def test_related_articles_are_stored_at_the_first_view(client):
    article = ArticleFactory(tags=["Polar", "Nordique"])
    neighbour = ArticleFactory(title="Voisin un", tags=["Polar", "Nordique"])
    assert related_titles(client, article) == ["Voisin un"]
    assert list(
        RelatedArticle.objects.filter(list=article.pk).values_list("related", flat=True)
    ) == [neighbour.pk]
    assert RelatedList.objects.get(pk=article.pk).ids == [neighbour.pk]  # read with the row
    # Stored: the list is read, not ranked again.
    with CaptureQueriesContext(connection) as queries:
        client.get(article.get_absolute_url())
    assert not any("articles_taggedarticle" in q["sql"] and "COUNT" in q["sql"] for q in queries)


def test_an_old_list_is_computed_again(client):
    article = ArticleFactory(tags=["Polar"])
    ArticleFactory(title="Voisin un", tags=["Polar"])
    related_titles(client, article)
    long_ago = timezone.now() - related.MAX_AGE - datetime.timedelta(days=1)
    RelatedList.objects.filter(pk=article.pk).update(computed_at=long_ago, ids=[])
    assert related_titles(client, article) == ["Voisin un"]
    assert RelatedList.objects.get(pk=article.pk).computed_at > long_ago


def test_an_unpublished_article_leaves_the_stored_lists(client):
    article = ArticleFactory(tags=["Polar"])
    neighbour = ArticleFactory(title="Voisin un", tags=["Polar"])
    assert related_titles(client, article) == ["Voisin un"]
    neighbour.status = Article.Status.ARCHIVED
    neighbour.save()
    assert not RelatedList.objects.filter(pk=article.pk).exists()
    assert related_titles(client, article) == []


def test_a_new_similar_article_reaches_the_older_ones(client):
    older = ArticleFactory(tags=["Polar", "Nordique"])
    ArticleFactory(title="Voisin un", tags=["Polar"])
    assert related_titles(client, older) == ["Voisin un"]
    newcomer = ArticleFactory(title="Nouveau voisin", tags=["Polar", "Nordique"])
    related_titles(client, newcomer)  # its list names the older article...
    assert not RelatedList.objects.filter(pk=older.pk).exists()  # ...whose list is dropped
    assert "Nouveau voisin" in related_titles(client, older)


def test_a_preview_stores_nothing(client):

    editor = UserFactory(role=CHIEF)
    client.force_login(editor)
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None, tags=["Polar"])
    ArticleFactory(tags=["Polar"])
    assert client.get(reverse("articles:preview", kwargs={"pk": draft.pk})).status_code == 200
    assert not RelatedList.objects.exists()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_paths_are_those_reverse_gives(language):
    section, author = SectionFactory(slug="chroniques-du-lundi"), AuthorFactory(slug="zoe-morel")
    article = ArticleFactory(slug="un-titre_2", section=section)
    day = article.publication_date
    with translation.override(language):
        assert article.get_absolute_url() == reverse(
            "articles:detail",
            kwargs={
                "year": day.year,
                "month": f"{day.month:02d}",
                "day": f"{day.day:02d}",
                "slug": "un-titre_2",
            },
        )
        assert section.get_absolute_url() == reverse(
            "articles:section", kwargs={"slug": "chroniques-du-lundi"}
        )
        assert author.get_absolute_url() == reverse("articles:author", kwargs={"slug": "zoe-morel"})
        assert paths.path("articles:tag", slug="polar") == reverse(
            "articles:tag", kwargs={"slug": "polar"}
        )
        # A value the pattern refuses goes through reverse() itself, which says so.
        with pytest.raises(NoReverseMatch):
            paths.path("articles:tag", slug="été")


def test_an_author_page_follows_each_change_of_its_kept_list(client):
    author = AuthorFactory(name="Lucie Plume")
    first = ArticleFactory(title="Un premier papier", authors=[author])
    url = author.get_absolute_url()
    assert "Un premier papier" in client.get(url).content.decode()
    ArticleFactory(title="Un second papier", authors=[author])
    page = client.get(url).content.decode()
    assert page.index("Un second papier") < page.index("Un premier papier")
    first.status = Article.Status.ARCHIVED
    first.save()
    assert "Un premier papier" not in client.get(url).content.decode()
    other = ArticleFactory(title="Un papier signé plus tard")
    other.authors.add(author)
    assert "Un papier signé plus tard" in client.get(url).content.decode()
