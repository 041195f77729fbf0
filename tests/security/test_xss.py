"""XSS (acceptance "Security tests", 2): payloads stored in every field a
person can type (article title, standfirst, body and its links, genre names,
author names and bios, photo credits, captions and alt texts, takedown notice
fields and decision reasons) or send in a URL (search queries) are rendered
inert on every page that shows them, public or admin, HTML, XML or JSON.

Pages are parsed (``html.parser``: lxml is not installed) and must hold no
``<script>`` element carrying a payload, no attribute whose name starts with
"on", no ``javascript:`` URL in href/src/action, a single ``<title>``, and the
payload must still be there as escaped text (proof the page showed it)."""

import html
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from articles.models import Article, GenreTag
from photos import services as photo_services
from takedowns import services
from takedowns.models import Notice
from tests.factories import CHIEF, ArticleFactory, AuthorFactory, PhotoFactory, UserFactory
from tests.photos import images
from tests.security.conftest import module_transaction

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
SVG = "<svg onload=alert(1)>"
TITLE = "</title><script>alert(1)</script>"
JS_URL = "javascript:alert(1)"
WORD = "zorglub"  # a word next to the payloads, for the search engine to find


# Inspecting what a browser would build ------------------------------------------------

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcset"}


class Page(HTMLParser):
    """The elements, attributes and text of an HTML document."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))
        self._in_script = tag == "script"
        if tag == "script":
            self.scripts.append("")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text.append(data)

    @property
    def all_text(self) -> str:
        values = [v or "" for _tag, attrs in self.elements for _name, v in attrs]
        return "".join(self.text) + " " + " ".join(values)


def _is_javascript_url(value: str) -> bool:
    compact = re.sub(r"[\x00-\x20]", "", html.unescape(value or "")).lower()
    return compact.startswith(("javascript:", "vbscript:", "data:text/html"))


def assert_inert(markup: str, shows: list[str] = (), where: str = "") -> Page:
    """No payload became markup; each string of ``shows`` is there as text."""
    page = Page(markup)
    for tag, attrs in page.elements:
        for name, value in attrs:
            assert not name.lower().startswith("on"), f"{where}: <{tag} {name}={value!r}>"
            if name.lower() in URL_ATTRIBUTES:
                assert not _is_javascript_url(value), f"{where}: <{tag} {name}={value!r}>"
        if tag == "img":
            assert dict(attrs).get("src") != "x", f"{where}: injected <img src=x>"
    for script in page.scripts:
        assert "alert(" not in script, f"{where}: script element with a payload"
    titles = [tag for tag, _attrs in page.elements if tag == "title"]
    assert len(titles) <= 1, f"{where}: a second <title>"
    for text in shows:
        assert text in page.all_text, f"{where}: {text!r} is not shown (escaped) on the page"
    return page


def parse_xml(data: bytes) -> ET.Element:
    return ET.fromstring(data)  # noqa: S314 - our own server's output, in a test


def assert_only_mark(snippet: str, where: str = "") -> None:
    """A snippet rendered as HTML holds no tag but <mark>."""
    page = Page(snippet)
    assert {tag for tag, _ in page.elements} <= {"mark"}, f"{where}: {snippet!r}"
    assert all(not attrs for _tag, attrs in page.elements), f"{where}: {snippet!r}"


# Content full of payloads ---------------------------------------------------------------


@pytest.fixture(scope="module")
def _hostile_module(django_db_setup, django_db_blocker, security_settings):
    with module_transaction(django_db_blocker, security_settings):
        content = build_hostile()
        content["notices"] = build_notices(content)
        yield content


@pytest.fixture
def hostile(_hostile_module, db):
    return _hostile_module


@pytest.fixture
def indexed(hostile):
    """The search index (a fresh directory per test) holding the hostile content."""
    call_command("rebuild_index", verbosity=0)
    return hostile


def build_hostile() -> dict:
    tag = GenreTag.objects.create(name=f"Polar {SVG}")
    author = AuthorFactory(
        name=f"Alex {IMG} Plume", bio=f"Critique {SCRIPT}\n\nAussi {SVG} et {TITLE}"
    )
    photo = photo_services.upload_photo(
        file=images.upload("photo.jpg", images.jpeg(7, (640, 480))),
        title=f"Affiche {TITLE}",
        alt_text=f"Affiche {IMG}",
        caption=f"Légende {SCRIPT}",
        credit=f"© Studio {IMG} / Photo : Zoé {SVG}",
        photographer=f"Zoé {SVG}",
        agency=f"Agence {SCRIPT}",
    )
    body = (
        f'<p>Début {WORD} <a href="{JS_URL}">lien piégé</a> {SCRIPT} '
        f'<img src=x onerror=alert(1)> {SVG}</svg> <a href="https://ok.example" '
        f'onclick="alert(1)">lien sûr</a> &lt;script&gt;alert("texte")&lt;/script&gt;</p>'
        f'<p><a href=" JaVaScRiPt:alert(1)">espaces</a><iframe src="{JS_URL}"></iframe></p>'
        f'<figure data-photo="{photo.pk}"></figure>'
    )
    article = ArticleFactory(
        title=f"{TITLE} Titre {IMG}",
        standfirst=f"Chapeau {WORD} {SVG} {JS_URL} {SCRIPT}",
        body=body,
        tags=[tag.name],
        authors=[author],
        lead_photo=photo,
    )
    article.title = f"{TITLE} Titre corrigé {IMG}"  # a second revision, for the diff page
    article.save()
    draft = ArticleFactory(
        title=f"Brouillon {SCRIPT}", status=Article.Status.DRAFT, published_at=None
    )
    PhotoFactory(title=f"Sans crédit {SCRIPT}", credit="")
    return {"article": Article.objects.get(pk=article.pk), "draft": draft, "tag": tag,
            "author": author, "photo": photo}  # fmt: skip


def test_stored_body_keeps_no_active_markup(hostile):
    body = hostile["article"].body
    assert "<script" not in body and "onerror" not in body and "onclick" not in body
    assert "javascript:" not in body.lower() and "<svg" not in body and "<iframe" not in body
    assert "lien piégé" in body and "&lt;script&gt;" in body


# Public pages --------------------------------------------------------------------------

ARTICLE_TEXTS = [f"{TITLE} Titre corrigé {IMG}"]


def public_pages(h):
    article, tag, author, photo = h["article"], h["tag"], h["author"], h["photo"]
    date = article.publication_date
    title = f"{TITLE} Titre corrigé {IMG}"
    return {
        "article": (article.get_absolute_url(),
                    [title, f"Chapeau {WORD} {SVG} {JS_URL} {SCRIPT}", f"Alex {IMG} Plume",
                     f"Polar {SVG}", f"Légende {SCRIPT}", f"© Studio {IMG} / Photo : Zoé {SVG}",
                     f"Affiche {IMG}", '<script>alert("texte")</script>']),
        "home": ("/", [title]),
        "tag": (tag.get_absolute_url(), [f"Polar {SVG}", title]),
        "author": (author.get_absolute_url(), [f"Alex {IMG} Plume", f"Critique {SCRIPT}", TITLE]),
        "authors": ("/auteurs/", [f"Alex {IMG} Plume"]),
        "section": (article.section.get_absolute_url(), [title]),
        "year": (f"/{date.year}/", [title]),
        "day": (f"/{date:%Y/%m/%d}/", [title]),
        "search results": (f"/recherche/?q={WORD}", [title]),
        "search reflected": ("/recherche/?q=" + _quote(f"{SCRIPT} {IMG} {TITLE}"),
                             [f"{SCRIPT} {IMG} {TITLE}"]),
        "search by tag": ("/recherche/?q=&tag=" + _quote(f"Polar {SVG}"), [f"Polar {SVG}"]),
        "credit index": ("/photos/credits/", [f"Zoé {SVG}"]),
        "credit page": (f"/photos/credits/{photo.photographer_slug}/",
                        [f"Zoé {SVG}", f"Légende {SCRIPT}", f"Affiche {IMG}"]),
        "notice form for a photo": (f"/signaler-une-photo/?photo={photo.pk}",
                                    [f"© Studio {IMG} / Photo : Zoé {SVG}"]),
        "404 with a payload in the path": ("/" + _quote(f"{SCRIPT}{IMG}") + "/", []),
    }  # fmt: skip


def _quote(text):
    from urllib.parse import quote

    return quote(text, safe="")


@pytest.mark.parametrize(
    "page",
    ["article", "home", "tag", "author", "authors", "section", "year", "day", "search results",
     "search reflected", "search by tag", "credit index", "credit page",
     "notice form for a photo", "404 with a payload in the path"],
)  # fmt: skip
def test_public_page_renders_payloads_inert(client, hostile, page):
    if page.startswith("search"):
        call_command("rebuild_index", verbosity=0)
    url, shows = public_pages(hostile)[page]
    response = client.get(url)
    assert response.status_code in (200, 404), (url, response.status_code)
    assert response["Content-Type"].startswith("text/html")
    assert_inert(response.content.decode(), shows, where=page)


def test_article_body_links_keep_only_safe_schemes(client, hostile):
    page = assert_inert(client.get(hostile["article"].get_absolute_url()).content.decode())
    hrefs = [dict(a).get("href") for tag, a in page.elements if tag == "a"]
    assert "https://ok.example" in hrefs
    assert not any(tag == "iframe" for tag, _a in page.elements)


def test_preview_of_a_draft_renders_payloads_inert(client, hostile):
    client.force_login(UserFactory(username="cheffe", role=CHIEF))
    response = client.get(f"/apercu/{hostile['draft'].pk}/")
    assert response.status_code == 200
    assert_inert(response.content.decode(), [f"Brouillon {SCRIPT}"], where="preview")


# Feeds and sitemaps --------------------------------------------------------------------

HTML_ELEMENTS = {"description", "{http://www.w3.org/2005/Atom}summary",
                 "{http://www.w3.org/2005/Atom}content"}  # fmt: skip


@pytest.mark.parametrize(
    "url",
    ["/flux/rss/", "/flux/atom/", "rubriques/{section}/rss/", "genres/{tag}/atom/",
     "genres/{tag}/rss/"],
)  # fmt: skip
def test_feeds_are_valid_xml_and_their_html_is_inert(client, hostile, url):
    url = "/" + url.lstrip("/").format(
        section=hostile["article"].section.slug, tag=hostile["tag"].slug
    )
    response = client.get(url)
    assert response.status_code == 200
    root = parse_xml(response.content)  # well-formed: no payload broke the XML
    texts = []
    for element in root.iter():
        texts.append(element.text or "")
        if element.tag in HTML_ELEMENTS and element.text:
            assert_inert(element.text, where=f"{url} {element.tag}")
        for name, value in element.attrib.items():
            assert not _is_javascript_url(value), f"{url}: {name}={value}"
        if element.tag in ("link", "guid", "{http://www.w3.org/2005/Atom}id"):
            assert not _is_javascript_url(element.text or "")
    joined = " ".join(texts)
    assert f"{TITLE} Titre corrigé {IMG}" in joined  # titles are text, escaped in the XML
    assert "<script>" not in response.content.decode()


def test_sitemaps_are_valid_xml_with_http_urls_only(client, hostile):
    index = parse_xml(client.get("/sitemap.xml").content)
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    sections = [loc.text for loc in index.iter(f"{ns}loc")]
    assert sections
    for section_url in sections:
        response = client.get(section_url.replace("http://testserver", ""))
        root = parse_xml(response.content)
        for element in root.iter():
            for value in [element.text or "", *element.attrib.values()]:
                assert not _is_javascript_url(value)
        assert all(loc.text.startswith("http") for loc in root.iter(f"{ns}loc"))


# JSON API ---------------------------------------------------------------------------


def _backends():
    yield "whoosh"
    yield pytest.param(
        "postgres",
        marks=pytest.mark.skipif(
            connection.vendor != "postgresql", reason="the postgres search backend needs PostgreSQL"
        ),
    )


@pytest.fixture(params=list(_backends()))
def search_backend(request, settings, indexed):
    from search import backends

    settings.SEARCH_BACKEND = request.param
    backends.reset()
    call_command("rebuild_index", verbosity=0)
    yield request.param
    backends.reset()


@pytest.mark.parametrize(
    "query", [WORD, "alert", "script", "onload", SCRIPT, IMG, f"tag:{SVG}", TITLE, JS_URL]
)
def test_search_api_json_is_valid_and_snippets_hold_only_mark(client, search_backend, query):
    response = client.get("/api/search/", {"q": query})
    assert response["Content-Type"].startswith("application/json")
    assert response["X-Content-Type-Options"] == "nosniff"
    data = json.loads(response.content)  # valid JSON whatever the query
    for hit in data.get("results", []):
        assert_only_mark(hit["snippet"], where=f"{search_backend} {query}")
        assert not _is_javascript_url(hit["url"])
    if query == WORD:
        [hit] = data["results"]
        assert "<mark>" in hit["snippet"]
        assert "&lt;" in hit["snippet"] or "&lt;" not in html.escape(hit["snippet"])
        assert "alert(1)" in html.unescape(hit["snippet"])  # the payload, as text


def test_search_page_snippet_is_inert(client, search_backend):
    response = client.get("/recherche/", {"q": WORD})
    page = assert_inert(response.content.decode(), where=f"search page {search_backend}")
    assert any(tag == "mark" for tag, _a in page.elements)


@pytest.mark.parametrize("url", ["/api/search/suggest/", "/api/photos/search/"])
def test_other_json_endpoints_are_valid_json(client, indexed, url):
    for query in ("zo", "alex", SCRIPT, IMG, "Zoé"):
        response = client.get(url, {"q": query, "credit": query})
        assert response["Content-Type"].startswith("application/json")
        data = json.loads(response.content)
        for hit in data.get("results", []):
            if isinstance(hit, dict) and hit.get("snippet"):
                assert_only_mark(hit["snippet"], where=url)


# Takedowns: public pages and the decision page ----------------------------------------------

NOTICE_FIELDS = {
    "name": f"Jeanne {IMG}",
    "organisation": f"Agence {SVG}",
    "explanation": f"Explication {SCRIPT}\nligne 2 {TITLE}",
    "original_work": f"{JS_URL} https://exemple.org/{IMG}",
    "requested_credit": f"© Jeanne {SCRIPT}",
}
REASON = f"Motif {SCRIPT} {IMG}"


@pytest.fixture
def notices(hostile):
    return hostile["notices"]


def build_notices(hostile) -> dict:
    chief = UserFactory(username="cheffe", email="cheffe@example.org", role=CHIEF)
    photo = hostile["photo"]

    def submit(email):
        notice = services.submit_notice(
            email=email, capacity="agency", kind="correct_credit", good_faith=True,
            photos=[photo], urls=[f"http://testserver/{IMG}"], **NOTICE_FIELDS,
        )  # fmt: skip
        return notice, services.confirm_notice(notice=notice)

    incomplete, incomplete_token = submit("jeanne@agence.fr")
    services.request_information(notice=incomplete, by=chief, missing=f"Il manque {SCRIPT}")
    decided, decided_token = submit("paul@agence.fr")
    reasons = services.Reasons(measure=REASON, facts=f"Faits {SVG}", ground=f"Motif {TITLE}")
    services.reject(notice=decided, by=chief, reasons=reasons)
    return {"chief": chief, "incomplete": (incomplete, incomplete_token),
            "decided": (Notice.objects.get(pk=decided.pk), decided_token)}  # fmt: skip


def test_tracking_pages_render_missing_information_and_reasons_inert(client, notices):
    _notice, token = notices["incomplete"]
    page = client.get(f"/signaler-une-photo/suivi/{token}/").content.decode()
    assert_inert(page, [f"Il manque {SCRIPT}"], where="tracking (incomplete)")
    _notice, token = notices["decided"]
    page = client.get(f"/signaler-une-photo/suivi/{token}/").content.decode()
    assert_inert(page, [REASON, f"Faits {SVG}", f"Motif {TITLE}"], where="tracking (decided)")


def test_refused_notice_form_echoes_what_was_typed_inert(client, hostile):
    data = {**NOTICE_FIELDS, "email": "pas-une-adresse", "capacity": "agency",
            "kind": "correct_credit", "photo_ids": str(hostile["photo"].pk), "good_faith": "on",
            "urls": f"http://testserver/{IMG}", "rights_holder": f"Titulaire {SVG}"}  # fmt: skip
    response = client.post("/signaler-une-photo/", data)
    assert response.status_code == 400
    assert_inert(
        response.content.decode(),
        [f"Jeanne {IMG}", f"Agence {SVG}", f"Titulaire {SVG}", f"© Jeanne {SCRIPT}"],
        where="notice form (400)",
    )


# Admin pages ---------------------------------------------------------------------------


def admin_pages(h, notices):
    article, photo, notice = h["article"], h["photo"], notices["decided"][0]
    first = article.history.order_by("history_id").first().history_id
    return {
        "index (dashboard)": ("/admin/", [f"Sans crédit {SCRIPT}"]),
        "article list": ("/admin/articles/article/", [f"{TITLE} Titre corrigé {IMG}"]),
        "article change": (f"/admin/articles/article/{article.pk}/change/",
                           [f"{TITLE} Titre corrigé {IMG}", f"Chapeau {WORD} {SVG}"]),
        "article history": (f"/admin/articles/article/{article.pk}/history/", []),
        "article revision": (f"/admin/articles/article/{article.pk}/history/{first}/",
                             [f"{TITLE} Titre {IMG}"]),
        "article compare": (f"/admin/articles/article/{article.pk}/compare/",
                            ["Titre corrigé", "alert(1)"]),
        "article search": ("/admin/articles/article/?q=" + _quote(SCRIPT), [SCRIPT]),
        "author list": ("/admin/articles/author/", [f"Alex {IMG} Plume"]),
        "author change": (f"/admin/articles/author/{h['author'].pk}/change/",
                          [f"Alex {IMG} Plume", f"Critique {SCRIPT}"]),
        "genre list": ("/admin/articles/genretag/", [f"Polar {SVG}"]),
        "photo list": ("/admin/photos/photo/", [f"© Studio {IMG} / Photo : Zoé {SVG}"]),
        "photo change": (f"/admin/photos/photo/{photo.pk}/change/",
                         [f"Affiche {IMG}", f"Légende {SCRIPT}", f"{TITLE} Titre corrigé {IMG}"]),
        "notice queue": ("/admin/takedowns/notice/", [notice.reference]),
        "notice decision": (f"/admin/takedowns/notice/{notice.pk}/change/",
                            [f"Jeanne {IMG}", f"Agence {SVG}", f"Explication {SCRIPT}",
                             f"© Jeanne {SCRIPT}", REASON, f"https://exemple.org/{IMG}"]),
        "notice audit": ("/admin/takedowns/event/", []),
    }  # fmt: skip


ADMIN_PAGES = ["index (dashboard)", "article list", "article change", "article history",
               "article revision", "article compare", "article search", "author list",
               "author change", "genre list", "photo list", "photo change", "notice queue",
               "notice decision", "notice audit"]  # fmt: skip


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_admin_page_renders_payloads_inert(hostile, notices, page):
    client = Client()
    client.force_login(notices["chief"])
    url, shows = admin_pages(hostile, notices)[page]
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert_inert(response.content.decode(), shows, where=page)


def test_genre_suggestions_are_json_not_html(hostile, notices):
    client = Client()
    client.force_login(notices["chief"])
    response = client.get("/admin/articles/article/genres/", {"q": "Polar"})
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content) == {"results": [f"Polar {SVG}"]}


def test_notice_decision_page_does_not_link_a_javascript_original_work(hostile, notices):
    client = Client()
    client.force_login(notices["chief"])
    notice = notices["decided"][0]
    page = Page(client.get(f"/admin/takedowns/notice/{notice.pk}/change/").content.decode())
    hrefs = [dict(attrs).get("href") or "" for tag, attrs in page.elements if tag == "a"]
    assert not any(_is_javascript_url(h) for h in hrefs)
    assert Notice.objects.get(pk=notice.pk).original_work.startswith(JS_URL)  # stored as typed


@pytest.mark.parametrize(
    "markup",
    [
        f"<p>{SCRIPT}</p>",
        f"<p>{IMG}</p>",
        f"<div>{SVG}</div>",
        f"<title>x{TITLE}",
        f'<a href="{JS_URL}">x</a>',
        '<a href=" &#106;avascript:alert(1)">x</a>',
        '<form action="javascript:alert(1)"></form>',
        '<p onmouseover="alert(1)">x</p>',
    ],
)
def test_the_inspector_catches_live_payloads(markup):
    """The checks above would see a payload that became markup."""
    with pytest.raises(AssertionError):
        assert_inert(f"<html><head><title>t</title></head><body>{markup}</body></html>")
    escaped = html.escape(markup)
    assert_inert(f"<title>t</title><p>{escaped}</p>", [markup])
