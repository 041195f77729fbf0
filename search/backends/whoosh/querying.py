"""A :mod:`search.query` AST evaluated on Whoosh: translated into Whoosh query
objects (the reference, and the filters), and evaluated with arrays
(:mod:`search.backends.whoosh.vector`)."""

from __future__ import annotations

import numpy as np
from whoosh import query as wq

from search import ranking
from search.backends.base import Refinements
from search.backends.whoosh.matches import Matches
from search.backends.whoosh.phrases import phrase_in
from search.backends.whoosh.schema import normalise_value
from search.filters import matching_values
from search.index import Date
from search.query import AnyOf, Phrase, Query, Term

EXACT_BOOST = 2.0  # an exact word ranks above a word sharing only its stem


class Querying:
    """Query evaluation of :class:`~search.backends.whoosh.backend.WhooshBackend`."""

    # Whoosh's own evaluation: the reference for the arrays
    def whoosh_query(self, query: Query, refinements: Refinements | None = None):
        """The query as Whoosh query objects, for Whoosh's own (slow) evaluation:
        the reference the array evaluation is tested against, and a second
        opinion when a result looks wrong. None when nothing is asked."""
        filter_parts = self._filter(query, refinements)
        if not (query.must or query.must_not or filter_parts):
            return None
        q = wq.And([self._clause(c) for c in query.must]) if query.must else wq.Every()
        if query.must_not:
            q = wq.AndNot(q, wq.Or([self._clause(c) for c in query.must_not]))
        return wq.And([q, *filter_parts]) if filter_parts else q

    def whoosh_facets(self) -> dict:
        """Facets for ``Searcher.search(groupedby=...)``: see :meth:`whoosh_query`."""
        return self._facets()

    def _term(self, term: Term) -> wq.Query:
        exact = [
            wq.Term(f, form, boost=EXACT_BOOST) for f in self.exact_fields for form in term.forms
        ]
        if not term.stems:
            return wq.Or(exact)
        stemmed = [wq.Term(f, s) for f in self.stemmed_fields for s in term.stems]
        return wq.Or(stemmed + exact)

    def _phrase(self, phrase: Phrase) -> wq.Query:
        words = [w for w in phrase.folded if w]
        return wq.Or([wq.Phrase(f, words) for f in self.exact_fields])

    def _clause(self, clause) -> wq.Query:
        if isinstance(clause, AnyOf):
            return wq.Or([self._clause(option) for option in clause.options])
        if isinstance(clause, Phrase):
            return self._phrase(clause)
        return self._term(clause)

    def _keyword_field(self, filter_name: str) -> str | None:
        for f in self.index.of_kind("keyword"):
            if f.filter == filter_name:
                return f.name
        return None

    def _filter(self, query: Query, refinements: Refinements | None) -> list[wq.Query]:
        parts: list[wq.Query] = []
        filters = query.filters
        for attr, name in (("authors", "auteur"), ("tags", "tag"), ("sections", "rubrique")):
            values = getattr(filters, attr)
            if not values:
                continue
            field = self._keyword_field(name)
            if field is None:
                return [wq.NullQuery]
            known = self._folded_values(field + "_folded")
            for value in values:
                found = matching_values(name, value, known)
                terms = [wq.Term(field + "_folded", v) for v in found]
                parts.append(wq.Or(terms) if terms else wq.NullQuery)
        if filters.years:
            if self.year_field is None:
                return [wq.NullQuery]
            parts.append(wq.NumericRange(self.year_field, filters.years.start, filters.years.end))
        if refinements is not None:
            facets = self.index.facets
            for name, values in refinements.values.items():
                field = facets.get(name)
                if field is None:
                    return [wq.NullQuery]
                for value in values:
                    if isinstance(field, Date):
                        year = int(value) if str(value).isdigit() else -1
                        parts.append(wq.NumericRange(name, year, year))
                    else:
                        parts.append(wq.Term(field.name + "_folded", normalise_value(value)))
            if refinements.year_from is not None or refinements.year_to is not None:
                if self.year_field is None:
                    return [wq.NullQuery]
                parts.append(
                    wq.NumericRange(self.year_field, refinements.year_from, refinements.year_to)
                )
        return parts

    def _folded_values(self, field: str) -> list[str]:
        """Every folded value of a keyword field (filters resolve into them)."""
        reader = self._get_searcher().reader()
        if field not in reader.indexed_field_names():
            return []
        return [v.decode() if isinstance(v, bytes) else v for v in reader.lexicon(field)]

    # evaluation with arrays (search.backends.whoosh.vector)
    def _matches(self, snapshot, clause, exact_fields=None, stemmed_fields=None) -> Matches:
        """A clause's matches, in every text field or in those given."""
        if isinstance(clause, AnyOf):
            matches = Matches.empty(snapshot.size)
            for option in clause.options:
                matches.union(self._matches(snapshot, option, exact_fields, stemmed_fields))
            return matches
        exact_fields = tuple(exact_fields or self.exact_fields)
        stemmed_fields = tuple(stemmed_fields or self.stemmed_fields)
        if isinstance(clause, Phrase):
            key = ("phrase", clause.folded, exact_fields)
        else:
            key = ("term", clause.forms, clause.stems, exact_fields, stemmed_fields)
        return snapshot.matches(
            key, lambda: self._clause_matches(snapshot, clause, exact_fields, stemmed_fields)
        )

    def _clause_matches(self, snapshot, clause, exact_fields, stemmed_fields) -> Matches:
        """The matches of a word or a phrase, computed."""
        matches = Matches.empty(snapshot.size)
        if isinstance(clause, Phrase):
            words = [w for w in clause.folded if w]
            for field in exact_fields if words else ():
                ids, scores = phrase_in(snapshot, field, words)
                matches.add(ids, scores)
            return matches
        for form in (f for f in clause.forms if f):
            for field in exact_fields:
                matches.add(*snapshot.score_term(field, form, EXACT_BOOST))
        for field in stemmed_fields:
            for stem in clause.stems:
                matches.add(*snapshot.score_term(field, stem, 1.0))
        return matches

    def _whole_title_first(self, snapshot, query: Query, matches: Matches) -> None:
        """A document whose title holds the whole query ranks first (see
        search.ranking): its score is raised by the best score."""
        clauses = ranking.whole_title_clauses(query)
        if not clauses or self.title_field is None or not matches.mask.any():
            return
        exact, stemmed = [self.title_field + "_exact"], [self.title_field]
        held = self._matches(snapshot, clauses[0], exact, stemmed).mask
        for clause in clauses[1:]:
            held &= self._matches(snapshot, clause, exact, stemmed).mask
        held &= matches.mask
        if held.any():
            matches.scores[held] += matches.scores[matches.mask].max()

    def _filter_mask(self, snapshot, part: wq.Query) -> np.ndarray:
        mask = np.zeros(snapshot.size, dtype=bool)
        if isinstance(part, wq.Or):
            for option in part.subqueries:
                mask |= self._filter_mask(snapshot, option)
        elif isinstance(part, wq.Term):
            mask[snapshot.postings(part.fieldname, part.text)[0]] = True
        elif isinstance(part, wq.NumericRange):
            years = snapshot.column(part.fieldname, translate=True)
            mask = years > 0
            if part.start is not None:
                mask &= years >= part.start
            if part.end is not None:
                mask &= years <= part.end
        return mask

    def _top(self, snapshot, matches, matched: np.ndarray, k: int, by_date: bool) -> np.ndarray:
        """The first ``k`` matched document numbers, best (or newest) first."""
        if not len(matched) or k <= 0:
            return matched[:0]
        if by_date:
            dates = snapshot.column(self.date_field)[matched]
            if len(matched) > k:
                cut = np.argpartition(dates, len(matched) - k)[len(matched) - k :]
                matched, dates = matched[cut], dates[cut]
            return matched[np.lexsort((matched, dates))[::-1][:k]]
        scores = matches.scores[matched]
        if len(matched) > k:
            cut = np.argpartition(-scores, k - 1)[:k]
            matched, scores = matched[cut], scores[cut]
        return matched[np.lexsort((matched, -scores))][:k]
