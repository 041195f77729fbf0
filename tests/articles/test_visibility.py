"""Invariant 4: drafts, articles in review and scheduled articles before their
time never reach readers: pages, feeds, sitemaps."""

import datetime

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db

HIDDEN_TITLES = ["Brouillon secret", "Relecture en cours", "Sortie programmée"]


@pytest.fixture
def archive():
    author = AuthorFactory(name="Alex Plume")
    visible = ArticleFactory(title="Article visible", tags=["Série"], authors=[author])
    now = timezone.now()
    hidden = [
        ArticleFactory(title=HIDDEN_TITLES[0], status=Article.Status.DRAFT, published_at=None),
        ArticleFactory(title=HIDDEN_TITLES[1], status=Article.Status.REVIEW, published_at=None),
        ArticleFactory(
            title=HIDDEN_TITLES[2],
            status=Article.Status.SCHEDULED,
            published_at=now + datetime.timedelta(hours=2),
        ),
    ]
    for article in hidden:
        article.tags.add("Série")
        article.authors.add(author)
    return visible, hidden


def reader_urls(visible):
    section, tag, author = visible.section, visible.tags.get(), visible.authors.get()
    d = visible.publication_date
    return [
        "/",
        "/en/",
        section.get_absolute_url(),
        tag.get_absolute_url(),
        author.get_absolute_url(),
        "/auteurs/",
        f"/{d.year}/",
        f"/{d.year}/{d:%m}/",
        f"/{d.year}/{d:%m}/{d:%d}/",
        "/flux/rss/",
        "/flux/atom/",
        f"/rubriques/{section.slug}/rss/",
        f"/genres/{tag.slug}/atom/",
        "/sitemap-articles.xml",
        visible.get_absolute_url(),
    ]


def test_unpublished_articles_are_on_no_reader_page(client, archive):
    visible, hidden = archive
    for url in reader_urls(visible):
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        for title in HIDDEN_TITLES:
            assert title not in content, (title, url)
    assert "Article visible" in client.get("/").content.decode()


def test_unpublished_article_urls_answer_404(client, archive):
    _, hidden = archive
    scheduled = hidden[2]
    assert scheduled.get_absolute_url()
    assert client.get(scheduled.get_absolute_url()).status_code == 404


def test_scheduled_article_appears_when_its_time_comes(client, archive, time_machine):
    _, hidden = archive
    scheduled = hidden[2]
    time_machine.move_to(scheduled.published_at - datetime.timedelta(seconds=1))
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    assert HIDDEN_TITLES[2] not in client.get("/flux/rss/").content.decode()
    time_machine.move_to(scheduled.published_at + datetime.timedelta(seconds=1))
    assert client.get(scheduled.get_absolute_url()).status_code == 200
    assert HIDDEN_TITLES[2] in client.get("/flux/rss/").content.decode()
    assert scheduled.get_absolute_url() in client.get("/sitemap-articles.xml").content.decode()
