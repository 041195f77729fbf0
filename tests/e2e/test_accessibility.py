"""axe-core, run in Chromium over the pages readers and rights holders use most,
at desktop and phone widths: no serious or critical violation. Tap target sizes
(WCAG 2.2, off by default in axe) are checked too."""

import pytest
from playwright.sync_api import expect

from photos import services
from tests.factories import ArticleFactory, AuthorFactory, PhotoFactory

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [1280, 390]
BLOCKING = {"serious", "critical"}
AXE_OPTIONS = {"rules": {"target-size": {"enabled": True}}}


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def article():
    hidden = services.hide_photo(photo=PhotoFactory(), reason="Réclamation en cours")
    body_photo = PhotoFactory(credit="© Dans le texte")
    article = ArticleFactory(
        title="Le Phare de Mirelande",
        body=f'<p>Avant.</p><figure data-photo="{body_photo.pk}"></figure><p>Après.</p>',
        lead_photo=PhotoFactory(credit="© Studio Nord / Photo : Jo Martin"),
        tags=["Cinéma", "Animation"],
        authors=[AuthorFactory(name="Alex Plume")],
    )
    article.gallery_items.create(photo=PhotoFactory(), position=0)
    article.gallery_items.create(photo=hidden, position=1)
    for n in range(3):
        ArticleFactory(title=f"Le cinéma d'animation, épisode {n}", tags=["Animation"],
                       lead_photo=PhotoFactory())  # fmt: skip
    return article


def blocking(axe, page) -> list[str]:
    violations = axe.run(page, options=AXE_OPTIONS).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']][:5]}"
        for v in violations
        if v["impact"] in BLOCKING
    ]


@pytest.mark.parametrize("width", WIDTHS)
def test_reader_pages_have_no_serious_violation(live_server, page, axe, article, width):
    page.set_viewport_size({"width": width, "height": 844})
    paths = [
        "/",
        article.get_absolute_url(),
        "/en" + article.get_absolute_url(),
        "/genres/animation/",
        "/recherche/?q=animation",
        "/signaler-une-photo/",
        "/plan-du-site/",
        "/nulle-part/",
    ]
    found = {}
    for path in paths:
        page.goto(live_server.url + path)
        if problems := blocking(axe, page):
            found[path] = problems
    assert found == {}


@pytest.mark.parametrize("width", WIDTHS)
def test_open_suggestions_have_no_serious_violation(live_server, page, axe, article, width):
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(live_server.url + "/")
    box = page.locator("#site-search-q")
    box.click()
    box.press_sequentially("le", delay=30)
    expect(page.get_by_role("listbox")).to_be_visible()
    box.press("ArrowDown")
    assert blocking(axe, page) == []
