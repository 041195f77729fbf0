"""The article page and an author's page as readers see them, read through the
prepared queries (config.prepared): every photo (lead, body, gallery, the
related cards') shows with its credit, alt text, srcset and report link, at
1,280 and 390 px, with no sideways scroll."""

import pytest

from articles.models import GalleryItem
from articles.related import store
from photos import services
from tests.e2e.screens import no_sideways_scroll, shoot
from tests.factories import ArticleFactory, AuthorFactory
from tests.photos import images

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("isolated_site")]


def photo(n: int, credit: str, alt: str):
    return services.upload_photo(
        file=images.upload(f"photo{n}.jpg", images.jpeg(n, (1600, 1000))),
        alt_text=alt,
        credit=credit,
    )


@pytest.fixture
def article():
    author = AuthorFactory(name="Aurore Plume")
    lead = photo(11, "© Studio Nord / Photo : Lise Cadre", "Une scène de nuit sur un quai")
    inside = photo(12, "© Agence Sud / Photo : Marc Focale", "Deux comédiens en répétition")
    extra = photo(13, "© Collectif Est / Photo : Inès Grain", "Le public à l'entracte")
    other = ArticleFactory(title="Une autre critique", lead_photo=extra, authors=[author])
    article = ArticleFactory(
        title="L'hiver au théâtre",
        lead_photo=lead,
        authors=[author],
        body=f'<p>Premier paragraphe.</p><figure data-photo="{inside.pk}"></figure><p>Fin.</p>',
    )
    GalleryItem.objects.create(article=article, photo=extra, position=1)
    store(article, [other.pk])
    return article


@pytest.mark.parametrize("width", [1280, 390])
def test_article_and_author_pages_show_every_photo_credited(live_server, page, article, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + article.get_absolute_url())
    body = page.locator("body")
    for credit in ("Lise Cadre", "Marc Focale", "Inès Grain"):
        assert credit in body.inner_text()
    assert page.locator("img[alt='Une scène de nuit sur un quai']").count() == 1
    assert page.locator("img[alt='Deux comédiens en répétition']").count() == 1
    assert page.locator("img[srcset]").count() >= 3
    assert page.locator("a.report").count() >= 4  # lead, body, gallery, related card
    assert "Une autre critique" in page.locator("aside.related").inner_text()
    assert no_sideways_scroll(page)
    shoot(page, f"article-prepared-{width}")

    page.goto(live_server.url + article.authors.get().get_absolute_url())
    cards = page.locator("article.card")
    assert cards.count() == 2
    assert "L'hiver au théâtre" in cards.first.inner_text()
    assert page.locator("article.card a.report").count() == 2
    assert no_sideways_scroll(page)
    shoot(page, f"author-prepared-{width}")
