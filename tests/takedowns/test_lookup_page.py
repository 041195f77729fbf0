"""Finding one's photos from the picture (/signaler-une-photo/retrouver/): the
matches readers can see, with the published articles using them and their
credit; nothing about hidden, withdrawn or unpublished photos; a request
prefilled from the results; bad files, too many files and too much traffic
refused with a message; nothing written to disk or storage."""

import datetime
from html import unescape

import pytest
from django.core.files import temp
from django.core.files.storage import default_storage
from django.test import Client

from articles.models import Article, GalleryItem
from photos import lookup as photo_lookup
from photos import services as photo_services
from takedowns import lookup
from tests.photos import images
from tests.takedowns.conftest import PARIS, smaller_copy

pytestmark = pytest.mark.django_db

URL = "/signaler-une-photo/retrouver/"


@pytest.fixture(autouse=True)
def _fresh_index():
    photo_lookup.reset()
    yield
    photo_lookup.reset()


def send(client, *files, **extra):
    uploads = [images.upload(name, data) for name, data in files]
    return client.post(URL, {"pictures": uploads}, **extra)


def copy_of(seed, size=(1200, 800)):
    return ("ma-photo.jpg", smaller_copy(images.jpeg(seed, size)))


def test_page_offers_one_upload_field_and_one_button(client):
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="pictures"' in html and "multiple" in html
    page = html[html.index('<article class="page lookup">') :]
    assert page[: page.index("</article>")].count("<button") == 1
    assert 'name="csrfmiddlewaretoken"' in html
    assert "ni enregistrée" in html
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_a_copy_finds_every_published_use_with_its_credit(client, upload, published):
    photo = upload(1, credit="DR")
    other = upload(2)
    first = published(photo, title="Une critique")
    second = published(None, title="Un entretien", author_email="b@example.org")
    GalleryItem.objects.create(article=second, photo=photo, position=1)
    draft = published(photo, title="Un brouillon secret", author_email="c@example.org")
    Article.objects.filter(pk=draft.pk).update(status=Article.Status.DRAFT)
    published(other, title="Autre chose", author_email="d@example.org")
    response = send(client, copy_of(1))
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 photo trouvée" in html
    assert f"n° {photo.pk}" in html and "DR" in html
    assert first.get_absolute_url() in html and second.get_absolute_url() in html
    assert "photo principale" in html and "galerie" in html
    assert "Un brouillon secret" not in html  # drafts are never named
    assert "Autre chose" not in html
    assert f'href="/signaler-une-photo/?photos={photo.pk}#signaler"' in html


def test_the_results_button_opens_a_request_prefilled_with_the_photos(client, upload, published):
    photos = [upload(seed) for seed in (1, 2)]
    for number, photo in enumerate(photos):
        published(photo, title=f"Article {number}", author_email=f"a{number}@example.org")
    response = client.get(f"/signaler-une-photo/?photos={photos[0].pk},{photos[1].pk}")
    html = response.content.decode()
    assert f'name="photo_ids" value="{photos[0].pk}, {photos[1].pk}"' in html
    assert photos[0].credit in html and photos[1].credit in html


def test_prefill_names_only_photos_of_published_articles(client, upload):
    hidden_away = upload(1)  # in no published article
    response = client.get(f"/signaler-une-photo/?photos={hidden_away.pk}")
    assert f'value="{hidden_away.pk}"' not in response.content.decode()


def test_several_pictures_at_once(client, upload, published):
    photos = [upload(seed) for seed in (1, 2)]
    for number, photo in enumerate(photos):
        published(photo, title=f"Article {number}", author_email=f"a{number}@example.org")
    response = send(client, copy_of(1), copy_of(2), ("autre.jpg", images.jpeg(50)))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("1 photo trouvée") == 2
    assert "aucune photo trouvée" in html
    assert f"?photos={photos[0].pk},{photos[1].pk}#" in html


