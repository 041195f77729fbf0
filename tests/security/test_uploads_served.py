"""Uploaded files are never served as HTML or SVG (acceptance "Security
tests", 3). Extends tests/photos/test_validation.py and
tests/takedowns/test_notice_form.py (which already refuse an SVG named .png, an
HTML page named .jpg or .pdf) with other disguises, through the doors a person
uses: the photo admin (add, replace, several at once) and the public notice
form. What is accepted is re-encoded (photos) or kept private and only ever
downloaded as an attachment with nosniff (proof files)."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

from photos import services as photo_services
from photos.models import Photo
from takedowns.models import Evidence, Notice
from tests.factories import CHIEF, EDITOR, UserFactory
from tests.photos import images
from tests.photos.test_admin import fields as photo_fields
from tests.photos.test_admin import many as many_photos
from tests.security.conftest import snapshot
from tests.takedowns.test_notice_form import form_data as notice_form

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


def disguises():
    """(file name, bytes): HTML and SVG dressed up as images or documents."""
    return [
        ("affiche.svg", SVG),
        ("page.html", HTML),
        ("page.htm", HTML),
        ("photo.jpg.html", HTML),
        ("photo.html.jpg", HTML),
        ("bom.jpg", b"\xef\xbb\xbf" + SVG),
        ("utf16.png", "\ufeff<svg onload=alert(1)>".encode("utf-16")),
        ("magie.jpg", b"\xff\xd8\xff\xe0" + HTML),  # JPEG magic bytes, then a page
        ("magie.png", b"\x89PNG\r\n\x1a\n" + SVG),  # PNG magic bytes, then an SVG
        ("magie.gif", b"GIF89a" + HTML),
        ("MAJUSCULES.SVG", SVG),
    ]


@pytest.fixture
def editor(db):
    user = UserFactory(username="editeur", role=EDITOR)
    client = Client()
    client.force_login(user)
    return client


def _stored_now():
    state = snapshot()
    return {k: v for k, v in state.items() if k.startswith("files:") or k == "photos.Photo"}


@pytest.mark.parametrize(("name", "data"), disguises(), ids=[d[0] for d in disguises()])
def test_photo_admin_add_refuses_disguised_markup_and_stores_nothing(editor, name, data):
    before = _stored_now()
    response = editor.post("/admin/photos/photo/add/", photo_fields(upload=_file(name, data)))
    assert response.status_code == 200  # the form again, with its error
    assert 'class="errorlist' in response.content.decode()
    assert _stored_now() == before


def test_photo_admin_upload_many_and_replace_refuse_every_disguise(editor, db):
    before = _stored_now()
    files = [_file(name, data) for name, data in disguises()]
    page = editor.post("/admin/photos/photo/ajout-multiple/", many_photos(files=files))
    assert page.status_code == 200
    text = page.content.decode()
    for name, _data in disguises():
        assert f"{name} :" in text  # each refused file is named
    assert _stored_now() == before
    photo = photo_services.upload_photo(
        file=images.upload("ok.jpg", images.jpeg(1, (640, 480))), alt_text="x", credit="© x"
    )
    before = _stored_now()
    for name, data in disguises():
        response = editor.post(
            f"/admin/photos/photo/{photo.pk}/change/", photo_fields(upload=_file(name, data))
        )
        assert response.status_code == 200, name
    assert _stored_now() == before


def _file(name, data):
    return images.upload(name, data)


def _all_stored_bytes(photo) -> list[bytes]:
    names = [photo.image.name, *(r.file.name for r in photo.renditions.all())]
    out = []
    for name in names:
        with default_storage.open(name, "rb") as handle:
            out.append(handle.read())
    return out


def test_accepted_image_carrying_html_is_reencoded_without_it(editor):
    """A real JPEG with a page appended and one in its comment segment: accepted
    (it is a picture) but every stored file is re-encoded, the markup gone."""
    jpeg = images.jpeg(3, (640, 480))
    with_comment = jpeg[:2] + b"\xff\xfe" + (len(HTML) + 2).to_bytes(2, "big") + HTML + jpeg[2:]
    for n, data in enumerate([jpeg + HTML, with_comment]):
        response = editor.post(
            "/admin/photos/photo/add/",
            photo_fields(title=f"Polyglotte {n}", upload=_file(f"p{n}.jpg", data)),
        )
        assert response.status_code == 302, response.content.decode()[:500]
        photo = Photo.objects.get(title=f"Polyglotte {n}")
        for stored in _all_stored_bytes(photo):
            assert b"<script" not in stored and b"<html" not in stored.lower()
        assert photo.image.name.endswith(".jpg")


# What media URLs serve ----------------------------------------------------------------------


def _nosniff_or_report(response, url):
    if response.get("X-Content-Type-Options") != "nosniff":
        pytest.xfail(f"REPORT: {url} is served without X-Content-Type-Options: nosniff")


def test_photo_media_urls_serve_images_with_nosniff(client, db):
    photo = photo_services.upload_photo(
        file=images.upload("ok.jpg", images.jpeg(2, (640, 480))), alt_text="x", credit="© x"
    )
    urls = [photo.image.url, *(r.file.url for r in photo.renditions.all())]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].split(";")[0] in (
            "image/jpeg",
            "image/webp",
            "image/png",
            "image/gif",
        ), (url, response["Content-Type"])
        _nosniff_or_report(response, url)


@pytest.mark.parametrize("name", ["photos/egare.html", "photos/egare.svg", "photos/egare"])
def test_a_stray_markup_file_in_media_is_never_served_inline(client, db, name):
    """Should a markup file ever reach media storage (an import, a mistake), its
    URL must not render it as a page of the site."""
    stored = default_storage.save(name, ContentFile(HTML if "svg" not in name else SVG))
    try:
        response = client.get(f"/media/{stored}")
        if response.status_code == 404:
            return
        content_type = response["Content-Type"].split(";")[0]
        assert content_type not in ("text/html", "image/svg+xml", "application/xhtml+xml")
        assert content_type == "application/octet-stream" or response.get(
            "Content-Disposition", ""
        ).startswith("attachment")
        _nosniff_or_report(response, f"/media/{stored}")
    finally:
        default_storage.delete(stored)


def test_media_urls_do_not_reach_private_storage(client, db, settings):
    photo = photo_services.upload_photo(
        file=images.upload("ok.jpg", images.jpeg(4, (640, 480))), alt_text="x", credit="© x"
    )
    photo_services.withdraw_photo(photo=photo, reason="Retrait", keep_private_copy=True)
    private = photo.private_copy
    assert private
    for url in [
        f"/media/{private}",
        f"/media/../{private}",
        f"/media/%2e%2e/{private}",
        "/media/..%2fprivate%2fphotos%2f" + private,
        f"/media/{settings.PHOTO_PRIVATE_ROOT}/{private}",
        "/media//etc/passwd",
        "/media/%2fetc%2fpasswd",
    ]:
        assert client.get(url).status_code == 404, url


# Proof files of the public notice form -------------------------------------------------------


@pytest.fixture
def photo(db):
    return photo_services.upload_photo(
        file=images.upload("ok.jpg", images.jpeg(5, (640, 480))), alt_text="x", credit="© x"
    )


@pytest.mark.parametrize(("name", "data"), disguises(), ids=[d[0] for d in disguises()])
def test_notice_form_refuses_disguised_markup_as_evidence(client, photo, name, data, settings):
    before = snapshot()
    response = client.post("/signaler-une-photo/", notice_form(photo, evidence=_file(name, data)))
    assert response.status_code == 400
    assert not Notice.objects.exists() and not Evidence.objects.exists()
    after = snapshot()
    assert after["files:TAKEDOWN_PRIVATE_ROOT"] == before["files:TAKEDOWN_PRIVATE_ROOT"]
    assert after["files:MEDIA_ROOT"] == before["files:MEDIA_ROOT"]


PDF_WITH_HTML = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n"


def test_stored_evidence_is_private_and_only_downloaded_as_attachment(client, photo, settings):
    """A "PDF" carrying a page is accepted (its first bytes are a PDF's) and
    kept: it has no public URL, and the deciders' download can never render it."""
    name = '"><svg onload=alert(1)>.pdf'
    response = client.post(
        "/signaler-une-photo/", notice_form(photo, evidence=_file(name, PDF_WITH_HTML))
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert "<" not in evidence.original_name and '"' not in evidence.original_name
    assert not default_storage.exists(evidence.file.name)
    for url in [f"/media/{evidence.file.name}", f"/media/../takedowns/{evidence.file.name}"]:
        assert client.get(url).status_code == 404, url

    notice = evidence.notice
    url = f"/admin/takedowns/notice/{notice.pk}/piece/{evidence.pk}/"
    assert client.get(url).status_code == 404  # anonymous: not even told it exists
    chief = Client()
    chief.force_login(UserFactory(username="cheffe", role=CHIEF))
    download = chief.get(url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Security-Policy"] == "sandbox"
    assert "<" not in download["Content-Disposition"] and "svg" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PDF_WITH_HTML


def test_png_evidence_with_appended_markup_is_downloaded_as_png_attachment(client, photo):
    data = images.encode(images.picture(6, (200, 100)), "PNG") + SVG
    assert client.post("/signaler-une-photo/", notice_form(photo, evidence=_file("scan.png", data)))
    evidence = Evidence.objects.get()
    chief = Client()
    chief.force_login(UserFactory(username="cheffe", role=CHIEF))
    download = chief.get(f"/admin/takedowns/notice/{evidence.notice_id}/piece/{evidence.pk}/")
    assert download["Content-Type"] == "image/png"
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
