"""Which keyword values a query-language filter means, for every backend.

``auteur:Morel`` and ``auteur:aicha`` are how readers ask for Aïcha Morel: an
author filter matches every author whose name holds the filter's words, in
that order (``auteur:"Aïcha Morel"`` as much as ``auteur:Morel``). ``tag:`` and
``rubrique:`` name a value: the value itself when the index knows it, else
the values holding its words (``tag:fiction`` finds "Science-fiction" when no
genre is called "Fiction").

Values are compared folded (:func:`fold_value`: exact forms of their words,
spaced), as the indexes store them for filters.
"""

from __future__ import annotations

from collections.abc import Iterable

from search.analysis import exact_form, tokenize

__all__ = ["WHOLE_WORDS", "fold_value", "matching_values"]

#: Filters (query-language names) whose values match by any of their words.
WHOLE_WORDS = frozenset({"auteur"})


def fold_value(value: str) -> str:
    """A keyword value as filters compare it: its words' exact forms, spaced
    ("Science-fiction" and "science fiction" -> "science fiction")."""
    return " ".join(exact_form(t.text) for t in tokenize(value))


def _holds(value: list[str], words: list[str]) -> bool:
    n = len(words)
    return any(value[i : i + n] == words for i in range(len(value) - n + 1))


def matching_values(name: str, wanted: str, known: Iterable[str]) -> list[str]:
    """The folded values among ``known`` (folded) that the filter ``name``
    (auteur, tag, rubrique) with the value ``wanted`` (as typed) means."""
    folded = fold_value(wanted)
    if not folded:
        return []
    known = list(dict.fromkeys(known))
    if name not in WHOLE_WORDS and folded in known:
        return [folded]
    words = folded.split()
    return sorted(value for value in known if _holds(value.split(), words))
