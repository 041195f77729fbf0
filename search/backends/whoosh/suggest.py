"""Spelling suggestions and autocompletion from a Whoosh index's vocabulary."""

from __future__ import annotations

from whoosh import query as wq

from search import spelling
from search.analysis import (
    exact_form,
    fold,
    tokenize,
)
from search.backends.whoosh import vector
from search.query import Query, Term


class Suggestions:
    """Suggestions of :class:`~search.backends.whoosh.backend.WhooshBackend`."""

    # suggestions
    def suggest(self, query: Query) -> str | None:
        return self._suggest(self._get_searcher(), query, None)

    def _suggest(self, searcher, query: Query, count: int | None) -> str | None:
        """See search.spelling. Candidates come from each segment's vocabulary,
        bucketed once (vector.vocabularies): Whoosh's ``terms_within``
        walks the lexicon in Python, 0.3-2 s per query on a large archive."""
        reader = searcher.reader()
        names = set(reader.indexed_field_names())
        exact = [f for f in self.exact_fields if f in names]
        stemmed = [f for f in self.stemmed_fields if f in names]
        if not exact:
            return None

        def frequency(word: str, folded: str) -> tuple[int, bool]:
            documents = sum(reader.doc_frequency(f, folded) for f in exact)
            known = documents > 0 or any(
                reader.doc_frequency(f, stem) for f in stemmed for stem in Term(word).stems
            )
            return documents, known

        def candidates(folded: str, least: int):
            found: dict[str, int] = {}
            for vocabulary in vector.vocabularies(searcher, exact):
                for term, documents in vocabulary.near(folded, 0):
                    found[term] = found.get(term, 0) + documents
            return [(term, n) for term, n in found.items() if n > least]

        return spelling.correct(query, count, frequency, candidates)

    def autocomplete(self, prefix: str, limit: int = 8) -> list[str]:
        words = [exact_form(t.text) for t in tokenize(prefix or "")]
        words = [w for w in words if w]
        if not words or limit <= 0:
            return []
        searcher = self._get_searcher()
        reader = searcher.reader()
        folded_prefix = " ".join(words)
        starting, containing = [], []
        for f in self.index.of_kind("keyword"):
            if not f.searchable or f.name not in reader.indexed_field_names():
                continue
            for btext in reader.lexicon(f.name):
                value = btext.decode("utf-8") if isinstance(btext, bytes) else btext
                norm = " ".join(exact_form(t.text) for t in tokenize(value))
                freq = reader.doc_frequency(f.name, value)
                if norm.startswith(folded_prefix):
                    starting.append((-freq, value))
                elif (" " + norm).find(" " + folded_prefix) >= 0:
                    containing.append((-freq, value))
        titles = []
        title = next((f for f in self.index.of_kind("text") if f.stored), None)
        if title is not None:
            field = title.name + "_exact"
            parts = [wq.Term(field, w) for w in words[:-1]] + [wq.Prefix(field, words[-1])]
            kwargs = {"sortedby": self.date_field, "reverse": True} if self.date_field else {}
            for hit in searcher.search(wq.And(parts), limit=limit * 2, **kwargs):
                text = hit.get(field)
                if text:
                    titles.append(text)
        out, seen = [], set()
        for value in (
            [v for _f, v in sorted(starting)] + titles + [v for _f, v in sorted(containing)]
        ):
            key = fold(value)
            if key not in seen:
                seen.add(key)
                out.append(value)
        return out[:limit]
