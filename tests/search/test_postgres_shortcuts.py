"""The PostgreSQL backend's shortcuts, facets and plans: what makes it fast must
find exactly what the vector's positions find. On a real PostgreSQL database
(skipped elsewhere); documents are written through the backend directly."""

import datetime
import html
import importlib
import random

import pytest
from django.db import connection
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

import search.index
from search.analysis import STOP_WORDS, exact_form, stems, tokenize
from search.backends import postgres
from search.backends.base import Refinements
from search.backends.postgres import PostgresBackend
from search.models import SearchDocument, SearchKeyword, SearchTerm
from search.query import Phrase, parse

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the PostgreSQL backend needs PostgreSQL"
    ),
]

WORDS = ["chat", "noir", "film", "nuit", "salle", "port", "vent", "rouge", "place", "été"]
STOPS = ["le", "la", "de", "et", "à", "une", "il", "qui"]


def backend():
    return PostgresBackend(search.index.get("articles"))


def document(title, body, *, tags=(), section="Critique", authors=(), year=2020):
    return {
        "title": title,
        "standfirst": "",
        "body": body,
        "tags": list(tags),
        "section": [section],
        "authors": list(authors),
        "photos": "",
        "date": timezone.make_aware(datetime.datetime(year, 6, 15, 12)),
        "url": f"/{title}/",
    }


def sentence(rng, n):
    return " ".join(rng.choice(WORDS + STOPS) for _ in range(n))


def rebuilt(documents, monkeypatch):
    """A rebuild where every phrase found twice in the sample is frequent."""
    monkeypatch.setattr(postgres, "PHRASE_SAMPLE", 10_000)
    monkeypatch.setattr(postgres, "PHRASE_SHARE", 0.0)
    b = backend()
    b.rebuild(iter(documents), len(documents))
    return b


def found(b, text, **kwargs):
    results = b.search(parse(text), per_page=1000, facets=False, highlight=False, **kwargs)
    return sorted(hit.id for hit in results.hits), results.count


def on_positions(phrase_text):
    """What the vector's positions say of a phrase, without any shortcut."""
    clause = parse(phrase_text).must[0]
    assert isinstance(clause, Phrase)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT object_id FROM search_searchdocument WHERE index = 'articles'"
            " AND vector @@ %s::tsquery ORDER BY object_id",
            [PostgresBackend._clause(clause)],
        )
        return sorted(object_id for (object_id,) in cursor.fetchall())


# --- phrases ------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS + STOPS), max_size=12), min_size=1, max_size=4))
def test_phrases_of_words_are_the_phrases_of_positions(texts):
    b = PostgresBackend(search.index.get("articles"))
    fields = b._fields({"title": " ".join(texts[0]), "tags": [" ".join(t) for t in texts[1:]]})
    expected = postgres._phrases_of_positions(postgres._recorded(fields))
    assert postgres._phrases_of_fields(fields) == expected


def test_frequent_phrases_find_what_positions_find(monkeypatch):
    rng = random.Random(3)
    documents = [
        (str(i), document(sentence(rng, 4), sentence(rng, 40), tags=[sentence(rng, 2)]))
        for i in range(60)
    ]
    b = rebuilt(documents, monkeypatch)
    frequent = b._frequent_phrases(connection.cursor())
    assert any(len(p) == 3 for p in frequent) and any(len(p) == 2 for p in frequent)
    phrases = {
        " ".join(rng.choice(WORDS + STOPS) for _ in range(rng.randint(2, 4))) for _ in range(80)
    }
    for phrase in sorted(phrases):
        expected = on_positions(f'"{phrase}"')
        assert found(b, f'"{phrase}"') == (expected, len(expected)), phrase
        # Excluded, or as one option among others.
        everything = set(found(b, "film OU nuit OU chat")[0])
        assert set(found(b, f'film OU nuit OU chat -"{phrase}"')[0]) == everything - set(expected)
        assert set(found(b, f'"{phrase}" OU vent')[0]) == set(expected) | set(found(b, "vent")[0])


