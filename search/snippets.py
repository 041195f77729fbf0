"""Highlighted snippets of search hits, built from stored texts: the one snippet
builder of the project, used by both backends (it needs only search.analysis
and search.query).

What to mark is data (:class:`Marks`), how the snippet is laid out is data too
(:class:`Layout`, with one preset per backend: :data:`WHOOSH` and
:data:`POSTGRES` keep each backend's own rules), and :func:`snippet_of` builds
the snippet of a hit from its texts.

A snippet is about 30 words of a stored text around the best cluster of
marked words. Finding the marks needs every word of the text analysed, but
only the words of the window need their place in the text. So each distinct
word of the text is analysed and matched once (a text repeats its words), the
marks are found by index, and only the window's words are given their place
in the text. A text without a mark (a standfirst, when only the body holds the
words) costs one pass of the word pattern.
"""

from __future__ import annotations

import bisect
import dataclasses
import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Literal, NamedTuple

from search.analysis import _WORD_RE, Word, _analyse_match
from search.query import AnyOf, Phrase, Query, Term

SNIPPET_WORDS = 30


@dataclass(frozen=True)
class Marks:
    """What a snippet marks: words whose exact form is in ``exact``, words
    sharing a stem with ``stems``, and the words of ``phrases`` (exact forms)
    where the whole phrase occurs."""

    exact: frozenset[str]
    stems: frozenset[str]
    phrases: tuple[tuple[str, ...], ...] = ()

    @classmethod
    def of(cls, query: Query, *, whole_phrases: bool) -> Marks:
        """The marks of ``query``. ``whole_phrases``: a phrase's words are
        marked only where the whole phrase occurs, and words without a folded
        form are left out (the PostgreSQL backend); otherwise a phrase's
        words are marked wherever they occur (the Whoosh backend)."""
        if not whole_phrases:
            exact, stems = highlight_terms(query)
            return cls(frozenset(exact), frozenset(stems))
        exact, stems = set(), set()
        phrases: list[tuple[str, ...]] = []
        for clause in query.must:
            for option in clause.options if isinstance(clause, AnyOf) else (clause,):
                if isinstance(option, Phrase):
                    words = tuple(w for w in option.folded if w)
                    if words:
                        phrases.append(words)
                elif option.folded:
                    exact.update(option.forms)
                    stems.update(option.stems)
        return cls(frozenset(exact), frozenset(stems), tuple(phrases))

    def wants(self, word: Word) -> bool:
        """Whether ``word`` is marked wherever it occurs."""
        return word.exact in self.exact or bool(
            self.stems and not self.stems.isdisjoint(word.stems)
        )

    def marked(self, words: Sequence[Word]) -> list[int]:
        """Indices of the words to mark, in order."""
        exact, stems = self.exact, self.stems
        marked = [
            i
            for i, word in enumerate(words)
            if word.exact in exact or (stems and not stems.isdisjoint(word.stems))
        ]
        if not self.phrases:
            return marked
        found = set(marked)
        folded = [word.exact for word in words]
        for phrase in self.phrases:
            n = len(phrase)
            for i, form in enumerate(folded):
                if form == phrase[0] and tuple(folded[i : i + n]) == phrase:
                    found.update(range(i, i + n))
        return sorted(found)


@dataclass(frozen=True)
class Layout:
    """How a snippet is cut from its text.

    ``size`` words are shown, starting ``lead`` words before the first mark of
    the ``window`` consecutive words holding the most marks. ``fill_at_end``:
    near the end of the text, start earlier so that ``size`` words are still
    shown. ``keep_leading``: a snippet from the first word keeps what comes
    before it (« , an elided article). ``ellipses``: written before and after
    a snippet that does not reach the start or the end of its text.
    """

    size: int = SNIPPET_WORDS
    window: int = SNIPPET_WORDS - 5
    lead: int = 5
    fill_at_end: bool = False
    keep_leading: bool = False
    ellipses: tuple[str, str] = ("… ", " …")


WHOOSH = Layout()
POSTGRES = Layout(
    window=SNIPPET_WORDS, lead=3, fill_at_end=True, keep_leading=True, ellipses=("…", "…")
)


def snippet_of(
    texts: Iterable[str],
    marks: Marks,
    layout: Layout = WHOOSH,
    *,
    pick: Literal["first", "most"] = "first",
) -> str:
    """The snippet of a hit whose texts (one per highlighted field, in order)
    are ``texts``: HTML-escaped, with ``<mark>`` around marked words.

    ``pick="first"``: the first text with a mark; without one, the start of
    the first non-empty text (its first 300 characters if it has no word).
    ``pick="most"``: the text whose best window holds the most marks, the
    first on a tie; without a mark, the start of the shortest text with
    words; "" when no text has a word.
    """
    if pick == "first":
        first = None
        for text in texts:
            if not text:
                continue
            read = _read(text, marks)
            if read.marked:
                return _html(text, read, layout)
            first = first or (text, read)
        if first is None:
            return ""
        text, read = first
        return _html(text, read, layout) if read.count else html.escape(text[:300])
    best = None
    for text in texts:
        if not text:
            continue
        read = _read(text, marks)
        if not read.count:
            continue
        key = (_window(read.marked, layout)[1], -len(text) if not read.marked else 0)
        if best is None or key > best[0]:
            best = (key, text, read)
    return "" if best is None else _html(best[1], best[2], layout)


