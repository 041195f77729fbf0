"""French analysis: what readers type must meet what the magazine wrote."""

import pickle
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search import analysis
from search.analysis import (
    EXACT_PREFIX,
    POSTGRES_POSITIONS_PER_WORD,
    STEM_PREFIX,
    analyse,
    exact_form,
    fold,
    french_exact_analyzer,
    french_stemmed_analyzer,
    index_terms,
    lexemes_for_postgres,
    query_terms,
    stems,
    tokenize,
)

APOSTROPHE_VARIANTS = ["'", "’", "‘", "`", "´", "ʼ"]


def stemmed(text, **kwargs):
    return [t.text for t in french_stemmed_analyzer()(text, **kwargs)]


def exact(text, **kwargs):
    return [t.text for t in french_exact_analyzer()(text, **kwargs)]


# --- fold --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Œuvre", "oeuvre"),
        ("Ænéide", "aeneide"),
        ("Straße", "strasse"),
        ("ÉVÉNEMENT à Noël", "evenement a noel"),
        ("e\u0301te\u0301", "ete"),  # decomposed accents
        ("l’affaire l‘a l`a l´a lʼa", "l'affaire l'a l'a l'a l'a"),
        ("ﬁlm", "film"),  # compatibility ligature
    ],
)
def test_fold(text, expected):
    assert fold(text) == expected


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_exact_form_is_idempotent_and_alphanumeric(text):
    folded = exact_form(text)
    assert exact_form(folded) == folded
    assert all(c.isalnum() for c in folded)


# --- tokenize ----------------------------------------------------------------


def test_tokens_map_back_to_the_original_text():
    text = "L’affaire « Dreyfus » : aujourd'hui, jusqu’à l'Œuvre — ciné\u00adma e\u0301te\u0301."
    tokens = tokenize(text)
    assert [text[t.start : t.end] for t in tokens] == [t.text for t in tokens]
    assert [t.text for t in tokens] == [
        "affaire",
        "Dreyfus",
        "aujourd'hui",
        "à",
        "Œuvre",
        "ciné\u00adma",
        "e\u0301te\u0301",
    ]
    assert [t.position for t in tokens] == list(range(7))


def test_aujourdhui_is_one_word():
    assert [exact_form(t.text) for t in tokenize("aujourd’hui")] == ["aujourdhui"]
    assert query_terms("aujourd'hui") == query_terms("aujourd’hui") == query_terms("aujourdhui")


def test_hyphens_and_punctuation_split_words():
    assert exact("Science-fiction, *test* masques ? 3,14") == [
        "science",
        "fiction",
        "test",
        "masques",
        "3",
        "14",
    ]


@pytest.mark.parametrize("apostrophe", APOSTROPHE_VARIANTS)
@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("l{}affaire", ["affaire"]),
        ("qu{}un", ["un"]),
        ("jusqu{}à", ["a"]),
        ("lorsqu{}il", ["il"]),
        ("puisqu{}on", ["on"]),
        ("quoiqu{}il", ["il"]),
        ("d{}Orsay", ["orsay"]),
        ("c{}est", ["est"]),
        ("n{}importe", ["importe"]),
        ("qu{}aujourd{}hui", ["aujourdhui"]),
    ],
)
def test_elisions_with_every_apostrophe(apostrophe, text, words):
    assert exact(text.replace("{}", apostrophe)) == words


def test_very_long_tokens_are_skipped():
    assert exact("a" * 500 + " film") == ["film"]


# --- stems and matching -------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "document"),
    [
        ("saisons", "saison"),
        ("saison", "saisons"),
        ("épisodes", "episodes"),
        ("episodes", "épisodes"),
        ("l’affaire", "l'affaire"),
        ("affaire", "l’affaire"),
        ("l'affaire", "affaire"),
        ("Œuvre", "oeuvre"),
        ("oeuvre", "œuvres"),
        ("œuvres", "Œuvre"),
        ("supprimée", "supprimer"),
        ("supprimer", "supprimé"),
        ("supprimé", "supprimée"),
        ("musée", "musee"),
        ("musee", "musée"),
        ("événement", "evenement"),
        ("evenement", "événement"),
        ("déclarée", "déclaré"),
        ("déclaré", "déclarée"),
        ("ciblée", "ciblés"),
        ("ciblés", "ciblée"),
        ("inondation", "inondations"),
        ("inondations", "inondation"),
        ("bergers", "berger"),
        ("berger", "bergers"),
        ("Étrangers", "étranger"),
        ("étranger", "etrangers"),
        ("horlogers", "horloger"),
    ],
)
def test_query_word_meets_indexed_word(query, document):
    assert set(query_terms(query)) & index_terms(document)


