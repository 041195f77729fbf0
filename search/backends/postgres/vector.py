"""A document's vector: its searched texts as positioned lexemes, the tsvector
literal written from them, and the shortcuts derived from their positions and
weights (class shortcuts, phrases of two and three words); also the phrases
within a query's phrases, which those shortcuts answer."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from search.analysis import EXACT_PREFIX, POSTGRES_POSITIONS_PER_WORD, lexemes_for_postgres
from search.backends.postgres import schema
from search.backends.postgres.schema import (
    GAP,
    MAX_LEXEME_BYTES,
    MAX_POSITION,
    MAX_POSITIONS_PER_LEXEME,
    PHRASE,
    _as_list,
    _labels,
    _plain,
    _quote,
)
from search.index import Keyword
from search.query import AnyOf, Phrase

# A searched text as it enters the vector: (weight class, position before its
# first lexeme, its lexemes).
_Field = tuple[str, int, list[str]]


def _recorded(fields: list[_Field]) -> dict[str, list[tuple[int, str]]]:
    """Lexeme -> (position, class) as the vector records them: positions stop at
    MAX_POSITION (a lexeme is recorded there once) and at
    MAX_POSITIONS_PER_LEXEME per lexeme."""
    recorded: dict[str, list[tuple[int, str]]] = {}
    for weight, start, lexemes in fields:
        for offset, lexeme in enumerate(lexemes, 1):
            at = min(start + offset, MAX_POSITION)
            found = recorded.setdefault(lexeme, [])
            if (not found or found[-1][0] != at) and len(found) < MAX_POSITIONS_PER_LEXEME:
                found.append((at, weight))
    return recorded


def _phrase(words: Iterable[str]) -> str:
    """The shortcut of a phrase of exact forms."""
    return PHRASE + "_".join(words)


def _phrases_of_fields(fields: list[_Field]) -> set[tuple[str, ...]]:
    """Every phrase of two and three words (exact forms), read from the words
    themselves: right when each exact form is recorded at its own position
    (see _phrases_of_positions). Each word is three lexemes, its exact form
    first."""
    phrases: set[tuple[str, ...]] = set()
    for _weight, _start, lexemes in fields:
        words = [lexeme[len(EXACT_PREFIX) :] for lexeme in lexemes[::POSTGRES_POSITIONS_PER_WORD]]
        phrases.update(zip(words, words[1:], strict=False))
        phrases.update(zip(words, words[1:], words[2:], strict=False))
    return phrases


def _phrases_of_positions(recorded: dict[str, list[tuple[int, str]]]) -> set[tuple[str, ...]]:
    """Every phrase of two and three words the vector holds: (a, b) for exact
    forms at p and p+3 (what ``'ea' <3> 'eb'`` finds), (a, b, c) with c at p+6.
    Stop words repeat their exact form at three positions: their phrases are
    also read from the first ones, so the words of each field in order give
    the same set as long as no position was lost."""
    words_at: dict[int, list[str]] = {}
    for lexeme, found in recorded.items():
        if lexeme.startswith(EXACT_PREFIX):
            for at, _weight in found:
                words_at.setdefault(at, []).append(lexeme[len(EXACT_PREFIX) :])
    step = POSTGRES_POSITIONS_PER_WORD
    phrases: set[tuple[str, ...]] = set()
    for at, firsts in words_at.items():
        for second in words_at.get(at + step, ()):
            phrases.update((first, second) for first in firsts)
            for third in words_at.get(at + 2 * step, ()):
                phrases.update((first, second, third) for first in firsts)
    return phrases


def _fits(phrases: set[str]) -> bool:
    """Whether phrase shortcuts fit in a tsvector (per lexeme and in all)."""
    lengths = list(map(len, phrases))
    if (
        4 * sum(lengths) <= schema.MAX_PHRASE_BYTES
        and 4 * max(lengths, default=0) <= MAX_LEXEME_BYTES
    ):
        return True  # four bytes a character at most
    sizes = [len(p.encode()) for p in phrases]
    return sum(sizes) <= schema.MAX_PHRASE_BYTES and max(sizes, default=0) <= MAX_LEXEME_BYTES


def _runs(words: list[str]) -> list[str]:
    """The shortcuts of the phrases of three and two words within a phrase."""
    triples = zip(words, words[1:], words[2:], strict=False)
    return [*map(_phrase, triples), *map(_phrase, zip(words, words[1:], strict=False))]


def _phrase_words(clause) -> list[list[str]]:
    """The exact forms of each phrase of two words or more in a clause."""
    options = clause.options if isinstance(clause, AnyOf) else (clause,)
    phrases = [[w for w in o.folded if w] for o in options if isinstance(o, Phrase)]
    return [words for words in phrases if len(words) > 1]


def document_fields(backend, document: dict) -> list[_Field]:
    """The searched texts of a document, heaviest first, as the vector holds them."""
    fields = []
    position = 0
    for f, weight in backend.searched:
        value = document.get(f.name)
        for text in _as_list(value) if isinstance(f, Keyword) else [value]:
            lexemes = lexemes_for_postgres(str(text or "")).split()
            if lexemes:
                fields.append((weight, position, lexemes))
                position += len(lexemes) + GAP
    return fields


def document_vector(backend, document: dict) -> tuple[str, set[str], set[str], set[str]]:
    """The tsvector literal of a document, its lexemes, its class shortcuts
    and its phrases."""
    fields = document_fields(backend, document)
    recorded = None
    if fields and fields[-1][1] + len(fields[-1][2]) > MAX_POSITION:
        recorded = _recorded(fields)
        positions = {
            lexeme: [_labels(weight)[at] for at, weight in found]
            for lexeme, found in recorded.items()
        }
    else:
        # The usual case, written for speed: positions only grow, so a
        # lexeme is never recorded twice at one; the first positions of a
        # lexeme are kept.
        positions = defaultdict(list)
        for weight, start, lexemes in fields:
            labels = _labels(weight)[start + 1 : start + 1 + len(lexemes)]
            for lexeme, label in zip(lexemes, labels, strict=True):
                positions[lexeme].append(label)
        for found in positions.values():
            if len(found) > MAX_POSITIONS_PER_LEXEME:
                del found[MAX_POSITIONS_PER_LEXEME:]
                recorded = recorded or _recorded(fields)
    if _plain(positions):
        literal = " ".join(f"'{lexeme}':{','.join(at)}" for lexeme, at in positions.items())
    else:
        literal = " ".join(f"{_quote(lexeme)}:{','.join(at)}" for lexeme, at in positions.items())
    return literal, set(positions), *shortcuts(backend, fields, recorded)


def shortcuts(backend, fields: list[_Field], recorded: dict | None):
    """Class shortcuts and phrases. From the fields themselves unless some
    positions were lost (``recorded``: then from what the vector holds)."""
    shortcuts: set[str] = set()
    if recorded is None:
        for weight, _start, lexemes in fields:
            if weight in backend.head:
                shortcuts.update(map(weight.__add__, lexemes))
        return shortcuts, _phrases_of_fields(fields)
    for lexeme, found in recorded.items():
        shortcuts.update(weight + lexeme for _at, weight in found if weight in backend.head)
    return shortcuts, _phrases_of_positions(recorded)
