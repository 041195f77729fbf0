"""The PostgreSQL backend: its own conventions (lexemes, tsquery, vocabulary),
and the reader's cases, on a real PostgreSQL database (skipped elsewhere).

Documents are written explicitly through the backend, whatever the indexer does
on save, so that these tests depend on nothing but the backend."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

import search.index
from search.analysis import POSTGRES_POSITIONS_PER_WORD, lexemes_for_postgres
from search.backends import postgres
from search.backends.base import PageOutOfRange, Refinements
from search.backends.postgres import PostgresBackend, fold_value
from search.models import SearchDocument, SearchTerm
from search.query import parse
from tests.factories import ArticleFactory, AuthorFactory, PhotoFactory, SectionFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the PostgreSQL backend needs PostgreSQL"
    ),
]


def at(year, month=6, day=15):
    return timezone.make_aware(datetime.datetime(year, month, day, 12))


def backend(name="articles"):
    return PostgresBackend(search.index.get(name))


def index_all(name="articles"):
    b = backend(name)
    b.write(search.index.get(name).documents(), [])
    return b


def titles(results):
    return [hit.stored["title"] for hit in results.hits]


def find(b, text, **kwargs):
    return b.search(parse(text), **kwargs)


def article(title, body="", **kwargs):
    return ArticleFactory(title=title, body=f"<p>{body}</p>" if body else "<p>Rien.</p>", **kwargs)


# --- conventions -------------------------------------------------------------


def test_vector_is_what_to_tsvector_simple_gives_for_one_field():
    b = backend()
    text = "L’affaire des saisons : Œuvre supprimée, aujourd'hui 2019."
    literal = b._vector({"title": text})[0]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s::tsvector = setweight(to_tsvector('simple', %s), 'A')",
            [literal, lexemes_for_postgres(text)],
        )
        assert cursor.fetchone()[0]


def test_three_positions_per_word_and_phrase_distance():
    assert POSTGRES_POSITIONS_PER_WORD == 3
    lexemes = lexemes_for_postgres("le chat noir").split()
    assert lexemes == ["ele", "ele", "ele", "echat", "schat", "schat", "enoir", "snoir", "snoir"]
    query = PostgresBackend._clause(parse('"le chat noir"').must[0])
    assert query == "'ele' <3> 'echat' <3> 'enoir'"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_tsvector('simple', %s) @@ %s::tsquery,"
            " to_tsvector('simple', %s) @@ %s::tsquery",
            [" ".join(lexemes), query, lexemes_for_postgres("le chat très noir"), query],
        )
        assert cursor.fetchone() == (True, False)


def test_term_and_query_syntax():
    b = backend()
    match, rank, exact = b._tsqueries(parse('saisons "Netflix" cinéma OU série -horreur'))
    assert match == (
        "( 'esaisons' | 'ssaison' ) & 'enetflix' & ( ( 'ecinema' | 'scinem' )"
        " | ( 'eserie' | 'sserie' ) ) & !( ( 'ehorreur' | 'shorreur' ) )"
    )
    assert rank == match.rsplit(" & !", 1)[0]
    assert exact == "'esaisons' | 'enetflix' | 'ecinema' | 'eserie'"


def test_weight_classes_follow_field_weights():
    b = backend()
    assert b.field_class == {
        "title": "A",
        "standfirst": "B",
        "tags": "C",
        "section": "C",
        "authors": "C",
        "body": "D",
        "photos": "D",
    }
    assert b.rank_weights == [0.2, 0.3, 0.4, 1.0]
    assert backend("photos").field_class == {
        "credit": "A",
        "title": "B",
        "holders": "C",
        "caption": "D",
    }


def test_no_phrase_across_fields():
    article("Fin du titre", "Début du corps")
    b = index_all()
    assert find(b, "titre début").count == 1
    assert find(b, '"titre début"').count == 0
    assert find(b, '"début du corps"').count == 1


def test_keywords_hold_displayed_and_folded_values():
    a = article("Un film", tags=["Science-Fiction"], authors=[AuthorFactory(name="Éric Rohmer")])
    a.published_at = at(2019)
    a.save()
    index_all()
    doc = SearchDocument.objects.get(index="articles", object_id=str(a.pk))
    assert doc.keywords["tag"] == ["Science-Fiction"]
    assert doc.keywords["tag_folded"] == ["science fiction"]
    assert doc.keywords["author_folded"] == ["eric rohmer"]
    assert doc.keywords["year"] == ["2019"]
    assert fold_value("  Science—fiction ") == "science fiction"


# --- what readers type -------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "typed"),
    [
        ("Les saisons de la série", "saison"),
        ("Une saison de trop", "saisons"),
        ("Tous les épisodes", "episodes"),
        ("Tous les episodes", "épisodes"),
        ("Retour sur l’affaire", "affaire"),
        ("Retour sur une affaire", "l'affaire"),
        ("Une Œuvre majeure", "oeuvre"),
        ("Une oeuvre majeure", "Œuvre"),
        ("La scène supprimée", "supprimer"),
        ("Ils veulent supprimer la scène", "supprimée"),
    ],
)
def test_forms_find_each_other(written, typed):
    article(written)
    article("Rien à voir", "Un autre sujet")
    b = index_all()
    assert titles(find(b, typed)) == [written]


def test_phrase_with_english_words():
    article("Orange is the new black revient", "La série de Netflix.")
    article("Black orange", "The new is.")
    b = index_all()
    assert titles(find(b, '"orange is the new black"')) == ["Orange is the new black revient"]
    assert find(b, "orange black").count == 2


def test_phrase_with_elision_and_stop_words():
    article("Critique", "Nous avons vu l'homme qui rit au cinéma.")
    article("Autre", "L'homme rit, et qui donc ?")
    b = index_all()
    assert titles(find(b, "« l’homme qui rit »")) == ["Critique"]


@pytest.mark.parametrize(
    "text", ["Qu'est-ce qu'un late show ?", "VIDÉO - Normandie : la patronne", "'", "\\' OR 1=1 --"]
)
def test_pasted_headlines_run(text):
    article("Qu'est-ce qu'un late show ? La réponse", "VIDÉO - Normandie : la patronne")
    b = index_all()
    results = find(b, text)
    assert results.count >= 0
    if text.startswith(("Qu", "VID")):
        assert results.count == 1


def test_suggestion():
    article("Netflix et ses séries", "Netflix encore.")
    article("Netflix en France")
    b = index_all()
    results = find(b, "netflics")
    assert results.count == 0
    assert results.suggestion == "netflix"
    assert b.suggest(parse("séries netflics")) == "séries netflix"
    assert b.suggest(parse("netflix séries")) is None
    assert b.suggest(parse("série")) is None  # known through its stem


def test_suggestion_of_a_far_more_frequent_spelling_under_few_results():
    for i in range(10):
        article(f"Netflix saison {i}")
    article("Une coquille", "Vu sur netflx, une saisons.")
    b = index_all()
    assert find(b, "netflx").suggestion == "netflix"  # one result only
    assert b.suggest(parse("netflx")) is None  # a known word, results unknown
    assert find(b, "netflix").suggestion is None
    assert find(b, "saisons").suggestion is None  # a form of a known word


def test_vocabulary_follows_writes():
    a = article("Zanzibar", "Une île.")
    b = index_all()
    assert SearchTerm.objects.get(index="articles", term="ezanzibar").documents == 1
    a2 = article("Zanzibar encore")
    b.write(search.index.get("articles").documents([a2.pk]), [])
    assert SearchTerm.objects.get(index="articles", term="ezanzibar").documents == 2
    b.write([], [str(a.pk), str(a2.pk)])
    assert not SearchTerm.objects.filter(index="articles", term="ezanzibar").exists()
    assert not SearchTerm.objects.filter(index="articles").exclude(documents__gt=0).exists()


# --- filters, refinements, facets, sort, pages ----------------------------------


@pytest.fixture
def archive():
    cinema, series = SectionFactory(name="Cinéma"), SectionFactory(name="Séries")
    agnes, eric = AuthorFactory(name="Agnès Varda"), AuthorFactory(name="Éric Rohmer")
    specs = [
        ("Un film de genre", cinema, [agnes], ["Horreur", "Science-fiction"], 2015),
        ("Un film d'auteur", cinema, [eric], ["Drame"], 2018),
        ("Une série de genre", series, [agnes, eric], ["Science-fiction"], 2021),
        ("Une série policière", series, [eric], ["Polar", "Drame"], 2023),
    ]
    for title, section, authors, tags, year in specs:
        ArticleFactory(
            title=title,
            section=section,
            authors=authors,
            tags=tags,
            published_at=at(year),
            body="<p>Un genre de critique.</p>",
        )
    return index_all()


def test_filters_are_case_and_accent_insensitive(archive):
    assert titles(find(archive, "genre tag:science-fiction", sort="date")) == [
        "Une série de genre",
        "Un film de genre",
    ]
    assert titles(find(archive, 'auteur:"eric ROHMER" rubrique:series', sort="date")) == [
        "Une série policière",
        "Une série de genre",
    ]
    assert titles(find(archive, "annee:2016..2021", sort="date")) == [
        "Une série de genre",
        "Un film d'auteur",
    ]
    assert find(archive, "tag:western").count == 0


def test_refinements(archive):
    refine = Refinements(values={"tag": ("Drame",), "section": ("séries",)})
    assert titles(find(archive, "genre", refinements=refine)) == ["Une série policière"]
    years = Refinements(year_from=2018, year_to=2021)
    assert find(archive, "genre", refinements=years).count == 2
    assert find(archive, "annee:2020..", refinements=years).count == 1
    assert find(archive, "", refinements=Refinements(values={"year": ("2015",)})).count == 1
    assert find(archive, "genre", refinements=Refinements(values={"nope": ("x",)})).count == 0


def test_facets(archive):
    facets = find(archive, "genre").facets
    assert facets["tag"] == [("Drame", 2), ("Science-fiction", 2), ("Horreur", 1), ("Polar", 1)]
    assert facets["author"] == [("Éric Rohmer", 3), ("Agnès Varda", 2)]
    assert facets["section"] == [("Cinéma", 2), ("Séries", 2)]
    assert facets["year"] == [("2015", 1), ("2018", 1), ("2021", 1), ("2023", 1)]
    assert find(archive, "policière").facets["tag"] == [("Drame", 1), ("Polar", 1)]
    assert find(archive, "genre", facets=False).facets == {}


def test_sort_and_relevance(archive):
    by_date = find(archive, "genre", sort="date")
    assert [h.stored["date"].year for h in by_date.hits] == [2023, 2021, 2018, 2015]
    # "genre" in the title (class A) before "genre" in the body only.
    assert set(titles(find(archive, "genre"))[:2]) == {"Un film de genre", "Une série de genre"}


def test_exact_words_rank_first():
    article("Les saisons", "Un texte un peu plus long que le titre.")
    article("La saison", "Un texte un peu plus long que le titre.")
    b = index_all()
    assert titles(find(b, "saison")) == ["La saison", "Les saisons"]
    assert titles(find(b, "saisons")) == ["Les saisons", "La saison"]


def test_pagination(archive):
    first = find(archive, "genre", per_page=3)
    second = find(archive, "genre", per_page=3, page=2)
    assert first.count == second.count == 4
    assert len(first.hits) == 3 and len(second.hits) == 1
    assert not {h.id for h in first.hits} & {h.id for h in second.hits}
    with pytest.raises(PageOutOfRange):
        find(archive, "genre", per_page=3, page=3)
    with pytest.raises(PageOutOfRange):
        find(archive, "genre", page=0)
    assert find(archive, "introuvable").hits == []


def test_large_result_sets_rank_the_newest_head_matches_then_the_rest_by_date(archive, monkeypatch):
    monkeypatch.setattr(postgres, "RANK_WINDOW", 2)
    pages = [titles(find(archive, "genre", per_page=3, page=n)) for n in (1, 2)]
    # The candidates hold "genre" in a heavy field (their titles), ranked; then by date.
    assert set(pages[0][:2]) == {"Un film de genre", "Une série de genre"}
    assert pages[0][2:] == ["Une série policière"]
    assert pages[1] == ["Un film d'auteur"]
    assert find(archive, "genre", per_page=1, page=3).hits[0].stored["title"] == (
        "Une série policière"
    )
    assert find(archive, "genre", per_page=3).count == 4


def test_exclusion_and_or(archive):
    assert set(titles(find(archive, "genre -série"))) == {"Un film de genre", "Un film d'auteur"}
    assert set(titles(find(archive, "-film"))) == {"Une série de genre", "Une série policière"}
    assert set(titles(find(archive, "policière OU auteur"))) == {
        "Une série policière",
        "Un film d'auteur",
    }
    # OU cannot link an exclusion: read as "policière -auteur".
    assert titles(find(archive, "policière OU -auteur")) == ["Une série policière"]
    assert find(archive, "auteur:eric").count == 3  # any of an author's names
    assert find(archive, "auteur:er").count == 0  # whole words


def test_keyword_words_are_searchable(archive):
    assert titles(find(archive, "polar")) == ["Une série policière"]
    assert find(archive, "rohmer").count == 3


def test_stored_fields(archive):
    hit = find(archive, "policière").hits[0]
    assert hit.stored["title"] == "Une série policière"
    assert hit.stored["tags"] == ["Drame", "Polar"]
    assert hit.stored["date"] == at(2023)
    assert hit.stored["url"].startswith("/")


# --- highlights ------------------------------------------------------------------


def test_highlight_escapes_and_marks_forms():
    article(
        "Bilan",
        "Avant. Les saisons &lt;script&gt;alert(1)&lt;/script&gt; passent, une saison de plus.",
    )
    b = index_all()
    snippet = find(b, "saison").hits[0].snippet
    assert "<script>" not in snippet
    assert "&lt;script&gt;" in snippet
    assert "<mark>saisons</mark>" in snippet and "<mark>saison</mark>" in snippet
    assert find(b, "saison", highlight=False).hits[0].snippet == ""


def test_highlight_window_and_phrase():
    filler = " ".join(f"mot{i}" for i in range(80))
    article("Texte", f"{filler} orange is the new black, {filler} orange seule")
    b = index_all()
    snippet = find(b, '"orange is the new black"').hits[0].snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "<mark>orange</mark> <mark>is</mark> <mark>the</mark>" in snippet
    assert len(snippet.split()) < 45


def test_highlight_without_match_in_body_shows_its_start():
    article("Saison unique", "Le corps ne parle pas du titre.")
    b = index_all()
    assert find(b, "saison").hits[0].snippet.startswith("Le corps")


# --- autocomplete, more like this ---------------------------------------------


def test_autocomplete(archive):
    assert archive.autocomplete("sci") == ["Science-fiction"]
    assert archive.autocomplete("séri")[:2] == ["Séries", "Une série policière"]
    assert "Éric Rohmer" in archive.autocomplete("rohm")
    assert archive.autocomplete("film d") == ["Un film de genre"]  # "d'auteur" is "auteur"
    # Titles hold every word, the last as a prefix, newest first.
    assert archive.autocomplete("genre un") == ["Une série de genre", "Un film de genre"]
    assert len(archive.autocomplete("un", limit=2)) == 2
    assert archive.autocomplete("") == []
    assert archive.autocomplete("%") == []


def test_more_like_this():
    a = article("Les vampires de Transylvanie", "Vampires, crocs et châteaux des Carpates.")
    b2 = article("Vampires en Transylvanie", "Un château, des vampires.")
    article("Cuisine lyonnaise", "Quenelles et cervelle de canut.")
    article("Autre cuisine", "Les quenelles de brochet.")
    b = index_all()
    assert b.more_like_this(str(a.pk)) == [str(b2.pk)]
    assert b.more_like_this("404") == []


def test_photos_index():
    photo = PhotoFactory(
        title="Plateau", caption="Sur le tournage de l'Œuvre", credit="© Studio Nord"
    )
    ArticleFactory(lead_photo=photo)  # only photos of published articles are findable
    b = index_all("photos")
    results = find(b, "oeuvre")
    assert results.count == 1
    assert "<mark>Œuvre</mark>" in results.hits[0].snippet
    assert find(b, "auteur:x oeuvre").count == 0


# --- writing -----------------------------------------------------------------


def test_write_replaces_and_deletes_and_hashes():
    a, b2 = article("Premier"), article("Second")
    b = index_all()
    hashes = b.hashes()
    assert set(hashes) == {str(a.pk), str(b2.pk)}
    assert hashes[str(a.pk)] == search.index.document_hash(
        dict(search.index.get("articles").documents([a.pk]))[str(a.pk)]
    )
    a.title = "Premier modifié"
    a.save()
    b.write(search.index.get("articles").documents([a.pk]), [str(b2.pk)])
    assert set(b.hashes()) == {str(a.pk)}
    assert b.hashes()[str(a.pk)] != hashes[str(a.pk)]
    assert titles(find(b, "modifié")) == ["Premier modifié"]
    assert find(b, "second").count == 0


def test_rebuild_replaces_everything():
    article("Ancien")
    b = index_all()
    SearchDocument.objects.filter(index="articles").update(hash="stale")
    calls = []
    docs = list(search.index.get("articles").documents())
    b.rebuild(iter(docs), len(docs), calls.append)
    assert sum(calls) == len(docs)
    assert "stale" not in b.hashes().values()
    assert find(b, "ancien").count == 1


def test_failed_rebuild_leaves_the_old_documents():
    article("Ancien article")
    b = index_all()
    before = b.hashes()

    def broken():
        yield from search.index.get("articles").documents()
        raise RuntimeError("killed")

    with pytest.raises(RuntimeError):
        b.rebuild(broken(), 1)
    assert b.hashes() == before
    assert find(b, "ancien").count == 1
    assert SearchTerm.objects.filter(index="articles", term="eancien").exists()


def test_indexes_exist():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'search_searchdocument'")
        names = {name for (name,) in cursor.fetchall()}
        cursor.execute("SELECT count(*) FROM pg_ts_config WHERE cfgname = 'fr'")
        assert cursor.fetchone()[0] == 1
    assert "search_document_matched_gin" in names
