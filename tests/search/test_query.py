"""The search box's query language: operators, filters, and never crashing."""

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.query import (
    MAX_QUERY_LENGTH,
    MAX_TERMS,
    AnyOf,
    Filters,
    Phrase,
    Query,
    Term,
    YearRange,
    parse,
)

CRASH_WARNING = "La recherche n'a pas pu être comprise."


def words(clauses):
    return [str(c) for c in clauses]


# --- plain words ---------------------------------------------------------------


def test_plain_words_are_all_required():
    query = parse("cinéma coréen")
    assert query.must == (Term("cinéma"), Term("coréen"))
    assert not query.must_not and not query.filters and not query.warnings


def test_lowercase_or_is_a_word():
    assert parse("médaille or").must == (Term("médaille"), Term("or"))
    assert parse("Orange is the New Black").must == (
        *(Term(w) for w in ["Orange", "is", "the"]),
        Term("New", name=True),
        Term("Black", name=True),
    )


def test_stop_words_are_dropped_and_a_query_of_them_is_empty():
    assert parse("le chat de la voisine").must == (Term("chat"), Term("voisine"))
    assert parse("le la les de").is_empty
    assert parse("le la les de").must == ()


@pytest.mark.parametrize("text", ["", "   ", "?!*…", "- : - « »", "\x00\x01\t", "*"])
def test_nothing_to_search(text):
    assert parse(text).is_empty


def test_wildcards_are_punctuation():
    assert parse("coronavirus masques ?") == parse("coronavirus masques")
    assert parse("cin* ?lm").must == (Term("cin"), Term("lm"))


def test_elisions_in_queries():
    assert parse("l’affaire").must == (Term("affaire"),)
    assert parse("aujourd'hui").must == (Term("aujourd'hui"),)


def test_duplicate_words_are_searched_once():
    assert parse("film Film film").must == (Term("film"),)


# --- pasted headlines ----------------------------------------------------------


def test_pasted_question_headline():
    query = parse("Qu'est-ce qu'un late show ?")
    assert query.must == (Phrase(("est", "ce")), Term("late"), Term("show"))
    assert not query.must_not and not query.warnings


def test_pasted_headline_with_lone_dash_and_colon():
    query = parse("VIDÉO - Normandie : la patronne")
    assert query.must == (Term("VIDÉO"), Term("Normandie", name=True), Term("patronne"))
    assert not query.must_not and not query.filters and not query.warnings


def test_colon_glued_to_a_plain_word_is_punctuation():
    query = parse("Normandie: la patronne")
    assert query.must == (Term("Normandie"), Term("patronne"))
    assert not query.warnings


@pytest.mark.parametrize("dash", ["–", "—"])
def test_typographic_dashes_are_never_operators(dash):
    assert parse(f"Cannes {dash}palmarès").must == (Term("Cannes"), Term("palmarès"))


# --- phrases ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '"found footage"',
        "« found footage »",
        "«found footage»",
        "“found footage”",
        "„found footage“",
    ],
)
def test_phrase_quotes(text):
    assert parse(text).must == (Phrase(("found", "footage")),)


def test_phrases_keep_stop_words_and_drop_elisions():
    assert parse("« l’homme qui rit »").must == (Phrase(("homme", "qui", "rit")),)


def test_quoted_single_word_is_exact():
    query = parse('"séries"')
    assert query.must == (Term("séries", exact=True),)
    assert query.must[0].terms == ["eseries"]


def test_glued_words_form_a_phrase():
    assert parse("science-fiction").must == (Phrase(("science", "fiction")),)


def test_unbalanced_quote_reads_the_rest_as_words():
    query = parse('zombies "found footage')
    assert query.must == (Term("zombies"), Term("found"), Term("footage"))
    assert query.warnings


def test_empty_phrase_is_ignored():
    assert parse('"" « »').is_empty


# --- exclusion ----------------------------------------------------------------


def test_exclude_a_word():
    query = parse("zombies -horreur")
    assert query.must == (Term("zombies"),)
    assert query.must_not == (Term("horreur"),)


def test_exclusion_alone():
    query = parse("-horreur")
    assert query.must == () and query.must_not == (Term("horreur"),)
    assert not query.is_empty


@pytest.mark.parametrize("text", ['-"found footage"', "-« found footage »"])
def test_exclude_a_phrase(text):
    assert parse(f"zombies {text}").must_not == (Phrase(("found", "footage")),)


def test_dash_inside_a_word_is_not_an_exclusion():
    query = parse("week-end à Paris")
    assert query.must == (Phrase(("week", "end")), Term("Paris", name=True))
    assert not query.must_not


def test_minus_sign_also_excludes():
    assert parse("zombies −horreur").must_not == (Term("horreur"),)


