"""The PostgreSQL backend: documents in ``SearchDocument`` rows, found through a
GIN index, so that several machines share one index.

Conventions
-----------
* **Lexemes.** PostgreSQL's configurations give one stem per word; the project
  gives two (see :mod:`search.analysis`). So the vector is made of the project's
  own lexemes (:func:`search.analysis.lexemes_for_postgres`: ``e<exact>`` then
  ``s<stem1> s<stem2>``, three positions per word) and written here as a
  ``tsvector`` literal, exactly what ``setweight(to_tsvector('simple',
  <lexemes>), <class>)`` gives for one field, without going through
  PostgreSQL's parser. Fields follow each other, heaviest first (positions stop
  at 16383: a long body loses its end, never the title), with a gap of one
  word between fields and between keyword values, so that no phrase spans two.
* **Weights.** Searched fields (Text, and searchable Keyword fields, which weigh
  :data:`KEYWORD_WEIGHT`) are put in weight classes A-D by decreasing weight
  (articles: title A, standfirst B, tags/section/authors C, body/photos D); the
  ranking weights array holds each class's weight, relative to the heaviest.
* **Shortcuts.** Positions and weights can only be checked by reading the
  vector (large, stored out of line); the GIN index alone says which lexemes a
  document holds. So each document also gets ``shortcuts``, lexemes without
  positions, derived from the vector's positions and weights, and the GIN index
  is built on ``vector || shortcuts``:

  - ``p<w1>_<w2>`` and ``p<w1>_<w2>_<w3>``: two or three words that follow
    each other (what ``'ew1' <3> 'ew2'`` finds), for the frequent phrases
    only: the ones found in PHRASE_SHARE of the first documents a rebuild
    reads, kept in the vocabulary until the next rebuild so that every
    document holds the same ones (all phrases would make millions of GIN
    keys). A frequent phrase is answered by the GIN index alone; another is
    checked on the positions of the documents holding its words (and its
    frequent parts), which are few unless its words are frequent. A document
    too large to hold its phrases gets ``p`` alone instead, and its phrases
    are checked on positions (:data:`PARTIAL`).
  - ``<class><lexeme>`` (``Aefilms``): the lexeme occurs in a field of that
    weight class, for the classes heavier than the lightest (``head``): the
    first candidates of a large ranking, titles for autocomplete.
  - ``f<id>``: the folded keyword value ``SearchKeyword`` ``id`` (filters).

  "_" never occurs in an exact form (letters and digits only), and vector
  lexemes start with "e" or "s", so none of these can be mistaken for another.
* **Queries** are written here from the parsed :class:`~search.query.Query`,
  as ``tsquery`` text passed as a parameter (``%s::tsquery``: lexemes are
  quoted, and only ever letters and digits): a word is ``('e<exact>' |
  's<stem1>' | 's<stem2>')``, a quoted word ``'e<exact>'``, a phrase its
  shortcut if it has one, ``a OU b`` ``(a | b)``, an exclusion ``& !(…)``, a
  filter ``'f<id>'``. Matching is then answered by the GIN index alone (no
  row's vector is read), except for the phrases without a shortcut.
* **Ranking:** ``ts_rank_cd(weights, vector, query, 2)`` (length normalised)
  plus :data:`EXACT_BOOST` times the same rank for the exact words alone,
  where the query's phrases are positional again, plus :data:`TITLE_BONUS`
  when the title holds the whole query (:mod:`search.ranking`: length
  normalisation alone ranks a long article below shorter ones on the same
  story when its headline is pasted). When the vocabulary says
  there are :data:`RANK_WINDOW` matches at most, every match is ranked.
  Beyond, reading every match's vector would cost too much: the candidates
  are the newest :data:`RANK_WINDOW` matches holding every query word in the
  heaviest field (the title), then in a heavy field (title, standfirst,
  keywords), then holding any of them there, then any match; they come first
  by relevance, then the other matches by date. Snippets are made in a thread
  while the server counts the matches.
* **Keywords** (``SearchDocument.keywords``): facet name -> values as displayed,
  and ``<facet>_folded`` -> the same values folded (:func:`fold_value`). The
  year facet is stored there too, in the site's time zone. Each value is also
  numbered in ``SearchKeyword`` (never deleted, so that an id read once stays
  valid): ``facets`` holds the ids of a document's facet values, so one pass
  over the matches' small integer arrays gives the count and every facet. Its
  first id is the combination of the document's values of the facets with few
  values (articles: section and year; see ``vocabulary.combined``), or 0 without one:
  counting them counts the matches. The folded values are the ``f<id>``
  shortcuts filters look up.
* **Vocabulary** (``SearchTerm``): how many documents hold each lexeme and each
  keyword value, maintained by every write in the same transaction, and the
  frequent phrases (bucket :data:`PHRASE`, replaced by rebuilds only). It answers
  "is this word known" with one index lookup, lists the known words of similar
  length and the same first letter for corrections (rules in
  :mod:`search.spelling`), and weighs the terms of
  "more like this" (tf-idf). Autocomplete reads the keyword values from it and
  the titles through the title-class shortcuts.
* **Plans.** Reading a match's vector costs a TOAST fetch, which the planner
  does not count; left alone it would check ``@@`` row by row behind an index
  on ``index``. A query with words therefore compares ``index`` in a form no
  index serves (:func:`.translate.where_clause`) and disables sequential scans,
  so that the GIN index is the only way in.

The ``fr`` text search configuration created by migration 0002 (unaccent +
french_stem) is for ad-hoc SQL only: nothing here depends on it.

Modules
-------
* :mod:`.schema`: table names, columns, limits and weights; tsvector literals.
* :mod:`.vector`: a document's positioned lexemes, its vector and shortcuts.
* :mod:`.rows`: a document analysed into a row; the row's column values.
* :mod:`.vocabulary`: SearchTerm counts and frequent phrases, SearchKeyword ids.
* :mod:`.write`: writing and deleting some documents.
* :mod:`.rebuild`: a whole rebuild, its analysis in a forked worker.
* :mod:`.translate`: a parsed query as tsqueries and SQL conditions.
* :mod:`.rank`: scores and the page's rows (the ranking window).
* :mod:`.facets`: the count and facet counts of the matches.
* :mod:`.snippets`: highlighted snippets.
* :mod:`.suggest`: spelling suggestions and autocomplete.
* :mod:`.related`: more like this.
* :mod:`.backend`: ``PostgresBackend``, which maps an index's fields onto the
  table and carries out each operation with these modules.
"""