def test_phrases_past_the_last_position_are_checked_as_the_vector_holds_them(monkeypatch):
    # 6,000 words: positions stop at 16383, and "de" loses positions past 256.
    long_body = " ".join(["de la nuit"] * 1000 + ["le chat noir"] * 1000)
    documents = [
        ("1", document("Long", long_body)),
        ("2", document("Court", "le chat noir de la nuit")),
        ("3", document("Autre", "le chat noir de la nuit")),
    ]
    b = rebuilt(documents, monkeypatch)
    for phrase in ("le chat noir", "de la nuit", "noir de la", "nuit le chat", "chat noir"):
        expected = on_positions(f'"{phrase}"')
        assert found(b, f'"{phrase}"') == (expected, len(expected)), phrase
    # Its last "nuit" lost its position (256 a lexeme): the vector has no such phrase.
    assert "1" not in on_positions('"nuit le chat"')


def test_documents_too_large_for_their_phrases_are_checked_on_positions(monkeypatch):
    monkeypatch.setattr(postgres, "MAX_PHRASE_BYTES", 10)
    documents = [(str(i), document("Titre", "le chat noir de la nuit")) for i in range(3)]
    b = rebuilt(documents, monkeypatch)
    shortcuts = SearchDocument.objects.get(object_id="1").shortcuts
    assert "'p'" in shortcuts and "chat_noir" not in shortcuts
    assert found(b, '"chat noir"') == (["0", "1", "2"], 3)
    assert found(b, '"noir chat"') == ([], 0)


def test_writes_use_the_phrases_of_the_last_rebuild(monkeypatch):
    documents = [(str(i), document("Titre", "le chat noir de la nuit")) for i in range(3)]
    b = rebuilt(documents, monkeypatch)
    b.write([("9", document("Nouveau", "un chat noir"))], [])
    shortcuts = SearchDocument.objects.get(object_id="9").shortcuts
    assert "'pchat_noir'" in shortcuts and "'pun_chat'" not in shortcuts
    assert found(b, '"chat noir"') == (["0", "1", "2", "9"], 4)
    assert found(b, '"un chat"') == (["9"], 1)


def test_a_large_rebuild_analyses_in_a_worker_process_what_a_small_one_does_here(monkeypatch):
    rng = random.Random(11)
    documents = [
        (str(i), document(sentence(rng, 3), sentence(rng, 30), tags=[rng.choice(WORDS)]))
        for i in range(30)
    ]
    monkeypatch.setattr(postgres, "BATCH", 7)
    monkeypatch.setattr(postgres, "PHRASE_SAMPLE", 10)
    here = backend()
    here.rebuild(iter(documents), len(documents))
    expected = {
        d.object_id: (d.vector, d.shortcuts, d.facets, d.keywords)
        for d in SearchDocument.objects.all()
    }
    terms = dict(SearchTerm.objects.values_list("term", "documents"))
    monkeypatch.setattr(postgres, "PARALLEL_FROM", 0)
    calls = []
    here.rebuild(iter(documents + documents[:3]), len(documents), calls.append)
    assert calls[-1] == 33
    found = {
        d.object_id: (d.vector, d.shortcuts, d.facets, d.keywords)
        for d in SearchDocument.objects.all()
    }
    assert found == expected
    assert dict(SearchTerm.objects.values_list("term", "documents")) == terms


def test_a_failure_in_the_worker_process_rolls_the_rebuild_back(monkeypatch):
    documents = [(str(i), document("Titre", "le chat noir")) for i in range(20)]
    b = rebuilt(documents, monkeypatch)
    monkeypatch.setattr(postgres, "PARALLEL_FROM", 0)
    monkeypatch.setattr(postgres, "PHRASE_SAMPLE", 5)
    monkeypatch.setattr(postgres, "BATCH", 5)
    broken = [*documents[:10], ("x", {"title": "Cassé", "date": "pas une date"})]
    with pytest.raises(ValueError):
        b.rebuild(iter(broken), len(broken))
    assert found(b, "chat") == (sorted(str(i) for i in range(20)), 20)


# --- filters, facets ---------------------------------------------------------------


