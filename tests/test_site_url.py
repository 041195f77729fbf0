"""Absolute links (canonical, og:url, feeds and their enclosures, the confirmation
link emailed to a rights holder) follow the request's address in development,
whatever port the server listens on, and ``SITE_URL`` in production."""

import re

import pytest
from django.core import mail

from tests.factories import ArticleFactory, PhotoFactory
from tests.takedowns.test_notice_form import URL as NOTICE_URL
from tests.takedowns.test_notice_form import form_data

pytestmark = pytest.mark.django_db

DEV = "http://127.0.0.1:8123"
PRODUCTION = "https://revue.example.org"


@pytest.fixture
def development(settings, monkeypatch):
    """``make run``: DEBUG on, no SITE_URL in the environment."""
    settings.DEBUG = True
    monkeypatch.delenv("SITE_URL", raising=False)
    return {"HTTP_HOST": "127.0.0.1:8123"}


@pytest.fixture
def production(settings, monkeypatch):
    settings.DEBUG = False
    settings.SITE_URL = PRODUCTION
    monkeypatch.setenv("SITE_URL", PRODUCTION)
    return {"HTTP_HOST": "127.0.0.1:8123"}


@pytest.fixture
def article():
    return ArticleFactory(title="Un phare", lead_photo=PhotoFactory())


def canonical(html: str) -> str:
    return re.search(r'<link rel="canonical" href="([^"]+)"', html).group(1)


def links(client, url, headers) -> set[str]:
    html = client.get(url, **headers).content.decode()
    return set(re.findall(r'(?:href|url|content)="(https?://[^"/]+)', html))


def test_development_links_use_the_request_address(client, development, article):
    html = client.get(article.get_absolute_url(), **development).content.decode()
    assert canonical(html) == DEV + article.get_absolute_url()
    assert f'<meta property="og:url" content="{DEV}{article.get_absolute_url()}">' in html
    for feed in ("/flux/rss/", "/flux/atom/"):
        assert links(client, feed, development) == {DEV}, feed


def test_production_links_keep_site_url(client, production, article):
    html = client.get(article.get_absolute_url(), **production).content.decode()
    assert canonical(html) == PRODUCTION + article.get_absolute_url()
    assert links(client, "/flux/rss/", production) == {PRODUCTION}


def confirmation_link() -> str:
    [message] = mail.outbox
    return re.search(r"https?://\S+/confirmer/\S+", message.body).group(0)


def test_development_email_from_a_form_links_to_the_server_that_sent_it(
    client, development, article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NOTICE_URL, form_data(article.lead_photo), **development)
    assert response.status_code == 302
    assert confirmation_link().startswith(DEV + "/")


def test_production_email_links_keep_site_url(
    client, production, article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(NOTICE_URL, form_data(article.lead_photo), **production)
    assert confirmation_link().startswith(PRODUCTION + "/")
