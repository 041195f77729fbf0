"""French text analysis shared by every search backend.

Readers type French the way they type it: with or without accents, with
plurals, ligatures (œ/æ) and elisions written with any apostrophe. This module
turns text into index terms so that all of those "just work", and it does so
identically at index time and at query time.

Pipeline
--------
1. :func:`tokenize` finds words in the *original* text (offsets are kept for
   highlighting). A word is a run of letters/digits; anything else separates
   words, so "science-fiction" gives two consecutive words. Apostrophes are
   handled inside a word: leading elided articles (l' d' qu' jusqu' ...) are
   dropped, and any other apostrophe is removed so that the parts stay one
   word: "aujourd'hui" is the single word ``aujourdhui`` (as are
   "prud'homme", "entr'acte", "O'Brien"). Elided articles take no position, so
   "l'homme qui rit" is ``homme`` (0) ``qui`` (1) ``rit`` (2). Except text
   glued by a missing space: an elided article in capitals right after a
   letter in lower case ("logiqueL'ONG", "finD’une") starts a new word, so
   that gives ``logique`` ``ONG``.
2. :func:`exact_form` folds a word (lowercase, accents stripped, œ -> oe,
   apostrophes removed): the *exact* form, used for exact-word ranking, phrases,
   highlighting and spelling suggestions. Stop words are kept in that form.
3. :func:`stems` (:mod:`search.stemming`) gives the French Snowball stem(s)
   of a word. Stemming the accented word then folding keeps feminine
   participles together (ciblée/ciblés -> ``cibl``) but a reader typing
   "musee" or "declaree" would get another stem than "musée" or "déclaré";
   so a word typed without accents gets its usual accented ending back first
   ("declaree" is stemmed as "declarée"), and a word gets two stems when
   accents change the stem: the stem of the accented word (folded
   afterwards) and the stem of the word without accents. The index holds
   both at the same position, a query word matches either. Stems shorter
   than four letters are not trusted (Snowball makes "mar" of "marais",
   "mars" and "marie"): such a word is matched on its singular instead.
   Stop words have no stem: the stemmed field does not hold them.

Whatever changes the terms of a text raises :data:`ANALYSIS_VERSION`, which
every document's stored hash includes: ``check_index`` then reports the
documents of an older analysis as stale, and ``rebuild_index`` (or
``index_due --since 0``) rewrites them.

Term conventions
----------------
* Whoosh: two fields, analysed by :func:`french_exact_analyzer` (exact forms,
  stop words kept) and :func:`french_stemmed_analyzer` (stems, stop words
  removed, the two stems of a word at the same position). Terms are bare.
* PostgreSQL (and :func:`index_terms` / :func:`query_terms`): one lexeme
  stream where exact forms are prefixed with ``e`` (:data:`EXACT_PREFIX`) and
  stems with ``s`` (:data:`STEM_PREFIX`). Letters only, so the default parser
  of ``to_tsvector('simple', ...)`` keeps each lexeme whole. See
  :func:`lexemes_for_postgres` for the positions.

Nothing here imports Django: the module is a plain library.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from whoosh.analysis import Filter, Tokenizer
from whoosh.analysis import Token as WhooshToken

from search.folding import APOSTROPHES, ELISIONS, STOP_WORDS, exact_form, fold, is_stop_word
from search.stemming import MIN_STEM, number_forms, singular, stems

__all__ = [
    "APOSTROPHES",
    "ELISIONS",
    "EXACT_PREFIX",
    "ANALYSIS_VERSION",
    "MAX_TOKEN_LENGTH",
    "MIN_STEM",
    "POSTGRES_POSITIONS_PER_WORD",
    "STEM_PREFIX",
    "STOP_WORDS",
    "Token",
    "Word",
    "analyse",
    "analyse_spans",
    "analyse_word",
    "exact_form",
    "fold",
    "french_exact_analyzer",
    "french_stemmed_analyzer",
    "index_terms",
    "is_stop_word",
    "lexemes_for_postgres",
    "number_forms",
    "query_terms",
    "singular",
    "stems",
    "tokenize",
]

#: Changes whenever analysis gives other terms for the same text: stored in
#: every document's hash (search.index.document_hash), so that ``check_index``
#: reports an index written by an older analysis as stale, and
#: ``rebuild_index`` (or ``index_due --since 0``) brings it up to date.
ANALYSIS_VERSION = 2

#: Longer "words" are drawn from base64 blobs, hashes and the like: skipped.
MAX_TOKEN_LENGTH = 64

EXACT_PREFIX = "e"
STEM_PREFIX = "s"

#: Each word takes this many consecutive positions in lexemes_for_postgres().
POSTGRES_POSITIONS_PER_WORD = 3

# Zero-width and soft-hyphen characters sit *inside* words in pasted or
# hyphenated text ("ciné\u00adma"): they must neither split nor survive.
_JOINERS = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
# Combining marks of decomposed text ("e\u0301") belong to their letter.
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_LETTER = rf"[^\W_][{_MARKS}{_JOINERS}]*"
_WORD_RE = re.compile(rf"(?:{_LETTER})+(?:[{APOSTROPHES}](?:{_LETTER})+)*")
_APOSTROPHE_RE = re.compile(f"[{APOSTROPHES}]")


class Token(NamedTuple):
    """A word of the original text.

    ``text`` is the original spelling (elisions removed, apostrophes inside
    the word kept), and ``text == source[start:end]``. A named tuple rather
    than a dataclass: an archive makes hundreds of millions of them.
    """

    position: int
    start: int
    end: int
    text: str


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into words; see the module docstring for the rules."""
    tokens: list[Token] = []
    append = tokens.append
    for match in _WORD_RE.finditer(text):
        for start, end, word in _analyse_match(match.group()):
            append(Token(len(tokens), match.start() + start, match.start() + end, word.text))
    return tokens


