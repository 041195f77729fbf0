"""The editorial journey, end to end in the browser: a writer writes an article,
illustrates it from the photo chooser (one photo found by its credit, one
uploaded in place) and submits it in one click; the editor is emailed, sends it
back with a comment; the writer reads the comment, fixes the title and submits
again; the editor schedules it a few seconds ahead; at its time a reader finds
it, through search too, with both photos credited."""

import datetime
import re
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from tests.e2e.chooser_steps import choose_photo_by_credit, editor_photos, upload_photo_in_chooser
from tests.e2e.screens import shoot
from tests.e2e.test_editorial import log_in
from tests.factories import (
    PhotoFactory,
    named_editor,
    named_writer,
)
from tests.photos import images

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("isolated_site")]
FOUND = "© Les Films du Héron / Photo : Karim Haddad"
UPLOADED = "© Studio Brume / Photo : Inès Carrel"
COMMENT = "Le titre est trop long : gardez « Festival de Brume » seulement."
ADMIN_LINK = re.compile(r"https?://\S+/admin/articles/article/\d+/change/")


def admin_link(message) -> str:
    return ADMIN_LINK.search(message.body).group(0)


def test_from_the_first_line_to_the_reader(live_server, browser, mailoutbox, tmp_path):
    named_writer(), named_editor()
    PhotoFactory(credit=FOUND, title="Le jury du festival")
    picture = tmp_path / "brume.jpg"
    picture.write_bytes(images.jpeg(31, (1200, 800)))

    # The writer writes and illustrates the article, then submits it in one click.
    page = log_in(browser, live_server.url, "ecrivaine")
    page.goto(live_server.url + "/admin/articles/article/add/")
    page.fill("#id_title", "Festival de Brume : notre palmarès, nos regrets et nos espoirs")
    page.select_option("#id_section", label="Critique")
    page.fill("#id_standfirst", "Dix jours de projections au bord du lac.")
    page.locator(".ProseMirror[contenteditable=true]").click()
    page.keyboard.type("Le jury a couronné un film sur les marais salants.")
    choose_photo_by_credit(page, "Karim Haddad")
    page.keyboard.type("Le public, lui, a préféré une comédie.")
    upload_photo_in_chooser(page, picture, UPLOADED, licence="CC BY", alt_text="Le lac au matin")
    expect(editor_photos(page)).to_have_count(2)
    mailoutbox.clear()
    page.get_by_role("button", name="Enregistrer et soumettre").click()
    expect(page.locator(".messagelist .success")).to_contain_text("fait")
    expect(page.locator("#workflow-title")).to_contain_text("en relecture")
    shoot(page, "journey-submitted-1280")
    page.context.close()
    article = Article.objects.get()
    assert article.status == Article.Status.REVIEW
    [to_editor] = mailoutbox
    assert to_editor.to == ["editeur@example.org"]

    # The editor follows the email's link and sends the article back with a comment.
    mailoutbox.clear()
    page = log_in(browser, live_server.url, "editeur")
    page.goto(admin_link(to_editor))
    page.get_by_label("Commentaire pour l'auteur").fill(COMMENT)
    page.get_by_role("button", name="Renvoyer en brouillon").click()
    expect(page.locator("#workflow-title")).to_contain_text("brouillon")
    page.context.close()
    [to_writer] = mailoutbox
    assert to_writer.to == ["ecrivaine@example.org"]
    assert "gardez « Festival de Brume » seulement" in to_writer.body

    # The writer reads the comment, fixes the title and submits again.
    mailoutbox.clear()
    page = log_in(browser, live_server.url, "ecrivaine")
    page.goto(admin_link(to_writer))
    expect(page.locator(".workflow-returned")).to_contain_text("gardez « Festival de Brume »")
    page.fill("#id_title", "Festival de Brume")
    page.get_by_role("button", name="Enregistrer et soumettre").click()
    expect(page.locator("#workflow-title")).to_contain_text("en relecture")
    page.context.close()
    assert [m.to for m in mailoutbox] == [["editeur@example.org"]]

    # The editor schedules it a few seconds ahead.
    at = timezone.localtime() + datetime.timedelta(seconds=6)
    page = log_in(browser, live_server.url, "editeur")
    page.goto(admin_link(mailoutbox[0]))
    page.fill("#id_at", at.strftime("%Y-%m-%dT%H:%M:%S"))
    page.get_by_role("button", name="Programmer").click()
    expect(page.locator("#workflow-title")).to_contain_text("programmé")
    shoot(page, "journey-scheduled-1280")
    page.context.close()
    article.refresh_from_db()
    assert article.status == Article.Status.SCHEDULED

    # A reader: nothing before its time; then the article, in search too, credited.
    reader = browser.new_context(locale="fr-FR").new_page()
    hits = reader.locator(".hit", has_text="Festival de Brume")
    reader.goto(live_server.url + "/recherche/?q=marais+salants")
    expect(hits).to_have_count(0)
    time.sleep(max(0.0, (at - timezone.now()).total_seconds()) + 0.5)
    reader.reload()
    expect(hits).to_have_count(1)
    hits.get_by_role("link", name="Festival de Brume").click()
    expect(reader.locator("h1")).to_have_text("Festival de Brume")
    credits = reader.locator(".body figure .credit")
    expect(credits).to_have_count(2)
    expect(credits.nth(0)).to_contain_text(FOUND)
    expect(credits.nth(1)).to_contain_text(UPLOADED)
    shoot(reader, "journey-reader-1280")
    reader.context.close()
