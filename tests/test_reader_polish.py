"""What readers notice on every page: languages (hreflang alternates, French text
marked French on English pages), the favicon, result counts and quotes, the
site's own 404 page."""

import datetime
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from defusedxml import ElementTree
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.template import Context, Template
from django.utils import translation
from PIL import Image

from tests.factories import ArticleFactory, PhotoFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
SITE = "http://127.0.0.1:8000"


@pytest.fixture
def article():
    body_photo = PhotoFactory(credit="© Dans le texte", caption="Au festival")
    return ArticleFactory(
        title="L’été des séries",
        standfirst="Trois séries à ne pas manquer.",
        body=f'<p>Avant.</p><figure data-photo="{body_photo.pk}"></figure><p>Après.</p>',
        published_at=datetime.datetime(2019, 7, 2, 9, 30, tzinfo=PARIS),
        lead_photo=PhotoFactory(),
        tags=["Cinéma", "Animation"],
    )


def alternates(html: str) -> list[str]:
    return [line.strip() for line in html.splitlines() if 'rel="alternate" hreflang=' in line]


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_every_reader_page_names_its_versions_in_each_language(client, article, prefix):
    path = article.get_absolute_url()
    html = client.get(prefix + path).content.decode()
    assert alternates(html) == [
        f'<link rel="alternate" hreflang="fr" href="{SITE}{path}">',
        f'<link rel="alternate" hreflang="x-default" href="{SITE}{path}">',
        f'<link rel="alternate" hreflang="en" href="{SITE}/en{path}">',
    ]


def test_alternates_keep_the_page_number(client, article):
    html = client.get("/en/genres/cinema/?page=1").content.decode()
    assert f'hreflang="fr" href="{SITE}/genres/cinema/?page=1"' in html
    assert f'hreflang="en" href="{SITE}/en/genres/cinema/?page=1"' in html


def test_french_text_is_marked_french_on_english_pages(client, article):
    html = client.get("/en" + article.get_absolute_url()).content.decode()
    assert '<html lang="en">' in html
    assert '<h1 lang="fr">L’été des séries</h1>' in html
    assert '<p class="standfirst" lang="fr">Trois séries à ne pas manquer.</p>' in html
    assert '<div class="body" lang="fr"><p>Avant.</p>' in html
    assert '<a href="/en/genres/cinema/" rel="tag" lang="fr">Cinéma</a>' in html
    # A photo inside the French text speaks the page's language again (its credit
    # label and report link), its caption and description stay French.
    assert html.count('<figure class="photo inline" lang="en">') == 1
    assert '<span class="caption" lang="fr">Au festival</span>' in html
    assert 'alt="Une actrice sur un plateau de tournage" lang="fr"' in html


def test_favicon_answers_at_the_root_and_pages_link_to_it(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert "max-age" in response["Cache-Control"]
    icon = Image.open(io.BytesIO(b"".join(response)))
    assert icon.format == "ICO" and (32, 32) in icon.info["sizes"]
    assert client.head("/favicon.ico").status_code == 200
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    assert '<link rel="icon" href="/static/favicon.ico"' in html
    assert '<link rel="apple-touch-icon" href="/static/apple-touch-icon.png">' in html


def test_favicon_files_are_well_formed():
    svg = ElementTree.parse(finders.find("favicon.svg")).getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg" and svg.get("viewBox") == "0 0 32 32"
    touch = Image.open(finders.find("apple-touch-icon.png"))
    assert touch.format == "PNG" and touch.size == (180, 180)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", ["0 résultat", "1 résultat", "2 résultats"]),
        ("en", ["0 results", "1 result", "2 results"]),
    ],
)
def test_result_count_follows_each_language_plural_rule(language, expected):
    """The search page's count: French says "0 résultat" (0 and 1 are singular),
    English "0 results". French needs its own catalog for that (its plural rule):
    without one, gettext applies "n != 1" to the French source strings."""
    template = Template(
        "{% load i18n %}{% blocktranslate count n=n %}{{ n }} résultat{% plural %}"
        "{{ n }} résultats{% endblocktranslate %}"
    )
    with translation.override(language):
        assert [template.render(Context({"n": n})) for n in (0, 1, 2)] == expected


@pytest.mark.parametrize(
    ("language", "text", "shown"),
    [
        ("fr", '"dernier vautrin"', "«\u00a0dernier vautrin\u00a0»"),
        ("fr", 'la "nuit blanche" -"jour"', "la «\u00a0nuit blanche\u00a0» -«\u00a0jour\u00a0»"),
        ("en", '"dernier vautrin"', "\u201cdernier vautrin\u201d"),
        ("fr", "sans guillemets", "sans guillemets"),
        ("fr", 'un seul " guillemet', 'un seul " guillemet'),
    ],
)
def test_quotes_shown_as_each_language_writes_them(language, text, shown):
    from config.templatetags.typography import typographic_quotes

    with translation.override(language):
        assert typographic_quotes(text) == shown


def test_spelling_suggestion_shows_french_quotes(client, monkeypatch):
    """The engine writes a corrected phrase with straight quotes (its query
    language reads any quote); the page shows it with French ones."""
    from search import service

    run = service.run

    def with_phrase_suggestion(*args, **kwargs):
        search = run(*args, **kwargs)
        search.results.suggestion = '"dernier vautrin"'
        return search

    monkeypatch.setattr(service, "run", with_phrase_suggestion)
    ArticleFactory(title="Le dernier Vautrin")
    html = client.get("/recherche/", {"q": '"dernier vautrn"'}).content.decode()
    assert "Vouliez-vous dire" in html
    assert "«\u00a0dernier vautrin\u00a0»</a> ?" in html
    assert "&quot;dernier vautrin&quot;</a>" not in html
    assert 'href="?q=%22dernier+vautrin%22"' in html  # the link itself is unchanged


def test_the_site_own_404_page_is_served_when_debug_is_off(client, settings):
    settings.DEBUG = False
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert [t.name for t in response.templates][:2] == ["404.html", "base.html"]
    html = response.content.decode()
    assert "<h1>Page introuvable</h1>" in html
    assert 'href="/plan-du-site/"' in html
    assert 'rel="alternate" hreflang=' not in html  # the address exists in no language


def test_404_page_renders_with_the_production_static_files(client, settings, tmp_path):
    """Under ``make serve`` static files have hashed names read from a manifest: a
    404 page naming a file missing from it would be a 500."""
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    response = client.get("/en/nulle-part/")
    assert response.status_code == 404
    assert response.templates[0].name == "404.html"
    html = response.content.decode()
    assert "/static/favicon." in html and 'favicon.svg"' not in html  # hashed names
    assert Path(settings.STATIC_ROOT, "favicon.ico").is_file()
