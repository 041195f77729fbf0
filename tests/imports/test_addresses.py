"""Old addresses of imported articles and images keep answering, through the real
middleware: 301 to where they are now, 404 while not public, 410 once withdrawn."""

import datetime
from html import unescape
from importlib import import_module
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import strip_tags

from articles.models import Article
from imports.addresses import old_path, remember
from imports.models import OldAddress
from photos import services
from tests.factories import CHIEF, EDITOR, WRITER, ArticleFactory, UserFactory
from tests.photos import images

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
OLD = "https://ancienne-revue.example.net"


@pytest.fixture(autouse=True)
def _domains(settings):
    settings.SITE_URL = "https://revue.example.org"
    settings.OLD_SITE_DOMAINS = ["ancienne-revue.example.net"]


@pytest.fixture
def article():
    return ArticleFactory(
        title="Les Nuits de Cabiria, restauré",
        published_at=datetime.datetime(2019, 7, 31, 9, 0, tzinfo=PARIS),
    )


def upload(seed=1, **fields):
    fields.setdefault("alt_text", "Une femme sourit sous la pluie")
    fields.setdefault("credit", f"© Studio Aurore {seed} / Photo : Léa Focale")
    data = images.jpeg(seed, (1200, 800))
    return services.upload_photo(file=images.upload("affiche.jpg", data), **fields)


def oldies_queries(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "imports_oldaddress" in q["sql"]]


# -- Articles -----------------------------------------------------------------------


def test_old_article_address_redirects_to_the_article(client, article):
    assert remember([(f"{OLD}/2019/07/31/nuits-de-cabiria/", "article", article.pk)]) == 1
    for path in ["/2019/07/31/nuits-de-cabiria/", "/2019/07/31/nuits-de-cabiria"]:
        response = client.get(path)
        assert response.status_code == 301, path
        assert response["Location"] == article.get_absolute_url()
        assert "max-age=0" in response["Cache-Control"]
    assert client.get(article.get_absolute_url()).status_code == 200


def test_old_address_follows_the_article_when_its_date_and_slug_change(client, article):
    remember([(f"{OLD}/archives/cabiria.html", "article", article.pk)])
    before = client.get("/archives/cabiria.html")["Location"]
    article.slug = "cabiria-version-restauree"
    article.published_at = datetime.datetime(2020, 2, 14, 18, 0, tzinfo=PARIS)
    article.save()
    after = client.get("/archives/cabiria.html")
    assert after.status_code == 301
    assert after["Location"] == "/2020/02/14/cabiria-version-restauree/" != before
    assert client.get(after["Location"]).status_code == 200


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Article.Status.DRAFT, "published_at": None},
        {"status": Article.Status.ARCHIVED},
        {
            "status": Article.Status.SCHEDULED,
            "published_at": timezone.now() + datetime.timedelta(days=2),
        },
    ],
    ids=["draft", "unpublished", "scheduled"],
)
def test_article_not_published_answers_404(client, fields):
    hidden = ArticleFactory(title="Pas encore pour les lecteurs", **fields)
    remember([(f"{OLD}/brouillon-secret/", "article", hidden.pk)])
    response = client.get("/brouillon-secret/")
    assert response.status_code == 404
    assert "Location" not in response


def test_query_string_address_on_the_home_page(client, article):
    remember([(f"{OLD}/?p=123", "article", article.pk)])
    response = client.get("/?p=123")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()
    assert client.get("/?p=124").status_code == 200
    assert client.get("/").status_code == 200


def test_query_string_address_elsewhere_and_extra_query(client, article):
    remember([(f"{OLD}/index.php?option=article&id=7", "article", article.pk)])
    assert client.get("/index.php?option=article&id=7").status_code == 301
    assert client.get("/index.php?option=article&id=8").status_code == 404
    remember([(f"{OLD}/critique-cabiria/", "article", article.pk)])
    tracked = client.get("/critique-cabiria/?utm_source=lettre")
    assert tracked.status_code == 301
    assert tracked["Location"] == article.get_absolute_url()


@pytest.mark.parametrize(
    ("remembered", "requested"),
    [
        ("/critiques/l'été meurtrier/", "/critiques/l%27%C3%A9t%C3%A9%20meurtrier/"),
        ("/critiques/l'été meurtrier/", "/critiques/l'été meurtrier/"),
        ("/caf%c3%a9-th%C3%A9%C3%A2tre/", "/café-théâtre/"),
        ("/caf%c3%a9-th%C3%A9%C3%A2tre/", "/caf%C3%A9-th%C3%A9%C3%A2tre"),
        ("/recherche.php?q=%e9t%E9&page=2", "/recherche.php?q=%E9t%E9&page=2"),
    ],
)
def test_accented_addresses_match_encoded_or_not(client, article, remembered, requested):
    assert remember([(OLD + remembered, "article", article.pk)]) == 1
    response = client.get(requested)
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_english_old_address_redirects_to_the_english_page(client, article):
    english = "/en" + article.get_absolute_url()
    remember([(f"{OLD}/en/reviews/cabiria/", "article", article.pk)])
    response = client.get("/en/reviews/cabiria/")
    assert response.status_code == 301
    assert response["Location"] == english
    french = client.get("/2019/07/31/cabiria/", HTTP_ACCEPT_LANGUAGE="en")
    assert french.status_code == 404  # not remembered: no guess


