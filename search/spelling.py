""" "Vouliez-vous dire …": which words to correct, and into what. Shared by
every backend; a backend only says how often a word occurs and lists the
known words near it (:class:`Vocabulary` does that from a term list).

A suggestion rewrites a query the reader will see, so it must be rarer than a
wrong one is costly:

* only plain words are corrected: never a quoted word or phrase, a name (a
  word typed with a capital, see :mod:`search.query`), a number or a stop word;
* an *unknown* word (neither its exact form nor its stems are in the index)
  becomes the nearest known word: edit distance 1 for words of up to 4
  letters, else 2; the most frequent among the nearest;
* a *known* word is corrected only when the query finds fewer than
  :data:`SUGGEST_BELOW` results, the word is in fewer than :data:`WELL_KNOWN`
  documents, and the correction is one slip away (a letter missing, added,
  or two letters swapped, not a letter replaced: "sel"/"ses" are two words,
  "netflx"/"netflix" a slip) and in :data:`FAR_MORE` times as many documents;
* a correction is never a stop word (the query would drop it) nor another
  form of the same word (they share a stem).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

import numpy as np

from search.analysis import STOP_WORDS, exact_form, stems
from search.query import AnyOf, Query, Term

__all__ = [
    "FAR_MORE",
    "SUGGEST_BELOW",
    "WELL_KNOWN",
    "Vocabulary",
    "correct",
    "distances",
    "edit_distance",
    "max_distance",
]

SUGGEST_BELOW = 3  # results under which a known but rare word may be corrected
WELL_KNOWN = 3  # documents: a word found this often is never corrected
FAR_MORE = 10  # a known word's correction is in at least this many times more documents


def edit_distance(a: str, b: str, limit: int) -> int:
    """Edit distance (a transposition counts as one edit), or limit + 1 beyond it."""
    return int(distances(a, [b], limit)[0])


def distances(word: str, candidates: list[str], limit: int) -> np.ndarray:
    """The edit distance from ``word`` to each candidate (see edit_distance),
    computed for all candidates of a length at once."""
    out = np.full(len(candidates), limit + 1, dtype=np.int32)
    by_length: dict[int, list[int]] = {}
    for n, candidate in enumerate(candidates):
        by_length.setdefault(len(candidate), []).append(n)
    for length, rows in by_length.items():
        if abs(length - len(word)) <= limit:
            codes = _codes([candidates[n] for n in rows], length)
            out[rows] = _distances(word, codes, limit)
    return out


def _codes(words: list[str], length: int) -> np.ndarray:
    """Words of one length as a matrix of code points, a word a row."""
    if not length:
        return np.zeros((len(words), 0), dtype=np.int32)
    joined = np.frombuffer("".join(words).encode("utf-32-le"), dtype=np.int32)
    return joined.reshape(len(words), length)


def _distances(word: str, codes: np.ndarray, limit: int) -> np.ndarray:
    """Optimal string alignment distance from ``word`` to each row of
    ``codes`` (words of one length), or limit + 1 beyond it: the usual
    dynamic programme, one column of the table for every row at once."""
    count, length = codes.shape
    if not count or abs(length - len(word)) > limit:
        return np.full(count, limit + 1, dtype=np.int32)
    letters = [ord(c) for c in word]
    previous2 = None
    previous = np.tile(np.arange(length + 1, dtype=np.int32), (count, 1))
    for i, letter in enumerate(letters, 1):
        current = np.empty_like(previous)
        current[:, 0] = i
        differ = codes != letter
        for j in range(1, length + 1):
            best = np.minimum(previous[:, j], current[:, j - 1]) + 1
            best = np.minimum(best, previous[:, j - 1] + differ[:, j - 1])
            if previous2 is not None and j > 1:
                swapped = (codes[:, j - 2] == letter) & (codes[:, j - 1] == letters[i - 2])
                best = np.where(swapped, np.minimum(best, previous2[:, j - 2] + 1), best)
            current[:, j] = best
        if current.min() > limit:
            return np.full(count, limit + 1, dtype=np.int32)
        previous2, previous = previous, current
    return np.minimum(previous[:, -1], limit + 1)


def max_distance(word: str) -> int:
    return 1 if len(word) <= 4 else 2


def is_slip(word: str, correction: str) -> bool:
    """One letter missing or added, or two neighbours swapped: not replaced."""
    if edit_distance(word, correction, 1) != 1:
        return False
    return len(word) != len(correction) or sorted(word) == sorted(correction)


class Vocabulary:
    """Known words and their document counts, bucketed by first letter and
    length (a bucket's words as a matrix of code points), so that the words
    near a word are found with a few array operations."""

    def __init__(self, terms: Iterable[tuple[str, int]]):
        counts: dict[tuple[str, int], dict[str, int]] = {}
        for term, documents in terms:
            if term and not term.isdigit():
                bucket = counts.setdefault((term[0], len(term)), {})
                bucket[term] = bucket.get(term, 0) + documents
        self.buckets: dict[tuple[str, int], tuple[list[str], np.ndarray, np.ndarray]] = {}
        for (first, length), bucket in counts.items():
            words = list(bucket)
            documents = np.fromiter(bucket.values(), dtype=np.int64, count=len(words))
            self.buckets[first, length] = (words, documents, _codes(words, length))

    def near(self, word: str, least: int) -> Iterable[tuple[str, int]]:
        """Known words of the same first letter within the edit distance
        allowed for ``word`` (max_distance), in more than ``least`` documents."""
        limit = max_distance(word)
        for length in range(len(word) - limit, len(word) + limit + 1):
            found = self.buckets.get((word[:1], length))
            if found is None:
                continue
            words, documents, codes = found
            frequent = np.flatnonzero(documents > least)
            close = frequent[_distances(word, codes[frequent], limit) <= limit]
            for n in close.tolist():
                yield words[n], int(documents[n])


def plain_words(query: Query) -> dict[str, str]:
    """Exact form -> word as typed, for the words that may be corrected."""
    words: dict[str, str] = {}
    for clause in query.must:
        for option in clause.options if isinstance(clause, AnyOf) else (clause,):
            if isinstance(option, Term) and not option.exact and not option.name:
                folded = option.folded
                if folded and not folded.isdigit() and folded not in STOP_WORDS:
                    words.setdefault(folded, option.text)
    return words


def best(word: str, documents: int, candidates: Iterable[tuple[str, int]]) -> str | None:
    """The correction of ``word`` (in ``documents`` documents) among the
    candidates (known word, its documents), or None."""
    folded = exact_form(word)
    limit = max_distance(folded)
    own = set(stems(word))
    kept = []
    for candidate, count in candidates:
        if candidate == folded or candidate in STOP_WORDS:
            continue
        if documents and (count < FAR_MORE * documents or not is_slip(folded, candidate)):
            continue
        kept.append((candidate, count))
    found = distances(folded, [candidate for candidate, _count in kept], limit).tolist()
    ranked = [
        (distance, -count, candidate)
        for (candidate, count), distance in zip(kept, found, strict=True)
        if distance <= limit
    ]
    for _distance, _count, candidate in sorted(ranked):
        if own.isdisjoint(stems(candidate)):
            return candidate
    return None


def correct(
    query: Query,
    count: int | None,
    frequency: Callable[[str, str], tuple[int, bool]],
    candidates: Callable[[str, int], Iterable[tuple[str, int]]],
) -> str | None:
    """The corrected query text, or None. ``count``: the query's results (None:
    unknown). ``frequency(word, exact form)``: (documents holding the exact
    form, whether any of the word's terms is known). ``candidates(exact form,
    least)``: known words near it in more than ``least`` documents."""
    corrections = {}
    for folded, word in plain_words(query).items():
        documents, known = frequency(word, folded)
        if known:
            rare = documents < WELL_KNOWN and count is not None and count < SUGGEST_BELOW
            if not rare or not documents:  # known through a stem: another form
                continue
        least = documents * FAR_MORE - 1 if known else 0
        correction = best(word, documents if known else 0, candidates(folded, least))
        if correction:
            corrections[folded] = correction
    return str(corrected(query, corrections)) if corrections else None


def corrected(query: Query, corrections: dict[str, str]) -> Query:
    """The query with its plain words replaced by their corrections."""

    def option(clause):
        if isinstance(clause, Term) and not clause.exact and not clause.name:
            return replace(clause, text=corrections.get(clause.folded, clause.text))
        return clause

    def rewrite(clause):
        if isinstance(clause, AnyOf):
            return AnyOf(tuple(option(o) for o in clause.options))
        return option(clause)

    return replace(query, must=tuple(rewrite(c) for c in query.must), warnings=())
