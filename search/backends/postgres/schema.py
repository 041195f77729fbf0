"""The tables the PostgreSQL backend writes, their columns, its limits and
weights, and how values are written into them: tsvector literals, positions'
labels, a document's values as lists and dates.

The limits a test lowers (``BATCH``, ``RANK_WINDOW``…) are read as
``schema.NAME`` at each call, so that setting them on the package takes
effect (see :mod:`search.backends.postgres`)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from functools import cache
from itertools import islice
from typing import Any

from django.utils import timezone

from search.analysis import POSTGRES_POSITIONS_PER_WORD
from search.snippets import SNIPPET_WORDS  # noqa: F401 (one snippet length, re-exported)

DOCUMENTS = "search_searchdocument"
TERMS = "search_searchterm"
KEYWORDS = "search_searchkeyword"
MATCHED = "(vector || shortcuts)"  # the expression the GIN index is built on
MATCHED_INDEX = "search_document_matched_gin"

CLASSES = "ABCD"
KEYWORD_WEIGHT = 1.5
EXACT_BOOST = 0.5
FOLDED = "_folded"
FACET_SIZE = 20
MAX_POSITION = 16383  # tsvector positions stop there
MAX_POSITIONS_PER_LEXEME = 256
GAP = POSTGRES_POSITIONS_PER_WORD  # one empty word between fields and values
BATCH = 500
PARALLEL_FROM = 5000  # documents: a smaller rebuild analyses them in its own process
KEYWORD_TERM = "k"
MAX_TERM_LENGTH = 255
MLT_TERMS = 12
RANK_WINDOW = 300  # matches ranked at most, see rank.candidate_ids
BY_DATE = "date DESC NULLS LAST, id DESC"
TITLE_BONUS = 10.0  # added to a whole-title match's rank (see search.ranking)
PHRASE = "p"  # shortcut prefix of a frequent phrase of two or three words
PARTIAL = PHRASE  # alone: this document's phrases are checked on positions
FILTER = "f"  # shortcut prefix of a folded keyword value's id
COMBINATION = "+"  # SearchKeyword key of a combination of facet values (see vocabulary.combined)
MAX_COMBINATIONS = 1024
PHRASE_SAMPLE = 1000  # documents a rebuild reads to choose the frequent phrases
PHRASE_SHARE = 0.005  # a phrase in this share of the sample is frequent
MAX_PHRASES = 50_000
MAX_LEXEME_BYTES = 2046  # tsvector's limit for one lexeme
MAX_PHRASE_BYTES = 512 * 1024  # phrase shortcuts of one document (tsvector: 1 MB in all)
# A rebuild writes the whole index in one transaction: GIN entries gather in
# the pending list and are merged in large sorted batches.
REBUILD_SETTINGS = {
    "work_mem": "64MB",
    "maintenance_work_mem": "256MB",
    "gin_pending_list_limit": "64MB",
}


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _plain(lexemes: Iterable[str]) -> bool:
    """Whether no lexeme needs escaping (the usual case: letters and digits)."""
    joined = "\x00".join(lexemes)
    return "'" not in joined and "\\" not in joined


def _literal(lexemes: list[str]) -> str:
    """A tsvector literal of lexemes without positions."""
    if _plain(lexemes):
        return "'" + "' '".join(lexemes) + "'" if lexemes else ""
    return " ".join(map(_quote, lexemes))


@cache
def _labels(weight: str) -> tuple[str, ...]:
    """Position labels of a weight class ("12A"; D is the default, unlabelled),
    indexed by position: formatting each position costs more than a lookup."""
    suffix = "" if weight == "D" else weight
    return tuple(f"{at}{suffix}" for at in range(MAX_POSITION + 1))


COLUMNS = "index, object_id, hash, stored, keywords, texts, date, vector, shortcuts, facets"
PLACEHOLDERS = (
    "(%s, %s, %s, %s::jsonb, %s::jsonb, %s::jsonb, %s, %s::tsvector, %s::tsvector, %s::int[])"
)


def _batched(iterable: Iterable, size: int) -> Iterator[list]:
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    values = [value] if isinstance(value, str) else list(value)
    return list(dict.fromkeys(str(v).strip() for v in values if v is not None and str(v).strip()))


def _as_datetime(value: Any) -> datetime.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if not isinstance(value, datetime.datetime):  # a date
        value = datetime.datetime.combine(value, datetime.time())
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    return value
