"""A writer illustrates a new article from the photo chooser: one photo found by
its credit, one uploaded in place with its credit and licence; both show in the
editor as photos with their credit, a lead photo is chosen, and the saved body
holds two photo references."""

import pytest
from playwright.sync_api import expect

from articles import html
from articles.models import Article
from photos.models import Photo
from tests.e2e.chooser_steps import (
    choose_photo_by_credit,
    chooser_dialog,
    editor_photos,
    fill_upload_form,
    no_sideways_scroll,
    open_chooser,
    search_by_credit,
    shoot,
    upload_photo_in_chooser,
)
from tests.e2e.test_editorial import log_in
from tests.factories import WRITER, AuthorFactory, PhotoFactory, UserFactory
from tests.photos import images

pytestmark = pytest.mark.django_db(transaction=True)
FOUND = "© Les Films du Héron / Photo : Karim Haddad"
UPLOADED = "© Studio Brume / Photo : Inès Carrel"


@pytest.fixture
def writer_page(live_server, browser):
    writer = UserFactory(username="ecrivaine", role=WRITER)
    AuthorFactory(name="Élise Écrivaine", user=writer)
    page = log_in(browser, live_server.url, "ecrivaine")
    page.goto(live_server.url + "/admin/articles/article/add/")
    expect(page.locator(".ProseMirror[contenteditable=true]")).to_be_visible()
    return page


@pytest.fixture
def picture(tmp_path):
    path = tmp_path / "brume.jpg"
    path.write_bytes(images.jpeg(21, (1200, 800)))
    return path


def test_writer_illustrates_an_article_from_the_chooser(writer_page, picture):
    found = PhotoFactory(credit=FOUND, title="Le jury du festival")
    PhotoFactory(credit="© Agence Lumière", title="Une autre photo")
    PhotoFactory(credit="", title="Photo sans crédit")
    page = writer_page
    page.fill("#id_title", "Festival de Brume : notre palmarès")
    page.select_option("#id_section", label="Critique")
    page.locator(".ProseMirror[contenteditable=true]").click()
    page.keyboard.type("Le jury a tranché.")

    dialog = open_chooser(page)
    expect(dialog.locator(".photo-card")).to_have_count(3)
    expect(dialog.locator(".photo-card--flagged")).to_contain_text("Crédit manquant")
    assert no_sideways_scroll(page)
    shoot(page, "chooser-list")
    dialog.get_by_role("button", name="Fermer").click()
    expect(dialog).to_be_hidden()

    choose_photo_by_credit(page, "Karim Haddad")
    expect(editor_photos(page)).to_have_count(1)
    page.keyboard.type("Et nous aussi.")

    open_chooser(page)
    fill_upload_form(page, picture, UPLOADED, licence="CC BY")
    assert no_sideways_scroll(page)
    shoot(page, "chooser-upload")
    chooser_dialog(page).get_by_role("button", name="Envoyer et choisir").click()
    expect(chooser_dialog(page)).to_be_hidden()

    photos = editor_photos(page)
    expect(photos).to_have_count(2)
    expect(photos.nth(0).locator(".photo-reference__credit")).to_have_text(FOUND)
    expect(photos.nth(1).locator(".photo-reference__credit")).to_have_text(UPLOADED)
    for index in range(2):
        expect(photos.nth(index).locator("img")).to_be_visible()

    choose_photo_by_credit(page, "Karim Haddad", opener="lead")
    expect(page.locator("#id_lead_photo")).to_have_value(str(found.pk))
    expect(page.locator(".field-lead_photo .photo-chooser-choice")).to_contain_text(FOUND)
    shoot(page, "editor-photos", focus=page.get_by_role("button", name="Insérer une photo"))
    shoot(page, "lead-photo", focus=page.locator(".field-lead_photo"))

    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_be_visible()
    new = Photo.objects.get(credit=UPLOADED)
    assert new.licence_kind == "cc_by"
    article = Article.objects.get(title="Festival de Brume : notre palmarès")
    assert html.photo_ids(article.body) == [found.pk, new.pk]
    assert article.lead_photo_id == found.pk
    # Opened again, the article shows its photos as photos.
    expect(editor_photos(page)).to_have_count(2)
    expect(editor_photos(page).nth(1)).to_contain_text(UPLOADED)


def test_keyboard_escape_closes_and_focus_returns(writer_page):
    PhotoFactory(credit=FOUND)
    page = writer_page
    dialog = open_chooser(page)
    expect(dialog.get_by_label("Rechercher un crédit, une légende, un titre")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("button", name="Insérer une photo")).to_be_focused()
    # The tabs answer the arrow keys.
    dialog = open_chooser(page)
    dialog.get_by_role("tab", name="Photothèque").focus()
    page.keyboard.press("ArrowRight")
    expect(dialog.get_by_role("tab", name="Envoyer une nouvelle photo")).to_have_attribute(
        "aria-selected", "true"
    )
    expect(dialog.locator(".photo-chooser__upload")).to_be_visible()


def test_second_upload_of_a_picture_offers_the_existing_photo(writer_page, picture):
    page = writer_page
    page.locator(".ProseMirror[contenteditable=true]").click()
    upload_photo_in_chooser(page, picture, UPLOADED)
    first = Photo.objects.get()
    open_chooser(page)
    fill_upload_form(page, picture, "© Quelqu'un d'autre")
    chooser_dialog(page).get_by_role("button", name="Envoyer et choisir").click()
    dialog = chooser_dialog(page)
    expect(dialog.locator(".photo-chooser__warning")).to_contain_text("ressemble beaucoup")
    assert no_sideways_scroll(page)
    shoot(page, "chooser-duplicate")
    dialog.get_by_role("button", name="Utiliser la photo existante").click()
    expect(dialog).to_be_hidden()
    expect(editor_photos(page)).to_have_count(2)
    expect(editor_photos(page).nth(1)).to_have_attribute("data-photo", str(first.pk))


def test_gallery_row_is_filled_from_the_chooser(writer_page):
    photo = PhotoFactory(credit=FOUND)
    page = writer_page
    search_by_credit(page, "Haddad", opener="gallery")
    chooser_dialog(page).locator(".photo-card__pick").first.click()
    expect(page.locator("#id_gallery_items-0-photo")).to_have_value(str(photo.pk))


def test_typed_marker_of_a_missing_photo_is_kept_and_said_missing(writer_page):
    page = writer_page
    page.fill("#id_title", "Une photo qui n'existe pas")
    page.select_option("#id_section", label="Critique")
    editor = page.locator(".ProseMirror[contenteditable=true]")
    editor.click()
    page.keyboard.type("Avant.")
    page.keyboard.press("Enter")
    page.keyboard.type("[photo:9999]")
    page.click("input[name=_continue]")
    expect(page.locator(".errorlist").first).to_contain_text("aucune photo ne porte ce numéro")
    missing = editor_photos(page)
    expect(missing).to_have_count(1)
    expect(missing).to_contain_text("[photo:9999]")
    expect(missing).to_contain_text("Aucune photo ne porte ce numéro.")
    assert not Article.objects.exists()
