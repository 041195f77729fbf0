"""The backend contract: the same behaviour from every backend.

Each test runs against Whoosh, and against PostgreSQL when the database is
PostgreSQL (``DATABASE_URL=postgres://... pytest tests/search``). Documents reach
the index the way they do in production: saves queue updates, drained when the
transaction commits.
"""

import datetime
import importlib

import pytest
from django.db import connection
from django.utils import timezone

from articles import workflow
from articles.models import Article
from photos import services as photo_services
from search import backends
from search.backends.base import PageOutOfRange, Refinements
from search.query import parse
from tests.factories import CHIEF, ArticleFactory, AuthorFactory, PhotoFactory, UserFactory

pytestmark = pytest.mark.django_db


def _backend_param(name):
    marks = []
    if name == "postgres":
        if connection.vendor != "postgresql":
            marks.append(pytest.mark.skip(reason="PostgreSQL backend: run on PostgreSQL"))
        else:
            try:
                importlib.import_module("search.backends.postgres")
            except ImportError as exc:  # being written at the same time
                marks.append(pytest.mark.skip(reason=f"search.backends.postgres: {exc}"))
    return pytest.param(name, marks=marks, id=name)


@pytest.fixture(params=[_backend_param("whoosh"), _backend_param("postgres")])
def engine(request, settings):
    settings.SEARCH_BACKEND = request.param
    backends.reset()
    yield request.param
    backends.reset()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a block as if its transaction committed (the index is updated)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def articles_backend():
    return backends.backend_for("articles")


def search(text="", index="articles", **kwargs):
    return backends.backend_for(index).search(parse(text), **kwargs)


def titles(results):
    return [hit.stored["title"] for hit in results.hits]


def at(year, month=6, day=15):
    return timezone.make_aware(datetime.datetime(year, month, day, 12))


ACCEPTANCE = [
    ("saison", "Trois saisons au soleil"),
    ("saisons", "Une saison en enfer"),
    ("épisodes", "Tous les episodes sans accent"),
    ("episodes", "Les épisodes perdus"),
    ("affaire", "L’affaire Dreyfus au cinéma"),
    ("l'affaire", "Une affaire de famille"),
    ("l’affaire", "Une affaire de famille"),
    ("oeuvre", "Œuvre au noir"),
    ("Œuvre", "Une oeuvre majeure"),
    ('"orange is the new black"', "Une série carcérale"),
    ("supprimer", "La scène supprimée"),
    ("supprimée", "Faut-il supprimer la critique"),
]


@pytest.fixture
def archive(engine, committed):
    with committed():
        for title in [t for _q, t in ACCEPTANCE if t != "Une série carcérale"]:
            ArticleFactory(title=title, body="<p>Un texte.</p>")
        ArticleFactory(
            title="Une série carcérale",
            body="<p>Orange is the new black revient pour une ultime saison.</p>",
        )
        ArticleFactory(
            title="Mots dans le désordre",
            body="<p>black new the is orange</p>",
        )
        ArticleFactory(title="Netflix et la fin des salles", body="<p>La plateforme.</p>")


@pytest.mark.parametrize(("text", "expected"), ACCEPTANCE)
def test_each_form_finds_the_other(archive, text, expected):
    assert expected in titles(search(text))


def test_phrase_needs_consecutive_words(archive):
    assert titles(search('"orange is the new black"')) == ["Une série carcérale"]


def test_misspelling_suggests_the_known_word(archive):
    results = search("netflics")
    assert results.count == 0
    assert results.suggestion == "netflix"
    assert articles_backend().suggest(parse("netflics")) == "netflix"
    assert articles_backend().suggest(parse("netflix")) is None


