"""Ranking rules every backend applies on top of its own scores.

**A pasted title finds its article first.** Readers paste a headline to find
an article again. Scores alone do not guarantee it: PostgreSQL's length
normalisation ranks a long article below shorter ones on the same story, and
BM25F adds up words wherever they are, so short articles repeating the words
in their standfirst and body can win. So, for a query of
:data:`WHOLE_TITLE_FROM` words or more, the matches whose title holds every
wanted word (a word by its exact form or stem, a phrase as a phrase) come
first; scores order them among themselves and the other matches after them.
Shorter queries are left to the scores: two words in a title say little.
"""

from __future__ import annotations

from search.index import Index, Text
from search.query import AnyOf, Clause, Query

__all__ = ["WHOLE_TITLE_FROM", "title_field", "whole_title_clauses"]

WHOLE_TITLE_FROM = 3  # words in the query


def title_field(index: Index) -> str | None:
    """The text field readers know documents by: ``title``, else the first
    stored text field."""
    texts = [f for f in index.fields if isinstance(f, Text)]
    field = next((f for f in texts if f.name == "title"), None)
    field = field or next((f for f in texts if f.stored), None)
    return field.name if field else None


def whole_title_clauses(query: Query) -> tuple[Clause, ...]:
    """The clauses a title must hold to rank first, or () when the rule does
    not apply (see the module docstring)."""
    if any(isinstance(clause, AnyOf) for clause in query.must):
        return ()
    words = sum(len(clause.words) for clause in query.must)
    return query.must if words >= WHOLE_TITLE_FROM else ()