def test_live_page_wins_over_an_old_address(client, article):
    OldAddress.objects.create(path=article.get_absolute_url(), article=ArticleFactory())
    assert client.get(article.get_absolute_url()).status_code == 200


# -- Images -------------------------------------------------------------------------


def test_old_image_address_redirects_to_the_largest_jpeg_rendition(client):
    photo = upload()
    remember([(f"{OLD}/wp-content/uploads/2019/07/affiche.jpg", "photo", photo.pk)])
    response = client.get("/wp-content/uploads/2019/07/affiche.jpg")
    assert response.status_code == 301
    largest = max((r for r in photo.renditions.all() if r.format == "jpeg"), key=lambda r: r.width)
    assert largest.width == 1200
    assert response["Location"] == largest.file.url
    assert client.get(response["Location"]).status_code == 200


def test_image_without_renditions_redirects_to_the_original(client):
    photo = upload()
    photo.renditions.all().delete()
    remember([(f"{OLD}/images/affiche.jpg", "photo", photo.pk)])
    assert client.get("/images/affiche.jpg")["Location"] == photo.image.url


def test_withdrawn_image_answers_410(client):
    photo = upload()
    remember([(f"{OLD}/images/retiree.jpg", "photo", photo.pk)])
    services.withdraw_photo(photo=photo, reason="Demande de l'agence", case_reference="R-2024-7")
    response = client.get("/images/retiree.jpg")
    assert response.status_code == 410
    assert "R-2024-7" in response.content.decode()


@pytest.mark.parametrize("why", ["hidden", "licence", "credit"])
def test_image_not_visible_answers_404(client, why):
    photo = upload()
    if why == "hidden":
        services.hide_photo(photo=photo, reason="Réclamation en cours")
    elif why == "licence":
        photo.licence_end = datetime.date(2020, 1, 1)
        photo.save()
    else:
        photo.credit = ""
        photo.save()
    remember([(f"{OLD}/images/cachee.jpg", "photo", photo.pk)])
    assert client.get("/images/cachee.jpg").status_code == 404


# -- What is remembered -------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://revue.example.org/2019/07/31/cabiria/", "/2019/07/31/cabiria/"),
        ("http://www.ancienne-revue.example.net/a/b.html#commentaires", "/a/b.html"),
        ("HTTPS://ANCIENNE-REVUE.EXAMPLE.NET:8080/Majuscules/", "/Majuscules/"),
        ("https://ancienne-revue.example.net?p=12", "/?p=12"),
        ("/relatif/été/", "/relatif/%C3%A9t%C3%A9/"),
        ("relatif/sans-barre", "/relatif/sans-barre"),
        ("https://agence-photo.example.com/galerie/1.jpg", None),
        ("ftp://ancienne-revue.example.net/fichier.jpg", None),
        ("mailto:redaction@example.org", None),
        ("https://ancienne-revue.example.net/", None),
        ("https://ancienne-revue.example.net", None),
        ("/recherche/", None),
        ("/recherche", None),
        ("/recherche/?q=cabiria", None),
        ("/en/", None),
        ("/sitemap.xml", None),
        ("/admin/articles/", None),
        ("", None),
        ("https://ancienne-revue.example.net/" + "x" * 600, None),
    ],
)
def test_old_path(url, expected):
    assert old_path(url) == expected


def test_foreign_domain_source_url_is_not_remembered(client, article):
    photo = upload()
    added = remember(
        [
            ("https://agence-photo.example.com/galerie/1.jpg", "photo", photo.pk),
            ("https://autre-journal.example.com/2019/07/31/cabiria/", "article", article.pk),
        ]
    )
    assert added == 0
    assert not OldAddress.objects.exists()
    assert client.get("/galerie/1.jpg").status_code == 404


def test_reimport_repoints_same_kind_and_keeps_other_kind(article):
    photo = upload()
    other = ArticleFactory(title="Une autre critique")
    remember([(f"{OLD}/a/", "article", article.pk), (f"{OLD}/b.jpg", "photo", photo.pk)])
    added = remember(
        [
            (f"{OLD}/a/", "article", other.pk),  # re-import: the new article
            (f"{OLD}/b.jpg", "article", other.pk),  # a photo's address: kept
            (f"{OLD}/c/", "article", other.pk),
            (f"{OLD}/c/#suite", "article", article.pk),  # the same path: the first wins
        ]
    )
    assert added == 1
    targets = dict(OldAddress.objects.values_list("path", "article_id"))
    assert targets == {"/a/": other.pk, "/b.jpg": None, "/c/": other.pk}


