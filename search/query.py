"""The search box's query language, parsed here (never by a backend's parser).

Syntax
------
* ``cinéma coréen``: plain words, all required (AND). Stop words are dropped
  (the stemmed index has none); a query of stop words only is empty.
* ``"found footage"``, ``« l'homme qui rit »``, ``“…”``: an exact phrase, stop
  words kept. A single quoted word is an exact word (no stemming).
  An unclosed quote is ignored: the rest is read as words, with a warning.
* ``science-fiction``: words glued by punctuation form a phrase, so
  "science-fiction OU fantasy" means what it says. Elisions are handled by the
  analysis ("l'affaire" is the word "affaire").
* ``-horreur``, ``-"found footage"``: exclusion, only when the dash starts
  the word. A lone dash ("VIDÉO - Normandie") is punctuation.
* ``cinéma OU série`` (or ``OR``, uppercase only): either; binds tighter than
  AND, so ``a b OU c`` is a AND (b OR c). Lowercase "ou"/"or" are words
  ("médaille or" is about gold).
* Filters: ``auteur:``, ``tag:`` (alias ``genre:``), ``rubrique:`` (alias
  ``section:``), ``année:``/``annee:`` with ``2015``, ``2015..2019``,
  ``2015..`` or ``..2019``. A value may be quoted: ``tag:"Science-fiction"``.
  ``auteur:Morel`` and ``auteur:aicha`` find Aïcha Morel: an author filter
  takes any of an author's names (see :mod:`search.filters`).
  Repeated filters all apply (AND), except the year where the last one wins.
  An unknown field (``foo:bar``) is read as the words "foo bar"; a colon
  after a word with nothing glued to it ("Normandie : la") is punctuation.
* ``Romane``, ``Claire Keim``: a capitalised word is a name (``Term.name``):
  matched on its exact form, singular or plural, never on its stem, never
  corrected; except a first word followed by one in lower case ("Inondations
  bretonnes": a sentence, or a phone's capital).
* No wildcards: ``*`` and ``?`` are punctuation.

AST
---
``Query(must, must_not, filters, warnings, raw)``, all immutable:

* ``must``: tuple of clauses that must all match; ``must_not``: clauses none
  of which may match. A clause is ``Term(text, exact)``, ``Phrase(words)``
  or ``AnyOf(options)`` (options are Terms/Phrases; AnyOf is never negated).
  Words keep the reader's spelling; ``Term.folded``/``Term.terms`` give
  what the index holds (see :mod:`search.analysis`).
* ``filters``: a frozen :class:`Filters` (authors, tags, sections: tuples of
  values as typed; years: a :class:`YearRange` or None) rather than a dict,
  to keep the tree immutable and typed; ``Filters.as_dict()`` gives a dict.
* ``warnings``: French messages for the reader. There are no errors: every
  input gives a usable Query, which is empty (``is_empty``) when nothing is
  left to search.

Limits: the text is cut to :data:`MAX_QUERY_LENGTH` characters and the
clauses to :data:`MAX_TERMS` words, with a warning.

Modules: :mod:`search.query_ast` (the tree), :mod:`search.query_lexer` (the
text into items), :mod:`search.query_parser` (items into a Query). This module
is their public face.
"""

from search.query_ast import (
    FIELD_NAMES,
    AnyOf,
    Clause,
    Filters,
    Phrase,
    Query,
    Term,
    YearRange,
)
from search.query_lexer import MAX_QUERY_LENGTH
from search.query_parser import FIELDS, MAX_TERMS, parse

__all__ = [
    "FIELDS",
    "FIELD_NAMES",
    "MAX_QUERY_LENGTH",
    "MAX_TERMS",
    "AnyOf",
    "Clause",
    "Filters",
    "Phrase",
    "Query",
    "Term",
    "YearRange",
    "parse",
]