def test_analyse_gives_the_tokens_words():
    text = "Qu’aujourd'hui l'homme — ciné\u00adma, les bergers ! " + "x" * 80 + " fin"
    words = analyse(text)
    tokens = tokenize(text)
    assert [w.text for w in words] == [t.text for t in tokens]
    assert [w.exact for w in words] == [exact_form(t.text) for t in tokens]
    assert [w.stems for w in words] == [stems(t.text) for t in tokens]
    assert [w.text for w in words][:2] == ["aujourd'hui", "homme"]


def test_two_stems_when_accents_change_the_stem():
    assert stems("dédié") == ("dedi", "dedie")
    assert stems("dedie") == ("dedie",)
    assert stems("ciblée") == ("cibl",)
    assert stems("ciblee") == ("cibl",)
    assert stems("ciblés") == ("cibl",)
    assert stems("saisons") == ("saison",)


@pytest.mark.parametrize(
    ("typed", "written"),
    [("declaree", "déclaré"), ("declarees", "déclaré"), ("premieres", "premier"),
     ("premiere", "premiers"), ("soiree", "soir"), ("musee", "musées"), ("ciblee", "ciblés")],
)  # fmt: skip
def test_accents_left_out_of_an_inflected_word(typed, written):
    assert set(stems(typed)) & set(stems(written))


@pytest.mark.parametrize(
    ("word", "other"),
    [("marais", "mars"), ("marie", "marée"), ("marie", "marais"), ("série", "sera"),
     ("mare", "marée"), ("purée", "pur"), ("gare", "gars"), ("mère", "mer")],
)  # fmt: skip
def test_short_stems_do_not_join_different_words(word, other):
    assert not set(stems(word)) & set(stems(other))


def test_a_short_stem_still_joins_singular_and_plural():
    assert stems("marais") == ("marai",)
    assert stems("séries") == stems("série") == stems("serie") == ("serie",)
    assert stems("musées") == stems("musée") == ("musee",)


def test_analysis_version_is_in_the_document_hash(monkeypatch):
    from search import index

    before = index.document_hash({"title": "Un titre"})
    monkeypatch.setattr(index, "ANALYSIS_VERSION", index.ANALYSIS_VERSION + 1)
    assert index.document_hash({"title": "Un titre"}) != before


def test_stop_words_have_no_stem():
    assert stems("les") == ()
    assert query_terms("les") == [EXACT_PREFIX + "les"]


def test_content_words_are_not_stop_words():
    for word in ["été", "est", "or", "an", "us", "if", "car", "mais", "the", "is"]:
        assert stems(word), word


def test_query_terms_put_the_exact_form_first():
    assert query_terms("Dédié") == ["ededie", "sdedi", "sdedie"]


# --- Whoosh analyzers --------------------------------------------------------


def test_exact_analyzer_keeps_english_and_french_stop_words():
    assert exact("Orange is the New Black") == ["orange", "is", "the", "new", "black"]
    assert exact("L'Homme qui rit") == ["homme", "qui", "rit"]


def test_stemmed_analyzer_drops_stop_words():
    assert stemmed("Le chat et les souris de la maison") == ["chat", "sour", "maison"]


def test_stemmed_analyzer_keeps_english_words():
    assert stemmed("Orange is the New Black") == ["orang", "is", "the", "new", "black"]


def test_two_stems_share_the_word_position_and_chars():
    tokens = [
        (t.text, t.pos, t.startchar, t.endchar)
        for t in french_stemmed_analyzer()("Le film dédié", positions=True, chars=True)
    ]
    assert tokens == [("film", 1, 3, 7), ("dedi", 2, 8, 13), ("dedie", 2, 8, 13)]


def test_both_fields_share_positions():
    text = "L'affaire qui a été déclarée à Paris"
    exact_pos = {t.text: t.pos for t in french_exact_analyzer()(text, positions=True)}
    stem_pos = [t.pos for t in french_stemmed_analyzer()(text, positions=True)]
    assert set(stem_pos) <= set(exact_pos.values())
    assert exact_pos["paris"] == 6


def test_chars_map_back_to_the_original_text_for_highlighting():
    text = "« Qu’est-ce qu’un late show ? » L’Œuvre de Nolan"
    for token in french_exact_analyzer()(text, chars=True):
        assert exact_form(text[token.startchar : token.endchar]) == token.text


def test_whoosh_highlighter_marks_the_original_words():
    from whoosh import highlight

    text = "Le musée d’Orsay, aujourd’hui, et ses cibles ciblées."
    html = highlight.highlight(
        text,
        frozenset({"musee", "orsay", "aujourdhui", "cibl"}),
        french_stemmed_analyzer(),
        highlight.WholeFragmenter(),
        highlight.HtmlFormatter(tagname="mark"),
    )
    marked = re.findall(r"<mark[^>]*>(.*?)</mark>", html)
    assert marked == ["musée", "Orsay", "aujourd’hui", "cibles", "ciblées"]


