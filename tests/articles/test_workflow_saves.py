"""The workflow buttons of the article change form save what was typed, then
change the state; a concurrent save by a colleague is never overwritten (the
form comes back with the typed text and the state is unchanged)."""

import datetime
import html

import pytest
from django.utils import timezone

from articles.models import Article
from tests.articles.test_admin import change_url, form_data, login
from tests.factories import EDITOR, WRITER, ArticleFactory, AuthorFactory, PhotoFactory, UserFactory

pytestmark = pytest.mark.django_db
Status = Article.Status


@pytest.fixture
def writer():
    user = UserFactory(username="ecrivaine", role=WRITER)
    AuthorFactory(name="Écrivaine", user=user)
    return user


@pytest.fixture
def draft(writer):
    return ArticleFactory(status=Status.DRAFT, published_at=None, created_by=writer)


def messages_of(client, response) -> str:
    return html.unescape(client.get(response["Location"]).content.decode())


def test_submit_saves_the_new_standfirst_then_submits(client, writer, draft):
    data = form_data(draft, standfirst="Un chapeau tout neuf.", _transition="submit")
    response = login(client, writer).post(change_url(draft), data)
    assert response.status_code == 302
    article = Article.objects.get(pk=draft.pk)
    assert article.status == Status.REVIEW
    assert article.standfirst == "Un chapeau tout neuf."
    assert "Modifications enregistrées. « Soumettre à la relecture » : fait." in messages_of(
        client, response
    )


def test_buttons_belong_to_the_change_form(client, writer, draft):
    page = login(client, writer).get(change_url(draft)).content.decode()
    start = page.index('id="article_form"')
    form = page[start : page.index("</form>", start)]
    assert 'name="_transition" value="submit"' in form


def test_a_colleagues_save_is_not_overwritten(client, writer, draft):
    stale = form_data(draft, standfirst="Mon chapeau.", _transition="submit")
    draft.standfirst = "Le chapeau du collègue."
    draft.save()
    response = login(client, writer).post(change_url(draft), stale)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Quelqu'un d'autre a enregistré cet article" in page
    assert "« Soumettre à la relecture » n'a pas été fait" in page
    assert "Mon chapeau." in page  # the typed text is still in the form
    article = Article.objects.get(pk=draft.pk)
    assert (article.status, article.standfirst) == (Status.DRAFT, "Le chapeau du collègue.")


def test_a_refused_publication_keeps_the_edit_and_says_why(client, draft):
    draft.lead_photo = PhotoFactory(title="Sans crédit", credit="")
    draft.status = Status.REVIEW
    draft.save()
    editor = login(client, UserFactory(username="editeur", role=EDITOR))
    data = form_data(
        draft, standfirst="Chapeau revu.", lead_photo=draft.lead_photo_id, _transition="publish"
    )
    response = editor.post(change_url(draft), data)
    assert response.status_code == 302
    article = Article.objects.get(pk=draft.pk)
    assert (article.status, article.standfirst) == (Status.REVIEW, "Chapeau revu.")
    text = messages_of(client, response)
    assert "Modifications enregistrées, mais « Publier » a été refusé" in text
    assert "n'a pas de crédit" in text


def test_publish_with_a_date_saves_and_schedules(client, draft):
    draft.status = Status.REVIEW
    draft.save()
    at = timezone.localtime() + datetime.timedelta(days=2)
    data = form_data(
        draft, title="Titre final", at=at.strftime("%Y-%m-%dT%H:%M"), _transition="publish"
    )
    editor = login(client, UserFactory(username="editeur", role=EDITOR))
    assert editor.post(change_url(draft), data).status_code == 302
    article = Article.objects.get(pk=draft.pk)
    assert (article.status, article.title) == (Status.SCHEDULED, "Titre final")


def test_a_forged_transition_saves_nothing(client, writer, draft):
    data = form_data(draft, standfirst="Forgé.", _transition="publish")
    assert login(client, writer).post(change_url(draft), data).status_code == 403
    article = Article.objects.get(pk=draft.pk)
    assert (article.status, article.standfirst) == (Status.DRAFT, draft.standfirst)
    assert not article.events.exists()
