"""The article editor in a browser: a French toolbar offering the headings the
article page uses (h2, h3), French spell-checking, genre suggestions as one types."""

import pytest
from playwright.sync_api import expect

from articles.models import GenreTag
from tests.e2e.test_editorial import log_in
from tests.factories import WRITER, AuthorFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
ENGLISH = ("Heading", "Paragraph", "bold", "italic", "undo", "redo", "blockquote")


@pytest.fixture
def writer_page(live_server, browser):
    writer = UserFactory(username="ecrivaine", role=WRITER)
    AuthorFactory(name="Élise Écrivaine", user=writer)
    page = log_in(browser, live_server.url, "ecrivaine")
    page.goto(live_server.url + "/admin/articles/article/add/")
    return page


def test_toolbar_is_french_with_the_article_headings_only(writer_page):
    page = writer_page
    text = page.locator(".ProseMirror[contenteditable=true]")
    expect(text).to_be_visible()
    options = page.locator(".prose-menubar__option")
    expect(options).to_have_text(["Intertitre", "Sous-intertitre", "Paragraphe"])
    expect(options.first).to_have_attribute("data-name", "heading2")
    assert page.locator(".prose-menubar__option h2").count() == 1
    assert page.locator(".prose-menubar__option h1, .prose-menubar__option h4").count() == 0
    menubar = page.locator(".prose-menubar")
    labels = menubar.evaluate(
        "bar => [...bar.querySelectorAll('[title]')].map(b => b.title).join(' | ')"
    )
    assert "Gras" in labels and "Italique" in labels
    words = set(labels.lower().replace("|", " ").split())
    for word in ENGLISH:
        assert word.lower() not in words, word
    expect(text).to_have_attribute("spellcheck", "true")
    expect(text).to_have_attribute("lang", "fr")


def test_choosing_intertitre_makes_an_h2(writer_page):
    page = writer_page
    page.locator(".ProseMirror[contenteditable=true]").click()
    page.keyboard.type("Un intertitre")
    page.locator(".prose-menubar__selected").click()
    page.locator(".prose-menubar__option[data-name=heading2]").click()
    expect(page.locator(".ProseMirror[contenteditable=true] h2")).to_have_text("Un intertitre")


def test_genre_suggestions_appear_as_one_types(writer_page):
    GenreTag.objects.create(name="Science-fiction")
    GenreTag.objects.create(name="Série")
    page = writer_page
    field = page.locator("#id_tags")
    expect(field).to_have_attribute("list", "genre-suggestions")
    field.fill("Cinéma, sci")
    field.press("e")  # an input event, as a person typing
    expect(page.locator("#genre-suggestions option")).to_have_count(1)
    expect(page.locator("#genre-suggestions option")).to_have_attribute(
        "value", "Cinéma, Science-fiction"
    )


def test_photo_typed_mid_line_shows_between_two_paragraphs(live_server, writer_page):
    from tests.factories import PhotoFactory

    photo = PhotoFactory(credit="© Studio Héron / Photo : Karim Haddad")
    page = writer_page
    page.fill("#id_title", "Une photo au milieu")
    page.select_option("#id_section", index=1)
    page.locator(".ProseMirror[contenteditable=true]").click()
    page.keyboard.type(f"Le jury a tranché [photo: {photo.pk}] et nous aussi.")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_be_visible()
    with page.expect_popup() as popup:
        page.get_by_role("link", name="Aperçu").click()
    preview = popup.value
    body = preview.locator(".body")
    expect(body.locator("figure .credit")).to_contain_text("Karim Haddad")
    paragraphs = body.locator(":scope > p")
    expect(paragraphs).to_have_text(["Le jury a tranché", "et nous aussi."])
    order = body.evaluate("b => [...b.children].map(e => e.tagName).join(' ')")
    assert order == "P FIGURE P"
