"""The photo admin: same validation as the services, nothing stored on refusal,
and the editors' tools (actions, several files at once, where used, duplicates)."""

import datetime
import html

import pytest
from django.core.files.storage import default_storage

from photos import services
from photos.models import Photo
from tests.factories import ArticleFactory, PhotoFactory
from tests.photos import images
from tests.photos.conftest import names_of, stored_files
from tests.photos.test_validation import bad_files

pytestmark = pytest.mark.django_db

ADD = "/admin/photos/photo/"
CHANGELIST = "/admin/photos/photo/"


def fields(**overrides):
    data = {
        "title": "Affiche",
        "alt_text": "Une affiche de film",
        "caption": "",
        "credit": "© Distributeur / Photo : Jo Martin",
        "photographer": "Jo Martin",
        "agency": "Distributeur",
        "source": "press_kit",
        "licence_kind": "press",
        "licence_start": "",
        "licence_end": "",
        "licence_notes": "",
    }
    return {**data, **overrides}


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.parametrize(("name", "data", "code", "words"), bad_files())
def test_admin_add_refuses_bad_files(admin_client, name, data, code, words):
    before = stored_files()
    response = admin_client.post(f"{ADD}add/", fields(upload=images.upload(name, data)))
    assert response.status_code == 200
    assert words in text(response)
    assert Photo.objects.count() == 0
    assert stored_files() == before


def test_admin_add_refuses_oversized_file(admin_client, settings):
    settings.PHOTO_MAX_UPLOAD_BYTES = 50_000
    data = images.jpeg(1, (1200, 800))
    assert len(data) > 50_000
    before = stored_files()
    response = admin_client.post(f"{ADD}add/", fields(upload=images.upload("a.jpg", data)))
    assert "Le fichier est trop lourd" in text(response)
    assert Photo.objects.count() == 0 and stored_files() == before


def test_admin_add_requires_a_file_and_alt_text(admin_client):
    response = admin_client.post(f"{ADD}add/", fields(alt_text=" "))
    page = text(response)
    assert "Choisissez le fichier de la photo." in page
    assert Photo.objects.count() == 0


def test_admin_add_stores_a_clean_photo_with_renditions(admin_client, admin_user):
    data = images.jpeg(1, (1200, 800))
    response = admin_client.post(f"{ADD}add/", fields(upload=images.upload("IMG_1.jpg", data)))
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert photo.uploaded_by == admin_user
    assert (photo.width, photo.height, photo.photographer_slug) == (1200, 800, "jo-martin")
    assert photo.renditions.count() == 6 and len(photo.phash) == 16
    assert "IMG_1" not in photo.image.name


def test_change_page_shows_where_used_and_duplicates(admin_client, uploaded):
    photo = uploaded(1)
    copy = uploaded(1, data=images.jpeg(1, (600, 400), quality=60), title="Copie")
    ArticleFactory(title="Critique avec photo", lead_photo=photo,
                   body=f'<figure data-photo="{photo.pk}"></figure>')  # fmt: skip
    page = text(admin_client.get(f"{CHANGELIST}{photo.pk}/change/"))
    assert "Critique avec photo" in page and "photo principale, dans le texte" in page
    assert f"/admin/photos/photo/{copy.pk}/change/" in page
    assert "Delete" not in page and "Supprimer" not in page


def test_change_form_replaces_the_image_with_the_same_validation(
    admin_client, uploaded, django_capture_on_commit_callbacks
):
    photo = uploaded(1)
    old_names = names_of(photo)
    url = f"{CHANGELIST}{photo.pk}/change/"
    bad = admin_client.post(url, fields(upload=images.upload("x.jpg", b"<html></html>")))
    assert "document texte" in text(bad)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, fields(upload=images.upload("y.jpg", images.jpeg(2))))
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.image.name not in old_names and photo.credit.startswith("© Distributeur")
    assert not any(default_storage.exists(name) for name in old_names)


def test_changelist_thumbnails_search_and_filters(admin_client, uploaded):
    photo = uploaded(1, caption="Tournage à Lyon")
    soon = PhotoFactory(title="Bientôt", licence_end=datetime.date.today() + datetime.timedelta(10))
    PhotoFactory(title="Plus tard", licence_end=datetime.date.today() + datetime.timedelta(90))
    PhotoFactory(title="Anonyme", credit="")
    page = text(admin_client.get(CHANGELIST))
    jpeg_480 = photo.renditions.get(width=480, format="jpeg")
    assert f'src="{jpeg_480.file.url}"' in page
    assert "Ajouter plusieurs photos" in page
    assert "Photo 1" in text(admin_client.get(CHANGELIST, {"q": "Lyon"}))
    expiring = text(admin_client.get(CHANGELIST, {"licence": "soon"}))
    assert soon.title in expiring and "Plus tard" not in expiring
    missing = text(admin_client.get(CHANGELIST, {"credit": "missing"}))
    assert "Anonyme" in missing and "Bientôt" not in missing


