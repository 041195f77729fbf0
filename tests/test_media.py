"""Media served in development and tests (config/media.py): read through the
Storage API whatever the backend, images inline with their own type, anything
else as a download, nothing outside the media storage."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import resolve

from config.media import serve_media, storage_name
from photos import services
from tests.photos import images

pytestmark = pytest.mark.django_db

STORAGE_BACKENDS = {
    "filesystem": "django.core.files.storage.FileSystemStorage",
    "memory": "tests.storage.ObjectLikeStorage",  # no local path, like S3
}


@pytest.fixture(params=sorted(STORAGE_BACKENDS), autouse=True)
def storage(request, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": STORAGE_BACKENDS[request.param]},
    }
    return request.param


@pytest.fixture
def photo():
    return services.upload_photo(
        file=images.upload("photo.jpg", images.jpeg(1, (1200, 800))),
        alt_text="Une scène de film",
        credit="© Studio / Photo : Jeanne Objectif",
    )


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_media_url_is_served_by_the_storage_view():
    assert resolve("/media/photos/x.jpg").func is serve_media


def test_original_and_renditions_are_served_with_their_image_type(client, photo):
    files = [(photo.image, "image/jpeg")] + [
        (r.file, f"image/{r.format}") for r in photo.renditions.all()
    ]
    assert {kind for _f, kind in files} == {"image/jpeg", "image/webp"}
    for file, content_type in files:
        response = client.get(file.url)
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Length"] == str(default_storage.size(file.name))
        assert not response["Content-Disposition"].startswith("attachment")
        served = body(response)
        with default_storage.open(file.name, "rb") as stored:
            assert served == stored.read()


def test_head_and_conditional_get(client, photo):
    url = photo.image.url
    head = client.head(url)
    assert head.status_code == 200 and head["Content-Type"] == "image/jpeg"
    assert client.post(url).status_code == 405
    last_modified = client.get(url)["Last-Modified"]
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304


@pytest.mark.parametrize(
    "name",
    [
        "photos/page.html",
        "photos/logo.svg",
        "photos/notes.txt",
        "photos/no-extension",
        "photos/script.js",
        "photos/IMAGE.JPG.html",
    ],
)
def test_a_stored_non_image_is_never_served_inline(client, name):
    stored = default_storage.save(name, ContentFile(b"<script>alert(document.cookie)</script>"))
    response = client.get(f"/media/{stored}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_image_types_are_decided_by_the_extension_case_insensitively(client):
    stored = default_storage.save(
        "photos/SCAN.PNG", ContentFile(images.encode(images.picture(1, (20, 20)), "PNG"))
    )
    response = client.get(f"/media/{stored}")
    assert response["Content-Type"] == "image/png"


@pytest.mark.parametrize(
    "path",
    [
        "/media/../manage.py",
        "/media/photos/../../manage.py",
        "/media/%2e%2e/manage.py",
        "/media/photos/%2E%2E/%2E%2E/config/settings/base.py",
        "/media//etc/passwd",
        "/media/photos//x.jpg",
        "/media/./photos/x.jpg",
        "/media/photos\\..\\..\\manage.py",
        "/media/photos/%00.jpg",
    ],
)
def test_paths_leaving_the_media_storage_are_404(client, path):
    default_storage.save("photos/x.jpg", ContentFile(images.jpeg(1, (20, 20))))
    assert client.get(path).status_code == 404


def test_missing_files_and_folders_are_404(client, photo):
    assert client.get("/media/photos/nothing-here.jpg").status_code == 404
    assert client.get("/media/nothing/here.jpg").status_code == 404
    assert client.get("/media/photos").status_code == 404
    assert client.get("/media/photos/").status_code == 404
    assert client.get("/media/").status_code == 404
    name = photo.image.name
    default_storage.delete(name)
    assert client.get(photo.image.url).status_code == 404


def test_storage_name_is_a_plain_relative_name():
    assert storage_name("photos/r/abc.webp") == "photos/r/abc.webp"
    for bad in ["", "/x", "a/../b", "..", "a//b", "a/./b", "a\\b", "a\x00b", "a/"]:
        assert storage_name(bad) is None


def test_no_media_route_without_serve_media(settings):
    """Production: the web server, the bucket or a CDN serves media."""
    import importlib

    from django.urls import Resolver404, clear_url_caches

    import config.urls

    settings.SERVE_MEDIA = False
    try:
        clear_url_caches()
        importlib.reload(config.urls)
        with pytest.raises(Resolver404):
            resolve("/media/photos/x.jpg", urlconf=config.urls)
    finally:
        settings.SERVE_MEDIA = True
        importlib.reload(config.urls)
        clear_url_caches()


def test_absolute_media_urls_of_object_storage_are_used_as_they_are(client, settings):
    """On S3 or behind a CDN, file URLs are absolute: pages, feeds and og:image
    use them unchanged (never the site's address glued in front)."""
    from tests.factories import ArticleFactory

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "tests.storage.ObjectLikeStorage",
            "OPTIONS": {"base_url": "https://media.example.org/revue/"},
        },
    }
    photo = services.upload_photo(
        file=images.upload("photo.jpg", images.jpeg(3, (1200, 800))),
        alt_text="Une scène de film",
        credit="© Studio / Photo : Jeanne Objectif",
    )
    assert photo.image.url.startswith("https://media.example.org/revue/photos/")
    article = ArticleFactory(title="Un article illustré", lead_photo=photo)
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'<meta property="og:image" content="{photo.image.url}">' in page
    assert 'srcset="https://media.example.org/revue/photos/r/' in page
    feed = client.get("/flux/rss/").content.decode()
    assert f'url="{photo.image.url}"' in feed


def test_closing_the_same_stored_file_elsewhere_never_ends_a_served_response(photo):
    """The WSGI handler replaces close() on the file it streams with the response's
    own (which sends request_finished, closing database connections); a storage
    that hands everyone the same file object (InMemoryStorage) must not let
    another reader's close() reach it."""
    from django.core.signals import request_finished
    from django.test import RequestFactory

    response = serve_media(RequestFactory().get(photo.image.url), photo.image.name)
    response.file_to_stream.close = response.close  # as WSGIHandler does
    finished = []

    def record(**kwargs):
        finished.append(kwargs)

    request_finished.connect(record)
    try:
        with default_storage.open(photo.image.name, "rb") as elsewhere:
            elsewhere.read(10)
    finally:
        request_finished.disconnect(record)
    assert finished == []
