"""A reader opens the home page, follows an article and sees its photo credited."""

import pytest
from playwright.sync_api import expect

from tests.factories import ArticleFactory, AuthorFactory, PhotoFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_reader_follows_an_article_and_sees_the_photo_credit(live_server, page):
    photo = PhotoFactory(credit="© Films du Phare / Photo : Inès Lumière")
    article = ArticleFactory(
        title="Le retour des Heures Claires",
        lead_photo=photo,
        authors=[AuthorFactory(name="Alex Plume")],
        tags=["Série"],
    )

    page.goto(live_server.url + "/")
    expect(page).to_have_title("La Revue des Écrans")
    page.get_by_role("link", name="Le retour des Heures Claires").first.click()

    expect(page).to_have_url(live_server.url + article.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Le retour des Heures Claires")
    lead = page.locator("figure.lead")
    image = lead.locator("img")
    expect(image).to_have_attribute("alt", photo.alt_text)
    # The picture decodes (waited for: it may still be loading when the page is).
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    expect(lead.locator(".credit")).to_have_text(
        "Crédit photo : © Films du Phare / Photo : Inès Lumière"
    )
    expect(page.get_by_role("link", name="Droits d'auteur et crédits photos").first).to_be_visible()
