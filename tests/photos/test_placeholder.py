"""What readers read where a photo may not be shown: "retirée" only once its
withdrawal is decided; a photo only hidden meanwhile (under review, waiting for
a credit) is "momentanément indisponible"."""

import datetime

import pytest

from photos import services
from photos.models import Photo
from tests.factories import ArticleFactory, PhotoFactory

pytestmark = pytest.mark.django_db

UNAVAILABLE = "Cette photo est momentanément indisponible."
WITHDRAWN = "Cette photo a été retirée."


def placeholder(client, photo) -> str:
    article = ArticleFactory(lead_photo=photo)
    html = client.get(article.get_absolute_url()).content.decode()
    start = html.index('<figure class="photo photo-removed lead"')
    return html[start : html.index("</figure>", start)]


def test_hidden_photo_is_temporarily_unavailable(client):
    photo = services.hide_photo(photo=PhotoFactory(), reason="Réclamation en cours")
    shown = placeholder(client, photo)
    assert UNAVAILABLE in shown and "retirée" not in shown


def test_uncredited_photo_is_temporarily_unavailable(client):
    shown = placeholder(client, PhotoFactory(credit=""))
    assert UNAVAILABLE in shown and "retirée" not in shown


def test_withdrawn_photo_is_withdrawn(client):
    photo = services.withdraw_photo(photo=PhotoFactory(), reason="Licence terminée")
    assert placeholder(client, photo).count(WITHDRAWN) == 1


def test_photo_whose_licence_ended_is_withdrawn(client):
    """Its licence end is a decision already taken (``expire_photo_licences``
    records it as a withdrawal the same night)."""
    photo = PhotoFactory(licence_end=datetime.date(2000, 1, 1))
    assert photo.status == Photo.Status.VISIBLE
    assert WITHDRAWN in placeholder(client, photo)


def test_withdrawal_after_a_request_names_the_case(client):
    photo = PhotoFactory(status=Photo.Status.WITHDRAWN, withdrawn_case="2026-0042")
    shown = placeholder(client, photo)
    assert "Photo retirée à la suite d'une réclamation (dossier n° 2026-0042)" in shown
    assert UNAVAILABLE not in shown


def test_placeholder_speaks_the_page_language(client):
    photo = PhotoFactory(credit="")
    article = ArticleFactory(lead_photo=photo)
    html = client.get("/en" + article.get_absolute_url()).content.decode()
    assert '<figure class="photo photo-removed lead" role="note" lang="en">' in html
