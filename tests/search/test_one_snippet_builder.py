"""Both backends build their snippets with search.snippets.snippet_of, each
with its own layout and marks: the snippets are the ones each backend's own
builder made before (the expected values below are their outputs)."""

import hashlib
import random

import pytest

from search.backends.postgres.snippets import _Marks
from search.query import parse
from search.snippets import POSTGRES, WHOOSH, Marks, highlight_terms, snippet_html, snippet_of

LONG = " ".join(f"mot{i}" for i in range(1, 59)) + " la nuit."
CAT = " ".join(["Le chat noir dort sur la table de la cuisine."] * 4)

# (query, texts, Whoosh's snippet, PostgreSQL's snippet)
CASES = [
    (
        '"chemin de fer"',
        ["Le fer de lance. Chemin de fer."],
        "Le <mark>fer</mark> <mark>de</mark> lance. "
        "<mark>Chemin</mark> <mark>de</mark> <mark>fer</mark>.",
        "Le fer de lance. <mark>Chemin</mark> <mark>de</mark> <mark>fer</mark>.",
    ),
    (
        "nuit",
        ["Une nuit.", "La nuit, encore la nuit et la nuit."],
        "Une <mark>nuit</mark>.",
        "La <mark>nuit</mark>, encore la <mark>nuit</mark> et la <mark>nuit</mark>.",
    ),
    (
        "nuit",
        [LONG],
        "… mot55 mot56 mot57 mot58 la <mark>nuit</mark>.",
        "…" + " ".join(f"mot{i}" for i in range(31, 59)) + " la <mark>nuit</mark>.",
    ),
    (
        "amour",
        ["L'amour fou, « l’amour » toujours."],
        "<mark>amour</mark> fou, « l’<mark>amour</mark> » toujours.",
        "L&#x27;<mark>amour</mark> fou, « l’<mark>amour</mark> » toujours.",
    ),
    (
        "début",
        ["« Début de l'histoire », dit-elle."],
        "<mark>Début</mark> de l&#x27;histoire », dit-elle.",
        "« <mark>Début</mark> de l&#x27;histoire », dit-elle.",
    ),
    (
        "absent",
        ["", "Un été à Paris, au cinéma.", "Court."],
        "Un été à Paris, au cinéma.",
        "Court.",
    ),
    ("absent", ["… — …", ""], "… — …", ""),
    (
        "été",
        ["<b>Été</b> & hiver : l'été dernier, « l’été »."],
        "b&gt;<mark>Été</mark>&lt;/b&gt; &amp; hiver : l&#x27;<mark>été</mark> dernier, "
        "« l’<mark>été</mark> ».",
        "&lt;b&gt;<mark>Été</mark>&lt;/b&gt; &amp; hiver : l&#x27;<mark>été</mark> dernier, "
        "« l’<mark>été</mark> ».",
    ),
    (
        "chats noirs",
        ["", CAT + " Les chats noirs."],
        " ".join(
            ["Le <mark>chat</mark> <mark>noir</mark> dort sur la table de la cuisine."] * 3
        ).removesuffix(".")
        + " …",
        " ".join(
            ["Le <mark>chat</mark> <mark>noir</mark> dort sur la table de la cuisine."] * 3
        ).removesuffix(".")
        + "…",
    ),  # fmt: skip
    (
        '"de la" film',
        ["Film de la semaine.", "Un film, de la musique, de la danse et la fin."],
        "<mark>Film</mark> <mark>de</mark> <mark>la</mark> semaine.",
        "Un <mark>film</mark>, <mark>de</mark> <mark>la</mark> musique, "
        "<mark>de</mark> <mark>la</mark> danse et la fin.",
    ),
    ("nuit", [], "", ""),
    ("nuit", ["", ""], "", ""),
    (
        "qu'aujourd'hui 1968",
        ["Qu'aujourd'hui encore, Mai 1968 résonne."],
        "<mark>aujourd&#x27;hui</mark> encore, Mai <mark>1968</mark> résonne.",
        "Qu&#x27;<mark>aujourd&#x27;hui</mark> encore, Mai <mark>1968</mark> résonne.",
    ),
]