def action(admin_client, name, photos, **extra):
    return admin_client.post(
        CHANGELIST, {"action": name, "_selected_action": [p.pk for p in photos], **extra}
    )


def test_hide_unhide_and_withdraw_with_confirmation(
    admin_client, uploaded, django_capture_on_commit_callbacks
):
    photo = uploaded(1)
    with django_capture_on_commit_callbacks(execute=True):
        action(admin_client, "hide", [photo])
    assert Photo.objects.get().status == "hidden"
    with django_capture_on_commit_callbacks(execute=True):
        action(admin_client, "unhide", [photo])
    assert Photo.objects.get().status == "visible"
    names = names_of(Photo.objects.get())  # shown again under new names

    confirm = action(admin_client, "withdraw", [photo])
    assert "Retrait définitif." in text(confirm)
    assert Photo.objects.get().status == "visible"
    with django_capture_on_commit_callbacks(execute=True):
        action(admin_client, "withdraw", [photo], apply="yes", reason="Demande du 3 mars")
    photo.refresh_from_db()
    assert (photo.status, photo.withdrawn_reason) == ("withdrawn", "Demande du 3 mars")
    assert not any(default_storage.exists(name) for name in names)
    response = action(admin_client, "unhide", [photo])
    assert Photo.objects.get().status == "withdrawn"
    assert response.status_code == 302


def test_bulk_credit_edit_through_an_intermediate_form(admin_client):
    photos = [PhotoFactory(credit="© Faux"), PhotoFactory(credit="")]
    form = action(admin_client, "edit_credits", photos)
    assert "Modifier le crédit" in text(form)
    assert Photo.objects.filter(credit="© Faux").exists()
    new = {"credit": "© Agence Sud / Photo : Lou Perez", "photographer": "Lou Perez", "agency": ""}
    action(admin_client, "edit_credits", photos, apply="yes", **new)
    for photo in Photo.objects.all():
        assert photo.credit == "© Agence Sud / Photo : Lou Perez"
        assert (photo.photographer, photo.photographer_slug) == ("Lou Perez", "lou-perez")


def many(**overrides):
    return {
        "alt_text": "Photos de tournage",
        "credit": "© Studio / Photo : Ana",
        "photographer": "Ana",
        "agency": "",
        "source": "press_kit",
        "licence_kind": "press",
        "licence_start": "",
        "licence_end": "2031-01-31",
        "licence_notes": "",
        **overrides,
    }


def test_upload_several_files_at_once(admin_client):
    url = "/admin/photos/photo/ajout-multiple/"
    assert admin_client.get(url).status_code == 200
    files = [images.upload(f"p{n}.jpg", images.jpeg(n, (640, 480))) for n in (1, 2)]
    response = admin_client.post(url, many(files=files))
    assert response.status_code == 302
    assert Photo.objects.count() == 2
    for photo in Photo.objects.all():
        assert photo.credit == "© Studio / Photo : Ana" and photo.renditions.count() == 4
        assert photo.licence_end == datetime.date(2031, 1, 31)


def test_upload_several_files_reports_each_refused_file_and_stores_nothing(admin_client):
    before = stored_files()
    files = [
        images.upload("bonne.jpg", images.jpeg(1, (640, 480))),
        images.upload("fausse.jpg", b"<svg></svg>"),
        images.upload("coupee.jpg", images.jpeg(2, (640, 480))[:3000]),
    ]
    page = text(admin_client.post("/admin/photos/photo/ajout-multiple/", many(files=files)))
    assert "fausse.jpg : Ce fichier est un document texte" in page
    assert "coupee.jpg : L'image est incomplète ou endommagée" in page
    assert "bonne.jpg :" not in page
    assert Photo.objects.count() == 0 and stored_files() == before


def test_withdrawn_photo_cannot_receive_a_new_file(admin_client, uploaded):
    photo = uploaded(1)
    services.withdraw_photo(photo=photo, reason="Retirée")
    before = stored_files()
    url = f"{CHANGELIST}{photo.pk}/change/"
    page = text(admin_client.post(url, fields(upload=images.upload("n.jpg", images.jpeg(3)))))
    assert "Une photo retirée ne reçoit plus de fichier" in page
    assert stored_files() == before


def test_admin_pages_render_for_new_and_withdrawn_photos(admin_client, uploaded):
    assert 'accept="image/jpeg,image/png,image/webp,image/gif"' in text(
        admin_client.get(f"{ADD}add/")
    )
    photo = uploaded(1)
    services.withdraw_photo(photo=photo, reason="Retirée")
    page = text(admin_client.get(f"{CHANGELIST}{photo.pk}/change/"))
    assert "Fichier supprimé (photo retirée)." in page
    assert admin_client.get(CHANGELIST).status_code == 200
