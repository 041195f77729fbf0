"""Photos an editor puts in an article through the admin: a reference to a missing
or withdrawn photo is refused with a message naming it (the typed text stays in
the form), a public article takes no hidden or uncredited photo, and the photo
pickers offer usable photos only."""

import html

import pytest
from django.urls import reverse

from articles.models import Article, GalleryItem
from photos.models import Photo
from tests.articles.test_admin import change_url, form_data, login
from tests.factories import EDITOR, ArticleFactory, PhotoFactory, UserFactory

pytestmark = pytest.mark.django_db
Status = Article.Status


@pytest.fixture
def editor(client):
    return login(client, UserFactory(username="editeur", role=EDITOR))


@pytest.fixture
def withdrawn():
    return PhotoFactory(title="Affiche contestée", status=Photo.Status.WITHDRAWN)


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def test_missing_and_withdrawn_references_are_refused_and_named(editor, withdrawn):
    article = ArticleFactory(status=Status.DRAFT, published_at=None)
    body = f"<p>Mon texte tapé.</p><p>[photo:9999]</p><p>[photo:{withdrawn.pk}]</p>"
    response = editor.post(change_url(article), form_data(article, body=body))
    assert response.status_code == 200
    text = page_text(response)
    assert "[photo:9999] : aucune photo ne porte ce numéro." in text
    assert f"La photo n° {withdrawn.pk} (« Affiche contestée ») a été retirée" in text
    assert "Mon texte tapé." in text and f"[photo:{withdrawn.pk}]" in text  # kept in the form
    article.refresh_from_db()
    assert "Mon texte tapé" not in article.body and not article.body_photos.exists()


def test_a_public_article_takes_no_hidden_or_uncredited_photo(editor):
    hidden = PhotoFactory(title="Photo masquée", status=Photo.Status.HIDDEN)
    uncredited = PhotoFactory(title="Photo sans crédit", credit="")
    article = ArticleFactory(status=Status.PUBLISHED)
    body = f"<p>Texte.</p><p>[photo:{hidden.pk}]</p><p>[photo:{uncredited.pk}]</p>"
    response = editor.post(change_url(article), form_data(article, body=body))
    text = page_text(response)
    assert response.status_code == 200
    assert f"[photo:{hidden.pk}] : La photo « Photo masquée » est masquée." in text
    assert f"[photo:{uncredited.pk}] : La photo « Photo sans crédit » n'a pas de crédit." in text
    draft = ArticleFactory(status=Status.DRAFT, published_at=None)
    assert editor.post(change_url(draft), form_data(draft, body=body)).status_code == 302


def test_a_reference_already_saved_does_not_block_other_edits(editor, withdrawn):
    body = f'<p>Texte.</p><figure data-photo="{withdrawn.pk}"></figure>'
    article = ArticleFactory(body=body)
    data = form_data(
        article, title="Titre corrigé", body=f"<p>Texte.</p><p>[photo:{withdrawn.pk}]</p>"
    )
    assert editor.post(change_url(article), data).status_code == 302
    assert Article.objects.get(pk=article.pk).title == "Titre corrigé"


def test_forged_withdrawn_lead_photo_is_refused_with_a_message(editor, withdrawn):
    article = ArticleFactory(status=Status.DRAFT, published_at=None)
    response = editor.post(change_url(article), form_data(article, lead_photo=withdrawn.pk))
    assert response.status_code == 200
    assert f"La photo n° {withdrawn.pk} (« Affiche contestée ») a été retirée" in page_text(
        response
    )
    assert Article.objects.get(pk=article.pk).lead_photo is None
    response = editor.post(change_url(article), form_data(article, lead_photo=987654))
    assert "Aucune photo ne porte le numéro 987654." in page_text(response)


def test_forged_withdrawn_gallery_photo_is_refused(editor, withdrawn):
    article = ArticleFactory(status=Status.DRAFT, published_at=None)
    gallery = {
        "gallery_items-TOTAL_FORMS": "1", "gallery_items-INITIAL_FORMS": "0",
        "gallery_items-0-photo": withdrawn.pk, "gallery_items-0-position": "0",
    }  # fmt: skip
    response = editor.post(change_url(article), form_data(article, **gallery))
    assert response.status_code == 200
    assert "a été retirée" in page_text(response)
    assert not GalleryItem.objects.filter(article=article).exists()
    gallery["gallery_items-0-photo"] = PhotoFactory().pk
    assert editor.post(change_url(article), form_data(article, **gallery)).status_code == 302
    assert GalleryItem.objects.filter(article=article).count() == 1


def test_lead_photo_picker_lists_usable_photos_only(editor, withdrawn):
    usable = PhotoFactory(title="Photo utilisable")
    article = ArticleFactory(status=Status.DRAFT, published_at=None)
    form_page = page_text(editor.get(change_url(article)))
    assert "status__in=visible%2Chidden" in form_page  # the lookup link of each picker
    popup = editor.get(
        reverse("admin:photos_photo_changelist"),
        {"_to_field": "id", "_popup": "1", "status__in": "visible,hidden"},
    )
    assert popup.status_code == 200
    listed = page_text(popup)
    assert "Photo utilisable" in listed and "Affiche contestée" not in listed
    assert usable.pk  # the picker's field accepts it
    data = form_data(article, lead_photo=usable.pk)
    assert editor.post(change_url(article), data).status_code == 302
