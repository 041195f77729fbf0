"""The search page and the JSON API: format, parameters, hostile input."""

import datetime
import string
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import ArticleFactory, AuthorFactory, PhotoFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def archive():
    alex = AuthorFactory(name="Alex Plume")
    ArticleFactory(
        title="La saison 7 disparaît de Netflix",
        standfirst="Une saison entière supprimée par erreur.",
        body="<p>L’affaire a été bien gérée par la plateforme. <script>alert(1)</script></p>",
        tags=["Série", "Orange is the new black"],
        authors=[alex],
        published_at=datetime.datetime(2019, 7, 31, 12, tzinfo=PARIS),
        lead_photo=PhotoFactory(credit="© Plateforme / Photo : Zoé Capture"),
    )
    ArticleFactory(
        title="Trois épisodes pour un polar",
        body="<p>Un polar nordique en épisodes courts.</p>",
        tags=["Série", "Polar"],
        published_at=datetime.datetime(2021, 3, 1, 12, tzinfo=PARIS),
    )
    ArticleFactory(
        title="Une œuvre au cinéma",
        body="<p>Une oeuvre de cinéma, enfin.</p>",
        tags=["Cinéma"],
        published_at=datetime.datetime(2015, 5, 5, 12, tzinfo=PARIS),
    )
    call_command("rebuild_index", verbosity=0)


def test_api_answers_in_the_documented_shape(client, archive):
    data = client.get("/api/search/", {"q": "saisons"}).json()
    assert set(data) >= {"count", "page", "results", "facets", "suggestion"}
    assert data["count"] == 1 and data["page"] == 1
    hit = data["results"][0]
    assert set(hit) >= {"id", "title", "url", "date", "tags", "snippet", "score"}
    assert hit["title"] == "La saison 7 disparaît de Netflix"
    assert hit["url"] == "/2019/07/31/la-saison-7-disparait-de-netflix/"
    assert hit["date"].startswith("2019-07-31")
    assert "Série" in hit["tags"]
    assert "<mark>" in hit["snippet"] and "<script>" not in hit["snippet"]
    assert {"value": "Série", "count": 1} in data["facets"]["tag"]


def test_year_facet_reads_newest_first(client, archive):
    response = client.get("/recherche/", {"q": "annee:2010.."})
    years = dict(response.context["facets"])["Années"]
    assert [link["value"] for link in years] == ["2021", "2019", "2015"]


def test_api_filters_and_sort(client, archive):
    assert client.get("/api/search/", {"q": "tag:Série"}).json()["count"] == 2
    assert client.get("/api/search/", {"tag": "Polar"}).json()["count"] == 1
    assert client.get("/api/search/", {"q": "série", "year": "2019"}).json()["count"] >= 1
    assert client.get("/api/search/", {"q": "annee:2015..2016"}).json()["count"] == 1
    by_date = client.get("/api/search/", {"tag": "Série", "sort": "date"}).json()["results"]
    assert [hit["date"][:4] for hit in by_date] == ["2021", "2019"]
    assert client.get("/api/search/", {"author": "Alex Plume"}).json()["count"] == 1


@pytest.mark.parametrize(
    "params",
    [{"q": "x", "page": "abc"}, {"q": "x", "page": "0"}, {"q": "x", "sort": "random"},
     {"q": "x", "year": "deux mille"}],
)  # fmt: skip
def test_bad_parameters_get_a_400_with_a_message(client, archive, params):
    response = client.get("/api/search/", params)
    assert response.status_code == 400
    assert response.json()["error"]
    page = client.get("/recherche/", params)
    assert page.status_code == 400
    assert 'role="alert"' in page.content.decode()


def test_page_past_the_end_is_a_404(client, archive):
    assert client.get("/api/search/", {"q": "série", "page": "9"}).status_code == 404
    assert client.get("/recherche/", {"q": "série", "page": "9"}).status_code == 404


def test_blank_query_returns_nothing(client, archive):
    assert client.get("/api/search/", {"q": "   "}).json()["count"] == 0
    assert client.get("/recherche/").status_code == 200


def test_search_page_shows_results_facets_and_suggestion(client, archive):
    html = client.get("/recherche/", {"q": "l'affaire"}).content.decode()
    assert "La saison 7 disparaît de Netflix" in html
    assert "<mark>" in html and "alert(1)" not in html
    assert 'href="?q=l%27affaire&amp;tag=S%C3%A9rie"' in html
    suggestion = client.get("/recherche/", {"q": "netflics"}).content.decode()
    assert "Vouliez-vous dire" in suggestion and "netflix" in suggestion


def test_photo_search_by_credit(client, archive):
    data = client.get("/api/photos/search/", {"credit": "Zoé Capture"}).json()
    assert data["count"] == 1
    assert data["results"][0]["credit"] == "© Plateforme / Photo : Zoé Capture"


def test_autocomplete(client, archive):
    data = client.get("/api/search/suggest/", {"q": "sai"}).json()
    assert "La saison 7 disparaît de Netflix" in data["results"]
    assert client.get("/api/search/suggest/", {"q": "s"}).json() == {"results": []}


HOSTILE_CHARACTERS = string.punctuation + " \t\n\x00\x1f«»“”’'auteur:tag:annee..OUOR"
HOSTILE = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=HOSTILE_CHARACTERS, max_size=200),
    st.lists(st.sampled_from(['"', "«", "-", "*", "?", ":", "auteur:", "tag:", "annee:", "OU", "OR",
                              "2019..", "..", "l'", "œ", "\x00", "(", ")", "saison", " "]),
             max_size=60).map("".join),
    st.text(min_size=2000, max_size=6000),
)  # fmt: skip


@settings(max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck))
@given(q=HOSTILE)
def test_hostile_queries_never_fail(client, archive, q):
    for url in ("/api/search/", "/recherche/"):
        response = client.get(url, {"q": q, "page": "1"})
        assert response.status_code < 500, (url, q)


def test_api_gives_the_source_url_of_an_imported_article(client, archive):
    ArticleFactory(
        title="Une saison reprise d’ailleurs",
        source_url="https://ancien-site.example/2012/saison",
        published_at=datetime.datetime(2012, 1, 5, 12, tzinfo=PARIS),
    )
    call_command("rebuild_index", verbosity=0)
    hits = client.get("/api/search/", {"q": "saison", "sort": "date"}).json()["results"]
    by_title = {hit["title"]: hit["source_url"] for hit in hits}
    assert by_title["Une saison reprise d’ailleurs"] == "https://ancien-site.example/2012/saison"
    assert by_title["La saison 7 disparaît de Netflix"] is None


def test_api_per_page(client, archive):
    data = client.get("/api/search/", {"q": "annee:2010..", "per_page": "1"}).json()
    assert data["per_page"] == 1 and len(data["results"]) == 1 and data["count"] > 1
    second = client.get("/api/search/", {"q": "annee:2010..", "per_page": "1", "page": "2"})
    assert second.json()["results"][0]["id"] != data["results"][0]["id"]
    assert client.get("/api/search/", {"q": "saison"}).json()["per_page"] == 20
    assert client.get("/api/search/", {"q": "saison", "per_page": "50"}).status_code == 200


@pytest.mark.parametrize("value", ["0", "51", "1000", "vingt", "-3"])
def test_api_per_page_out_of_bounds_is_a_400(client, archive, value):
    response = client.get("/api/search/", {"q": "saison", "per_page": value})
    assert response.status_code == 400
    assert "par page" in response.json()["error"]