def test_remember_costs_the_same_queries_for_10_or_1000_entries(article):
    photo = upload()

    def entries(prefix, n):
        return [
            (
                f"{OLD}/{prefix}/{i}/",
                "article" if i % 2 else "photo",
                article.pk if i % 2 else photo.pk,
            )
            for i in range(n)
        ]

    with CaptureQueriesContext(connection) as small:
        assert remember(entries("petit", 10)) == 10
    with CaptureQueriesContext(connection) as large:
        assert remember(entries("grand", 1000)) == 1000
    assert len(small) == len(large) == 2
    other = ArticleFactory(title="Réimportée")
    again = [
        (url, kind, other.pk if kind == "article" else pk)
        for url, kind, pk in entries("grand", 1000)
    ]
    with CaptureQueriesContext(connection) as update:
        assert remember(again) == 0
    assert len(update) == 2  # a read and one update; no insert
    assert OldAddress.objects.filter(article=other).count() == 500


def test_one_indexed_query_per_404_and_none_otherwise(client, article):
    remember([(f"{OLD}/ancien/", "article", article.pk)])
    with CaptureQueriesContext(connection) as found:
        assert client.get("/ancien/").status_code == 301
    with CaptureQueriesContext(connection) as missing:
        assert client.get("/introuvable/").status_code == 404
    with CaptureQueriesContext(connection) as page:
        assert client.get(article.get_absolute_url()).status_code == 200
    assert len(oldies_queries(found)) == len(oldies_queries(missing)) == 1
    # Looked up on the unique (indexed) path column, every variant at once.
    assert '"path" IN (' in oldies_queries(missing)[0]
    assert oldies_queries(page) == []


# -- Page cache ---------------------------------------------------------------------


def test_page_cache_never_serves_a_stale_redirect(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 300
    photo = upload()
    remember([(f"{OLD}/images/affiche.jpg", "photo", photo.pk)])
    for _ in range(2):
        response = client.get("/images/affiche.jpg")
        assert response.status_code == 301 and "X-Page-Cache" not in response
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_photo(photo=photo, reason="Fin des droits")
    assert client.get("/images/affiche.jpg").status_code == 410


def test_page_cache_gives_way_to_a_new_query_string_address(
    client, settings, article, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 300
    assert client.get("/?p=77").status_code == 200
    assert client.get("/?p=77")["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        remember([(f"{OLD}/?p=77", "article", article.pk)])
    assert client.get("/?p=77").status_code == 301


# -- Admin --------------------------------------------------------------------------


def staff(role: str):
    user = UserFactory(username=f"role-{role}", role=role)
    # Transactional tests elsewhere flush the groups; put this app's grant back.
    import_module("imports.migrations.0002_old_address_roles").grant(apps, None)
    return user


@pytest.mark.parametrize("role", [CHIEF, EDITOR])
def test_editors_manage_old_addresses(client, article, role):
    remember([(f"{OLD}/critiques/l'été/", "article", article.pk)])
    address = OldAddress.objects.get()
    client.force_login(staff(role))
    listing = client.get("/admin/imports/oldaddress/", {"q": "été"})
    assert listing.status_code == 200
    html = listing.content.decode()
    text = unescape(strip_tags(html))
    assert "/critiques/l'été/" in text  # shown decoded, found by its accented form
    assert "redirige vers l'article" in text
    assert f"/admin/articles/article/{article.pk}/change/" in html
    assert 'href="/critiques/l\'%C3%A9t%C3%A9/"' in html.replace("&#x27;", "'")  # "tester"
    change = client.get(f"/admin/imports/oldaddress/{address.pk}/change/")
    assert change.status_code == 200
    assert 'value="/critiques/l&#x27;été/"' in change.content.decode()
    response = client.post(
        "/admin/imports/oldaddress/add/",
        {"path": "https://ancienne-revue.example.net/dossier/côté cour/", "article": article.pk},
    )
    assert response.status_code == 302
    assert OldAddress.objects.filter(path="/dossier/c%C3%B4t%C3%A9%20cour/").exists()


def test_admin_refuses_a_live_page_a_foreign_domain_and_two_targets(client, article):
    client.force_login(staff(CHIEF))
    photo = upload()
    cases = [
        ({"path": "/recherche/", "article": article.pk}, "page de ce site"),
        ({"path": "https://agence.example.com/x/", "article": article.pk}, "agence.example.com"),
        ({"path": "/ancien/", "article": article.pk, "photo": photo.pk}, "soit un article"),
        ({"path": "/ancien/"}, "soit un article"),
    ]
    for data, message in cases:
        response = client.post("/admin/imports/oldaddress/add/", data)
        assert response.status_code == 200
        assert message in response.content.decode()
    assert not OldAddress.objects.exists()


def test_writer_cannot_change_old_addresses(client, article):
    remember([(f"{OLD}/ancien/", "article", article.pk)])
    address = OldAddress.objects.get()
    client.force_login(staff(WRITER))
    assert client.get("/admin/imports/oldaddress/").status_code == 403
    change = f"/admin/imports/oldaddress/{address.pk}/change/"
    assert client.get(change).status_code == 403
    response = client.post(change, {"path": "/pirate/", "article": article.pk})
    assert response.status_code == 403
    assert OldAddress.objects.get().path == "/ancien/"
