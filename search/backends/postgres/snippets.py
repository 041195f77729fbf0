"""Snippets: what to highlight for a query (``_Marks``), the window of a
text with the most marked words, as HTML with ``<mark>``; made in a thread
while the server counts a search's matches."""

from __future__ import annotations

import concurrent.futures
import html
import json
import re
from concurrent.futures import ThreadPoolExecutor

from search.analysis import Token, Word, analyse, tokenize
from search.backends.postgres.schema import SNIPPET_WORDS
from search.query import AnyOf, Phrase, Query

_threads: list = []  # the pool of _in_thread, made on first use in each process


def _in_thread(function, *args) -> concurrent.futures.Future:
    """Run pure Python work (no database) in a thread, while this one waits for
    the server: the wait releases the GIL."""
    if not _threads:
        _threads.append(ThreadPoolExecutor(max_workers=4, thread_name_prefix="search"))
    return _threads[0].submit(function, *args)


def row_snippets(backend, query: Query, rows: list) -> list[str]:
    marks = _Marks(query)
    snippets = []
    for _object_id, _stored, texts, _score in rows:
        if isinstance(texts, str):
            texts = json.loads(texts)
        fields = [(texts or {}).get(f.name, "") for f in backend.highlight_fields]
        snippets.append(marks.snippet(fields) if texts is not None else "")
    return snippets


class _Marks:
    """What to highlight for a query: tokens whose exact form is a wanted word,
    or which share a stem with a plain (unquoted) wanted word, and the words
    of phrases where the whole phrase occurs."""

    def __init__(self, query: Query):
        self.exact: set[str] = set()
        self.stems: set[str] = set()
        self.phrases: list[tuple[str, ...]] = []
        for clause in query.must:
            for option in clause.options if isinstance(clause, AnyOf) else (clause,):
                if isinstance(option, Phrase):
                    words = tuple(w for w in option.folded if w)
                    if words:
                        self.phrases.append(words)
                elif option.folded:
                    self.exact.update(option.forms)
                    self.stems.update(option.stems)

    def marked(self, words: list[Word]) -> list[int]:
        """Indices of the words to mark, in order."""
        exact, wanted_stems = self.exact, self.stems
        marked = [
            i
            for i, word in enumerate(words)
            if word.exact in exact or (wanted_stems and not wanted_stems.isdisjoint(word.stems))
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

    def snippet(self, texts: list[str]) -> str:
        """About SNIPPET_WORDS words of the text that holds the most wanted words,
        starting a little before the first one; HTML with <mark>. Words are
        analysed without their offsets (the fast path), which are then read
        for the chosen window's text only."""
        best = None
        for text in texts:
            if not text:
                continue
            words = analyse(text)
            if not words:
                continue
            ordered = self.marked(words)
            # The window with the most marked words.
            window_start, window_count = 0, 0
            right = 0
            for left, first in enumerate(ordered):
                while right < len(ordered) and ordered[right] < first + SNIPPET_WORDS:
                    right += 1
                if right - left > window_count:
                    window_start, window_count = first, right - left
            key = (window_count, -len(text) if not ordered else 0)
            if best is None or key > best[0]:
                best = (key, text, len(words), ordered, window_start)
        if best is None:
            return ""
        _, text, count, ordered, start = best
        start = max(0, start - 3) if ordered else 0
        end = min(count, start + SNIPPET_WORDS)
        if end - start < SNIPPET_WORDS:
            start = max(0, end - SNIPPET_WORDS)
        tokens = _first_tokens(text, end, count)
        marked = set(ordered)
        begin = 0 if start == 0 else tokens[start].start
        finish = len(text) if end == count else tokens[end - 1].end
        parts = ["…" if begin > 0 else ""]
        cursor = begin
        for i in range(start, end):
            token = tokens[i]
            if i in marked:
                parts.append(html.escape(text[cursor : token.start]))
                parts.append(f"<mark>{html.escape(text[token.start : token.end])}</mark>")
                cursor = token.end
        parts.append(html.escape(text[cursor:finish]))
        if finish < len(text):
            parts.append("…")
        return "".join(parts).strip()


_SPACE = re.compile(r"\s")


def _first_tokens(text: str, n: int, count: int) -> list[Token]:
    """At least the first ``n`` of the ``count`` tokens of ``text``: the text is
    cut at a space (no word holds one) a little past where they should end."""
    if n < count:
        space = _SPACE.search(text, len(text) * (n + 10) // count)
        if space is not None:
            tokens = tokenize(text[: space.start()])
            if len(tokens) >= n:
                return tokens
    return tokenize(text)