class Word(NamedTuple):
    """What analysis makes of one word as matched in the text (see
    :func:`analyse_word`)."""

    offset: int  # where the kept word starts, after elided articles
    text: str  # the kept spelling, as in the text
    exact: str  # its exact form (exact_form)
    stems: tuple[str, ...]  # its stems (stems): none for stop words


@lru_cache(maxsize=500_000)
def analyse_word(raw: str) -> Word | None:
    """One matched word, analysed once per process: elided articles dropped,
    exact form and stems. None when nothing is left (too long, or only an
    elided article). An archive uses a few hundred thousand distinct
    spellings, so the cache makes analysis a dictionary lookup per word."""
    # "qu'aujourd'hui": drop elided prefixes while one is followed by more text.
    parts = _APOSTROPHE_RE.split(raw)
    offset = 0
    while len(parts) > 1 and exact_form(parts[0]) in ELISIONS:
        offset += len(parts[0]) + 1
        parts.pop(0)
    text = raw[offset:]
    if len(text) > MAX_TOKEN_LENGTH:
        return None
    exact = exact_form(text)
    if not exact:
        return None
    return Word(offset, text, exact, stems(text))


def analyse_spans(text: str) -> list[tuple[int, int, Word]]:
    """The words of ``text`` with where each is in it: (start, end, word)."""
    out = []
    for match in _WORD_RE.finditer(text):
        at = match.start()
        out += [(at + start, at + end, word) for start, end, word in _analyse_match(match.group())]
    return out


def analyse(text: str) -> list[Word]:
    """The words of ``text`` in order (a word's position is its index), without
    offsets: the fast path for indexing."""
    out = []
    append = out.append
    for raw in _WORD_RE.findall(text):
        found = _analyse_match(raw)
        if len(found) == 1:
            append(found[0][2])
        else:
            out += [word for _start, _end, word in found]
    return out


# An elided article in capitals glued to the end of a word in lower case, as
# text whose space went missing writes it ("logiqueL'ONG", "finD’une"): the
# apostrophe is then an elision, and the text before it another word.
_GLUED = sorted(ELISIONS, key=len, reverse=True)


def _glued_at(raw: str, apostrophe: int) -> int | None:
    """Where a word glued before the elision ending at ``apostrophe`` starts
    the next word, or None."""
    left = raw[:apostrophe]
    for elision in _GLUED:
        n = len(elision)
        head = left[-n:]
        if (
            len(left) > n
            and exact_form(head) == elision
            and head[0].isupper()
            and left[-n - 1].islower()
        ):
            return apostrophe - n
    return None


