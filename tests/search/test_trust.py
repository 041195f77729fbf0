"""Search readers can trust, on every backend: accents left out of an inflected
word, different words kept apart, names, pasted titles, glued text and the
rules of "Vouliez-vous dire". Each test runs on Whoosh, and on PostgreSQL when
the database is PostgreSQL (see test_backends)."""

import datetime

import pytest
from django.utils import timezone

from search.query import parse
from tests.factories import ArticleFactory, AuthorFactory
from tests.search.test_backends import articles_backend, committed, engine, search, titles

pytestmark = pytest.mark.django_db
__all__ = ["committed", "engine"]  # fixtures used by name


def article(title, body="Rien à signaler.", **kwargs):
    return ArticleFactory(title=title, body=f"<p>{body}</p>", **kwargs)


# --- Accents left out of an inflected word ---------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("declaree", "Le projet déclaré d’utilité publique"),
        ("declarees", "Le projet déclaré d’utilité publique"),
        ("premieres", "Les premier pas du danseur"),
        ("soiree", "Un soir à l’opéra"),
        ("musee", "Les musées de province"),
    ],
)
def test_accents_left_out_of_another_inflection(engine, committed, typed, expected):
    with committed():
        article("Le projet déclaré d’utilité publique")
        article("Les premier pas du danseur")
        article("Un soir à l’opéra")
        article("Les musées de province")
        article("Une autre histoire")
    assert expected in titles(search(typed))


# --- False friends --------------------------------------------------------------


@pytest.fixture
def friends(engine, committed):
    with committed():
        article("Le marais poitevin", "Une barque glisse sur le marais.")
        article("Le printemps de mars", "Les giboulées de mars.")
        article("Grande marée à Saint-Malo", "La marée monte vite.")
        article("La série de l’été", "Une série à voir.")
        article("Ce que sera demain", "Le futur sera lent.")
        article("Romane Vidal expose", "Romane peint la mer.")
        article("Le roman de l’année", "Un roman fleuve.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("marais", ["Le marais poitevin"]),
        ("mars", ["Le printemps de mars"]),
        ("marée", ["Grande marée à Saint-Malo"]),
        ("maree", ["Grande marée à Saint-Malo"]),
        ("série", ["La série de l’été"]),
        ("sera", ["Ce que sera demain"]),
        ("Romane", ["Romane Vidal expose"]),
    ],
)
def test_false_friends_do_not_match(friends, text, expected):
    assert titles(search(text)) == expected


def test_false_friends_are_not_highlighted(friends):
    assert "<mark>" not in "".join(h.snippet for h in search("mars").hits if "marais" in h.snippet)
    snippet = search("marais").hits[0].snippet
    assert "<mark>marais</mark>" in snippet


def test_plural_of_a_word_with_a_short_stem_still_matches(engine, committed):
    with committed():
        article("Les séries de l’hiver")
        article("Les marais salants")
    assert titles(search("série")) == ["Les séries de l’hiver"]
    assert titles(search("marais")) == ["Les marais salants"]


def test_snowball_conflation_ranks_the_exact_word_first(engine, committed):
    with committed():
        article("Le port de Brest", "Le port, le port et encore le port de commerce.")
        article("Une porte en bois", "Une porte.")
    assert titles(search("porte")) == ["Une porte en bois", "Le port de Brest"]
    assert titles(search("port")) == ["Le port de Brest", "Une porte en bois"]


# --- Names ----------------------------------------------------------------------


@pytest.fixture
def authors(engine, committed):
    aicha = AuthorFactory(name="Aïcha Morel")
    other = AuthorFactory(name="Paul Morelli")
    with committed():
        article("Un carnet de Brest", authors=[aicha])
        article("Un carnet de Rouen", authors=[aicha, other])
        article("Un carnet de Nantes", authors=[other])
        article("Sans auteur")


@pytest.mark.parametrize(
    "text", ["auteur:Morel", "auteur:morel", "auteur:aicha", "auteur:Aïcha", 'auteur:"Aïcha Morel"']
)
def test_author_filter_by_any_of_the_names(authors, text):
    assert sorted(titles(search(text))) == ["Un carnet de Brest", "Un carnet de Rouen"]


