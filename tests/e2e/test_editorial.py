"""A writer writes and submits an article with a photo from the library; an editor
publishes it; readers find it on the home page with the photo's credit."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import EDITOR, WRITER, AuthorFactory, PhotoFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "motdepasse-de-test"


def log_in(browser, base_url, username):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(base_url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_be_visible()
    return page


def test_writer_submits_editor_publishes_reader_sees_credit(live_server, browser):
    writer = UserFactory(username="ecrivaine", role=WRITER)
    AuthorFactory(name="Élise Écrivaine", user=writer)
    UserFactory(username="editeur", role=EDITOR)
    photo = PhotoFactory(credit="© Les Films du Héron / Photo : Karim Haddad")

    page = log_in(browser, live_server.url, "ecrivaine")
    page.goto(live_server.url + "/admin/articles/article/add/")
    page.fill("#id_title", "Festival de Brume : notre palmarès")
    page.select_option("#id_section", label="Critique")
    page.fill("#id_standfirst", "Dix jours de projections et trois coups de cœur.")
    editor = page.locator(".ProseMirror[contenteditable=true]")
    editor.click()
    page.keyboard.type("Le jury a tranché, et nous aussi.")
    page.keyboard.press("Enter")
    page.keyboard.type(f"[photo:{photo.pk}]")
    page.fill("#id_lead_photo", str(photo.pk))
    page.fill("#id_tags", "Cinéma, Festival")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_be_visible()
    page.get_by_role("button", name="Enregistrer et soumettre").click()
    expect(page.locator(".messagelist .success")).to_contain_text("fait")
    article_url = page.url
    page.context.close()

    page = log_in(browser, live_server.url, "editeur")
    page.goto(article_url)
    expect(page.locator(".workflow h2")).to_contain_text("en relecture")
    page.get_by_role("button", name="Enregistrer et publier").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    page.context.close()

    reader = browser.new_context(locale="fr-FR").new_page()
    reader.goto(live_server.url + "/")
    reader.get_by_role("link", name="Festival de Brume : notre palmarès").first.click()
    expect(reader).to_have_url(re.compile(r"/\d{4}/\d{2}/\d{2}/festival-de-brume-notre-palmares/$"))
    expect(reader.locator("figure.lead .credit")).to_contain_text(
        "© Les Films du Héron / Photo : Karim Haddad"
    )
    expect(reader.locator(".body figure .credit")).to_contain_text("Karim Haddad")
    expect(reader.locator(".body")).to_contain_text("Le jury a tranché")
    reader.context.close()
