"""The article editor's photo chooser (photos/chooser.py, mounted by the article
admin): who may open it, what it offers and flags, bad input, uploading in place,
and the editor's photo references saved as references."""

import datetime
import html
import json
import re

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from articles.models import Article
from photos import services
from photos.models import Photo, site_today
from tests.factories import WRITER, ArticleFactory, PhotoFactory, UserFactory
from tests.photos import images

pytestmark = pytest.mark.django_db

DIALOG = "admin:articles_photo_chooser"
LIST = "admin:articles_photo_chooser_list"
UPLOAD = "admin:articles_photo_chooser_upload"
INFO = "admin:articles_photo_chooser_info"


@pytest.fixture
def writer_client(client):
    client.force_login(UserFactory(username="ecrivaine", role=WRITER))
    return client


def text(response) -> str:
    return html.unescape(response.content.decode())


def chosen_ids(response) -> list[int]:
    """The photos a list offers, from the JSON each card's button carries."""
    return [json.loads(html.unescape(raw))["id"]
            for raw in re.findall(r'data-photo="([^"]+)"', response.content.decode())]  # fmt: skip


def upload_data(seed=1, **overrides):
    data = {
        "upload": images.upload("affiche.jpg", images.jpeg(seed, (1200, 800))),
        "credit": "© Les Films du Héron / Photo : Inès Carrel",
        "licence_kind": "press",
        "licence_end": "",
        "alt_text": "Une actrice sous la pluie",
        "title": "Sous la pluie",
        "source": "press_kit",
    }
    return {**data, **overrides}


@pytest.mark.parametrize("name", [DIALOG, LIST, UPLOAD, INFO])
def test_anonymous_is_sent_to_the_login_page(client, name):
    response = client.get(reverse(name), {"ids": "1"})
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("name", [DIALOG, LIST, UPLOAD, INFO])
def test_staff_without_photo_permissions_is_refused(client, name):
    client.force_login(UserFactory(username="sans-droits"))
    assert client.get(reverse(name), {"ids": "1"}).status_code == 403


def test_upload_needs_the_add_permission(client):
    user = UserFactory(username="lectrice")
    user.user_permissions.add(Permission.objects.get(codename="view_photo"))
    client.force_login(user)
    assert client.get(reverse(LIST)).status_code == 200
    assert client.get(reverse(UPLOAD)).status_code == 403
    assert client.post(reverse(UPLOAD), upload_data()).status_code == 403
    assert not Photo.objects.exists()


def test_dialog_is_french_with_both_tabs(writer_client):
    PhotoFactory(title="Affiche du festival")
    page = text(writer_client.get(reverse(DIALOG)))
    for words in ("Choisir une photo", "Photothèque", "Envoyer une nouvelle photo",
                  "Crédit manquant", "Licence bientôt échue", "Affiche du festival"):  # fmt: skip
        assert words in page


def test_search_by_credit_finds_the_photo(writer_client):
    wanted = PhotoFactory(credit="© Studio Héron / Photo : Karim Haddad")
    PhotoFactory(credit="© Agence Lumière")
    response = writer_client.get(reverse(LIST), {"q": "haddad"})
    assert chosen_ids(response) == [wanted.pk]
    assert "Karim Haddad" in text(response)
    by_caption = writer_client.get(reverse(LIST), {"q": "tournage studio héron"})
    assert chosen_ids(by_caption) == [wanted.pk]


def test_withdrawn_photos_are_never_offered(writer_client):
    shown = PhotoFactory(credit="© Agence Brume")
    withdrawn = PhotoFactory(credit="© Agence Brume retirée")
    Photo.objects.filter(pk=withdrawn.pk).update(status=Photo.Status.WITHDRAWN)
    assert chosen_ids(writer_client.get(reverse(LIST), {"q": "brume"})) == [shown.pk]
    assert withdrawn.pk not in chosen_ids(writer_client.get(reverse(DIALOG)))
    assert chosen_ids(writer_client.get(reverse(LIST), {"filtre": "credit"})) == []


def test_missing_credit_and_licence_ending_soon_are_flagged(writer_client):
    uncredited = PhotoFactory(credit="", title="Sans nom")
    ending = PhotoFactory(title="Bientôt", licence_end=site_today() + datetime.timedelta(days=5))
    fine = PhotoFactory(title="Tranquille")
    page = text(writer_client.get(reverse(LIST)))
    assert "Crédit manquant" in page and "Licence bientôt échue (le " in page
    assert chosen_ids(writer_client.get(reverse(LIST), {"filtre": "credit"})) == [uncredited.pk]
    assert chosen_ids(writer_client.get(reverse(LIST), {"filtre": "licence"})) == [ending.pk]
    info = writer_client.get(reverse(INFO), {"ids": f"{uncredited.pk},{ending.pk},{fine.pk}"})
    photos = info.json()["photos"]
    assert photos[str(uncredited.pk)]["flags"] == ["Crédit manquant"]
    assert photos[str(ending.pk)]["flags"][0].startswith("Licence bientôt échue")
    assert photos[str(fine.pk)]["flags"] == []


@pytest.mark.parametrize(
    "params, message",
    [
        ({"page": "abc"}, "Numéro de page invalide."),
        ({"page": "0"}, "Numéro de page invalide."),
        ({"page": "-2"}, "Numéro de page invalide."),
        ({"page": "99"}, "Cette page n'existe pas."),
        ({"filtre": "n'importe"}, "Ce filtre n'existe pas."),
    ],
)
def test_bad_input_is_a_400_with_a_message(writer_client, params, message):
    PhotoFactory()
    response = writer_client.get(reverse(LIST), params)
    assert response.status_code == 400
    assert message in text(response)


