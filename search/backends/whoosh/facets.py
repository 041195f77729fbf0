"""Facet counts of the Whoosh backend: years and keyword values of the matched documents."""

from __future__ import annotations

import numpy as np
from whoosh import sorting

from search.index import Date

FACET_SIZE = 20


class Facets:
    """Facets of :class:`~search.backends.whoosh.backend.WhooshBackend`."""

    def _facets(self) -> dict:
        groups = {}
        for name, field in self.index.facets.items():
            if isinstance(field, Date):
                groups[name] = sorting.FieldFacet(name, maptype=sorting.Count)
            else:
                groups[name] = sorting.FieldFacet(
                    field.name, allow_overlap=True, maptype=sorting.Count
                )
        return groups

    def _facet_counts(self, snapshot, mask, matched) -> dict[str, list[tuple[str, int]]]:
        out = {}
        for name, field in self.index.facets.items():
            if isinstance(field, Date):
                years = snapshot.column(name, translate=True)[matched]
                years = years[years > 0]
                values, counts = np.unique(years, return_counts=True)
                pairs = [
                    (str(v), int(n)) for v, n in zip(values.tolist(), counts.tolist(), strict=True)
                ]
            else:
                labels, docs, codes = snapshot.values(field.name)
                counts = np.bincount(codes[mask[docs]], minlength=len(labels))
                pairs = [(labels[i], int(counts[i])) for i in np.flatnonzero(counts).tolist()]
            pairs = [(key, n) for key, n in pairs if key]
            out[name] = sorted(pairs, key=lambda kv: (-kv[1], kv[0]))[:FACET_SIZE]
        return out
