"""The admin speaks French in the magazine's name: titles that read right
("Ajouter un article", "Modifier la photo"), no "Django" anywhere, the favicon."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import CHIEF, EDITOR, ArticleFactory, PhotoFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def chief_client(client):
    client.force_login(UserFactory(username="cheffe", role=CHIEF))
    return client


def h1(response) -> str:
    return re.search(r"<h1>(.*?)</h1>", response.content.decode(), re.S).group(1).strip()


def test_login_page_is_branded_without_django(client):
    page = client.get(reverse("admin:login")).content.decode()
    assert "Django" not in page
    assert settings.SITE_NAME in page
    assert "favicon.svg" in page


def test_index_is_branded_without_django(chief_client):
    page = chief_client.get(reverse("admin:index")).content.decode()
    assert "Django" not in page
    assert f"<title>Tableau de bord | Rédaction de {settings.SITE_NAME}</title>" in page


@pytest.mark.parametrize(
    ("url_name", "expected"),
    [
        ("admin:articles_article_add", "Ajouter un article"),
        ("admin:photos_photo_add", "Ajouter une photo"),
        ("admin:articles_section_add", "Ajouter une rubrique"),
        ("admin:articles_author_add", "Ajouter un auteur"),
        ("admin:auth_user_add", "Créer un compte"),
    ],
)
def test_add_pages_are_titled_in_french(chief_client, url_name, expected):
    response = chief_client.get(reverse(url_name))
    assert h1(response) == expected
    page = response.content.decode()
    assert "Ajout de" not in page
    assert f"&rsaquo; {expected}\n</div>" in page  # the breadcrumbs' last step


def test_change_pages_elide_and_agree(chief_client):
    article, photo = ArticleFactory(), PhotoFactory()
    assert h1(chief_client.get(reverse("admin:articles_article_change", args=[article.pk]))) == (
        "Modifier l&#x27;article"
    )
    assert h1(chief_client.get(reverse("admin:photos_photo_change", args=[photo.pk]))) == (
        "Modifier la photo"
    )


def test_change_lists_are_titled_with_the_plural_and_offer_a_french_add_button(chief_client):
    page = chief_client.get(reverse("admin:photos_photo_changelist")).content.decode()
    assert "<h1>Photos</h1>" in page
    assert "Ajouter une photo" in page
    assert "Sélectionnez" not in page


def test_gallery_inline_adds_a_photo_in_french(client):
    client.force_login(UserFactory(username="editeur", role=EDITOR))
    page = client.get(reverse("admin:articles_article_add")).content.decode()
    assert "Ajouter une photo à la galerie" in page
    assert "Ajouter un objet" not in page