def test_author_filter_takes_whole_words_in_order(authors):
    assert sorted(titles(search("auteur:Morelli"))) == ["Un carnet de Nantes", "Un carnet de Rouen"]
    assert titles(search("auteur:Mor")) == []
    assert titles(search('auteur:"Morel Aïcha"')) == []
    assert titles(search("carnet auteur:aicha auteur:paul")) == ["Un carnet de Rouen"]


def test_tag_filter_takes_the_exact_value_when_known(engine, committed):
    with committed():
        ArticleFactory(title="Polar seul", tags=["Polar"])
        ArticleFactory(title="Polar nordique", tags=["Polar nordique"])
        ArticleFactory(title="Science", tags=["Science-fiction"])
    assert titles(search("tag:polar")) == ["Polar seul"]
    assert titles(search("tag:fiction")) == ["Science"]


# --- Pasted titles --------------------------------------------------------------


def test_a_pasted_title_ranks_its_article_first(engine, committed):
    title = "VIDÉO - Quimper : la fresque restaurée après dix ans d’attente"
    long_body = " ".join(["Les visiteurs découvrent la ville et ses environs."] * 300)
    words = "Quimper fresque restaurée après dix ans d’attente vidéo"
    at = timezone.make_aware(datetime.datetime(2020, 1, 1, 12))
    with committed():
        article(title, long_body, published_at=at)
        for n, short in enumerate(["Quimper : la fresque restaurée", "La fresque de Quimper"]):
            ArticleFactory(
                title=short,
                standfirst=words,
                body=f"<p>{words}. {words}.</p>",
                published_at=at + datetime.timedelta(days=n + 1),
            )
    assert titles(search(title))[0] == title


# --- Glued text -----------------------------------------------------------------


def test_text_glued_by_a_missing_space_finds_both_words(engine, committed):
    with committed():
        article("Dépêche", "Une réponse logiqueL'ONG a publié son rapport.")
        article("Dépêche courbe", "Une réponse logiqueL’ONG a publié son rapport.")
    assert len(search("ONG").hits) == 2
    assert len(search("logique rapport").hits) == 2
    assert len(search('"logique ONG"').hits) == 2


# --- "Vouliez-vous dire" --------------------------------------------------------


@pytest.fixture
def words(engine, committed):
    with committed():
        for n in range(10):
            article(f"Netflix et le cinéma {n}", "Mais encore, dit le maire.")
        article("Une coquille", "Vu sur netflx, au cap Nord.")
        for n in range(2):
            article(f"Le maire {n}", "Le maire parle.")
        for n in range(20):
            article(f"La voiture {n}", "Une voiture car il pleut.")


def test_an_unknown_word_is_corrected(words):
    results = search("netflics")
    assert results.count == 0 and results.suggestion == "netflix"


def test_a_rare_word_is_corrected_into_a_far_more_frequent_one(words):
    assert search("netflx").suggestion == "netflix"  # 1 document against 10, one letter left out


def test_a_rare_word_one_letter_away_from_another_word_is_not_corrected(words):
    assert search("cap").count == 1
    assert search("cap").suggestion is None  # "car" is another word, not a slip


def test_a_word_the_index_knows_well_is_never_corrected(words):
    # "maire" is in 12 documents: never rewritten into "mais", even with no result.
    assert search("maire annee:1990").count == 0
    assert search("maire annee:1990").suggestion is None
    assert articles_backend().suggest(parse("maire")) is None


def test_quoted_words_and_names_are_never_corrected(words):
    assert search('"netflics"').suggestion is None
    assert search('"netflics cinéma"').suggestion is None
    assert search("cinéma Netflics").suggestion is None  # a name
    assert search('netflics "cinéma"').suggestion == 'netflix "cinéma"'


def test_a_known_word_is_not_corrected_when_results_are_enough(words):
    assert search("netflx OU maire").count >= 3
    assert search("netflx OU maire").suggestion is None
