"""The workflow panel in a browser: an editor sends a review back with a
comment, which the writer then reads on her form; "Dépublier" asks first, and
"Annuler" (focused) keeps the article online; Enter in a field only saves. The
panel is in view without scrolling at 1,280 px, in French, and the page never
scrolls sideways, at 1,280 px or 390 px.

With ``E2E_SCREENSHOTS=<folder>``, the change forms are saved there as PNGs."""

import re

import pytest
from playwright.sync_api import expect

from articles import workflow
from articles.models import Article
from tests.e2e.screens import no_sideways_scroll, shoot
from tests.e2e.test_editorial import log_in
from tests.factories import (
    ArticleFactory,
    UserFactory,
    named_editor,
    named_writer,
)

pytestmark = pytest.mark.django_db(transaction=True)
Status = Article.Status
ENGLISH = ["Save", "Submit", "Publish", "Cancel", "Comment", "Schedule", "review", "draft",
           "Confirm", "Notifications settings", "Home"]  # fmt: skip
COMMENT = "Le titre est trop long : coupez après « Brume »."


@pytest.fixture
def people():
    return named_writer(), named_editor()


@pytest.fixture
def in_review(people):
    writer, _editor = people
    article = ArticleFactory(
        title="Festival de Brume : notre palmarès", status=Status.DRAFT, published_at=None,
        created_by=writer,
    )  # fmt: skip
    article.authors.add(writer.author_profile)
    return workflow.submit_for_review(article=article, by=writer)


def change_url(base, article):
    return f"{base}/admin/articles/article/{article.pk}/change/"


def looks_right(page, name):
    """French, in view at 1,280 px, no sideways scroll at 1,280 and 390 px."""
    text = page.evaluate("document.querySelector('.workflow').innerText")
    for word in ENGLISH:
        assert not re.search(rf"\b{word}\b", text), f"« {word} » in the panel"
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 800})
        assert no_sideways_scroll(page), f"{name} scrolls sideways at {width} px"
        if width == 1280:
            box = page.locator(".workflow").bounding_box()
            assert box["y"] + box["height"] <= 800, f"{name}: the panel is not in view"
        shoot(page, f"{name}-{width}")
    page.set_viewport_size({"width": 1280, "height": 800})


def test_editor_sends_back_with_a_comment_the_writer_reads_it(
    live_server, browser, people, in_review, mailoutbox
):
    mailoutbox.clear()  # the submission's emails
    page = log_in(browser, live_server.url, "editeur")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(change_url(live_server.url, in_review))
    expect(page.locator(".workflow h2")).to_contain_text("en relecture")
    looks_right(page, "workflow-panel-editor-review")
    page.get_by_label("Commentaire pour l'auteur").fill(COMMENT)
    page.get_by_role("button", name="Renvoyer en brouillon").click()
    expect(page.locator(".messagelist .success")).to_contain_text("Renvoyer en brouillon")
    expect(page.locator(".workflow h2")).to_contain_text("brouillon")
    event = Article.objects.get(pk=in_review.pk).events.first()
    assert (event.action, event.note) == ("return", COMMENT)
    assert [m.to for m in mailoutbox] == [["ecrivaine@example.org"]]
    assert "coupez après « Brume »" in mailoutbox[0].body
    page.context.close()

    page = log_in(browser, live_server.url, "ecrivaine")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(change_url(live_server.url, in_review))
    returned = page.locator(".workflow-returned")
    expect(returned).to_contain_text("Renvoyé par Rémi Relit le")
    expect(returned).to_contain_text("coupez après « Brume »")
    looks_right(page, "workflow-panel-writer-returned")
    page.goto(live_server.url + "/admin/")
    expect(page.locator(".dashboard-returned")).to_contain_text("coupez après « Brume »")
    shoot(page, "workflow-dashboard-writer-1280")
    page.context.close()


def test_unpublish_asks_first_and_cancel_keeps_it_online(live_server, browser, people):
    article = ArticleFactory(title="Un article en ligne")
    page = log_in(browser, live_server.url, "editeur")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(change_url(live_server.url, article))
    expect(page.locator(".workflow-confirm")).to_be_hidden()  # the dialog asks instead
    page.locator(".workflow-actions").get_by_role("button", name="Dépublier").click()
    dialog = page.locator("dialog#unpublish-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Dépublier cet article ?")
    cancel = dialog.get_by_role("button", name="Annuler")
    expect(cancel).to_be_focused()
    shoot(page, "workflow-unpublish-dialog-1280")
    cancel.click()
    expect(dialog).to_be_hidden()
    assert Article.objects.get(pk=article.pk).status == Status.PUBLISHED
    page.keyboard.press("Escape")  # nothing left open; and Escape also cancels
    page.locator(".workflow-actions").get_by_role("button", name="Dépublier").click()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert Article.objects.get(pk=article.pk).status == Status.PUBLISHED

    page.locator(".workflow-actions").get_by_role("button", name="Dépublier").click()
    dialog.get_by_role("button", name="Dépublier").click()
    expect(page.locator(".messagelist .success")).to_contain_text("Dépublier")
    assert Article.objects.get(pk=article.pk).status == Status.ARCHIVED
    page.context.close()


def test_enter_in_a_field_only_saves(live_server, browser, people, in_review):
    page = log_in(browser, live_server.url, "editeur")
    page.goto(change_url(live_server.url, in_review))
    page.fill("#id_title", "Festival de Brume")
    page.press("#id_title", "Enter")
    expect(page.locator(".messagelist .success")).to_be_visible()
    article = Article.objects.get(pk=in_review.pk)
    assert (article.title, article.status) == ("Festival de Brume", Status.REVIEW)


def test_my_notifications_page(live_server, browser, people):
    page = log_in(browser, live_server.url, "editeur")
    page.locator("#user-tools").get_by_role("link", name="Mes notifications").click()
    expect(page.locator("h1")).to_have_text("Mes notifications")
    page.get_by_label("articles à relire").uncheck()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".messagelist .success")).to_contain_text("préférences")
    expect(page.get_by_label("articles à relire")).not_to_be_checked()
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 800})
        assert no_sideways_scroll(page)
        shoot(page, f"notifications-settings-{width}")
    page.context.close()


def test_the_chief_sees_the_requests_waiting_on_the_dashboard(live_server, browser):
    from django.utils import timezone

    from takedowns.models import Notice
    from tests.factories import CHIEF

    UserFactory(username="cheffe", role=CHIEF)
    Notice.objects.create(
        reference="2026-0042", status="new", received_at=timezone.now(), name="Jeanne Objectif",
        email="jeanne@objectif-photo.fr", capacity="photographer", kind="withdraw",
        explanation="C'est ma photo.",
    )  # fmt: skip
    page = log_in(browser, live_server.url, "cheffe")
    expect(page.locator(".rights-dashboard")).to_contain_text("2026-0042")
    expect(page.locator(".rights-dashboard")).to_contain_text("mesure provisoire avant le")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 800})
        assert no_sideways_scroll(page)
        shoot(page, f"dashboard-chief-{width}")
    page.context.close()
