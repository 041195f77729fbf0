"""The Whoosh backend evaluates queries with arrays (search.backends.whoosh_vector):
it must find exactly what Whoosh's own evaluation finds, score alike, count the
same facets, and stay true across segments, deletions and a parallel rebuild."""

import random

import pytest

from articles.models import Article
from search import backends, indexer
from search.backends import whoosh
from search.backends.base import Refinements
from search.query import parse
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db

WORDS = (  # noqa: SIM905 - a word list reads better as words
    "cinéma série saison saisons épisode épisodes critique réalisateur actrice scénario "
    "œuvre oeuvre festival tournage montage lumière musique berger bergers l'affaire "
    "affaire aujourd'hui à une et ce le film lui reste de la les des un qui rit"
).split()
TAGS = ["Science-fiction", "Polar", "Comédie", "Documentaire", "Animation"]

QUERIES = [
    "saison",
    "saisons",
    "episodes",
    "oeuvre",
    "berger",
    "affaire",
    "cinéma série",
    "film critique montage",
    '"à une"',
    '"le film"',
    '"le film lui"',
    '"l\'affaire"',
    '"de l\'affaire"',  # an elision inside the phrase
    '"aujourd\'hui à une"',
    '"de la"',  # common words: a word pair
    '"de la les"',  # common words: positions
    '"le film le"',  # a word twice
    '"à une à"',
    '"film festival lumière"',  # content words only
    '"rit qui"',  # words that occur, the phrase seldom or never
    '"saison montage tournage berger"',
    '"introuvable film"',  # a word that does not occur
    "saison OU festival",
    "berger lumière OU musique",
    "critique -saison",
    'film -"à une"',
    "tag:polar",
    'film tag:"science-fiction"',
    "musique annee:2019",
    "scénario annee:2015..2018",
    "annee:2016..",
    "annee:2013..",  # most of the archive: facets counted from the rest
    "auteur:dupont",
    "-film",
    "qui rit",
    "introuvable",
]


@pytest.fixture
def archive(settings, tmp_path):
    settings.SEARCH_BACKEND = "whoosh"
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    backends.reset()
    rng = random.Random(3)
    authors = [AuthorFactory(name=n) for n in ("Jeanne Dupont", "Paul Martin", "Ana Silva")]
    for n in range(120):
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 80)))
        ArticleFactory(
            title=" ".join(rng.choice(WORDS) for _ in range(4)) + f" {n}",
            standfirst=" ".join(rng.choice(WORDS) for _ in range(8)),
            body=f"<p>{body}</p>",
            published_at=Article._meta.get_field("published_at").to_python(
                f"{2012 + n % 10}-0{1 + n % 9}-1{n % 10}T10:00:00+00:00"
            ),
            tags=rng.sample(TAGS, rng.randint(0, 2)),
            authors=rng.sample(authors, rng.randint(1, 2)),
        )
    indexer.rebuild("articles")
    yield backends.backend_for("articles")
    backends.reset()


def reference(backend, text):
    """Whoosh's own evaluation: {document id: score} and facet counts."""
    query = parse(text)
    q = backend.whoosh_query(query, Refinements())
    if q is None:
        return {}, {}
    searcher = backend._get_searcher()
    kwargs = {}
    if not query.must and backend.date_field:
        kwargs = {"sortedby": backend.date_field, "reverse": True}
    results = searcher.search(q, limit=None, groupedby=backend.whoosh_facets(), **kwargs)
    scores = {hit["id"]: hit.score for hit in results}
    facets = {}
    for name in backend.index.facets:
        counts = {}
        for key, n in results.groups(name).items():
            key = key.decode() if isinstance(key, bytes) else str(key)
            if key and key != "0":
                counts[key] = n
        facets[name] = counts
    return scores, facets


