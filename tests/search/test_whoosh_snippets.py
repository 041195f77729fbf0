"""Whoosh snippets (search.backends.whoosh_snippets) analyse the text on the fast
path and find the places of the window's words only: the snippet is the one
computed from every word's place (analyse_spans)."""

import bisect
import html
import random

import pytest

from search.analysis import analyse_spans
from search.backends.whoosh_snippets import highlight_terms, snippet_html
from search.query import parse

WORDS = (  # noqa: SIM905 - a word list reads better as words
    "cinéma série saison saisons épisode critique réalisateur l'actrice qu'aujourd'hui "
    "œuvre oeuvre festival logiqueL'ONG finD’une à une et ce le film lui <b> & "
    "Jean-Baptiste 2024 l' de la les des aujourd'hui"
).split()


def reference(text, exact, stemmed, *, fallback=False, size=30):
    """The snippet as computed from every word's place."""
    words = analyse_spans(text)
    if not words:
        return html.escape(text[:300]) if fallback and text else None
    matched = [
        i
        for i, (_start, _end, word) in enumerate(words)
        if word.exact in exact or (stemmed and not stemmed.isdisjoint(word.stems))
    ]
    if not matched and not fallback:
        return None
    start = 0
    if matched:
        best, best_count = matched[0], 0
        for k, i in enumerate(matched):
            n = bisect.bisect_left(matched, i + size - 5) - k
            if n > best_count:
                best, best_count = i, n
        start = max(0, best - 5)
    end = min(len(words), start + size)
    marked = set(matched)
    parts = ["… " if start > 0 else ""]
    position = words[start][0]
    for i in range(start, end):
        word_start, word_end, _word = words[i]
        parts.append(html.escape(text[position:word_start]))
        escaped = html.escape(text[word_start:word_end])
        parts.append(f"<mark>{escaped}</mark>" if i in marked else escaped)
        position = word_end
    if end < len(words):
        parts.append(" …")
    else:
        parts.append(html.escape(text[position:]))
    return "".join(parts).strip()


@pytest.mark.parametrize("seed", range(40))
def test_snippet_is_the_one_computed_from_every_place(seed):
    rng = random.Random(seed)
    separators = [" ", " ", " ", ", ", ". ", " — ", "\n", " (", ") "]
    text = "".join(
        rng.choice(WORDS) + rng.choice(separators) for _ in range(rng.choice([0, 3, 25, 80, 400]))
    )
    query = parse(" ".join(rng.sample(["saison", "critique", "oeuvre", "ONG", "une", "film",
                                       '"à une"', "Jean-Baptiste", "lumière"], 2)))  # fmt: skip
    exact, stemmed = highlight_terms(query)
    for fallback in (False, True):
        for size in (30, 5):
            assert snippet_html(text, exact, stemmed, fallback=fallback, size=size) == reference(
                text, exact, stemmed, fallback=fallback, size=size
            ), (text, query)
