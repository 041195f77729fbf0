"""An article's history and the comparison of two versions, in readers' words:
states by name, local times, "—" for nothing, steps as French verbs, photos by
title; the comparison marks words, never splits them."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.admin import paragraphs_diff, readable_value, word_diff
from articles.models import Article
from tests.factories import EDITOR, ArticleFactory, PhotoFactory, UserFactory

pytestmark = pytest.mark.django_db
RAW = ["None", "review", "scheduled", "Deleted", "pk=None", "submit", "UTC", "+00:00", "ACTOR"]


@pytest.fixture
def editor(client):
    user = UserFactory(username="editeur", first_name="Rémi", last_name="Relit", role=EDITOR)
    client.force_login(user)
    return user


def visible_text(response) -> str:
    page = response.content.decode()
    content = page[page.index('id="content"') :]
    return " ".join(re.sub(r"<[^>]+>", " ", content).replace("devient", "").split())


def test_history_reads_in_french(client, editor):
    photo = PhotoFactory(title="Le magnétoscope")
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None, lead_photo=photo)
    workflow.submit_for_review(article=article, by=editor)
    at = timezone.now() + datetime.timedelta(days=3)
    workflow.publish(article=Article.objects.get(pk=article.pk), by=editor, at=at)
    article = Article.objects.get(pk=article.pk)
    article.lead_photo = None
    article.save()

    text = visible_text(client.get(reverse("admin:articles_article_history", args=[article.pk])))
    for word in RAW:
        assert word not in text, word
    assert "Soumis à la relecture" in text
    assert "Programmé" in text
    assert "en relecture → programmé" in text
    assert "Le magnétoscope → —" in text
    assert "Rémi Relit" in text
    local = timezone.localtime(at)
    assert f"{local:%H:%M}" in text  # the scheduled time in Paris time, not UTC


def test_publication_steps_of_the_change_form_are_french(client, editor):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    workflow.submit_for_review(article=article, by=editor)
    text = visible_text(client.get(reverse("admin:articles_article_change", args=[article.pk])))
    assert "Soumis à la relecture" in text
    assert "actor" not in text.lower()
    assert "submit" not in text


def test_readable_values():
    assert readable_value("lead_photo", None) == "—"
    assert readable_value("status", "review") == "en relecture"
    assert readable_value("lead_photo", 987654) == "photo n° 987654 (supprimé·e)"


def test_word_diff_marks_whole_words():
    marked = str(word_diff("Le jury a tranché hier", "Le jury avait tranché hier"))
    assert marked == "Le jury <del>a</del> <ins>avait</ins> tranché hier"


def test_unchanged_paragraphs_are_summed_up():
    before = "".join(f"<p>Paragraphe {n}.</p>" for n in range(6))
    after = before.replace("Paragraphe 5.", "Paragraphe cinq.")
    shown = [str(p) for p in paragraphs_diff(before, after)]
    assert "… 4 paragraphes inchangés …" in shown[0]
    assert shown[-1] == "Paragraphe <del>5.</del> <ins>cinq.</ins>"


def test_compare_view_shows_word_changes(client, editor):
    article = ArticleFactory(body="<p>Premier paragraphe.</p>")
    article.body = "<p>Premier paragraphe, revu.</p>"
    article.save()
    page = client.get(reverse("admin:articles_article_compare", args=[article.pk])).content.decode()
    assert "<del>paragraphe.</del> <ins>paragraphe, revu.</ins>" in page
    assert "diff_add" not in page
