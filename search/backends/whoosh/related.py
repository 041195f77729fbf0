"""More like this: documents sharing a document's telling words, on Whoosh."""

from __future__ import annotations

from whoosh import query as wq

# more_like_this ignores words present in a larger share of the documents than this.
MLT_MAX_DOC_SHARE = 0.05
MLT_MIN_CEILING = 10  # small archives: every word counts


class Related:
    """``more_like_this`` of :class:`~search.backends.whoosh.backend.WhooshBackend`."""

    def more_like_this(self, id: str, limit: int = 4) -> list[str]:
        searcher = self._get_searcher()
        docnum = searcher.document_number(id=str(id))
        if docnum is None:
            return []
        stored = searcher.stored_fields(docnum)
        # Words found in more than a few percent of the documents say little about
        # likeness and make every document a candidate (slow, and no better).
        # (doc_frequency also counts replaced documents until segments merge.)
        ceiling = max(MLT_MIN_CEILING, int(searcher.doc_count_all() * MLT_MAX_DOC_SHARE))
        terms = []
        for f in self.index.of_kind("text"):
            text = stored.get(f.name + "_exact")
            if not text:
                continue
            for word, weight in searcher.key_terms_from_text(f.name, text, numterms=10):
                if searcher.doc_frequency(f.name, word) <= ceiling:
                    terms.append(wq.Term(f.name, word, boost=weight))
        if not terms:
            return []
        results = searcher.search(wq.Or(terms), limit=limit, mask={docnum})
        return [hit["id"] for hit in results]