# --- OU -----------------------------------------------------------------------


@pytest.mark.parametrize("operator", ["OU", "OR"])
def test_either(operator):
    query = parse(f"cinéma {operator} série")
    assert query.must == (AnyOf((Term("cinéma"), Term("série"))),)


def test_or_binds_tighter_than_and():
    query = parse("coréen cinéma OU série OU roman")
    assert query.must == (
        Term("coréen"),
        AnyOf((Term("cinéma"), Term("série"), Term("roman"))),
    )


def test_or_between_phrases():
    query = parse('science-fiction OU "space opera"')
    assert query.must == (AnyOf((Phrase(("science", "fiction")), Phrase(("space", "opera")))),)


@pytest.mark.parametrize("text", ["OU cinéma", "cinéma OU", "-horreur OU film"])
def test_dangling_or_is_ignored_with_a_warning(text):
    query = parse(text)
    assert not any(isinstance(c, AnyOf) for c in query.must)
    assert query.warnings


def test_doubled_or_counts_once():
    query = parse("cinéma OU OU série")
    assert query.must == (AnyOf((Term("cinéma"), Term("série"))),)
    assert query.warnings


def test_or_cannot_include_an_exclusion():
    query = parse("cinéma OU -horreur")
    assert query.must == (Term("cinéma"),)
    assert query.must_not == (Term("horreur"),)
    assert query.warnings


def test_same_word_either_side_of_or():
    assert parse("film OU film").must == (Term("film"),)


# --- filters ------------------------------------------------------------------


def test_field_filters():
    query = parse('auteur:"Jean Dupont" tag:horreur genre:gore rubrique:Cinéma section:séries')
    assert query.filters == Filters(
        authors=("Jean Dupont",), tags=("horreur", "gore"), sections=("Cinéma", "séries")
    )
    assert query.must == () and not query.warnings and not query.is_empty


def test_filter_names_are_case_and_accent_insensitive():
    assert parse("Auteur:Dupont TAG:polar").filters == Filters(authors=("Dupont",), tags=("polar",))


def test_quoted_filter_value():
    assert parse('tag:"Science-fiction" espace').filters.tags == ("Science-fiction",)
    assert parse("tag:« Science-fiction »").filters.tags == ("Science-fiction",)


def test_filters_mix_with_words():
    query = parse("zombies tag:horreur -comédie")
    assert query.must == (Term("zombies"),)
    assert query.must_not == (Term("comédie"),)
    assert query.filters.tags == ("horreur",)


def test_unquoted_value_loses_trailing_punctuation():
    assert parse("auteur:Dupont, film").filters.authors == ("Dupont",)


@pytest.mark.parametrize("name", ["annee", "année", "Année"])
def test_year(name):
    assert parse(f"{name}:2018").filters.years == YearRange(2018, 2018)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2015..2019", YearRange(2015, 2019)),
        ("2015-2019", YearRange(2015, 2019)),
        ("2015..", YearRange(2015, None)),
        ("..2019", YearRange(None, 2019)),
    ],
)
def test_year_ranges(value, expected):
    query = parse(f"annee:{value}")
    assert query.filters.years == expected
    assert not query.warnings


def test_reversed_year_range_is_swapped_with_a_warning():
    query = parse("annee:2019..2015")
    assert query.filters.years == YearRange(2015, 2019)
    assert query.warnings


def test_year_range_membership():
    assert 2016 in YearRange(2015, 2019)
    assert 2020 not in YearRange(2015, 2019)
    assert 1900 in YearRange(None, 2019)


@pytest.mark.parametrize("value", ["abc", "19", "2015..abc", ".."])
def test_invalid_year_is_ignored_with_a_warning(value):
    query = parse(f"film annee:{value}")
    assert query.filters.years is None
    assert query.must == (Term("film"),)
    assert query.warnings


def test_unknown_field_is_searched_as_words():
    query = parse("foo:bar")
    assert query.must == (Term("foo"), Term("bar"))
    assert "foo" in query.warnings[0]


def test_empty_filter_is_ignored_with_a_warning():
    query = parse("auteur: film")
    assert query.must == (Term("film"),)
    assert not query.filters
    assert "auteur" in query.warnings[0]


def test_excluded_filter_is_ignored_with_a_warning():
    query = parse("film -tag:horreur")
    assert not query.filters and query.must == (Term("film"),)
    assert query.warnings


def test_filters_as_dict():
    assert parse("tag:polar annee:2018").filters.as_dict() == {
        "authors": [],
        "tags": ["polar"],
        "sections": [],
        "years": YearRange(2018, 2018),
    }


# --- limits and robustness ---------------------------------------------------------


def test_long_query_is_truncated_with_a_warning():
    query = parse("cinéma " * 200)
    assert len(query.raw) <= MAX_QUERY_LENGTH
    assert query.must == (Term("cinéma"),)
    assert query.warnings


