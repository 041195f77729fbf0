"""A writer edits the chapeau and clicks "Enregistrer et soumettre": the article is
in review with the new chapeau. A reference to a photo that does not exist stops
the button with a message, and what was typed stays in the form.

With ``E2E_SCREENSHOTS=<folder>``, the change form with its message is also saved
there as PNGs (1,280 and 390 px wide)."""

import os

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.e2e.test_editorial import log_in
from tests.factories import WRITER, ArticleFactory, AuthorFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def draft():
    writer = UserFactory(username="ecrivaine", role=WRITER)
    AuthorFactory(name="Élise Écrivaine", user=writer)
    return ArticleFactory(
        title="Festival de Brume", status=Article.Status.DRAFT, published_at=None,
        created_by=writer,
    )  # fmt: skip


def screenshots(page, name):
    if folder := os.environ.get("E2E_SCREENSHOTS"):
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)


def test_submit_keeps_the_new_standfirst(live_server, browser, draft):
    page = log_in(browser, live_server.url, "ecrivaine")
    page.goto(f"{live_server.url}/admin/articles/article/{draft.pk}/change/")
    page.fill("#id_standfirst", "Dix jours de projections, trois coups de cœur.")
    page.get_by_role("button", name="Enregistrer et soumettre").click()
    expect(page.locator(".messagelist .success")).to_contain_text("fait")
    article = Article.objects.get(pk=draft.pk)
    assert article.status == Article.Status.REVIEW
    assert article.standfirst == "Dix jours de projections, trois coups de cœur."


def test_a_bad_photo_reference_stops_the_button_and_keeps_the_text(live_server, browser, draft):
    page = log_in(browser, live_server.url, "ecrivaine")
    page.goto(f"{live_server.url}/admin/articles/article/{draft.pk}/change/")
    page.fill("#id_standfirst", "Un chapeau que je ne veux pas perdre.")
    editor = page.locator(".ProseMirror[contenteditable=true]")
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type("[photo:9999]")
    page.get_by_role("button", name="Enregistrer et soumettre").click()
    expect(page.locator(".messagelist .error")).to_contain_text("n'a pas été fait")
    expect(page.locator(".errorlist").first).to_contain_text("aucune photo ne porte ce numéro")
    expect(page.locator("#id_standfirst")).to_have_value("Un chapeau que je ne veux pas perdre.")
    expect(editor).to_contain_text("[photo:9999]")
    screenshots(page, "editing-photo-reference-error")
    article = Article.objects.get(pk=draft.pk)
    assert article.status == Article.Status.DRAFT
    assert article.standfirst != "Un chapeau que je ne veux pas perdre."