def test_invisible_articles_and_withdrawn_photo_credits_never_appear(engine, committed):
    withdrawn = PhotoFactory(credit="© Agence Fantomatique")
    with committed():
        ArticleFactory(title="Brouillon secret", status=Article.Status.DRAFT, published_at=None)
        ArticleFactory(
            title="Programme secret",
            status=Article.Status.SCHEDULED,
            published_at=timezone.now() + datetime.timedelta(days=2),
        )
        ArticleFactory(title="Article visible", lead_photo=withdrawn)
        photo_services.withdraw_photo(photo=withdrawn, reason="demande de l'ayant droit")
    assert search("secret").count == 0
    assert search("fantomatique").count == 0
    assert search("fantomatique", index="photos").count == 0
    assert titles(search("visible")) == ["Article visible"]


def test_publishing_makes_an_article_findable_at_once(engine, committed):
    chief = UserFactory(role=CHIEF)
    with committed():
        draft = ArticleFactory(
            title="Le making-of inédit", status=Article.Status.DRAFT, published_at=None
        )
    assert search("inédit").count == 0
    with committed():
        workflow.publish(article=draft, by=chief)
    assert titles(search("inédit")) == ["Le making-of inédit"]
    with committed():
        second = ArticleFactory(title="Un autre inédit", status=Article.Status.DRAFT)
    with committed():
        second.status = Article.Status.PUBLISHED
        second.save()
    assert search("inédit").count == 2


@pytest.fixture
def catalogue(engine, committed):
    marie, paul = AuthorFactory(name="Marie Curieuse"), AuthorFactory(name="Paul Lecteur")
    with committed():
        ArticleFactory(
            title="Dune, la critique",
            body="<p>Un film de science-fiction.</p>",
            tags=["Science-fiction"],
            authors=[marie],
            published_at=at(2016),
        )
        ArticleFactory(
            title="Alien, la critique",
            body="<p>Un film de science-fiction et d'horreur.</p>",
            tags=["Science-fiction", "Horreur"],
            authors=[paul],
            published_at=at(2018),
        )
        ArticleFactory(
            title="Le film d'horreur de l'été",
            body="<p>Un film qui fait peur.</p>",
            tags=["Horreur"],
            authors=[marie],
            published_at=at(2021),
            section__name="Actualité",
        )
        ArticleFactory(
            title="Un film d'archive",
            body="<p>Un vieux film.</p>",
            authors=[paul],
            published_at=at(2012),
        )


def test_facets_count_the_whole_result_set(catalogue):
    results = search("film", per_page=1)
    assert results.count == 4
    assert len(results.hits) == 1
    assert results.facets["tag"] == [("Horreur", 2), ("Science-fiction", 2)]
    assert results.facets["section"] == [("Critique", 3), ("Actualité", 1)]
    assert dict(results.facets["author"]) == {"Marie Curieuse": 2, "Paul Lecteur": 2}
    assert dict(results.facets["year"]) == {"2012": 1, "2016": 1, "2018": 1, "2021": 1}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("film auteur:marie-curieuse", {"Dune, la critique", "Le film d'horreur de l'été"}),
        ('film auteur:"marie curieuse"', {"Dune, la critique", "Le film d'horreur de l'été"}),
        ("film tag:science-fiction", {"Dune, la critique", "Alien, la critique"}),
        ("film tag:horreur tag:Science-Fiction", {"Alien, la critique"}),
        ("film rubrique:actualite", {"Le film d'horreur de l'été"}),
        ("film annee:2015..2019", {"Dune, la critique", "Alien, la critique"}),
        ("film annee:..2015", {"Un film d'archive"}),
        ("film -horreur", {"Dune, la critique", "Un film d'archive"}),
        ("dune OU alien", {"Dune, la critique", "Alien, la critique"}),
        ("science fiction", {"Dune, la critique", "Alien, la critique"}),
    ],
)
def test_filters_exclusion_and_or(catalogue, text, expected):
    assert set(titles(search(text))) == expected


def test_filters_alone_list_by_date(catalogue):
    assert titles(search("tag:horreur")) == ["Le film d'horreur de l'été", "Alien, la critique"]