@pytest.mark.parametrize("state", ["hidden", "withdrawn", "uncredited", "unpublished"])
def test_photos_readers_cannot_see_are_not_named(
    client, upload, published, state, django_capture_on_commit_callbacks
):
    photo = upload(1)
    article = published(photo, title="Une critique")
    with django_capture_on_commit_callbacks(execute=True):
        if state == "hidden":
            photo_services.hide_photo(photo=photo)
        elif state == "withdrawn":
            photo_services.withdraw_photo(photo=photo, reason="test")
        elif state == "uncredited":
            type(photo).objects.filter(pk=photo.pk).update(credit="")
        else:
            Article.objects.filter(pk=article.pk).update(
                published_at=datetime.datetime(2099, 1, 1, tzinfo=PARIS),
                status=Article.Status.SCHEDULED,
            )
    html = send(client, copy_of(1)).content.decode()
    assert "aucune photo trouvée" in html
    assert f"n° {photo.pk}" not in html and "Une critique" not in html


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("notes.jpg", b"hello, not a picture", "n'est pas une image JPEG, PNG, WebP ou GIF"),
        ("bombe.png", images.bomb_png(), "mégapixels"),
        ("dessin.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "extension d'image"),
        ("vide.jpg", b"", "Le fichier est vide."),
    ],
)
def test_bad_files_get_a_message_and_a_400(client, name, data, message):
    response = send(client, (name, data))
    html = unescape(response.content.decode())
    assert response.status_code == 400
    assert message in html and name in html


def test_no_file_is_refused(client):
    response = client.post(URL, {})
    assert response.status_code == 400
    assert "Choisissez au moins une image." in response.content.decode()


def test_too_many_files_are_refused(client):
    files = [(f"p{n}.jpg", images.jpeg(n, (120, 80))) for n in range(lookup.MAX_PICTURES + 1)]
    response = send(client, *files)
    assert response.status_code == 400
    assert f"{lookup.MAX_PICTURES} fichiers au plus." in response.content.decode()


def test_a_file_too_large_is_refused_with_its_size(client, settings):
    settings.PHOTO_MAX_UPLOAD_BYTES = 10_000
    response = send(client, ("grande.jpg", images.jpeg(1, (900, 600), quality=95)))
    html = response.content.decode()
    assert response.status_code == 400
    assert "grande.jpg" in html and "trop lourd" in html


def test_a_request_far_too_large_is_refused_before_reading_it(client):
    response = client.post(
        URL, b"x", content_type="multipart/form-data; boundary=x", CONTENT_LENGTH=10**9
    )
    assert response.status_code == 413


def test_csrf_is_checked():
    client = Client(enforce_csrf_checks=True)
    response = send(client, copy_of(1))
    assert response.status_code == 403


def test_lookups_are_rate_limited(client, settings):
    for _ in range(lookup.RATE_LIMIT):
        assert send(client, ("notes.jpg", b"not a picture")).status_code == 400
    response = send(client, copy_of(1))
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()


def test_nothing_is_written_to_disk_or_storage(client, upload, published, monkeypatch, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024  # Django spools larger files
    photo = upload(1, size=(1600, 1000))
    published(photo)
    before = default_storage.listdir("photos")
    spooled = []
    real = temp.NamedTemporaryFile

    def spy(*args, **kwargs):
        spooled.append(args)
        return real(*args, **kwargs)

    # Where Django's own handler would write a file over 2.5 MB.
    monkeypatch.setattr(temp, "NamedTemporaryFile", spy)
    big = ("grande.jpg", images.jpeg(1, (1600, 1000), quality=98))
    assert len(big[1]) > settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    response = send(client, big)
    assert response.status_code == 200 and "1 photo trouvée" in response.content.decode()
    assert not spooled
    assert default_storage.listdir("photos") == before


def test_links_lead_to_the_page(client, upload, published):
    photo = upload(1)
    article = published(photo)
    assert f'href="{URL}"' in client.get(article.get_absolute_url()).content.decode()
    assert f'action="{URL}"' in client.get("/signaler-une-photo/").content.decode()


def test_english_page(client):
    response = client.get("/en" + URL)
    assert response.status_code == 200


def test_a_photo_hidden_after_the_index_was_built_is_not_named(
    client, upload, published, django_capture_on_commit_callbacks
):
    """The index may lag a change by FULL_CHECK_SECONDS; what is shown may not."""
    photo = upload(1)
    published(photo, title="Une critique")
    assert "1 photo trouvée" in send(client, copy_of(1)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        photo_services.hide_photo(photo=photo)
    html = send(client, copy_of(1)).content.decode()
    assert "aucune photo trouvée" in html and "Une critique" not in html
