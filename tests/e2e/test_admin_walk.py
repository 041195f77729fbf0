"""A walk through the admin as a writer, an editor and the editor-in-chief, at
1,280 px: every page in French (none of Django's English words left) and none
wider than the screen.

With ``E2E_SCREENSHOTS=<folder>``, the pages are also saved there as PNGs."""

import re

import pytest
from django.utils import timezone

from articles import workflow
from imports.models import OldAddress
from takedowns.models import Notice
from tests.e2e.screens import shoot
from tests.e2e.test_editorial import log_in
from tests.factories import (
    CHIEF,
    ArticleFactory,
    PhotoFactory,
    UserFactory,
    named_editor,
    named_writer,
)

pytestmark = pytest.mark.django_db(transaction=True)

ENGLISH = [
    "Add", "Change", "Delete", "History", "Save", "Search", "Filter", "Heading",
    "Paragraph", "None", "True", "False", "Django", "submit", "review", "scheduled",
    "Select", "Object", "Comment", "Changed by", "entries", "Home", "Log out",
]  # fmt: skip
WIDTH = 1280


def check(page, url, name):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    text = page.title() + "\n" + page.evaluate("document.body.innerText")
    for word in ENGLISH:
        found = re.search(rf"\b{re.escape(word)}\b", text)
        around = text[max(found.start() - 80, 0) : found.end() + 80] if found else ""
        assert found is None, f"{url}: « {word} » in {around!r}"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{url} is {width} px wide"
    shoot(page, name)


@pytest.fixture
def archive():
    writer, editor = named_writer(), named_editor()
    UserFactory(username="cheffe", first_name="Camille", last_name="Chef", role=CHIEF)
    photo = PhotoFactory(title="Le magnétoscope du grenier de l'association, enfin retrouvé")
    draft = ArticleFactory(
        title="Une très longue critique dont le titre n'en finit pas : « Ysengrin », "
        "la série d'animation qui a tout changé pour une génération",
        status="draft", published_at=None, created_by=writer, lead_photo=photo,
        body="<p>Premier paragraphe.</p><p>Second paragraphe.</p>",
    )  # fmt: skip
    draft.authors.add(writer.author_profile)
    workflow.submit_for_review(article=draft, by=writer)
    draft.refresh_from_db()
    draft.body = "<p>Premier paragraphe, revu.</p><p>Second paragraphe.</p>"
    draft.lead_photo = None
    draft.save()
    mine = ArticleFactory(
        title="Mon brouillon", status="draft", published_at=None, created_by=writer
    )
    notice = Notice.objects.create(
        reference="2026-0042", status="new", received_at=timezone.now(), name="Jeanne Objectif",
        email="jeanne@objectif-photo.fr", capacity="photographer", kind="withdraw",
        explanation="C'est ma photo, publiée sans mon accord.",
    )  # fmt: skip
    OldAddress.objects.create(path="/?p=123", article=draft)
    return {"draft": draft, "mine": mine, "photo": photo, "editor": editor, "notice": notice}


def pages(archive, role):
    draft, photo = archive["draft"], archive["photo"]
    article = archive["mine"] if role == "writer" else draft
    urls = {
        "index": "/admin/",
        "articles": "/admin/articles/article/",
        "article-add": "/admin/articles/article/add/",
        "article-change": f"/admin/articles/article/{article.pk}/change/",
        "photos": "/admin/photos/photo/",
        "photo-add": "/admin/photos/photo/add/",
        "photo-change": f"/admin/photos/photo/{photo.pk}/change/",
    }
    if role != "writer":  # the editorial history is the editors'
        urls["history"] = f"/admin/articles/article/{draft.pk}/history/"
        urls["compare"] = f"/admin/articles/article/{draft.pk}/compare/"
        urls["steps"] = "/admin/articles/articleevent/"
        urls["old-addresses"] = "/admin/imports/oldaddress/"
        urls["old-address-add"] = "/admin/imports/oldaddress/add/"
    if role == "chief":  # the rights holders' requests are the chief's
        urls["notices"] = "/admin/takedowns/notice/"
        urls["notice-change"] = f"/admin/takedowns/notice/{archive['notice'].pk}/change/"
        urls["notice-steps"] = "/admin/takedowns/event/"
    urls["notifications"] = "/admin/mes-notifications/"
    return urls


@pytest.mark.parametrize(
    ("role", "username"), [("writer", "ecrivaine"), ("editor", "editeur"), ("chief", "cheffe")]
)
def test_admin_pages_are_french_and_fit_1280(live_server, browser, archive, role, username):
    page = log_in(browser, live_server.url, username)
    page.set_viewport_size({"width": WIDTH, "height": 800})
    for name, path in pages(archive, role).items():
        check(page, live_server.url + path, f"walk-{role}-{name}-{WIDTH}")
    page.context.close()


def test_login_and_password_reset_are_french_and_fit_1280(live_server, browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": WIDTH, "height": 800})
    page = context.new_page()
    check(page, live_server.url + "/admin/login/", f"walk-login-{WIDTH}")
    page.get_by_role("link", name=re.compile("oublié")).click()
    check(page, page.url, f"walk-password-reset-{WIDTH}")
    page.fill("#id_email", "personne@example.org")
    page.get_by_role("button", name="Recevoir le lien").click()
    check(page, page.url, f"walk-password-reset-done-{WIDTH}")
    context.close()
