"""Rights holders' pages as seen (issue 15, point 2): none scrolls sideways on a
390 px phone nor has a serious accessibility violation (axe, tap target sizes
included); the report links of the credits page and the primary buttons are
44 px tall there; a hidden photo's picture is never on its tracking page.
With E2E_SCREENSHOTS=<folder>, each page is photographed at 1,280 and 390 px."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from photos import services as photo_services
from takedowns import services
from takedowns.models import Notice
from tests.e2e.screens import no_sideways_scroll, shoot
from tests.e2e.test_accessibility import blocking
from tests.e2e.test_takedown import chief_group_as_migrated
from tests.factories import CHIEF, ArticleFactory, UserFactory
from tests.photos import images

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("isolated_site")]

WIDTHS = [1280, 390]
REASONS = services.Reasons(
    measure="Aucune mesure : la photo reste en ligne avec son crédit actuel.",
    facts="La licence de l'agence, jointe au dossier, couvre cette publication.",
    ground="Licence accordée par Studio Nord le 3 mars 2024 (contrat n° 2024-118).",
)


def upload(seed: int, **fields):
    return photo_services.upload_photo(
        file=images.upload("photo.jpg", images.jpeg(seed, (1600, 1000))),
        alt_text="Une comédienne sur scène",
        credit=f"© Studio Nord / Photo : Inès Morel ({seed})",
        photographer="Inès Morel",
        agency="Studio Nord",
        **fields,
    )


def notice_about(photo, **overrides):
    data = {
        "name": "Inès Morel",
        "email": "ines@morel-photo.fr",
        "capacity": Notice.Capacity.PHOTOGRAPHER,
        "kind": Notice.Kind.WITHDRAW,
        "explanation": "Photo de ma série sur le festival, publiée sans mon accord.",
        "original_work": "https://morel-photo.fr/festival-2024",
        "good_faith": True,
        "photos": [photo],
    }
    return services.submit_notice(**{**data, **overrides})


@pytest.fixture
def rights_site(live_server):
    """Three published photos of one photographer, a request awaiting its
    decision, a decided one, one whose photo is hidden, one not yet confirmed,
    and four years of figures for the transparency report."""
    chief_group_as_migrated()
    chief = UserFactory(username="cheffe", role=CHIEF)
    first, second, hidden = upload(1), upload(2), upload(3)
    article = ArticleFactory(title="Un été au festival d'Avignon", lead_photo=first)
    article.gallery_items.create(photo=second, position=0)
    ArticleFactory(title="Entretien avec la metteuse en scène", lead_photo=second)
    ArticleFactory(title="Le palmarès", lead_photo=hidden)

    urls = {}
    for name, photo, extra in (
        ("open", first, {}),
        ("decided", second, {"kind": "correct_credit", "requested_credit": "© Inès Morel"}),
        ("hidden", hidden, {}),
    ):
        notice = notice_about(photo, **extra)
        token = services.confirm_notice(notice=notice)
        urls[name] = f"/signaler-une-photo/suivi/{token}/"
        urls[f"{name}-notice"] = Notice.objects.get(pk=notice.pk)
    services.reject(notice=urls["decided-notice"], by=chief, reasons=REASONS)
    urls["hidden-files"] = [hidden.image.url, *(r.file.url for r in hidden.renditions.all())]
    services.hide_now(notice=urls["hidden-notice"], by=chief, reasons=REASONS)
    mail.outbox.clear()
    notice_about(first, email="autre@morel-photo.fr")
    urls["confirm"] = re.search(r"https?://[^/]+(/\S+/confirmer/\S+/)", mail.outbox[0].body)[1]
    for years_ago in (1, 2, 3):
        older = notice_about(first, email=f"archive{years_ago}@morel-photo.fr")
        services.confirm_notice(notice=older)
        Notice.objects.filter(pk=older.pk).update(
            received_at=timezone.now() - datetime.timedelta(days=365 * years_ago)
        )
    return urls


PAGES = [
    ("notice-form", "/signaler-une-photo/"),
    ("lookup", "/signaler-une-photo/retrouver/"),
    ("sent", "/signaler-une-photo/envoyee/"),
    ("confirm", None),
    ("tracking-open", None),
    ("tracking-decided", None),
    ("tracking-hidden", None),
    ("transparency", "/droits-photos/transparence/"),
    ("privacy", "/droits-photos/donnees-personnelles/"),
    ("credits-index", "/photos/credits/"),
    ("credit-page", "/photos/credits/ines-morel/"),
    ("photo-rights", "/droits-photos/"),
]


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def tap_heights(page, selector: str) -> list[float]:
    return page.eval_on_selector_all(
        selector, "nodes => nodes.map(n => n.getBoundingClientRect().height)"
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_rights_pages_fit_the_screen(live_server, browser, axe, rights_site, width):
    urls = rights_site
    base = live_server.url
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = {}
    for name, path in PAGES:
        path = path or urls[name.removeprefix("tracking-")]
        response = page.goto(base + path)
        assert response.ok, (name, response.status)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert no_sideways_scroll(page), f"{name} scrolls sideways at {width} px"
        shoot(page, f"rights-{name}-{width}")
        problems[name] = blocking(axe, page)
        if width < 600:
            for selector in (".rights-page .actions button", ".rights-page .actions .button"):
                assert all(h >= 44 for h in tap_heights(page, selector)), (name, selector)
    context.close()
    assert {name: found for name, found in problems.items() if found} == {}


def test_credit_page_report_links_are_thumb_sized_on_a_phone(live_server, browser, rights_site):
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server.url + "/photos/credits/ines-morel/")
    links = page.locator(".credit-photos .report")
    expect(links).to_have_count(2)  # the hidden photo is not listed
    assert all(h >= 44 for h in tap_heights(page, ".credit-photos .report"))
    expect(page.locator(".credit-photos > li").first).to_contain_text("Publiée dans")
    links.first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Signaler une photo")
    expect(page.locator("figure.thumb img")).to_have_count(1)
    context.close()


def test_tracking_page_never_shows_the_hidden_picture(live_server, page, rights_site):
    urls = rights_site
    every_url = urls["hidden-files"]
    assert len(every_url) == 7
    page.goto(live_server.url + urls["hidden"])
    expect(page.locator("#photos ~ .request-photos .not-shown")).to_contain_text("Photo masquée")
    html = page.content()
    assert not any(url in html for url in every_url)
    expect(page.locator(".timeline li")).to_have_count(4)  # sent, received, hidden, to come
    expect(page.locator(".timeline li.upcoming")).to_contain_text("au plus tard le")
