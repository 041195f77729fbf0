"""Credits pages (issue 15, point 2): a grid of thumbnails, each with the
published articles that use it and a link to report it, in a number of SQL
queries that does not grow with the photos or their articles."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from photos import services
from photos.templatetags.photos import rendition_url
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
URL = "/photos/credits/jeanne-objectif/"
# An anonymous visit with a cold cache: which scheduled articles fall due next
# (config/due.py), whether the credit has public photos (ListView's
# allow_empty), the credit's name, the count for the pagination, the page of
# photos, their renditions, the published articles showing them as lead, in a
# gallery and in their text (prefetched), and the sections of the site's menu.
QUERIES = 10


def photographed(uploaded, n: int):
    return uploaded(n, photographer="Jeanne Objectif", agency="Studio Nord")


def published_on(day: int, **kwargs):
    when = datetime.datetime(2024, 5, day, 9, tzinfo=PARIS)
    return ArticleFactory(published_at=when, **kwargs)


def card(html: str, photo) -> str:
    """The grid item of one photo."""
    start = html.index(f'?photo={photo.pk}#signaler"')
    start = html.rindex("<li>\n  <figure", 0, start)
    return html[start : html.index("</a>\n</li>", start)]


def test_each_thumbnail_lists_the_published_articles_using_it(client, uploaded):
    photo = photographed(uploaded, 1)
    lead = published_on(2, title="Le festival en images", lead_photo=photo)
    inline = published_on(
        9, title="Entretien", body=f'<p>Texte.</p><figure data-photo="{photo.pk}"></figure>'
    )
    gallery = published_on(5, title="La galerie du jury")
    gallery.gallery_items.create(photo=photo, position=0)
    draft = ArticleFactory(title="Brouillon secret", status=Article.Status.DRAFT)
    draft.gallery_items.create(photo=photo, position=0)
    html = client.get(URL).content.decode()
    item = card(html, photo)
    assert rendition_url(photo, 480) in item and photo.credit in item
    assert "Publiée dans 3 articles :" in item
    titles = [lead.title, gallery.title, inline.title]
    assert [item.index(t) for t in titles] == sorted(item.index(t) for t in titles)[::-1]
    for article in (lead, gallery, inline):
        assert f'href="{article.get_absolute_url()}" lang="fr"' in item
    assert "Brouillon secret" not in html
    assert f'<a class="report" href="/signaler-une-photo/?photo={photo.pk}#signaler"' in item
    assert "takedowns/rights.css" in html


def test_hidden_photos_are_not_in_the_grid(client, uploaded):
    shown, hidden = photographed(uploaded, 1), photographed(uploaded, 2)
    for photo in (shown, hidden):
        published_on(2, lead_photo=photo)
    services.hide_photo(photo=hidden)
    html = client.get(URL).content.decode()
    assert html.count('class="report"') == 1
    assert f"?photo={hidden.pk}#" not in html


def test_credit_page_queries_do_not_grow_with_photos_or_articles(
    client, uploaded, django_assert_num_queries
):
    first = photographed(uploaded, 1)
    published_on(2, lead_photo=first)
    cache.clear()  # the menu and the next due time are cached: start cold each time
    with django_assert_num_queries(QUERIES):
        assert client.get(URL).status_code == 200

    for n in range(2, 6):
        photo = photographed(uploaded, n)
        published_on(3, lead_photo=photo)
        other = published_on(4, body=f'<figure data-photo="{photo.pk}"></figure>')
        other.gallery_items.create(photo=first, position=0)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        html = client.get(URL).content.decode()
    assert len(queries) == QUERIES, [q["sql"] for q in queries]
    assert html.count('class="report"') == 5


def test_credit_index_is_a_list_of_names_with_counts(client, uploaded):
    for n in (1, 2):
        published_on(2, lead_photo=photographed(uploaded, n))
    html = client.get("/photos/credits/").content.decode()
    assert '<ul class="credits">' in html
    assert 'href="/photos/credits/jeanne-objectif/">Jeanne Objectif</a>' in html
    assert (
        'href="/photos/credits/studio-nord/">Studio Nord</a> <span class="count">(2 photos)' in html
    )
