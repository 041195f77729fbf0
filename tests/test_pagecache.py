"""The anonymous page cache: served from cache, invalidated by editorial changes,
revalidated with ETags, never for signed-in editors."""

import datetime

import pytest
from django.core.cache import cache

from articles import workflow
from photos import services as photo_services
from tests.factories import ArticleFactory, PhotoFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def test_second_anonymous_request_is_served_from_cache(client):
    article = ArticleFactory(title="Mis en cache")
    first = client.get(article.get_absolute_url())
    assert first.status_code == 200 and "X-Page-Cache" not in first
    second = client.get(article.get_absolute_url())
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content


def test_unpublished_article_is_gone_from_the_next_response(client):
    # Transactional tests flush the groups the migrations create: a superuser will do.
    editor = UserFactory(username="ed", is_superuser=True)
    article = ArticleFactory(title="Bientôt dépublié")
    assert "Bientôt dépublié" in client.get("/").content.decode()
    assert client.get("/")["X-Page-Cache"] == "hit"
    workflow.unpublish(article=article, by=editor)
    home = client.get("/")
    assert "X-Page-Cache" not in home
    assert "Bientôt dépublié" not in home.content.decode()
    assert client.get(article.get_absolute_url()).status_code == 404


def test_withdrawn_photo_is_gone_from_the_next_response(client):
    photo = PhotoFactory(credit="© Agence Éphémère")
    article = ArticleFactory(lead_photo=photo)
    assert "© Agence Éphémère" in client.get(article.get_absolute_url()).content.decode()
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"
    photo_services.withdraw_photo(photo=photo)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "© Agence Éphémère" not in page
    assert "Cette photo a été retirée" in page or "Photo retirée" in page


def test_etag_revalidation(client):
    article = ArticleFactory()
    response = client.get(article.get_absolute_url())
    etag = response["ETag"]
    assert client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag).status_code == 304
    article.title = "Nouveau titre"
    article.save()
    assert client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag).status_code == 200
    feed = client.get("/flux/rss/")
    assert client.get("/flux/rss/", HTTP_IF_NONE_MATCH=feed["ETag"]).status_code == 304


def test_signed_in_editors_are_never_served_cached_pages(client):
    ArticleFactory(title="Version publique")
    client.get("/")
    client.force_login(UserFactory(username="ed2", is_superuser=True))
    assert "X-Page-Cache" not in client.get("/")


def test_scheduled_article_caps_the_cache_lifetime(client, time_machine):
    start = datetime.datetime(2026, 1, 10, 9, tzinfo=datetime.UTC)
    time_machine.move_to(start, tick=False)
    ArticleFactory(title="À midi pile", status="scheduled",
                   published_at=start + datetime.timedelta(seconds=30))  # fmt: skip
    assert "À midi pile" not in client.get("/").content.decode()
    time_machine.move_to(start + datetime.timedelta(seconds=31), tick=False)
    assert "À midi pile" in client.get("/").content.decode()


def test_reader_pages_carry_a_content_security_policy(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