def check_all_queries(backend):
    for text in QUERIES:
        expected, expected_facets = reference(backend, text)
        found = backend.search(parse(text), per_page=1000, facets=True, highlight=False)
        assert found.count == len(expected), text
        assert {hit.id for hit in found.hits} == set(expected), text
        if '"' not in text and parse(text).must:  # phrases: Whoosh scores the phrase
            # (Whoosh adds a constant 1 per filter: the same order.)
            filtered = any(f in text for f in ("tag:", "auteur:", "annee:"))
            for hit in found.hits if not filtered else ():
                if expected[hit.id] is not None:
                    assert hit.score == pytest.approx(expected[hit.id], rel=1e-4), text
            ranked = sorted(expected, key=lambda i: -(expected[i] or 0))
            if parse(text).must and len(ranked) > 3:
                top_scores = [expected[i] for i in ranked[:3]]
                assert [expected[h.id] for h in found.hits[:3]] == pytest.approx(top_scores)
        for name, counts in expected_facets.items():
            assert dict(found.facets[name]) == dict(
                sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[: whoosh.FACET_SIZE]
            ), (text, name)


def test_array_evaluation_matches_whoosh(archive):
    found = archive.search(parse("saison"), per_page=1000, highlight=False)
    assert 10 < found.count < 120  # the archive exercises real work
    # Facets are counted from the matched documents and, for a search that
    # matches most of the archive, from the others: both are checked below.
    assert archive.search(parse("annee:2013.."), highlight=False).count > 60
    check_all_queries(archive)


def test_a_word_searched_again_is_read_from_the_searchers_cache(archive):
    """A word's matches are computed once per searcher and combined as copies:
    searching it again, alone or with others, finds the same as the first time."""

    def seen(text):
        found = archive.search(parse(text), per_page=1000, highlight=False)
        return [(hit.id, hit.score) for hit in found.hits], found.facets

    texts = ["saison", "saison festival", "critique -saison", "saison OU festival", "saison"]
    first = [seen(text) for text in texts]
    _searcher, snapshot = archive._get_snapshot()
    assert snapshot._clauses.entries  # the words are kept
    assert [seen(text) for text in reversed(texts)] == list(reversed(first))
    assert first[0] == first[-1]
    check_all_queries(archive)


def test_array_evaluation_after_updates_and_deletions(archive, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for article in Article.objects.order_by("pk")[:15]:
            article.body = "<p>saison festival nouvelle version</p>"
            article.save()
        Article.objects.order_by("pk").last().delete()
    backend = backends.backend_for("articles")
    assert len(backend._get_searcher().reader().leaf_readers()) >= 2
    assert backend.search(parse("nouvelle version")).count == 15
    check_all_queries(backend)


def test_parallel_rebuild_finds_the_same(archive, monkeypatch):
    before = {
        text: [h.id for h in archive.search(parse(text), per_page=1000, highlight=False).hits]
        for text in QUERIES
    }
    monkeypatch.setattr(whoosh, "PARALLEL_FROM", 1)
    monkeypatch.setattr(whoosh.os, "cpu_count", lambda: 2)
    assert indexer.rebuild("articles") == 120
    backend = backends.backend_for("articles")
    assert len(backend._get_searcher().reader().leaf_readers()) == 2  # a segment per process
    assert indexer.drift("articles") == {"missing": [], "stale": [], "extra": []}
    for text in QUERIES:
        found = backend.search(parse(text), per_page=1000, highlight=False)
        assert sorted(h.id for h in found.hits) == sorted(before[text]), text
    check_all_queries(backend)


def test_phrases_on_an_index_without_word_pairs(archive, monkeypatch):
    """An index written before the word-pairs field (until its next rebuild):
    phrases are checked with word positions alone, and find the same."""
    monkeypatch.setattr(whoosh, "indexed_pair", lambda a, b: False)
    indexer.rebuild("articles")
    monkeypatch.undo()
    backend = backends.backend_for("articles")
    searcher, snapshot = backend._get_snapshot()
    assert not snapshot.every_segment_has("body" + whoosh.PAIRS)
    assert backend.search(parse('"à une"'), highlight=False).count > 0
    check_all_queries(backend)