def test_bad_photo_ids_are_a_400(writer_client):
    for ids in ("", "a,b", ",".join(["1"] * 101)):
        assert writer_client.get(reverse(INFO), {"ids": ids}).status_code == 400


def test_pages_of_24_in_a_constant_number_of_queries(writer_client, django_assert_max_num_queries):
    for seed in range(30):
        services.upload_photo(
            file=images.upload("p.jpg", images.jpeg(seed, (400, 300))),
            alt_text="Une scène", credit=f"© Studio {seed}",
        )  # fmt: skip
    # Session, user, permissions (2) and the due-articles check: 5; then the count,
    # the page's photos and their renditions: 3, whatever the page holds.
    with django_assert_max_num_queries(8):
        first = writer_client.get(reverse(LIST))
    assert len(chosen_ids(first)) == 24 and "Page 1 sur 2" in text(first)
    assert "/media/" in text(first)  # thumbnails from the renditions
    with django_assert_max_num_queries(8):
        second = writer_client.get(reverse(LIST), {"page": "2"})
    assert len(chosen_ids(second)) == 6


def test_upload_in_place_creates_the_photo_and_chooses_it(writer_client):
    end = site_today() + datetime.timedelta(days=200)
    response = writer_client.post(
        reverse(UPLOAD), upload_data(licence_kind="cc_by", licence_end=end.isoformat())
    )
    assert response.status_code == 200
    photo = Photo.objects.get()
    assert photo.credit == "© Les Films du Héron / Photo : Inès Carrel"
    assert (photo.licence_kind, photo.licence_end) == ("cc_by", end)
    assert photo.uploaded_by.username == "ecrivaine"
    assert photo.renditions.exists()
    assert "data-auto-choose" in response.content.decode()
    assert chosen_ids(response) == [photo.pk]


def test_second_upload_of_the_same_picture_offers_the_existing_one(writer_client):
    writer_client.post(reverse(UPLOAD), upload_data(seed=4))
    first = Photo.objects.get()
    again = writer_client.post(reverse(UPLOAD), upload_data(seed=4, title="Copie"))
    page = text(again)
    assert "ressemble beaucoup à une photo déjà dans la photothèque" in page
    assert "Utiliser la photo existante" in page and "Utiliser la nouvelle photo" in page
    assert "data-auto-choose" not in page
    new = Photo.objects.exclude(pk=first.pk).get()
    assert chosen_ids(again) == [first.pk, new.pk]


def test_upload_refuses_a_missing_credit_or_file_with_the_admin_messages(writer_client):
    response = writer_client.post(reverse(UPLOAD), upload_data(credit=""))
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in text(response)
    no_file = writer_client.post(reverse(UPLOAD), {**upload_data(), "upload": ""})
    assert "Choisissez le fichier de la photo." in text(no_file)
    not_image = writer_client.post(
        reverse(UPLOAD), upload_data(upload=images.upload("a.jpg", b"pas une image"))
    )
    assert "errorlist" in not_image.content.decode()
    past = site_today() - datetime.timedelta(days=3)
    refused = writer_client.post(reverse(UPLOAD), upload_data(licence_end=past.isoformat()))
    assert "Cette date est déjà passée" in text(refused)
    assert not Photo.objects.exists()


def test_licence_ending_soon_is_pointed_out_after_upload(writer_client):
    soon = site_today() + datetime.timedelta(days=10)
    response = writer_client.post(reverse(UPLOAD), upload_data(licence_end=soon.isoformat()))
    assert "Licence bientôt échue" in text(response)
    assert "data-auto-choose" not in response.content.decode()  # she reads it first


def test_upload_keeps_csrf_protection():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(username="ecrivaine", role=WRITER))
    assert client.post(reverse(UPLOAD), upload_data()).status_code == 403
    assert not Photo.objects.exists()


def test_withdrawn_photo_info_names_no_file(writer_client):
    photo = PhotoFactory()
    Photo.objects.filter(pk=photo.pk).update(status=Photo.Status.WITHDRAWN)
    card = writer_client.get(reverse(INFO), {"ids": str(photo.pk)}).json()["photos"][str(photo.pk)]
    assert card["thumb"] == "" and card["flags"] == ["Retirée"]


def test_the_editor_and_photo_fields_carry_the_chooser(writer_client):
    page = writer_client.get(reverse("admin:articles_article_add")).content.decode()
    url = reverse(DIALOG)
    assert page.count(f'data-photo-chooser="{url}"') >= 3  # body, lead photo, gallery row
    assert "Insérer une photo" in page and "Choisir une photo" in page
    assert 'src="/static/photos/chooser.js" type="module"' in page
    assert "PhotoReference" in page and "photos/chooser.js" in page


@pytest.mark.parametrize(
    "body",
    [
        '<p>Avant</p><figure data-photo="{pk}"></figure><p>Après</p>',  # the editor's node
        "<p>Avant</p><p>[photo:{pk}]</p><p>Après</p>",  # typed, or without JavaScript
    ],
)
def test_photo_inserted_in_the_body_is_saved_as_a_reference(client, body):
    from tests.articles.test_admin import form_data

    photo = PhotoFactory()
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    client.force_login(UserFactory(username="editeur", role="Éditeur"))
    url = reverse("admin:articles_article_change", args=[article.pk])
    assert client.post(url, form_data(article, body=body.format(pk=photo.pk))).status_code == 302
    article.refresh_from_db()
    assert article.body == f'<p>Avant</p><figure data-photo="{photo.pk}"></figure><p>Après</p>'
    assert list(article.body_photos.all()) == [photo]