def test_highlighter_mode_keeps_stop_words_marked():
    tokens = [
        (t.text, t.stopped)
        for t in french_stemmed_analyzer()("le musée", removestops=False, chars=True)
    ]
    assert tokens == [("le", True), ("musee", False)]


def test_start_offsets_and_untokenized_values():
    analyzer = french_exact_analyzer()
    assert [t.pos for t in analyzer("le film", positions=True, start_pos=10)] == [10, 11]
    assert exact("Science-Fiction", tokenize=False) == ["sciencefiction"]


def test_analyzers_pickle_for_whoosh_schemas():
    for analyzer in (french_exact_analyzer(), french_stemmed_analyzer()):
        # Whoosh pickles the schema, analyzers included, into the index.
        assert pickle.loads(pickle.dumps(analyzer)) == analyzer  # noqa: S301 - our own bytes


def test_whoosh_index_finds_words_typed_without_accents(tmp_path):
    from whoosh import fields, index
    from whoosh.query import Or, Term

    schema = fields.Schema(
        id=fields.ID(stored=True),
        exact=fields.TEXT(analyzer=french_exact_analyzer()),
        stemmed=fields.TEXT(analyzer=french_stemmed_analyzer()),
    )
    ix = index.create_in(str(tmp_path), schema)
    with ix.writer() as writer:
        for doc_id, text in [
            ("1", "Le musée des cibles ciblées"),
            ("2", "Orange is the New Black"),
        ]:
            writer.add_document(id=doc_id, exact=text, stemmed=text)

    def search(word):
        terms = query_terms(word)
        subqueries = [Term("exact", terms[0][1:])]
        subqueries += [Term("stemmed", t[1:]) for t in terms[1:]]
        with ix.searcher() as searcher:
            return [hit["id"] for hit in searcher.search(Or(subqueries))]

    assert search("musee") == ["1"]
    assert search("ciblée") == ["1"]
    assert search("the") == ["2"]


# --- PostgreSQL lexemes -------------------------------------------------------


def test_postgres_lexemes_have_regular_positions():
    lexemes = lexemes_for_postgres("Le musée d’Orsay").split()
    assert lexemes == [
        "ele",
        "ele",
        "ele",
        "emusee",
        "smusee",
        "smusee",
        "eorsay",
        "sorsay",
        "sorsay",
    ]
    assert len(lexemes) == POSTGRES_POSITIONS_PER_WORD * 3
    assert all(lex.isalnum() and lex.islower() for lex in lexemes)


def test_postgres_lexemes_are_prefixed():
    for lexeme in lexemes_for_postgres("Orange is the New Black, été 2015").split():
        assert lexeme[0] in (EXACT_PREFIX, STEM_PREFIX)


FRENCH_TEXT = (
    "L’Œuvre de Marcel Pagnol, qu’on a souvent réduite à ses films, a été déclarée "
    "d’intérêt national. Aujourd’hui, les épisodes de la série consacrée au musée "
    "d'Orsay, supprimés puis rétablis, ciblés par la critique, reviennent jusqu’à l’été. "
    "Orange is the New Black n'est pas une série française, mais les inondations "
    "de l’événement ont marqué les saisons suivantes. "
)


def test_analysis_of_a_long_french_text_is_deterministic():
    text = FRENCH_TEXT * (600 // len(FRENCH_TEXT.split()) + 1)
    assert len(text.split()) >= 600
    first = lexemes_for_postgres(text), stemmed(text), exact(text)
    analysis.stems.cache_clear()
    analysis.exact_form.cache_clear()
    assert (lexemes_for_postgres(text), stemmed(text), exact(text)) == first


def test_modules_do_not_need_django():
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys, search.analysis, search.query; "
        "assert not any(m.startswith('django') for m in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[2])


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("logiqueL'ONG", ["logique", "ONG"]),
        ("logiqueL’ONG", ["logique", "ONG"]),
        ("finD'une époque", ["fin", "une", "époque"]),
        ("annoncéQu'il", ["annoncé", "il"]),
        ("aujourd'hui", ["aujourd'hui"]),
        ("presqu'île", ["presqu'île"]),
        ("O'Brien", ["O'Brien"]),
        ("L'ONG", ["ONG"]),
    ],
)
def test_words_glued_by_a_missing_space_are_two_words(text, words):
    tokens = tokenize(text)
    assert [t.text for t in tokens] == words
    assert [text[t.start : t.end] for t in tokens] == words
    assert [w.text for w in analyse(text)] == words
