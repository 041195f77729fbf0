"""A photo appears with its credit wherever it is shown, and leaves every page,
feed and meta tag when hidden or withdrawn, without the article being edited."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.storage import default_storage

from photos import services
from photos.templatetags.photos import rendition_url
from tests.factories import ArticleFactory, PhotoFactory
from tests.photos.conftest import names_of, urls_of

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def article(uploaded):
    lead = uploaded(1, credit="© Studio Nord / Photo : Jo Martin", alt_text="Deux actrices")
    gallery = [uploaded(2, credit="© Galerie Deux"), uploaded(3, credit="© Galerie Trois")]
    inline = uploaded(4, credit="© Dans le texte", size=(800, 600))
    article = ArticleFactory(
        title="L’été des séries",
        body=f'<p>Avant.</p><figure data-photo="{inline.pk}"></figure><p>Après.</p>',
        published_at=datetime.datetime(2019, 7, 1, 9, 30, tzinfo=PARIS),
        lead_photo=lead,
    )
    for position, photo in enumerate(gallery):
        article.gallery_items.create(photo=photo, position=position)
    return article


def page(client, article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def all_photos(article):
    return [article.lead_photo, *article.gallery.all(), *article.body_photos.all()]


def test_every_photo_shown_with_its_credit_and_renditions(client, article):
    html = page(client, article)
    for photo in all_photos(article):
        assert photo.credit in html
        webp = [r for r in photo.renditions.all() if r.format == "webp"]
        assert f'<source type="image/webp" srcset="{webp[0].file.url} {webp[0].width}w' in html
        assert f"?photo={photo.pk}#signaler" in html
    assert html.count('class="credit"') == 4
    assert html.count("<picture>") == 4
    assert 'alt="Deux actrices"' in html
    assert html.index("Avant.") < html.index("© Dans le texte") < html.index("Après.")
    assert 'width="1200" height="800"' in html


def test_hidden_photo_leaves_page_gallery_feeds_and_opengraph(client, article):
    lead, gallery_photo = article.lead_photo, article.gallery.first()
    feed = client.get("/flux/rss/").content.decode()
    assert lead.credit in feed and "<enclosure" in feed
    assert "og:image" in page(client, article)
    updated_at = article.updated_at
    urls = {photo.pk: urls_of(photo) for photo in all_photos(article)}

    for photo in all_photos(article):
        services.hide_photo(photo=photo, reason="Demande de l'agence")

    html = page(client, article)
    for photo in all_photos(article):
        assert photo.credit not in html
        for url in urls[photo.pk]:
            assert url not in html
    assert html.count("Cette photo est momentanément indisponible.") == 4
    assert "og:image" not in html
    assert gallery_photo.credit not in html
    feed = client.get("/flux/rss/").content.decode()
    assert lead.credit not in feed and "<enclosure" not in feed
    article.refresh_from_db()
    assert article.updated_at == updated_at


def test_withdrawn_photo_files_are_deleted_and_their_urls_answer_404(
    client, article, django_capture_on_commit_callbacks
):
    photos = all_photos(article)
    urls = {photo.pk: urls_of(photo) for photo in photos}
    names = {photo.pk: names_of(photo) for photo in photos}
    assert len(urls[article.lead_photo.pk]) == 7  # original + 3 widths x 2 formats
    for url in urls[article.lead_photo.pk]:
        assert client.get(url).status_code == 200
    updated_at = article.updated_at

    with django_capture_on_commit_callbacks(execute=True):
        for photo in photos:
            services.withdraw_photo(photo=photo, reason="Droits non accordés")

    for photo in photos:
        for url in urls[photo.pk]:
            assert client.get(url).status_code == 404, url
        for name in names[photo.pk]:
            assert not default_storage.exists(name)
        photo.refresh_from_db()
        assert photo.status == "withdrawn" and photo.withdrawn_at and not photo.image
        assert photo.renditions.count() == 0
    html = page(client, article)
    assert html.count("Cette photo a été retirée.") == 4
    assert "og:image" not in html
    article.refresh_from_db()
    assert article.updated_at == updated_at


def test_rendition_url_filter_for_thumbnails(uploaded):
    photo = uploaded(1, size=(1200, 800))
    jpegs = {r.width: r.file.url for r in photo.renditions.all() if r.format == "jpeg"}
    assert sorted(jpegs) == [480, 960, 1200]  # never upscaled past the original's width
    assert rendition_url(photo, 480) == jpegs[480]
    assert rendition_url(photo, 500) == jpegs[960]
    assert rendition_url(photo, 4000) == jpegs[1200]
    assert rendition_url(PhotoFactory(), 480).endswith(".jpg")  # no renditions: original
    assert rendition_url(None, 480) == ""


def test_rendition_names_are_unguessable(uploaded):
    photo = uploaded(1, name="Conference-de-presse-Netflix.jpg")
    for name in names_of(photo):
        assert "Netflix" not in name and "presse" not in name
    assert len({name.rsplit("/", 1)[1].split(".")[0] for name in names_of(photo)}) == 7


def test_where_used_lists_lead_gallery_and_inline_articles(article):
    for photo in all_photos(article):
        assert list(photo.where_used()) == [article]
    inline = article.body_photos.get()
    article.body = "<p>Plus de photo.</p>"
    article.save()
    assert list(inline.where_used()) == []


def in_articles(*photos):
    """Credits pages list only photos shown by a published article."""
    for photo in photos:
        ArticleFactory(lead_photo=photo)


def test_credits_page_lists_visible_photos_of_a_photographer(client, uploaded, settings):
    settings.PHOTO_CREDITS_PER_PAGE = 2
    shown = [uploaded(n, photographer="Jeanne Objectif", agency="Studio Nord") for n in (1, 2, 3)]
    hidden = uploaded(4, photographer="Jeanne Objectif", credit="© Masquée")
    in_articles(*shown, hidden)
    services.hide_photo(photo=hidden)
    html = client.get("/photos/credits/jeanne-objectif/").content.decode()
    assert "<h1>Photos de Jeanne Objectif</h1>" in html
    assert html.count('class="credit"') == 2
    assert shown[2].credit in html and shown[1].credit in html
    assert rendition_url(shown[2], 480) in html
    second = client.get("/photos/credits/jeanne-objectif/?page=2").content.decode()
    assert shown[0].credit in second and "© Masquée" not in second
    assert client.get("/photos/credits/jeanne-objectif/?page=3").status_code == 404
    assert client.get("/photos/credits/studio-nord/").status_code == 200
    assert client.get("/photos/credits/inconnu/").status_code == 404
    index = client.get("/photos/credits/").content.decode()
    assert 'href="/photos/credits/jeanne-objectif/">Jeanne Objectif</a>' in index
    assert "(3 photos)" in index
    assert 'href="/photos/credits/studio-nord/">Studio Nord</a>' in index


def test_credits_page_is_404_when_every_photo_is_hidden(client, uploaded):
    photo = uploaded(1, photographer="Élise Œil")
    in_articles(photo)
    assert client.get("/photos/credits/elise-oeil/").status_code == 200
    services.hide_photo(photo=photo)
    assert client.get("/photos/credits/elise-oeil/").status_code == 404
