"""Reader pages: what each shows, in French and English, and what it costs."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from config import derived
from tests.factories import ArticleFactory, AuthorFactory, PhotoFactory, SectionFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def article():
    photo = PhotoFactory(credit="© Studio Nord / Photo : Jo Martin", alt_text="Deux actrices")
    gallery = [PhotoFactory(credit=f"© Galerie {n}") for n in range(2)]
    body_photo = PhotoFactory(credit="© Dans le texte")
    article = ArticleFactory(
        title="L’été des séries",
        standfirst="Trois séries à ne pas manquer.",
        body=f'<p>Avant.</p><figure data-photo="{body_photo.pk}"></figure><p>Après.</p>',
        published_at=datetime.datetime(2019, 7, 1, 9, 30, tzinfo=PARIS),
        lead_photo=photo,
        tags=["Série", "Drame"],
        authors=[AuthorFactory(name="Alex Plume", bio="Critique depuis 1998.")],
    )
    for position, item in enumerate(gallery):
        article.gallery_items.create(photo=item, position=position)
    return article


def test_article_page_shows_everything_a_reader_needs(client, article):
    response = client.get("/2019/07/01/lete-des-series/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>L’été des séries — La Revue des Écrans</title>" in html
    assert "1er juillet 2019" in html
    assert "Trois séries à ne pas manquer." in html
    for credit in [
        "© Studio Nord / Photo : Jo Martin",
        "© Galerie 0",
        "© Galerie 1",
        "© Dans le texte",
    ]:
        assert credit in html
    assert html.count('class="credit"') == 4
    assert 'alt="Deux actrices"' in html
    assert 'href="/auteurs/alex-plume/"' in html
    assert 'href="/genres/serie/"' in html
    assert 'href="/droits-photos/"' in html
    assert '<link rel="canonical" href="http://127.0.0.1:8000/2019/07/01/lete-des-series/">' in html
    assert '<meta property="og:type" content="article">' in html
    assert (
        f'<meta property="og:image" content="http://127.0.0.1:8000{article.lead_photo.image.url}">'
        in html
    )
    assert html.index("Avant.") < html.index("© Dans le texte") < html.index("Après.")


def test_withdrawn_photo_becomes_placeholder_everywhere(client, article):
    article.lead_photo.status = "withdrawn"
    article.lead_photo.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "© Studio Nord" not in html
    assert article.lead_photo.image.url not in html
    assert "Cette photo a été retirée." in html
    assert "og:image" not in html
    feed = client.get("/flux/rss/").content.decode()
    assert "© Studio Nord" not in feed and "enclosure" not in feed


def test_related_articles_share_tags(client, article):
    ArticleFactory(title="Une autre série", tags=["Série"])
    ArticleFactory(title="Sans rapport", tags=["Polar"])
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Une autre série" in html
    assert "Sans rapport" not in html


def test_english_interface(client, article):
    html = client.get("/en" + article.get_absolute_url()).content.decode()
    assert '<html lang="en">' in html
    assert "1 July 2019" in html
    assert "Copyright and photo credits" in html


def test_listing_pages(client, article):
    section = article.section
    for url, heading in [
        (section.get_absolute_url(), section.name),
        ("/genres/serie/", "Genre : Série"),
        ("/auteurs/alex-plume/", "Alex Plume"),
        ("/2019/", "Archives 2019"),
        ("/2019/07/", "Archives juillet 2019"),
        ("/2019/07/01/", "Archives du 1er juillet 2019"),
        ("/auteurs/", "Auteurs"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert f"<h1>{heading}</h1>" in html, url
        assert "L’été des séries" in html or url == "/auteurs/", url


@pytest.mark.parametrize(
    "url",
    [
        "/2019/02/30/x/",
        "/2019/13/",
        "/2019/07/01/inconnu/",
        "/rubriques/nulle-part/",
        "/genres/rien/",
        "/auteurs/personne/",
        "/1900/",
        "/genres/rien/rss/",
        "/rubriques/critique/?page=abc",
    ],
)
def test_unknown_addresses_answer_404(client, article, url):
    assert client.get(url).status_code == 404


def test_pagination_and_out_of_range_page(client, settings):
    section = SectionFactory(name="News")
    ArticleFactory.create_batch(25, section=section)
    first = client.get("/rubriques/news/").content.decode()
    assert 'rel="next" href="?page=2"' in first
    second = client.get("/rubriques/news/?page=2")
    assert second.status_code == 200
    assert 'href="http://127.0.0.1:8000/rubriques/news/?page=2"' in second.content.decode()
    assert client.get("/rubriques/news/?page=9").status_code == 404


def test_feeds_carry_photo_credit_and_enclosure(client, article):
    rss = client.get("/flux/rss/")
    assert rss["Content-Type"].startswith("application/rss+xml")
    xml = rss.content.decode()
    assert "L’été des séries" in xml
    assert "© Studio Nord / Photo : Jo Martin" in xml
    assert re.search(
        r'<enclosure length="\d+" type="image/jpeg" url="http://127.0.0.1:8000/media/photos/[^"]+"',
        xml,
    )
    atom = client.get(f"/genres/{article.tags.first().slug}/atom/")
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert "L’été des séries" in atom.content.decode()


def test_sitemap_and_robots(client, article):
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-articles.xml" in index
    urls = client.get("/sitemap-articles.xml").content.decode()
    assert "/2019/07/01/lete-des-series/" in urls
    assert "/en/2019/07/01/lete-des-series/" in urls
    genres = client.get("/sitemap-genres.xml").content.decode()
    assert "/genres/serie/" in genres
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots


def test_legal_page(client):
    html = client.get("/droits-photos/").content.decode()
    assert "<h1>Droits d'auteur et crédits photos</h1>" in html
    assert 'id="signaler"' in html


def query_count(client, url) -> int:
    """Right after a change of content: nothing kept (``config.derived``)."""
    derived.forget()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_listing_queries_do_not_grow_with_the_archive(client):
    section = SectionFactory(name="News")

    def add(n):
        for _ in range(n):
            ArticleFactory(section=section, lead_photo=PhotoFactory(), tags=["A", "B"],
                           authors=[AuthorFactory()])  # fmt: skip

    add(3)
    urls = [
        "/",
        "/rubriques/news/",
        "/genres/a/",
        f"/{Article.objects.first().publication_date.year}/",
    ]
    client.get("/")  # the first request of a process also checks what is due (config/due.py)
    before = [query_count(client, url) for url in urls]
    add(12)
    assert [query_count(client, url) for url in urls] == before


def test_archive_index_lists_years_with_counts(client, article):
    ArticleFactory(published_at=datetime.datetime(2003, 5, 2, 12, tzinfo=PARIS))
    ArticleFactory(published_at=datetime.datetime(2003, 6, 2, 12, tzinfo=PARIS))
    ArticleFactory(
        status=Article.Status.DRAFT, published_at=datetime.datetime(1999, 1, 1, tzinfo=PARIS)
    )
    html = client.get("/archives/").content.decode()
    assert '<a href="/2003/">2003</a> <span class="count">(2 articles)</span>' in html
    assert '<a href="/2019/">2019</a> <span class="count">(1 article)</span>' in html
    assert "1999" not in html


def test_related_articles_come_from_similar_text(client):
    from django.core.management import call_command

    article = ArticleFactory(
        title="Un polar nordique glacial", body="<p>Fjord, neige, enquête et polar nordique.</p>"
    )
    ArticleFactory(
        title="Encore un polar nordique",
        body="<p>Neige sur le fjord : un polar nordique de plus.</p>",
    )
    ArticleFactory(
        title="Une comédie musicale", body="<p>Chansons, danse et paillettes à Broadway.</p>"
    )
    call_command("rebuild_index", verbosity=0)
    html = client.get(article.get_absolute_url()).content.decode()
    related = html[html.index('id="related-title"') :]
    assert related.index("Encore un polar nordique") < related.index("Une comédie musicale")


def test_every_card_photo_has_its_report_link(client):
    shown = PhotoFactory(credit="© Atelier Brume")
    ArticleFactory(title="Carte avec photo", lead_photo=shown)
    hidden = PhotoFactory(credit="")  # no credit: not shown, so nothing to report
    ArticleFactory(title="Carte sans photo visible", lead_photo=hidden)
    html = client.get("/").content.decode()
    link = f'/signaler-une-photo/?photo={shown.pk}#signaler" rel="nofollow">'
    assert link + "Signaler cette photo" in html
    assert f"?photo={hidden.pk}" not in html
    english = client.get("/en/").content.decode()
    assert "/en" + link + "Report this photo" in english
