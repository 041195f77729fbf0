"""The Whoosh schema of a search index, and the documents written to it.

Schema, for an :class:`~search.index.Index`:

* ``Text(name)``: ``name`` (French stems, no stop words, weighted by
  ``field_boost``) and ``name_exact`` (folded words, stop words kept, positions
  for phrases; stores the original text when the field is stored or
  highlighted).
* ``Keyword(name)``: ``name`` (the values as displayed, a list column for facets;
  stored when asked), ``name_folded`` (folded values, for filters) and
  ``name_words`` (their words, searched by plain query words).
* ``Date(name)``: a sortable ``DATETIME`` (UTC) and, with ``year_facet``, a
  ``NUMERIC`` column named after the facet (year in the site's time zone).
* ``Stored(name)``: ``STORED``; plus ``id`` (unique) and ``hash``.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from whoosh import columns, fields, formats
from whoosh.analysis import Filter, RegexTokenizer
from whoosh.system import pack_uint

from search.analysis import (
    analyse,
    french_exact_analyzer,
    french_stemmed_analyzer,
)
from search.backends.whoosh.phrases import PAIRS, indexed_pair
from search.filters import fold_value
from search.index import Date, Index, Keyword, Stored, Text, document_hash

SEP = "\x1f"  # between keyword values


class _FoldValue(Filter):
    def __call__(self, tokens):
        for token in tokens:
            token.text = normalise_value(token.text)
            if token.text:
                yield token


#: A keyword value as filters compare it (see search.filters.fold_value).
normalise_value = fold_value


def _values_tokenizer():
    return RegexTokenizer(f"[^{SEP}]+")


class KeywordValues(fields.FieldType):
    """Whole values (no analysis), with a list column for overlapping facets."""

    def __init__(self, stored=False, folded=False):
        analyzer = _values_tokenizer() | _FoldValue() if folded else _values_tokenizer()
        super().__init__(
            fields.formats.Existence(),
            analyzer,
            scorable=False,
            stored=stored,
            sortable=False if folded else columns.VarBytesListColumn(),
        )

    def to_column_value(self, value):
        if isinstance(value, str):
            value = value.split(SEP)
        return [v.encode("utf-8") for v in value if v]

    def from_column_value(self, value):
        return [v.decode("utf-8") for v in value]


class FrenchText(fields.TEXT):
    """A text field indexed through :func:`search.analysis.analyse`.

    The analyzer (kept for Whoosh's own uses, e.g. key terms) gives the same
    terms, but one token at a time through a chain of generators; indexing a
    text is the bulk of a rebuild, so ``index`` builds the postings from the
    cached per-word analysis instead. The stemmed field and the exact field of a
    text get the same string one after the other: it is analysed once.
    """

    def __init__(self, *, stemmed: bool, weight: float, phrase=False, stored=False):
        analyzer = french_stemmed_analyzer() if stemmed else french_exact_analyzer()
        super().__init__(
            analyzer=analyzer, field_boost=weight, phrase=phrase, stored=stored, spelling=False
        )
        self.stemmed = stemmed

    def index(self, value, **kwargs):
        fmt = self.format
        if not isinstance(value, str) or type(fmt) not in (formats.Frequency, formats.Positions):
            return super().index(value, **kwargs)
        words = _analysed(value)
        boost = fmt.field_boost
        if self.stemmed and type(fmt) is formats.Frequency:
            freqs: dict[str, int] = {}
            for word in words:
                for stem in word.stems:
                    freqs[stem] = freqs.get(stem, 0) + 1
            return [(s.encode(), n, n * boost, pack_uint(n)) for s, n in freqs.items()]
        if self.stemmed or type(fmt) is not formats.Positions:
            return super().index(value, **kwargs)
        encode = fmt.encode
        positions: dict[str, list[int]] = {}
        for position, word in enumerate(words):
            found = positions.get(word.exact)
            if found is None:
                positions[word.exact] = [position]
            else:
                found.append(position)
        return [(w.encode(), len(p), len(p) * boost, encode(p)) for w, p in positions.items()]


class WordPairs(fields.FieldType):
    """Pairs of consecutive words of a text where one is a stop word ("common
    grams"), as "word word" terms of their exact forms.

    Checking word positions is what makes a phrase cost: "à une" has tens of
    thousands of candidate documents, each word's positions to read in each. A
    two-word phrase with a stop word is one term lookup instead, and a longer
    one has few candidates left to check. Phrases of content words already
    have few candidates; indexing their pairs too would triple the index."""

    def __init__(self):
        super().__init__(formats.Existence(), french_exact_analyzer(), scorable=False)

    def index(self, value, **kwargs):
        words = [word.exact for word in _analysed(value)]
        pairs = {f"{a} {b}" for a, b in zip(words, words[1:], strict=False) if indexed_pair(a, b)}
        return [(pair.encode(), 1, 1.0, b"") for pair in pairs]


_last_analysed: tuple[str, list] = ("", [])


def _analysed(text: str) -> list:
    global _last_analysed
    last_text, words = _last_analysed
    if text is not last_text and text != last_text:
        words = analyse(text)
        _last_analysed = (text, words)
    return words


def build_schema(idx: Index) -> fields.Schema:
    schema = fields.Schema(
        id=fields.ID(unique=True, stored=True, sortable=True),
        hash=fields.ID(stored=True, sortable=True),
    )
    for f in idx.fields:
        if isinstance(f, Text):
            schema.add(f.name, FrenchText(stemmed=True, weight=f.weight))
            schema.add(
                f.name + "_exact",
                FrenchText(
                    stemmed=False, weight=f.weight, phrase=True, stored=f.stored or f.highlight
                ),
            )
            schema.add(f.name + PAIRS, WordPairs())
        elif isinstance(f, Keyword):
            schema.add(f.name, KeywordValues(stored=f.stored))
            schema.add(f.name + "_folded", KeywordValues(folded=True))
            if f.searchable:
                schema.add(f.name + "_words", FrenchText(stemmed=False, weight=1.0, phrase=True))
        elif isinstance(f, Date):
            schema.add(f.name, fields.DATETIME(stored=f.stored, sortable=True))
            if f.year_facet:
                schema.add(f.year_facet, fields.NUMERIC(int, sortable=True, stored=False))
        elif isinstance(f, Stored):
            schema.add(f.name, fields.STORED())
    return schema


def _utc_naive(value: datetime.datetime | datetime.date) -> datetime.datetime:
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time())
    if timezone.is_aware(value):
        value = value.astimezone(datetime.UTC).replace(tzinfo=None)
    return value


def _year(value) -> int:
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).year
    return value.year


def _as_list(value) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value if v not in (None, "")]


def whoosh_document(idx: Index, doc_id: str, document: dict) -> dict:
    out = {"id": doc_id, "hash": document_hash(document)}
    for f in idx.fields:
        value = document.get(f.name)
        if isinstance(f, Text):
            text = "" if value is None else str(value)
            out[f.name] = text
            out[f.name + "_exact"] = text
            out[f.name + PAIRS] = text
        elif isinstance(f, Keyword):
            values = [v.replace(SEP, " ") for v in _as_list(value)]
            out[f.name] = SEP.join(values)
            out["_stored_" + f.name] = values
            out[f.name + "_folded"] = SEP.join(values)
            if f.searchable:
                out[f.name + "_words"] = "\n".join(values)
        elif isinstance(f, Date):
            if value is not None:
                out[f.name] = _utc_naive(value)
                if f.year_facet:
                    out[f.year_facet] = _year(value)
        elif isinstance(f, Stored) and value is not None:
            out[f.name] = value
    return out
