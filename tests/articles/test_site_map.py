"""The site map for people (/plan-du-site/), beside the XML sitemaps for search
engines (/sitemap.xml, whose address stays)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from config import derived
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def at(year: int) -> datetime.datetime:
    return datetime.datetime(year, 6, 15, 12, tzinfo=PARIS)


@pytest.fixture
def archive():
    ArticleFactory(tags=["Cinéma", "Animation"], published_at=at(2019))
    ArticleFactory(tags=["Cinéma"], published_at=at(2019))
    ArticleFactory(tags=["Série"], published_at=at(2004))
    ArticleFactory(tags=["Brouillon secret"], status=Article.Status.DRAFT, published_at=at(1987))
    ArticleFactory(tags=["À venir"], published_at=datetime.datetime(2999, 1, 1, tzinfo=PARIS))


def test_site_map_leads_everywhere_a_reader_may_go(client, archive):
    response = client.get("/plan-du-site/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Plan du site</h1>" in html
    for href in [
        "/rubriques/critique/",
        "/recherche/",
        "/auteurs/",
        "/archives/",
        "/droits-photos/",
        "/photos/credits/",
        "/signaler-une-photo/",
        "/droits-photos/transparence/",
        "/droits-photos/donnees-personnelles/",
        "/flux/rss/",
        "/flux/atom/",
        "/sitemap.xml",
    ]:
        assert f'href="{href}"' in html, href
    assert 'href="/2019/">2019</a> <span class="count">(2 articles)</span>' in html
    assert 'href="/2004/">2004</a> <span class="count">(1 article)</span>' in html
    assert '<a href="/genres/cinema/" lang="fr">Cinéma</a> <span class="count">(2)</span>' in html
    assert '<a href="/genres/animation/" lang="fr">Animation</a>' in html
    assert html.index(">Animation<") < html.index(">Cinéma<") < html.index(">Série<")


def test_site_map_shows_nothing_readers_may_not_see(client, archive):
    html = client.get("/plan-du-site/").content.decode()
    assert "Brouillon secret" not in html and "/1987/" not in html
    assert "À venir" not in html and "/2999/" not in html


def test_site_map_in_english(client, archive):
    response = client.get("/en/plan-du-site/")
    assert response.status_code == 200
    assert 'href="/en/2019/"' in response.content.decode()


def test_footer_links_to_the_site_map_and_the_xml_sitemap_stays(client, archive):
    html = client.get("/").content.decode()
    assert '<a href="/plan-du-site/">Plan du site</a>' in html
    assert 'href="/sitemap.xml"' not in html
    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200
    assert sitemap["Content-Type"].startswith("application/xml")
    assert b"<sitemapindex" in sitemap.content


def query_count(client, url) -> int:
    """Right after a change of content: nothing kept (``config.derived``)."""
    derived.forget()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_site_map_queries_do_not_grow_with_the_archive(client):
    def add(n, first_year):
        for i in range(n):
            ArticleFactory(
                section=SectionFactory(name=f"Rubrique {first_year + i}"),
                tags=[f"Genre {first_year + i}", "Commun"],
                authors=[AuthorFactory()],
                published_at=at(first_year + i),
            )

    add(2, 1990)
    client.get("/")  # the first request of a process also checks what is due
    before = query_count(client, "/plan-du-site/")
    add(10, 2000)
    assert query_count(client, "/plan-du-site/") == before