@lru_cache(maxsize=500_000)
def _analyse_match(raw: str) -> tuple[tuple[int, int, Word], ...]:
    """The words of one match of the word pattern: (start, end, word). One,
    unless words were glued together (see _glued_at)."""
    cut = None
    for match in _APOSTROPHE_RE.finditer(raw):
        cut = _glued_at(raw, match.start())
        if cut is not None:
            break
    if cut is None:
        word = analyse_word(raw)
        return () if word is None else ((word.offset, len(raw), word),)
    first = _analyse_match(raw[:cut])
    rest = _analyse_match(raw[cut:])
    return first + tuple((cut + start, cut + end, word) for start, end, word in rest)


# --- Term streams for backends ---------------------------------------------


def index_terms(text: str) -> set[str]:
    """Every prefixed term indexed for ``text`` (exact forms and stems)."""
    return set(lexemes_for_postgres(text).split())


def query_terms(word: str) -> list[str]:
    """The prefixed index terms a query word matches, exact form first.

    The word is analysed like indexed text, so "l’affaire" gives the terms of
    "affaire". A stop word only has its exact term. The reader's word matches
    a document when any of these terms is among the document's terms.
    """
    terms: list[str] = []
    for token in tokenize(word):
        for term in _word_lexemes(token.text):
            if term not in terms:
                terms.append(term)
    return terms


def lexemes_for_postgres(text: str) -> str:
    """The analysis of ``text`` as space-separated lexemes for PostgreSQL.

    Meant for ``to_tsvector('simple', lexemes_for_postgres(text))``. Every
    word takes exactly :data:`POSTGRES_POSITIONS_PER_WORD` (3) lexemes, so
    positions stay regular: ``e<exact>``, then ``s<stem1> s<stem2>`` (the
    stem twice when there is one, which also weighs every word the same). A
    stop word repeats its exact form instead (queries never ask for it in
    the stemmed slots). A phrase of words w1 w2 is therefore
    ``'ew1' <3> 'ew2'`` in tsquery syntax. tsvector positions stop at 16383,
    i.e. after about 5,400 words.
    """
    return " ".join([_postgres_lexemes(word.exact, word.stems) for word in analyse(text)])


@lru_cache(maxsize=500_000)
def _postgres_lexemes(exact: str, stemmed: tuple[str, ...]) -> str:
    exact = EXACT_PREFIX + exact
    if not stemmed:
        return f"{exact} {exact} {exact}"
    first, second = (STEM_PREFIX + s for s in (stemmed * 2)[:2])
    return f"{exact} {first} {second}"


def _word_lexemes(word: str) -> list[str]:
    return [EXACT_PREFIX + exact_form(word), *(STEM_PREFIX + s for s in stems(word))]


# --- Whoosh analyzers ------------------------------------------------------


class FrenchTokenizer(Tokenizer):
    """Whoosh tokenizer over :func:`tokenize`; token text is the original word."""

    def __call__(  # Whoosh's tokenizer signature
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        token = WhooshToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for word in _words(value, whole=not tokenize):
            token.text = word.text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = word.text
            if positions:
                token.pos = start_pos + word.position
            if chars:
                token.startchar = start_char + word.start
                token.endchar = start_char + word.end
            yield token


def _words(value: str, whole: bool) -> list[Token]:
    # Whoosh asks for tokenize=False when it wants the value as one token.
    if whole:
        return [Token(0, 0, len(value), value)] if value else []
    return tokenize(value)


class FoldFilter(Filter):
    """Replaces each token's text by its exact (folded) form."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = exact_form(token.text)
            if token.text:
                yield token


class FrenchStopFilter(Filter):
    """Removes French stop words, or marks them when ``removestops`` is off.

    Positions are not renumbered, so both fields share word positions.
    """

    def __call__(self, tokens):
        for token in tokens:
            token.stopped = is_stop_word(token.text)
            if not (token.stopped and token.removestops):
                yield token


class FrenchStemFilter(Filter):
    """Emits the stem(s) of each word, all at the word's position and chars.

    Stopped tokens (kept only when ``removestops`` is off, e.g. by the
    highlighter) come out in their exact form.
    """

    def __call__(self, tokens):
        for token in tokens:
            if token.stopped:
                token.text = exact_form(token.text)
                yield token
                continue
            for stem in stems(token.text):
                token.text = stem
                yield token


def french_stemmed_analyzer():
    """Stems, stop words and elisions removed; two stems share a position."""
    return FrenchTokenizer() | FrenchStopFilter() | FrenchStemFilter()


def french_exact_analyzer():
    """Folded unstemmed words, stop words kept (phrases like "l'homme qui rit")."""
    return FrenchTokenizer() | FoldFilter()