def test_refinements(catalogue):
    refined = search("film", refinements=Refinements(values={"tag": ("science-fiction",)}))
    assert set(titles(refined)) == {"Dune, la critique", "Alien, la critique"}
    by_year = search("film", refinements=Refinements(year_from=2017, year_to=2022))
    assert set(titles(by_year)) == {"Alien, la critique", "Le film d'horreur de l'été"}
    both = search(
        "film",
        refinements=Refinements(values={"author": ("Paul Lecteur",)}, year_from=2017),
    )
    assert titles(both) == ["Alien, la critique"]


def test_empty_query_finds_nothing(catalogue):
    results = search("")
    assert (results.count, results.hits) == (0, [])


def test_sort_by_date_and_pagination(catalogue):
    newest_first = [
        "Le film d'horreur de l'été",
        "Alien, la critique",
        "Dune, la critique",
        "Un film d'archive",
    ]
    assert titles(search("film", sort="date")) == newest_first
    page2 = search("film", sort="date", page=2, per_page=3)
    assert (page2.count, titles(page2)) == (4, ["Un film d'archive"])
    with pytest.raises(PageOutOfRange):
        search("film", page=3, per_page=2)
    assert search("introuvable", page=1).count == 0


def test_highlights_mark_words_and_escape_the_article(engine, committed):
    with committed():
        ArticleFactory(
            title="Les coulisses",
            body="<p>Deux saisons tournées &lt;script&gt;alert('x')&lt;/script&gt; à Paris.</p>",
        )
    (hit,) = search("saison").hits
    assert "<mark>saisons</mark>" in hit.snippet
    assert "<script" not in hit.snippet
    assert "&lt;script&gt;" in hit.snippet


def test_autocomplete(catalogue):
    assert "Dune, la critique" in articles_backend().autocomplete("du")
    assert "Science-fiction" in articles_backend().autocomplete("scien")
    assert articles_backend().autocomplete("zzz") == []
    assert len(articles_backend().autocomplete("f", limit=2)) <= 2


def test_more_like_this(engine, committed):
    with committed():
        one = ArticleFactory(title="Les vampires au cinéma", body="<p>Vampires, crocs, nuit.</p>")
        ArticleFactory(title="Nosferatu", body="<p>Le vampire de Murnau, la nuit.</p>")
        ArticleFactory(title="Comédie musicale", body="<p>Chanter sous la pluie.</p>")
    similar = articles_backend().more_like_this(str(one.pk))
    assert str(one.pk) not in similar
    assert titles(search("nosferatu"))[0] == "Nosferatu"
    assert similar and similar[0] == search("nosferatu").hits[0].id


def test_photos_are_found_by_credit(engine, committed):
    with committed():
        photo = PhotoFactory(credit="© Lumière Studio / Photo : Zoé Obturateur")
        hidden = PhotoFactory(credit="© Cachée Productions")
        ArticleFactory(lead_photo=photo).gallery_items.create(photo=hidden, position=0)
        photo_services.hide_photo(photo=hidden)
    results = search("obturateur", index="photos")
    assert [hit.id for hit in results.hits] == [str(photo.pk)]
    assert search("cachee", index="photos").count == 0
    with committed():
        photo_services.update_credits(photos=[photo], credit="© Lumière Studio / Zoé Diaphragme")
    assert search("obturateur", index="photos").count == 0
    assert search("diaphragme", index="photos").count == 1
    with committed():
        photo_services.withdraw_photo(photo=photo, reason="fin des droits")
    assert search("diaphragme", index="photos").count == 0


def test_a_visible_photo_credit_finds_its_article(engine, committed):
    with committed():
        photo = PhotoFactory(credit="© Studio Ghibli")
        ArticleFactory(title="Le voyage de Chihiro", lead_photo=photo)
    assert titles(search("ghibli")) == ["Le voyage de Chihiro"]