from __future__ import annotations

import sys
import types

from search.backends.postgres import schema
from search.backends.postgres.backend import PostgresBackend

# Also importable from here, as before this package was split into modules.
from search.backends.postgres.schema import (  # noqa: F401
    BATCH,
    EXACT_BOOST,
    FACET_SIZE,
    KEYWORD_WEIGHT,
    MAX_COMBINATIONS,
    MAX_PHRASE_BYTES,
    PARALLEL_FROM,
    PARTIAL,
    PHRASE,
    PHRASE_SAMPLE,
    PHRASE_SHARE,
    RANK_WINDOW,
    SNIPPET_WORDS,
    TITLE_BONUS,
)
from search.backends.postgres.snippets import _Marks  # noqa: F401
from search.backends.postgres.vector import (  # noqa: F401
    _phrases_of_fields,
    _phrases_of_positions,
    _recorded,
)
from search.filters import fold_value

__all__ = ["PostgresBackend", "fold_value"]


class _Package(types.ModuleType):
    """This package, whose limits can be set here: a name of :mod:`.schema`
    set on the package (tests lower BATCH, RANK_WINDOW…) is set there too,
    where the code reads it at each call. See "Customizing module attribute
    access" in Python's data model."""

    def __setattr__(self, name: str, value) -> None:
        if name.isupper() and hasattr(schema, name):
            setattr(schema, name, value)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
