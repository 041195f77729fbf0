"""Snippets of the PostgreSQL backend: the marks of a query (``_Marks``, a
phrase's words marked only where the whole phrase occurs) and the snippets of
a page of rows, built by :func:`search.snippets.snippet_of` with the
:data:`~search.snippets.POSTGRES` layout; made in a thread while the server
counts a search's matches."""

from __future__ import annotations

import concurrent.futures
import json
from concurrent.futures import ThreadPoolExecutor

from search.query import Query
from search.snippets import POSTGRES, Marks, snippet_of

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


class _Marks(Marks):
    """What this backend highlights for a query: words whose exact form is a
    wanted word, or which share a stem with a plain (unquoted) wanted word,
    and the words of phrases where the whole phrase occurs."""

    def __init__(self, query: Query):
        marks = Marks.of(query, whole_phrases=True)
        super().__init__(marks.exact, marks.stems, marks.phrases)

    def snippet(self, texts: list[str]) -> str:
        """About SNIPPET_WORDS words of the text that holds the most wanted
        words, starting a little before the first one; HTML with <mark>."""
        return snippet_of(texts, self, POSTGRES, pick="most")
