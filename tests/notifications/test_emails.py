"""Workflow emails: who receives them (never the person who acted, never
someone who turned them off), what they say, and that they leave only once the
change is committed. Rights holders' requests respect the same preference."""

import datetime

import pytest
from django.utils import timezone

from articles import workflow
from articles.models import Article
from notifications import services
from notifications.models import NotificationSettings
from takedowns import services as takedowns
from tests.factories import (
    CHIEF,
    EDITOR,
    WRITER,
    ArticleFactory,
    AuthorFactory,
    UserFactory,
    named_editor,
    named_writer,
)

pytestmark = pytest.mark.django_db
Status = Article.Status


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://revue.example.org"


@pytest.fixture
def writer():
    return named_writer()


@pytest.fixture
def editor():
    return named_editor()


@pytest.fixture
def chief():
    return UserFactory(username="cheffe", role=CHIEF)


@pytest.fixture
def draft(writer):
    article = ArticleFactory(
        title="Festival de Brume", status=Status.DRAFT, published_at=None, created_by=writer
    )
    article.authors.add(writer.author_profile)
    return article


def sent(mailoutbox) -> dict[str, str]:
    """Recipient -> subject; each email goes to one person."""
    assert all(len(message.to) == 1 for message in mailoutbox)
    return {message.to[0]: message.subject for message in mailoutbox}


def test_submit_emails_the_editors_but_not_the_actor(
    writer, editor, chief, draft, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(username="ancien", role=EDITOR, is_active=False)
    UserFactory(username="sansadresse", role=EDITOR, email="")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit_for_review(article=draft, by=writer)
    assert sent(mailoutbox) == {
        "editeur@example.org": "À relire : « Festival de Brume »",
        "cheffe@example.org": "À relire : « Festival de Brume »",
    }
    body = mailoutbox[0].body
    assert "Élise Plume a soumis un article à la relecture" in body
    assert f"https://revue.example.org/admin/articles/article/{draft.pk}/change/" in body
    assert "https://revue.example.org/admin/mes-notifications/" in body


def test_an_editor_submitting_is_not_emailed_about_it(
    editor, chief, draft, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit_for_review(article=draft, by=editor)
    assert list(sent(mailoutbox)) == ["cheffe@example.org"]


def test_publish_emails_the_writers(
    writer, editor, draft, mailoutbox, django_capture_on_commit_callbacks
):
    coauthor = UserFactory(username="coautrice", role=WRITER)
    draft.authors.add(AuthorFactory(name="Co Autrice", user=coauthor))
    with django_capture_on_commit_callbacks(execute=True):
        article = workflow.publish(article=draft, by=editor)
    assert sent(mailoutbox) == {
        "ecrivaine@example.org": "Votre article est publié : « Festival de Brume »",
        "coautrice@example.org": "Votre article est publié : « Festival de Brume »",
    }
    body = mailoutbox[0].body
    assert "Rémi Relit a publié votre article le" in body
    assert "https://revue.example.org" + article.get_absolute_url() in body


def test_schedule_emails_the_writers_the_date(
    writer, editor, draft, mailoutbox, django_capture_on_commit_callbacks
):
    at = timezone.now() + datetime.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(article=draft, by=editor, at=at)
    (message,) = mailoutbox
    assert message.subject == "Votre article est programmé : « Festival de Brume »"
    assert "a programmé votre article ; il paraîtra le" in message.body
    assert str(timezone.localtime(at).day) in message.body


def test_return_emails_the_comment(
    writer, editor, draft, mailoutbox, django_capture_on_commit_callbacks
):
    workflow.submit_for_review(article=draft, by=writer)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_to_draft(article=draft, by=editor, note="Titre trop long & flou.")
    (message,) = mailoutbox
    assert message.to == ["ecrivaine@example.org"]
    assert message.subject == "Votre article vous est renvoyé : « Festival de Brume »"
    assert "Titre trop long & flou." in message.body  # plain text: not escaped
    assert draft.events.first().note == "Titre trop long & flou."


def test_opting_out_stops_the_email(
    writer, editor, chief, draft, mailoutbox, django_capture_on_commit_callbacks
):
    services.save_settings(user=chief, values={"review_requests": False})
    services.save_settings(user=writer, values={"my_articles": False})
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit_for_review(article=draft, by=writer)
        workflow.publish(article=draft, by=editor)
    assert list(sent(mailoutbox)) == ["editeur@example.org"]  # the submission only


def test_nothing_leaves_before_the_commit(writer, editor, draft, mailoutbox):
    workflow.submit_for_review(article=draft, by=writer)  # the test's transaction is open
    assert mailoutbox == []


def test_preferences_default_to_everything(writer):
    assert services.wants(writer, "my_articles")
    services.save_settings(user=writer, values={"my_articles": False})
    assert not services.wants(writer, "my_articles")
    assert NotificationSettings.objects.get(user=writer).review_requests


def test_the_chief_may_turn_off_rights_holders_emails(chief):
    other = UserFactory(username="adjointe", role=CHIEF)
    assert takedowns.decider_emails() == ["adjointe@example.org", "cheffe@example.org"]
    services.save_settings(user=chief, values={"rights_requests": False})
    assert takedowns.decider_emails() == [other.email]
