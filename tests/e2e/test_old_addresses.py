"""A reader follows a link to the old site and lands on the article; editors read
the list of old addresses on a desktop screen and on a phone.

With ``E2E_SCREENSHOTS=<folder>``, the admin list is also saved there as PNGs
(1,280 and 390 px wide) for a person to look at."""

import pytest
from playwright.sync_api import expect

from imports.addresses import remember
from imports.models import OldAddress
from photos import services
from tests.e2e.screens import shoot
from tests.e2e.test_editorial import log_in
from tests.factories import ArticleFactory, PhotoFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
OLD = "https://ancienne-revue.example.net"


@pytest.fixture(autouse=True)
def _old_domain(settings):
    settings.OLD_SITE_DOMAINS = ["ancienne-revue.example.net"]


def test_reader_opens_an_old_address_and_lands_on_the_article(live_server, page):
    article = ArticleFactory(title="Les Enfants du paradis, en version restaurée")
    remember([(f"{OLD}/critiques/les-enfants-du-paradis-été-1945/", "article", article.pk)])

    page.goto(live_server.url + "/critiques/les-enfants-du-paradis-été-1945/")

    expect(page).to_have_url(live_server.url + article.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Les Enfants du paradis, en version restaurée"
    )


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_old_addresses_admin_list_is_readable(live_server, browser, width, height):
    # Browser tests flush the groups the migrations make: a superuser will do
    # (tests/imports/test_addresses.py checks the roles).
    UserFactory(username="cheffe", is_superuser=True)
    make_addresses()
    page = log_in(browser, live_server.url, "cheffe")
    page.set_viewport_size({"width": width, "height": height})
    page.goto(live_server.url + "/admin/imports/oldaddress/")

    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(OldAddress.objects.count())
    try_it = rows.filter(has_text="/?p=123").get_by_role("link", name="tester")
    expect(try_it).to_be_visible()
    box = try_it.bounding_box()
    assert box["x"] + box["width"] <= width  # on screen, not beyond a sideways scroll
    expect(rows.filter(has_text="photo retirée")).to_have_count(1)
    # Long paths wrap inside their column: the page itself never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shoot(page, f"old-addresses-{width}")

    rows.filter(has_text="/?p=123").get_by_role("link", name="/?p=123").click()
    expect(page.locator("#id_path")).to_have_value("/?p=123")
    expect(page.locator(".field-article .select2-selection")).to_contain_text("Le Salaire")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shoot(page, f"old-address-change-{width}")
    page.context.close()


def make_addresses():
    review = ArticleFactory(title="Le Salaire de la peur : la tension à l'état pur")
    portrait = ArticleFactory(title="Portrait d'Arletty, gouaille et élégance")
    draft = ArticleFactory(title="Brouillon", status="draft", published_at=None)
    poster, gone = PhotoFactory(title="Affiche du Salaire"), PhotoFactory(title="Photo de plateau")
    remember(
        [
            (f"{OLD}/?p=123", "article", review.pk),
            (f"{OLD}/2003/11/05/le-salaire-de-la-peur-critique-du-film-restaure/", "article",
             review.pk),
            (f"{OLD}/portraits/arletty-gouaille-élégance-et-répliques-célèbres.html",
             "article", portrait.pk),
            (f"{OLD}/brouillons/pas-encore.html", "article", draft.pk),
            (f"{OLD}/wp-content/uploads/2003/11/affiche-salaire-de-la-peur-1953.jpg", "photo",
             poster.pk),
            (f"{OLD}/wp-content/uploads/2003/11/plateau.jpg", "photo", gone.pk),
        ]
    )  # fmt: skip
    services.withdraw_photo(photo=gone, reason="Fin des droits")