def test_terms_are_capped_with_a_warning():
    query = parse(" ".join(f"mot{i}" for i in range(50)))
    assert query.term_count == MAX_TERMS
    assert query.warnings


def test_long_phrase_is_cut_to_the_budget():
    query = parse('"' + " ".join(f"mot{i}" for i in range(50)) + '"')
    assert query.term_count == MAX_TERMS


def test_control_and_format_characters():
    assert parse("ciné\u00adma\x00 film\u200b\r\ncoréen").must == (
        Term("cinéma"),
        Term("film"),
        Term("coréen"),
    )


def test_non_string_input():
    assert parse(None).is_empty
    assert parse(2018).must == (Term("2018"),)


def test_query_is_immutable():
    query = parse("film")
    with pytest.raises(dataclasses.FrozenInstanceError):
        query.must = ()


# --- output ------------------------------------------------------------------------


def test_highlight_terms():
    query = parse('Musée OU "l’homme qui rit" Orsay -horreur tag:polar')
    assert query.highlight_terms() == ("musee", "homme", "qui", "rit", "orsay")


def test_str_round_trips():
    text = (
        'zombies cinéma OU "found footage" -horreur -"space opera" '
        'auteur:"Jean Dupont" tag:horreur rubrique:cinéma année:2015..2019'
    )
    query = parse(text)
    assert str(query) == text
    assert parse(str(query)).must == query.must


# --- property tests ----------------------------------------------------------------

FIELD_NAMES = ["auteur", "tag", "genre", "rubrique", "section", "annee", "année", "foo", "TAG"]
PIECES = st.one_of(
    st.sampled_from(
        ['"', "«", "»", "“", "”", "„", ":", "-", " - ", "−", "*", "?", "..", "'", "’"]
        + ["OU", "OR", "ou", "or", " ", "\t", "\n", "\x00", "\x1b", "\u00ad", "\u200b"]
        + ["le", "la", "l'", "qu'", "jusqu’", "2015", "2015..2019", "2019..2015", "é", "Œ"]
        + [f"{name}:" for name in FIELD_NAMES]
    ),
    st.text(alphabet="abcdéèœ -:\"«»'*?0123456789", max_size=12),
    st.text(max_size=8),
)
MIXED = st.lists(PIECES, max_size=40).map("".join)
HUGE = st.builds(lambda piece, n: piece * n, PIECES, st.integers(0, 600))


def check_query(query):
    assert isinstance(query, Query)
    assert CRASH_WARNING not in query.warnings
    assert query.term_count <= MAX_TERMS
    assert len(query.must) + len(query.must_not) <= MAX_TERMS
    assert all(isinstance(w, str) for w in query.warnings)
    for clause in query.must_not:
        assert not isinstance(clause, AnyOf)
    for clause in query.must + query.must_not:
        assert clause.words and all(clause.words)
        if isinstance(clause, AnyOf):
            assert len(clause.options) >= 2
    str(query)
    query.highlight_terms()
    assert query.is_empty == (not (query.must or query.must_not or query.filters))


@settings(max_examples=2000, deadline=None)
@given(st.one_of(st.text(), MIXED, HUGE))
def test_parse_never_raises(text):
    query = parse(text)
    check_query(query)
    rendered = str(query)
    if len(rendered) <= MAX_QUERY_LENGTH and query.term_count < MAX_TERMS:
        # What we show back to the reader means the same thing.
        again = parse(rendered)
        check_query(again)
        assert (again.must, again.must_not, again.filters) == (
            query.must,
            query.must_not,
            query.filters,
        )


def test_many_stray_quotes_give_one_warning():
    assert len(parse('film "' + ' "'.join(["x"] * 3)).warnings) <= 1
    assert len(parse("« " * 100).warnings) <= 2


# --- Names ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Romane", ["Romane"]),
        ("Romane Bohringer", ["Romane", "Bohringer"]),
        ("roman de Romane", ["Romane"]),
        ("Inondations en Bretagne", ["Inondations", "Bretagne"]),
        ("Inondations bretonnes", []),  # a first word before lower case
        ("Série noire", []),
        ("ONU roman", []),  # capitals: not a name
        ('"Romane"', []),  # quoted: exact already
    ],
)
def test_capitalised_words_are_names(text, names):
    query = parse(text)
    assert [c.text for c in query.must if isinstance(c, Term) and c.name] == names


def test_a_name_matches_its_exact_forms_only():
    name = parse("Romane").must[0]
    assert name.stems == ()
    assert name.forms == ("romane", "romanes")
    assert name.terms == ["eromane", "eromanes"]
    assert parse("Morels").must[0].forms == ("morels", "morel")