def test_filters_and_facets_are_numbered_keyword_values(monkeypatch):
    documents = [
        ("1", document("Un", "film", tags=["Science-fiction"], authors=["Éric Rohmer"], year=2019)),
        ("2", document("Deux", "film", tags=["Drame"], authors=["Agnès Varda"], year=2020)),
        ("3", document("Trois", "film", tags=["science fiction", "Drame"], year=2020)),
    ]
    b = rebuilt(documents, monkeypatch)
    assert found(b, "tag:science-fiction") == (["1", "3"], 2)
    assert found(b, "film", refinements=Refinements(values={"tag": ("Drame",)})) == (
        ["2", "3"],
        2,
    )
    assert found(b, 'auteur:"eric rohmer" film') == (["1"], 1)
    assert found(b, "tag:western film") == ([], 0)
    facets = b.search(parse("film")).facets
    assert facets["tag"] == [("Drame", 2), ("Science-fiction", 1), ("science fiction", 1)]
    assert facets["year"] == [("2020", 2), ("2019", 1)]
    assert facets["author"] == [("Agnès Varda", 1), ("Éric Rohmer", 1)]
    # Few values: the document holds them as one combination of its 4 values.
    (combination,) = SearchDocument.objects.get(object_id="1").facets
    assert len(SearchKeyword.objects.get(id=combination).value.split(",")) == 4


@pytest.mark.parametrize(("combinations", "combined"), [(1, 0), (10, 2), (1024, 4)])
def test_facets_count_the_same_whatever_is_combined(monkeypatch, combinations, combined):
    monkeypatch.setattr(postgres, "MAX_COMBINATIONS", combinations)
    rng = random.Random(5)
    documents = [
        (
            str(i),
            document(
                f"T{i}",
                sentence(rng, 20),
                tags=rng.sample(
                    ["Polar", "Drame", "Western", "Comédie", "Opéra"], rng.randint(0, 3)
                ),
                section=rng.choice(["Critique", "News", "Portrait"]),
                authors=rng.sample(["Agnès", "Éric", "Jacques"], rng.randint(1, 2)),
                year=rng.randint(2015, 2019),
            ),
        )
        for i in range(80)
    ]
    b = rebuilt(documents, monkeypatch)
    with connection.cursor() as cursor:
        assert len(b._combined(cursor)) == combined  # section 3 values, author 3, year 5, tag 5
    for text in ("chat", "film OU nuit", "tag:polar", "annee:2016..2018 -chat"):
        results = b.search(parse(text))
        expected = {name: {} for name in b.index.facets}
        matched = {hit.id for hit in b.search(parse(text), per_page=1000).hits}
        for id, doc in documents:
            if id in matched:
                values = {
                    "tag": doc["tags"],
                    "section": doc["section"],
                    "author": doc["authors"],
                    "year": [str(doc["date"].year)],
                }
                for name, found in values.items():
                    for value in found:
                        expected[name][value] = expected[name].get(value, 0) + 1
        assert results.count == len(matched)
        assert results.facets == {
            name: sorted(counts.items(), key=lambda p: (-p[1], p[0]))[: postgres.FACET_SIZE]
            for name, counts in expected.items()
        }


def test_facet_lists_keep_the_twenty_most_frequent_values(monkeypatch):
    documents = [
        (str(i), document(f"T{i}", "film", tags=[f"Genre {i % 25:02d}", "Commun"]))
        for i in range(100)
    ]
    b = rebuilt(documents, monkeypatch)
    tags = b.search(parse("film")).facets["tag"]
    assert len(tags) == postgres.FACET_SIZE
    assert tags[0] == ("Commun", 100)
    assert tags[1:] == [(f"Genre {i:02d}", 4) for i in range(19)]


# --- rows written before the shortcuts ---------------------------------------------


def test_the_migration_completes_rows_written_before_it(monkeypatch):
    documents = [
        ("1", document("Le chat noir", "Il sort la nuit.", tags=["Polar"], year=2019)),
        ("2", document("Un chien", "Le chat noir de la voisine.", tags=["Drame"], year=2021)),
    ]
    b = rebuilt(documents, monkeypatch)
    before = {q: found(b, q) for q in ('"chat noir"', "tag:polar", "chat -voisine", "nuit")}
    facets = b.search(parse("chat")).facets
    SearchDocument.objects.update(shortcuts=None, facets=None)
    migration = importlib.import_module("search.migrations.0003_postgres_shortcuts_facets")
    with connection.schema_editor() as editor:
        migration.forwards(None, editor)
    assert {q: found(b, q) for q in before} == before
    assert b.search(parse("chat")).facets == facets
    assert b.autocomplete("chat") == ["Le chat noir"]


