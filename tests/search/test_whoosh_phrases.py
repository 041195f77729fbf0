"""Phrases on Whoosh (search.backends.whoosh_phrases): positions decoded with
arrays as Whoosh decodes them, phrases found as Whoosh's own evaluation finds
them, each term's blocks read once."""

import pickle
import random

import numpy as np
import pytest
from whoosh import formats

from articles.models import Article
from search import backends, indexer
from search.backends import whoosh_phrases, whoosh_vector
from search.backends.base import Refinements
from search.query import parse
from tests.factories import ArticleFactory
from tests.search.test_whoosh_arrays import archive, check_all_queries  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

POSITIONS = formats.Positions()


def decoded(values: list[bytes]) -> list[list[int]]:
    buffer = np.frombuffer(b"".join(values) + bytes(8), dtype=np.uint8)
    ends = np.cumsum([len(v) for v in values])
    starts = ends - [len(v) for v in values]
    counts, positions = whoosh_phrases.decode(buffer, starts, ends)
    out, at = [], 0
    for count in counts.tolist():
        out.append(positions[at : at + count].tolist())
        at += count
    return out


@pytest.mark.parametrize(
    "lists",
    [
        [[0]],
        [[5], [0, 1, 2]],
        [[3, 300, 70_000, 70_001, 5_000_000]],  # one, two and four bytes per delta
        [sorted(random.Random(n).sample(range(20_000), n)) for n in (1, 2, 40, 999, 1000)],
        [list(range(0, 3000, 2)), [7]],  # more than pickle's batch of 1,000 items
    ],
)
def test_positions_decode_as_whoosh_decodes_them(lists):
    values = [POSITIONS.encode(positions) for positions in lists]
    assert decoded(values) == [POSITIONS.decode_positions(v) for v in values] == lists
    # Whoosh reads a value whose final STOP opcode was left out too.
    assert decoded([v[:-1] for v in values]) == lists


def test_values_in_another_pickle_shape_are_unpickled():
    odd = formats.pack_uint(3) + pickle.dumps([4, 1, 1], 4)
    assert decoded([POSITIONS.encode([1, 2]), odd, POSITIONS.encode([9])]) == [
        [1, 2],
        [4, 5, 6],
        [9],
    ]


def test_intersect_starts_from_the_smallest_set():
    sets = [np.array([1, 3, 5, 7, 9]), np.array([3, 4, 5, 9, 12]), np.array([0, 5, 9])]
    assert whoosh_phrases.intersect(sets).tolist() == [5, 9]
    assert whoosh_phrases.intersect([np.array([2]), np.array([], dtype=np.int64)]).tolist() == []


def test_phrase_reads_each_term_once(archive, monkeypatch):  # noqa: F811 - the fixture
    reads = []
    read = whoosh_vector._read_postings

    def counted(reader, field, term, values=None):
        reads.append((reader._segment.segment_id(), field, term))
        return read(reader, field, term, values)

    monkeypatch.setattr(whoosh_vector, "_read_postings", counted)
    whoosh_phrases._positions_cache.entries.clear()
    whoosh_phrases._positions_cache.size = 0
    whoosh_vector._postings_cache.entries.clear()
    whoosh_vector._postings_cache.size = 0
    first = archive.search(parse('"le film lui"'), per_page=1000, highlight=False)
    # Stop words: postings and positions in one pass; other words at most twice.
    assert all(reads.count(read) == 1 for read in reads if read[2] in ("le", "lui"))
    assert all(reads.count(read) <= 2 for read in reads)
    reads.clear()
    again = archive.search(parse('"le film lui"'), per_page=1000, highlight=False)
    assert reads == []
    assert [h.id for h in again.hits] == [h.id for h in first.hits]


@pytest.fixture
def fields_archive(settings, tmp_path):
    settings.SEARCH_BACKEND = "whoosh"
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    backends.reset()
    texts = [
        # (title, standfirst, body)
        ("Le grand festival", "Lumière du soir sur la ville", "<p>Une soirée de cinéma.</p>"),
        ("Une lumière", "Le festival de la lumière", "<p>Un grand festival, lumière.</p>"),
        ("L'affaire du siècle", "Jusqu'à l'aube", "<p>De l'affaire on ne sait rien.</p>"),
        ("Chronique", "De la pause", "<p>de la pause et de la reprise de la saison</p>"),
    ]
    for n, (title, standfirst, body) in enumerate(texts):
        ArticleFactory(
            title=title,
            standfirst=standfirst,
            body=body,
            published_at=Article._meta.get_field("published_at").to_python(
                f"2020-01-1{n}T10:00:00+00:00"
            ),
        )
    indexer.rebuild("articles")
    yield backends.backend_for("articles")
    backends.reset()


@pytest.mark.parametrize(
    ("text", "titles"),
    [
        ('"festival lumière"', ["Une lumière"]),  # not across title and standfirst
        ('"grand festival lumière"', ["Une lumière"]),
        ('"l\'affaire"', ["L'affaire du siècle"]),
        ('"de l\'affaire"', ["L'affaire du siècle"]),
        ('"affaire du siècle"', ["L'affaire du siècle"]),
        ('"siècle jusqu\'à"', []),  # across fields
        ('"de la pause"', ["Chronique"]),
        ('"de la saison"', ["Chronique"]),
        ('"la pause de"', []),
        ('"festival de la lumière"', ["Une lumière"]),
    ],
)
def test_phrases_stay_within_a_field(fields_archive, text, titles):
    found = fields_archive.search(parse(text), per_page=100, highlight=False)
    assert sorted(hit.stored["title"] for hit in found.hits) == sorted(titles)
    query = fields_archive.whoosh_query(parse(text), Refinements())
    searcher = fields_archive._get_searcher()
    expected = {hit["id"] for hit in searcher.search(query, limit=None)}
    assert {hit.id for hit in found.hits} == expected


def test_positions_of_few_candidates_are_read_from_their_blocks(archive, monkeypatch):  # noqa: F811
    """Positions not in memory, for fewer candidates than the term has blocks:
    only the blocks that may hold a candidate are read; same phrases found."""
    monkeypatch.setattr(whoosh_phrases, "BLOCK_SIZE", 0)
    read = whoosh_phrases._candidate_positions
    calls = []

    def counted(leaf, field, word, local):
        calls.append(word)
        return read(leaf, field, word, local)

    monkeypatch.setattr(whoosh_phrases, "_candidate_positions", counted)
    whoosh_phrases._positions_cache.entries.clear()
    whoosh_phrases._positions_cache.size = 0
    check_all_queries(archive)
    assert calls
