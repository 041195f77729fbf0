"""The embedded backend: a Whoosh index per search index, on local disk
(``SEARCH_BACKEND = "whoosh"``, the default).

* ``backend``: :class:`WhooshBackend`, the search itself and its hits;
* ``schema``: the Whoosh schema of an index and the documents written to it;
* ``writing``: generations on disk, updates, rebuilds (parallel for a large
  archive), the searcher;
* ``querying``: a :mod:`search.query` AST as Whoosh queries and as arrays;
* ``vector``: postings read into NumPy arrays, BM25F scoring, match sets;
* ``phrases``: phrases on the same arrays (positions, word pairs);
* ``facets``, ``suggest`` (spelling, autocompletion), ``related`` (more like this).

Snippets come from :mod:`search.snippets`, shared by the backends.

The tunables below are re-exported here, and setting one on this package
(a test lowering ``PARALLEL_FROM``) sets it in the module that reads it.
"""

import os  # noqa: F401 - read as search.backends.whoosh.os, as before the split
import sys
import types

from search.backends.whoosh import schema, writing
from search.backends.whoosh.backend import WhooshBackend
from search.backends.whoosh.facets import FACET_SIZE
from search.backends.whoosh.phrases import PAIRS, indexed_pair
from search.backends.whoosh.querying import EXACT_BOOST
from search.backends.whoosh.related import MLT_MAX_DOC_SHARE, MLT_MIN_CEILING
from search.backends.whoosh.schema import (
    SEP,
    FrenchText,
    KeywordValues,
    WordPairs,
    build_schema,
    normalise_value,
    whoosh_document,
)
from search.backends.whoosh.writing import CURRENT, PARALLEL_FROM

__all__ = [
    "CURRENT",
    "EXACT_BOOST",
    "FACET_SIZE",
    "MLT_MAX_DOC_SHARE",
    "MLT_MIN_CEILING",
    "PAIRS",
    "PARALLEL_FROM",
    "SEP",
    "FrenchText",
    "KeywordValues",
    "WhooshBackend",
    "WordPairs",
    "build_schema",
    "indexed_pair",
    "normalise_value",
    "whoosh_document",
]

# Names read at call time by a module of the package: set there too.
_USED_IN = {"PARALLEL_FROM": writing, "indexed_pair": schema}


class _Package(types.ModuleType):
    def __setattr__(self, name, value):
        if name in _USED_IN:
            setattr(_USED_IN[name], name, value)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