# --- plans ------------------------------------------------------------------------


def test_a_frequent_word_is_matched_through_the_gin_index_alone(monkeypatch):
    documents = [(str(i), document(f"Titre {i}", "un film " * 50)) for i in range(200)]
    b = rebuilt(documents, monkeypatch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_searchdocument")
    conditions, params, filters = b._conditions(parse("film"), None)
    match = b._tsqueries(parse("film"))[0]
    where, params = b._where(conditions, params, match)
    with connection.cursor() as cursor:
        b._plan(cursor, True)
        sql = f"EXPLAIN SELECT count(*) FROM search_searchdocument WHERE {where}"  # noqa: S608
        cursor.execute(sql, params)
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert "search_document_matched_gin" in plan
    assert "Filter: ((vector" not in plan


def test_stop_words_only_phrases_use_their_shortcut(monkeypatch):
    documents = [(str(i), document("Titre", "il y a de la place")) for i in range(3)]
    b = rebuilt(documents, monkeypatch)
    assert {("de", "la"), ("de", "la", "place")} <= b._frequent_phrases(connection.cursor()).keys()
    match = b._tsqueries(parse('"de la"'), b._frequent_of(parse('"de la"')))[0]
    assert match.startswith("( 'pde_la' |")
    assert {"de", "la"} <= STOP_WORDS
    assert found(b, '"de la"') == (["0", "1", "2"], 3)


# --- highlights ---------------------------------------------------------------------


def reference_snippet(marks, texts):
    """The snippet as first written: every text tokenized whole."""
    best = None
    for text in texts:
        if not text:
            continue
        tokens = tokenize(text)
        folded = [exact_form(t.text) for t in tokens]
        marked = {
            i
            for i, (token, form) in enumerate(zip(tokens, folded, strict=True))
            if form in marks.exact
            or (marks.stems and form not in STOP_WORDS and marks.stems & set(stems(token.text)))
        }
        for phrase in marks.phrases:
            for i in range(len(folded) - len(phrase) + 1):
                if tuple(folded[i : i + len(phrase)]) == phrase:
                    marked.update(range(i, i + len(phrase)))
        if not tokens:
            continue
        window_start, window_count, right, ordered = 0, 0, 0, sorted(marked)
        for left, first in enumerate(ordered):
            while right < len(ordered) and ordered[right] < first + postgres.SNIPPET_WORDS:
                right += 1
            if right - left > window_count:
                window_start, window_count = first, right - left
        key = (window_count, -len(text) if not marked else 0)
        if best is None or key > best[0]:
            best = (key, text, tokens, marked, window_start)
    if best is None:
        return ""
    _, text, tokens, marked, start = best
    start = max(0, start - 3) if marked else 0
    end = min(len(tokens), start + postgres.SNIPPET_WORDS)
    if end - start < postgres.SNIPPET_WORDS:
        start = max(0, end - postgres.SNIPPET_WORDS)
    begin = 0 if start == 0 else tokens[start].start
    finish = len(text) if end == len(tokens) else tokens[end - 1].end
    parts, cursor = ["…" if begin > 0 else ""], begin
    for i in range(start, end):
        if i in marked:
            token = tokens[i]
            parts.append(html.escape(text[cursor : token.start]))
            parts.append(f"<mark>{html.escape(text[token.start : token.end])}</mark>")
            cursor = token.end
    parts.append(html.escape(text[cursor:finish]))
    if finish < len(text):
        parts.append("…")
    return "".join(parts).strip()


PIECES = [*WORDS, *STOPS, "Été", "l’été", "d'un", "chats", "noirs", "x" * 70, "œuvre", "2019"]
SEPARATORS = [" ", "  ", ", ", ".\n", " — ", "\u00a0", "\t", "'", " ’", "-", "\u200b"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(SEPARATORS)), max_size=120),
    st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(SEPARATORS)), max_size=20),
    st.sampled_from(["chat", "été", '"chat noir"', "nuit OU chats", '"de la" film', "x" * 70]),
)
def test_snippets_are_the_snippets_of_whole_texts(body, standfirst, query):
    texts = ["".join(a + b for a, b in standfirst), "".join(a + b for a, b in body)]
    marks = postgres._Marks(parse(query))
    assert marks.snippet(texts) == reference_snippet(marks, texts)
