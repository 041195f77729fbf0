"""The editorial workflow: roles, transitions, revisions, concurrent edits."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from articles import workflow
from articles.models import Article, ArticleEvent
from tests.factories import (
    CHIEF,
    EDITOR,
    WRITER,
    ArticleFactory,
    AuthorFactory,
    PhotoFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
Status = Article.Status


@pytest.fixture
def writer():
    user = UserFactory(username="ecrivaine", role=WRITER)
    AuthorFactory(name="Écrivaine", user=user)
    return user


@pytest.fixture
def editor():
    return UserFactory(username="editeur", role=EDITOR)


def draft_by(user, **fields):
    return ArticleFactory(status=Status.DRAFT, published_at=None, created_by=user, **fields)


def test_writer_submits_own_draft_and_cannot_publish(writer):
    article = draft_by(writer)
    workflow.submit_for_review(article=article, by=writer)
    article.refresh_from_db()
    assert article.status == Status.REVIEW
    with pytest.raises(PermissionDenied):
        workflow.publish(article=article, by=writer)
    assert Article.objects.get(pk=article.pk).status == Status.REVIEW
    event = ArticleEvent.objects.get(article=article)
    assert (event.actor, event.action, event.from_status, event.to_status) == (
        writer, "submit", "draft", "review",
    )  # fmt: skip


def test_writer_cannot_touch_another_writers_article(writer):
    other = UserFactory(username="autre", role=WRITER)
    article = draft_by(other)
    assert not workflow.can_edit(writer, article)
    with pytest.raises(PermissionDenied):
        workflow.submit_for_review(article=article, by=writer)
    assert Article.objects.get(pk=article.pk).status == Status.DRAFT


def test_writer_cannot_edit_own_article_once_submitted(writer):
    article = draft_by(writer)
    assert workflow.can_edit(writer, article)
    workflow.submit_for_review(article=article, by=writer)
    assert not workflow.can_edit(writer, Article.objects.get(pk=article.pk))


def test_editor_publishes_now_and_unpublishes(editor, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC), tick=False)
    article = draft_by(editor)
    workflow.publish(article=article, by=editor)
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED and article.is_published
    assert article.published_at == timezone.now()
    workflow.unpublish(article=article, by=editor)
    assert not Article.objects.published().filter(pk=article.pk).exists()
    assert list(article.events.values_list("action", flat=True)) == ["unpublish", "publish"]


def test_republishing_keeps_the_original_date_and_address(editor):
    article = ArticleFactory()
    url = article.get_absolute_url()
    workflow.unpublish(article=article, by=editor)
    workflow.publish(article=article, by=editor)
    assert Article.objects.get(pk=article.pk).get_absolute_url() == url


def test_invalid_transition_is_refused_with_a_message(editor):
    article = ArticleFactory()  # already published
    with pytest.raises(workflow.TransitionError, match="Impossible depuis l'état « publié »"):
        workflow.return_to_draft(article=article, by=editor)


def test_publishing_needs_credited_photos(editor):
    article = draft_by(editor, lead_photo=PhotoFactory(credit=""))
    with pytest.raises(workflow.TransitionError):
        workflow.publish(article=article, by=editor)
    assert Article.objects.get(pk=article.pk).status == Status.DRAFT


def test_scheduled_article_appears_on_its_own_at_its_time(editor, client, time_machine):
    start = datetime.datetime(2026, 5, 4, 8, tzinfo=datetime.UTC)
    time_machine.move_to(start, tick=False)
    at = start + datetime.timedelta(hours=3)
    article = draft_by(editor, title="Programmé pour midi")
    workflow.publish(article=article, by=editor, at=at)
    article.refresh_from_db()
    assert article.status == Status.SCHEDULED
    lists = ["/", "/flux/rss/", "/flux/atom/", "/sitemap-articles.xml"]

    time_machine.move_to(at - datetime.timedelta(seconds=1), tick=False)
    assert client.get(article.get_absolute_url()).status_code == 404
    for url in lists:
        assert article.slug not in client.get(url).content.decode(), url

    time_machine.move_to(at + datetime.timedelta(seconds=1), tick=False)
    assert client.get(article.get_absolute_url()).status_code == 200
    for url in lists:
        assert article.slug in client.get(url).content.decode(), url


def test_every_save_keeps_a_revision_and_restore_adds_one(editor):
    article = ArticleFactory(title="Titre d'origine", body="<p>Texte d'origine.</p>")
    article.title, article.body = "Titre changé", "<p>Texte changé.</p>"
    article.save()
    original = article.history.earliest()
    assert article.history.count() == 2
    restored = workflow.restore_revision(article=article, history_id=original.history_id, by=editor)
    assert (restored.title, restored.body) == ("Titre d'origine", "<p>Texte d'origine.</p>")
    assert article.history.count() == 3
    assert article.history.latest().history_change_reason == f"restore {original.history_id}"


def test_chief_has_every_editor_right():
    chief = UserFactory(username="chef", role=CHIEF)
    assert chief.has_perm("articles.publish_article")
    assert chief.has_perm("auth.change_user")
    assert not UserFactory(username="ed2", role=EDITOR).has_perm("auth.change_user")
