"""The workflow panel at the top of the article change form: the state in words
and what comes next; the steps that need more than a click (a date to schedule,
a confirmation to unpublish, a comment to send back) are checked before anything
is saved; the comment reaches the writer's form and dashboard."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import Article
from tests.articles.test_admin import change_url, form_data, login
from tests.factories import (
    ArticleFactory,
    named_editor,
    named_writer,
)

pytestmark = pytest.mark.django_db
Status = Article.Status


@pytest.fixture
def writer():
    return named_writer()


@pytest.fixture
def editor():
    return named_editor()


@pytest.fixture
def in_review(writer):
    article = ArticleFactory(status=Status.DRAFT, published_at=None, created_by=writer)
    return workflow.submit_for_review(article=article, by=writer)


def page_of(client, article) -> str:
    return html.unescape(client.get(change_url(article)).content.decode())


def panel_of(page: str) -> str:
    start = page.index('<section class="module workflow"')
    return page[start : page.index("</section>", start)]


def followed(client, response) -> str:
    return html.unescape(client.get(response["Location"]).content.decode())


def test_panel_says_the_state_and_next_steps_to_a_writer(client, writer):
    draft = ArticleFactory(status=Status.DRAFT, published_at=None, created_by=writer)
    panel = panel_of(page_of(login(client, writer), draft))
    assert "Publication — brouillon" in panel
    assert "Prochaine étape :" in panel and "soumettez-le à la relecture" in panel
    assert ">Enregistrer et soumettre<" in panel
    assert ">Enregistrer et publier<" not in panel and ">Dépublier<" not in panel


def test_panel_offers_an_editor_every_step_of_a_review(client, editor, in_review, writer):
    panel = panel_of(page_of(login(client, editor), in_review))
    assert "Publication — en relecture" in panel
    assert "Dernière étape : soumis à la relecture par Élise Plume le" in panel
    for label in ("Enregistrer et publier", "Programmer", "Renvoyer en brouillon"):
        assert f">{label}<" in panel
    assert 'name="at"' in panel and 'name="_note"' in panel
    assert ">Dépublier<" not in panel


def test_panel_comes_first_in_the_form_after_a_hidden_save(client, editor, in_review):
    page = page_of(login(client, editor), in_review)
    form = page[page.index('id="article_form"') :]
    assert form.index('class="module workflow"') < form.index("<fieldset")
    # Enter in a field presses the form's first submit button: "Enregistrer".
    first_submit = form.index('type="submit"')
    assert form[first_submit:].startswith('type="submit" name="_save" class="workflow-default"')


def test_a_writer_sees_a_review_without_buttons(client, writer, in_review):
    panel = panel_of(page_of(login(client, writer), in_review))
    assert "Un éditeur va le relire" in panel
    assert "<button" not in panel


def test_unpublish_without_confirmation_changes_nothing(client, editor):
    article = ArticleFactory(title="En ligne")
    data = form_data(article, title="Titre changé", _transition="unpublish")
    response = login(client, editor).post(change_url(article), data)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Confirmez la dépublication" in page
    assert "« Dépublier » n'a pas été fait" in page
    assert 'value="Titre changé"' in page  # the edit is still in the form
    article.refresh_from_db()
    assert (article.status, article.title) == (Status.PUBLISHED, "En ligne")
    assert not article.events.exists()


def test_unpublish_with_confirmation(client, editor):
    article = ArticleFactory(title="En ligne")
    data = form_data(article, _transition="unpublish", _confirm="unpublish")
    response = login(client, editor).post(change_url(article), data)
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).status == Status.ARCHIVED
    assert "« Dépublier » : fait." in followed(client, response)


def test_schedule_needs_a_date_to_come(client, editor, in_review):
    login(client, editor)
    for at, error in [("", "Indiquez la date"), ("2001-01-01T10:00", "Cette date est passée")]:
        data = form_data(in_review, title="Pas perdu", at=at, _transition="schedule")
        response = client.post(change_url(in_review), data)
        assert response.status_code == 200
        assert error in html.unescape(response.content.decode())
    in_review.refresh_from_db()
    assert in_review.status == Status.REVIEW and in_review.title != "Pas perdu"


def test_schedule_with_a_date_schedules(client, editor, in_review):
    at = timezone.localtime() + datetime.timedelta(days=3)
    data = form_data(in_review, at=at.strftime("%Y-%m-%dT%H:%M"), _transition="schedule")
    response = login(client, editor).post(change_url(in_review), data)
    assert response.status_code == 302
    assert Article.objects.get(pk=in_review.pk).status == Status.SCHEDULED
    assert "« Programmer » : fait." in followed(client, response)
    panel = panel_of(page_of(client, in_review))
    assert "Programmé : paraîtra le" in panel and ">Dépublier<" in panel


def test_return_with_a_comment_is_kept_and_shown_to_the_writer(client, editor, writer, in_review):
    comment = "Le deuxième paragraphe répète le premier :\nresserrez-le."
    data = form_data(in_review, _transition="return", _note=comment)
    assert login(client, editor).post(change_url(in_review), data).status_code == 302
    event = in_review.events.first()
    assert (event.action, event.note, event.actor) == ("return", comment, editor)
    panel = panel_of(page_of(login(client, writer), in_review))
    assert "Renvoyé par Rémi Relit le " in panel
    assert f": « {comment} »" in panel
    home = html.unescape(client.get(reverse("admin:index")).content.decode())
    assert "Renvoyés en brouillon (1)" in home and "resserrez-le" in home


def test_the_comment_is_escaped(client, editor, writer, in_review):
    data = form_data(in_review, _transition="return", _note="<script>alert(1)</script>")
    login(client, editor).post(change_url(in_review), data)
    page = login(client, writer).get(change_url(in_review)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_comment_too_long_is_refused_and_kept(client, editor, in_review):
    data = form_data(in_review, _transition="return", _note="trop " * 101)
    response = login(client, editor).post(change_url(in_review), data)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Le commentaire dépasse 500 caractères" in page
    assert "trop trop" in page
    assert Article.objects.get(pk=in_review.pk).status == Status.REVIEW


def test_the_transition_url_takes_the_comment_too(client, editor, in_review):
    url = reverse("admin:articles_article_transition", args=[in_review.pk, "return"])
    login(client, editor).post(url, {"at": "", "_note": "À revoir."})
    assert in_review.events.first().note == "À revoir."


@pytest.mark.parametrize("action", ["schedule", "return", "unpublish"])
def test_a_writer_posting_an_editors_step_is_refused(client, writer, in_review, action):
    url = reverse("admin:articles_article_transition", args=[in_review.pk, action])
    response = login(client, writer).post(url, {"at": "", "_note": "Forgé.", "_confirm": action})
    assert response.status_code == 403
    assert Article.objects.get(pk=in_review.pk).status == Status.REVIEW


def new_article_data(writer, **overrides):
    from articles.models import Section

    unsaved = Article(
        title="Un premier article", section=Section.objects.first(), body="<p>Texte</p>"
    )
    data = form_data(unsaved, slug="", authors=[writer.author_profile.pk])
    data.pop("loaded_version")
    data.update(overrides)
    return data


def test_a_new_article_is_submitted_in_the_same_click_as_it_is_saved(
    client, writer, editor, mailoutbox, django_capture_on_commit_callbacks
):
    client = login(client, writer)
    add = reverse("admin:articles_article_add")
    panel = panel_of(html.unescape(client.get(add).content.decode()))
    assert "Publication — brouillon" in panel and ">Enregistrer et soumettre<" in panel
    assert ">Enregistrer et publier<" not in panel
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(add, new_article_data(writer, _transition="submit"))
    article = Article.objects.get(title="Un premier article")
    assert response["Location"] == change_url(article)
    assert article.status == Status.REVIEW
    assert article.events.get().action == "submit"
    assert [m.to for m in mailoutbox] == [[editor.email]]


def test_a_writer_cannot_publish_a_new_article_by_forging_the_button(client, writer):
    response = login(client, writer).post(
        reverse("admin:articles_article_add"), new_article_data(writer, _transition="publish")
    )
    assert response.status_code == 403
    assert not Article.objects.filter(title="Un premier article").exists()
