"""Small things readers notice, in the browser: suggestions as you type in the
header's search box (an accessible combobox, keyboard and touch), quotes in
suggestions, the genres line, the photo report link's tap target, the favicon."""

import re
from urllib.parse import quote_plus

import pytest
from playwright.sync_api import expect

from photos import services
from tests.factories import ArticleFactory, PhotoFactory

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [1280, 390]


@pytest.fixture
def archive():
    ArticleFactory(title="Le Phare de Mirelande")
    ArticleFactory(title="Le dernier Vautrin")
    ArticleFactory(title='Le film "Nuit blanche" ressort en salles')
    photo = PhotoFactory(credit="© Studio Nord / Photo : Jo Martin", caption="Sur le tournage")
    hidden = services.hide_photo(photo=PhotoFactory(), reason="Réclamation en cours")
    article = ArticleFactory(
        title="Un été d'animation",
        lead_photo=photo,
        tags=["Cinéma", "Animation"],
    )
    article.gallery_items.create(photo=hidden, position=0)
    return article


def open_suggestions(page, box, text="le"):
    box.click()
    box.press_sequentially(text, delay=30)
    listbox = page.locator("#" + box.get_attribute("aria-controls"))
    expect(listbox).to_be_visible()
    return listbox


@pytest.mark.parametrize("width", WIDTHS)
def test_header_search_box_suggests_with_the_keyboard(live_server, page, archive, width):
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(live_server.url + "/")
    box = page.get_by_role("combobox", name="Rechercher dans l'archive")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_attribute("aria-autocomplete", "list")

    listbox = open_suggestions(page, box)
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(listbox).to_have_attribute("role", "listbox")
    options = listbox.get_by_role("option")
    expect(options.first).to_be_visible()
    assert options.count() >= 3
    # The list stays on screen, even on a phone.
    bounds = listbox.bounding_box()
    assert bounds["x"] >= 0 and bounds["x"] + bounds["width"] <= width

    box.press("ArrowDown")
    first_id = options.nth(0).get_attribute("id")
    expect(box).to_have_attribute("aria-activedescendant", first_id)
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", options.nth(1).get_attribute("id"))
    expect(options.nth(0)).to_have_attribute("aria-selected", "false")
    box.press("ArrowUp")
    expect(box).to_have_attribute("aria-activedescendant", first_id)

    box.press("Escape")  # closes the list, keeps what was typed
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).not_to_have_attribute("aria-activedescendant", re.compile(".+"))
    expect(box).to_have_value("le")

    box.press("ArrowDown")  # opens again on the first suggestion
    expect(listbox).to_be_visible()
    chosen = options.nth(0).text_content()
    box.press("Enter")
    expect(page).to_have_url(live_server.url + "/recherche/?q=" + quote_plus(chosen))
    expect(page.locator("#search-q")).to_have_value(chosen)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_suggestion_can_be_tapped(live_server, page, archive, width):
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(live_server.url + "/auteurs/")
    box = page.locator("#site-search-q")
    listbox = open_suggestions(page, box, "le phare")
    option = listbox.get_by_role("option", name="Le Phare de Mirelande")
    assert option.bounding_box()["height"] >= 44
    option.click()
    expect(page).to_have_url(live_server.url + "/recherche/?q=Le+Phare+de+Mirelande")


def test_search_page_box_has_the_same_combobox(live_server, page, archive):
    page.goto(live_server.url + "/recherche/")
    box = page.get_by_role("combobox", name="Mots recherchés")
    listbox = open_suggestions(page, box, "le dern")
    expect(listbox.get_by_role("option")).to_have_text(["Le dernier Vautrin"])
    expect(page.locator("#site-search-q-suggestions")).to_be_hidden()  # one list at a time


def test_suggestions_show_french_quotes(live_server, page, archive):
    page.goto(live_server.url + "/")
    listbox = open_suggestions(page, page.locator("#site-search-q"), "le film")
    expect(listbox.get_by_role("option").first).to_have_text(
        "Le film «\u00a0Nuit blanche\u00a0» ressort en salles"
    )
    expect(listbox).not_to_contain_text('"')


@pytest.mark.parametrize("width", WIDTHS)
def test_genres_read_with_no_space_before_the_comma(live_server, page, archive, width):
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(live_server.url + archive.get_absolute_url())
    expect(page.locator(".tags")).to_have_text("Genres : Animation, Cinéma")
    gap = page.evaluate(
        """() => {
            const link = document.querySelector(".tags a");
            const range = document.createRange();
            range.setStart(link.nextSibling, 0);
            range.setEnd(link.nextSibling, 1);  // the comma
            return range.getBoundingClientRect().left - link.getBoundingClientRect().right;
        }"""
    )
    assert abs(gap) < 1


@pytest.mark.parametrize(("width", "least"), [(1280, 24), (390, 44)])
def test_report_link_is_readable_and_easy_to_tap(live_server, page, archive, width, least):
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(live_server.url + archive.get_absolute_url())
    link = page.locator("figure.lead").get_by_role("link", name="Signaler cette photo")
    box = link.bounding_box()
    assert box["height"] >= least and box["width"] >= 24
    size = link.evaluate("a => parseFloat(getComputedStyle(a).fontSize)")
    assert size >= 13
    credit = page.locator("figure.lead .credit").bounding_box()
    if width == 1280:  # on the credit's line, not below it
        middle = box["y"] + box["height"] / 2
        assert credit["y"] <= middle <= credit["y"] + credit["height"] + 4


@pytest.mark.parametrize(("width", "least"), [(1280, 24), (390, 44)])
def test_cards_report_their_photo_too(live_server, page, archive, width, least):
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(live_server.url + "/")
    card = page.locator(".card").filter(has_text="Un été d'animation").first
    link = card.get_by_role("link", name="Signaler cette photo")
    box = link.bounding_box()
    assert box["height"] >= least and box["width"] >= 24
    assert link.evaluate("a => parseFloat(getComputedStyle(a).fontSize)") >= 13
    link.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert f"photo={archive.lead_photo.pk}" in page.url


def test_hidden_photo_is_said_temporarily_unavailable(live_server, page, archive):
    page.goto(live_server.url + archive.get_absolute_url())
    placeholder = page.locator(".gallery .photo-removed")
    expect(placeholder).to_have_text("Cette photo est momentanément indisponible.")
    expect(page.locator("figure.lead .credit")).to_contain_text("© Studio Nord")


def test_favicon_is_found(live_server, page, archive):
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.goto(live_server.url + "/")
    icons = page.locator("link[rel~=icon], link[rel=apple-touch-icon]")
    expect(icons).to_have_count(3)
    statuses = page.evaluate(
        """async () => Promise.all([...document.querySelectorAll(
            "link[rel~=icon], link[rel=apple-touch-icon]")].map(
            async (link) => (await fetch(link.href)).status).concat(
            [(await fetch("/favicon.ico")).status]))"""
    )
    assert statuses == [200, 200, 200, 200]
    assert failed == []
