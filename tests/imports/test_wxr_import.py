"""Acceptance: a WordPress export (written for these tests, tests/imports/wxr_sample.py)
imports through the command with sections, genres, authors, photos, credits and old
addresses right."""

from io import StringIO

import pytest
from django.core.management import call_command

from articles import html
from articles.models import Article
from imports.models import OldAddress
from photos.models import Photo
from tests.imports import wxr_sample

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(tmp_path, settings):
    settings.OLD_SITE_DOMAINS = ["lanterne.example.org"]
    wxr, media = wxr_sample.write_sample(tmp_path)
    out, err = StringIO(), StringIO()
    call_command("import_articles", str(wxr), media_root=media, stdout=out, stderr=err,
                 no_progress=True)  # fmt: skip
    return out.getvalue(), err.getvalue()


def test_every_post_comes_in_with_its_fields(imported):
    out, err = imported
    assert err == ""
    assert f"{len(wxr_sample.EXPECTED)} créé(s), 0 mis à jour, 0 inchangé(s), 0 en erreur" in out
    for url, expected in wxr_sample.EXPECTED.items():
        article = Article.objects.get(source_url=url)
        assert article.title == expected["title"]
        assert article.status == expected["status"]
        assert article.published_at == expected["published_at"]
        assert article.section.name == expected["section"]
        assert sorted(t.name for t in article.tags.all()) == sorted(expected["tags"])
        assert [a.name for a in article.authors.all()] == expected["authors"]
        assert html.strip_tags(article.standfirst) == expected["standfirst"]
        for fragment in expected["body_has"]:
            assert fragment in article.body


def test_pages_menu_items_and_trash_are_skipped_and_said(imported):
    out, _err = imported
    for what, count in wxr_sample.SKIPPED.items():
        assert f"Ignoré(s) : {count} × {what}" in out


def test_photos_credits_and_captions(imported):
    review = Article.objects.get(
        source_url=f"{wxr_sample.SITE}/2023/03/15/le-gardien-de-la-lumiere/"
    )
    lead = review.lead_photo
    assert lead.credit == "© Les Films du Large / Photo : Élise Tanguy"
    assert lead.photographer == "Élise Tanguy"
    assert lead.agency == "Les Films du Large"
    assert lead.caption == "Le phare de l'île, la nuit du tournage"
    assert lead.renditions.exists()
    (inline,) = Photo.objects.filter(pk__in=review.body_photo_ids())
    assert inline.credit == "© Agence Brume / Photo : Yann Le Goff"
    assert inline.alt_text == "L'équipe sur la jetée"
    assert list(review.body_photos.all()) == [inline]
    # The phare picture is also in the body of the series news: one photo, used twice.
    news = Article.objects.get(source_url=f"{wxr_sample.SITE}/2030/01/10/brumes-saison-2/")
    assert lead.pk in news.body_photo_ids()
    files = {spec["file"] for e in wxr_sample.EXPECTED.values() for spec in _specs(e)}
    assert Photo.objects.count() == len(files)


def _specs(expected):
    lead = [expected["lead_photo"]] if expected["lead_photo"] else []
    return lead + expected["gallery"] + expected["inline_photos"]


def test_an_uncredited_attachment_waits_for_a_credit(imported, client):
    book = Article.objects.get(source_url=f"{wxr_sample.SITE}/2023/05/20/la-nuit-des-sardiniers/")
    assert book.lead_photo.credit == ""
    assert not Photo.objects.visible().filter(pk=book.lead_photo.pk).exists()
    assert [item.photo.credit for item in book.gallery_items.all()] == [
        "Studio Ardoise",
        "Photo : Nina Roux",
    ]


def test_old_addresses_answer_301_to_the_new_pages(imported, client):
    review = Article.objects.get(
        source_url=f"{wxr_sample.SITE}/2023/03/15/le-gardien-de-la-lumiere/"
    )
    for old in ("/2023/03/15/le-gardien-de-la-lumiere/", "/?p=11"):
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == review.get_absolute_url()
    picture = client.get("/wp-content/uploads/2023/03/phare-nuit.jpg")
    assert picture.status_code == 301
    assert picture["Location"].endswith(".jpg")
    assert client.get(picture["Location"]).status_code == 200
    # A draft's and a scheduled post's old addresses do not reveal them.
    assert client.get("/?p=14").status_code in (200, 404)
    assert client.get("/2030/01/10/brumes-saison-2/").status_code == 404
    assert OldAddress.objects.filter(photo__isnull=False).exists()


def test_importing_the_export_again_changes_nothing(imported, tmp_path):
    wxr, media = tmp_path / "export.xml", tmp_path / "uploads"
    articles, photos = Article.objects.count(), Photo.objects.count()
    out = StringIO()
    call_command("import_articles", str(wxr), media_root=media, stdout=out, no_progress=True)
    assert f"0 créé(s), 0 mis à jour, {articles} inchangé(s), 0 en erreur" in out.getvalue()
    assert (Article.objects.count(), Photo.objects.count()) == (articles, photos)
