"""A hidden photo is not served: every URL it ever had, as readers and feed
readers got them (the original behind ``og:image``, each rendition of the
``srcset``, the feed enclosure), answers 404 over HTTP on a running server while
the photo is hidden and after its withdrawal; shown again, it answers 200 at new
URLs. The article page, in the browser, shows the placeholder and loads nothing
of the photo while it is hidden."""

import re
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from photos import services
from tests.e2e.screens import shoot
from tests.factories import ArticleFactory
from tests.photos import images

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("isolated_site")]

RENDITIONS = [f"{fmt} {width}w" for fmt in ("jpeg", "webp") for width in (480, 960, 1600)]
KINDS = ["original", "enclosure", *RENDITIONS]


@pytest.fixture
def article():
    photo = services.upload_photo(
        file=images.upload("photo.jpg", images.jpeg(7, (1600, 1000))),
        alt_text="Un danseur en plein saut",
        credit="© Ballet du Nord / Photo : Lina Cadre",
    )
    return ArticleFactory(title="Le ballet de l'hiver", lead_photo=photo)


def fetch(url: str):
    """A plain HTTP GET, as a feed reader or a crawler holding the URL would send."""
    assert url.startswith("http://"), url
    return urllib.request.urlopen(url, timeout=10)  # noqa: S310 (http only, checked above)


def status(url: str) -> int:
    try:
        with fetch(url) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def text(url: str) -> str:
    with fetch(url) as response:
        return response.read().decode()


def urls_sent_out(base: str, article) -> dict[str, str]:
    """Kind -> absolute URL of the lead photo, as the feed and the page give them."""
    feed = text(f"{base}/flux/rss/")
    page = text(base + article.get_absolute_url())
    found = {}
    if enclosure := re.search(r'<enclosure[^>]* url="([^"]+)"', feed):
        found["enclosure"] = enclosure[1]
    if og_image := re.search(r'<meta property="og:image" content="([^"]+)"', page):
        found["original"] = og_image[1]
    for kind, srcset in re.findall(r'<(source|img)[^>]* srcset="([^"]+)"', page):
        for url, width in (entry.rsplit(" ", 1) for entry in srcset.split(", ")):
            fmt = "webp" if kind == "source" else "jpeg"
            found[f"{fmt} {width}"] = url if "://" in url else base + url
    return found


def stored_urls(base: str, photo) -> set[str]:
    photo.refresh_from_db()
    return {base + photo.image.url, *(base + r.file.url for r in photo.renditions.all())}


@pytest.mark.parametrize("kind", KINDS)
def test_every_url_answers_404_while_hidden_and_after_withdrawal(live_server, article, kind):
    base, photo = live_server.url, article.lead_photo
    first = urls_sent_out(base, article)
    assert sorted(first) == sorted(KINDS)
    assert set(first.values()) == stored_urls(base, photo)  # nothing else was ever public
    assert status(first[kind]) == 200

    services.hide_photo(photo=photo, reason="Réclamation en cours")
    assert status(first[kind]) == 404
    assert urls_sent_out(base, article) == {}

    services.unhide_photo(photo=photo)
    second = urls_sent_out(base, article)
    assert second[kind] != first[kind]
    assert (status(first[kind]), status(second[kind])) == (404, 200)

    services.hide_photo(photo=photo)
    assert status(second[kind]) == 404
    services.withdraw_photo(photo=photo, reason="Demande de l'agence", keep_private_copy=True)
    assert (status(first[kind]), status(second[kind])) == (404, 404)
    assert urls_sent_out(base, article) == {}


def test_article_page_in_the_browser_while_hidden(live_server, page, article):
    base, photo = live_server.url, article.lead_photo
    media = []

    def record(request):
        if "/media/" in request.url:
            media.append(request.url)

    page.on("request", record)

    services.hide_photo(photo=photo, reason="Réclamation en cours")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(base + article.get_absolute_url())
        expect(page.locator("figure.lead")).to_contain_text(
            "Cette photo est momentanément indisponible."
        )
        expect(page.locator("img[src*='/media/'], source[srcset*='/media/']")).to_have_count(0)
        expect(page.locator("meta[property='og:image']")).to_have_count(0)
        shoot(page, f"hidden-photo-{width}")
    assert media == []

    services.unhide_photo(photo=photo)
    page.goto(base + article.get_absolute_url())
    expect(page.locator("figure.lead img")).to_have_attribute("alt", "Un danseur en plein saut")
    page.wait_for_function(
        "() => { const img = document.querySelector('figure.lead img');"
        " return img && img.complete && img.naturalWidth > 0; }"
    )
    assert media and all(status(url) == 200 for url in media)
