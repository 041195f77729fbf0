"""Highlighted snippets of search hits, built from a stored text: backend-neutral
(it needs only search.analysis and search.query), used by the Whoosh backend.

A snippet is about 30 words of a stored text around the best cluster of
matched words. Finding the matches needs every word of the text analysed, but
only the words of the window need their place in the text. So each distinct
word of the text is analysed and matched once (a text repeats its words), the
matches are found by index, and only the window's words are given their place
in the text. A text without a match (a standfirst, when only the body holds the
words) costs one pass of the word pattern.
"""

from __future__ import annotations

import bisect
import html
from itertools import islice

from search.analysis import _WORD_RE, _analyse_match
from search.query import AnyOf, Query, Term

SNIPPET_WORDS = 30


def highlight_terms(query: Query) -> tuple[set[str], set[str]]:
    """The exact forms and the stems a snippet marks."""
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
    HTML-escaped, with ``<mark>`` around matches. None when nothing matches
    (unless ``fallback``: then the start of the text)."""
    raws = _WORD_RE.findall(text)
    analysed = {raw: _analyse_match(raw) for raw in set(raws)}
    wanted = {
        raw
        for raw, found in analysed.items()
        if any(
            word.exact in exact or (stemmed and not stemmed.isdisjoint(word.stems))
            for _start, _end, word in found
        )
    }
    simple = all(len(found) == 1 for found in analysed.values())
    if simple:
        # One word per match of the word pattern (the usual case): word i is match i.
        count = len(raws)
        matched = [i for i, raw in enumerate(raws) if raw in wanted] if wanted else []
    else:
        words = [word for raw in raws for _start, _end, word in analysed[raw]]
        count = len(words)
        matched = [
            i
            for i, word in enumerate(words)
            if word.exact in exact or (stemmed and not stemmed.isdisjoint(word.stems))
        ]
    if not count:
        return html.escape(text[:300]) if fallback and text else None
    if not matched and not fallback:
        return None
    start = 0
    if matched:
        # The window of ``size - 5`` words holding the most matches.
        best, best_count = matched[0], 0
        for k, i in enumerate(matched):
            n = bisect.bisect_left(matched, i + size - 5) - k
            if n > best_count:
                best, best_count = i, n
        start = max(0, best - 5)
    end = min(count, start + size)
    spans = _spans(text, start, end, simple=simple)
    marked = set(matched)
    parts = ["… " if start > 0 else ""]
    position = spans[0][0]
    for i, (word_start, word_end) in enumerate(spans, start):
        parts.append(html.escape(text[position:word_start]))
        escaped = html.escape(text[word_start:word_end])
        parts.append(f"<mark>{escaped}</mark>" if i in marked else escaped)
        position = word_end
    if end < count:
        parts.append(" …")
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
