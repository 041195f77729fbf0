"""Only photos shown by a published article are named in public: the credits
pages and the photo search API say nothing of a photo uploaded ahead of an
embargoed article, of one used only by drafts or by an article scheduled for
later, until that article is out."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article
from photos.models import Photo
from tests.factories import ArticleFactory, PhotoFactory

pytestmark = pytest.mark.django_db

CREDITS = "/photos/credits/"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Saves reach the search index once their transaction commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def embargoed() -> Photo:
    return PhotoFactory(credit="© Studio Nord / Photo : Inès Secret", photographer="Inès Secret")


def found_by_api(client) -> int:
    return client.get("/api/photos/search/", {"credit": "Inès Secret"}).json()["count"]


def test_unused_photo_is_on_no_public_page(client, committed):
    with committed():
        embargoed()
    assert client.get(f"{CREDITS}ines-secret/").status_code == 404
    assert "Inès Secret" not in client.get(CREDITS).content.decode()
    assert found_by_api(client) == 0


@pytest.mark.parametrize(
    ("status", "delay"),
    [(Article.Status.DRAFT, -1), (Article.Status.REVIEW, -1), (Article.Status.SCHEDULED, 2)],
)
def test_photo_of_an_unpublished_article_stays_unknown(client, committed, status, delay):
    with committed():
        ArticleFactory(
            status=status,
            published_at=timezone.now() + datetime.timedelta(days=delay),
            lead_photo=embargoed(),
        )
    assert client.get(f"{CREDITS}ines-secret/").status_code == 404
    assert "Inès Secret" not in client.get(CREDITS).content.decode()
    assert found_by_api(client) == 0


def test_publishing_the_article_makes_the_photo_public(client, committed):
    with committed():
        photo = embargoed()
        article = ArticleFactory(status=Article.Status.DRAFT, lead_photo=photo)
    with committed():
        article.status = Article.Status.PUBLISHED
        article.save()
    assert client.get(f"{CREDITS}ines-secret/").status_code == 200
    assert "Inès Secret" in client.get(CREDITS).content.decode()
    assert found_by_api(client) == 1

    with committed():
        article.delete()
    assert client.get(f"{CREDITS}ines-secret/").status_code == 404
    assert found_by_api(client) == 0


def test_scheduled_article_shows_its_photo_at_its_time(client):
    at = timezone.now() + datetime.timedelta(hours=2)
    ArticleFactory(status=Article.Status.SCHEDULED, published_at=at, lead_photo=embargoed())
    assert client.get(f"{CREDITS}ines-secret/").status_code == 404
    with time_machine.travel(at + datetime.timedelta(minutes=1)):
        assert client.get(f"{CREDITS}ines-secret/").status_code == 200


def test_lead_gallery_and_body_photos_of_published_articles_count():
    lead, in_gallery, in_body, unused = (PhotoFactory() for _ in range(4))
    article = ArticleFactory(lead_photo=lead, body=f'<figure data-photo="{in_body.pk}"></figure>')
    article.gallery_items.create(photo=in_gallery, position=0)
    ArticleFactory(status=Article.Status.DRAFT, lead_photo=unused)
    public = Photo.objects.in_published_articles()
    assert set(public) == {lead, in_gallery, in_body}
    assert public.count() == 3  # no duplicates from the three relations


def test_report_form_shows_no_unpublished_photo(client):
    photo = embargoed()
    html = client.get("/signaler-une-photo/", {"photo": photo.pk}).content.decode()
    assert "Inès Secret" not in html and "/media/" not in html