def highlight_terms(query: Query) -> tuple[set[str], set[str]]:
    """The exact forms and the stems a Whoosh snippet marks."""
    exact = set(query.highlight_terms())
    stemmed: set[str] = set()
    for clause in query.must:
        for option in clause.options if isinstance(clause, AnyOf) else (clause,):
            if isinstance(option, Term):
                exact.update(option.forms)
                stemmed.update(option.stems)
    return exact, stemmed


def snippet_html(
    text: str,
    exact: set[str],
    stemmed: set[str],
    *,
    fallback: bool = False,
    size: int = SNIPPET_WORDS,
) -> str | None:
    """About ``size`` words of ``text`` around the best cluster of matched words,
    HTML-escaped, with ``<mark>`` around matches, laid out as :data:`WHOOSH`.
    None when nothing matches (unless ``fallback``: then the start of the text)."""
    read = _read(text, Marks(frozenset(exact), frozenset(stemmed)))
    if not read.count:
        return html.escape(text[:300]) if fallback and text else None
    if not read.marked and not fallback:
        return None
    return _html(text, read, dataclasses.replace(WHOOSH, size=size, window=size - 5))


class _Read(NamedTuple):
    """What a text holds: its number of words, the indices of its marked words
    (in order), and whether each match of the word pattern is one word."""

    count: int
    marked: list[int]
    simple: bool


def _read(text: str, marks: Marks) -> _Read:
    raws = _WORD_RE.findall(text)
    analysed = {raw: _analyse_match(raw) for raw in set(raws)}
    simple = all(len(found) == 1 for found in analysed.values())
    if simple and not marks.phrases:
        # One word per match of the word pattern (the usual case): word i is match i.
        wanted = {raw for raw, found in analysed.items() if marks.wants(found[0][2])}
        marked = [i for i, raw in enumerate(raws) if raw in wanted] if wanted else []
        return _Read(len(raws), marked, simple)
    words = [word for raw in raws for _start, _end, word in analysed[raw]]
    return _Read(len(words), marks.marked(words), simple)


def _window(marked: list[int], layout: Layout) -> tuple[int, int]:
    """The first marked word of the ``layout.window`` words holding the most
    marks, and how many they hold (the first such window)."""
    if not marked:
        return 0, 0
    best, best_count = marked[0], 0
    for k, i in enumerate(marked):
        n = bisect.bisect_left(marked, i + layout.window) - k
        if n > best_count:
            best, best_count = i, n
    return best, best_count


def _html(text: str, read: _Read, layout: Layout) -> str:
    """The snippet of ``text`` (which has words) laid out by ``layout``."""
    count = read.count
    start = max(0, _window(read.marked, layout)[0] - layout.lead) if read.marked else 0
    end = min(count, start + layout.size)
    if layout.fill_at_end and end - start < layout.size:
        start = max(0, end - layout.size)
    spans = _spans(text, start, end, simple=read.simple)
    marked = set(read.marked)
    before, after = layout.ellipses
    parts = [before if start > 0 else ""]
    position = 0 if layout.keep_leading and start == 0 else spans[0][0]
    for i, (word_start, word_end) in enumerate(spans, start):
        if i in marked:
            parts.append(html.escape(text[position:word_start]))
            parts.append(f"<mark>{html.escape(text[word_start:word_end])}</mark>")
            position = word_end
    if end < count:
        parts.append(html.escape(text[position : spans[-1][1]]))
        parts.append(after)
    else:
        parts.append(html.escape(text[position:]))
    return "".join(parts).strip()


def _spans(text: str, start: int, end: int, *, simple: bool) -> list[tuple[int, int]]:
    """Where words ``start`` to ``end`` (excluded) of ``text`` are in it, words
    counted as ``analyse`` (and ``analyse_spans``) count them. ``simple``: each
    match of the word pattern is one word."""
    matches = _WORD_RE.finditer(text)
    if simple:
        spans = []
        for match in islice(matches, start, end):
            ((word_start, word_end, _word),) = _analyse_match(match.group())
            spans.append((match.start() + word_start, match.start() + word_end))
        return spans
    spans = []
    count = 0
    for match in matches:
        found = _analyse_match(match.group())
        if count + len(found) > start:
            at = match.start()
            for k, (word_start, word_end, _word) in enumerate(found, count):
                if start <= k < end:
                    spans.append((at + word_start, at + word_end))
        count += len(found)
        if count >= end:
            break
    return spans