def whoosh_snippet(query, texts):
    return snippet_of(texts, Marks.of(parse(query), whole_phrases=False), WHOOSH, pick="first")


def postgres_snippet(query, texts):
    return snippet_of(texts, Marks.of(parse(query), whole_phrases=True), POSTGRES, pick="most")


@pytest.mark.parametrize(("query", "texts", "whoosh", "postgres"), CASES)
def test_each_backend_keeps_its_snippets(query, texts, whoosh, postgres):
    assert whoosh_snippet(query, texts) == whoosh
    assert postgres_snippet(query, texts) == postgres
    assert _Marks(parse(query)).snippet(texts) == postgres


PIECES = (  # noqa: SIM905 - a word list reads better as words
    "nuit nuits été Été l'été l’été l'amour L’Amour d'un qu'aujourd'hui chemin de fer "
    "le la les des du un une et à chat chats noirs noir œuvre Œuvre oeuvre cinéma "
    'Mélancolie critique 2019 1968 festival de la film films <b> & "cité" logiqueL\'ONG'
).split()
SEPARATORS = [" ", " ", " ", ", ", ". ", " — ", "\n", " « ", " » ", "\u00a0", " (", ") "]
QUERIES = ["nuit", "été", '"chemin de fer"', "l'amour", "chats noirs", "nuit OU jour",
           '"de la" film', "absent", "Œuvre", "qu'aujourd'hui 1968", '"l\'été"']  # fmt: skip


def generated_cases(n=160, seed=2026):
    """Hits of one to three fields (empty, short, around the snippet's size,
    long) of French words, elisions, phrases and stop words, and a query."""
    rng = random.Random(seed)
    cases = []
    for _ in range(n):
        texts = []
        for _field in range(rng.choice([1, 2, 3])):
            length = rng.choice([0, 1, 3, 12, 29, 31, 45, 120])
            text = "".join(rng.choice(PIECES) + rng.choice(SEPARATORS) for _ in range(length))
            texts.append(
                rng.choice(["", "« ", "L'"]) + text if text else rng.choice(["", "…", "« »"])
            )
        cases.append((rng.choice(QUERIES), texts))
    return cases


def digest(snippets):
    h = hashlib.sha256()
    for snippet in snippets:
        h.update(snippet.encode() + b"\0")
    return h.hexdigest()


# The digests of the snippets each backend's own builder made of generated_cases().
# On a mismatch, compare the snippets case by case with the builder of the last
# commit before search.snippets.snippet_of.
WHOOSH_DIGEST = "dcece2bcea9dd598201884b103276d1d47fbf61b87e2b3a5d6d66c15d60b79de"
POSTGRES_DIGEST = "620865cbccb52942551961e39d13382deaf6c55e1d72fa0c443aad51502735f9"


def test_generated_hits_keep_their_snippets():
    cases = generated_cases()
    whoosh = [whoosh_snippet(query, texts) for query, texts in cases]
    postgres = [postgres_snippet(query, texts) for query, texts in cases]
    # The cases mark words, show texts without marks, and leave some hits without a snippet.
    assert sum("<mark>" in s for s in whoosh) > 100 and sum("<mark>" in s for s in postgres) > 90
    assert "" in whoosh and "" in postgres
    assert digest(whoosh) == WHOOSH_DIGEST
    assert digest(postgres) == POSTGRES_DIGEST


def test_whoosh_snippet_of_a_text_is_snippet_html():
    """snippet_html (one text, None without a match) is the snippet_of a text."""
    for query, texts in generated_cases(40, seed=7):
        exact, stemmed = highlight_terms(parse(query))
        marks = Marks.of(parse(query), whole_phrases=False)
        for text in texts:
            snippet = snippet_html(text, exact, stemmed)
            if snippet is not None:
                assert snippet == snippet_of([text], marks)
            elif text:
                assert snippet_of([text], marks) == snippet_html(text, set(), set(), fallback=True)
