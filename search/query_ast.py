"""The parsed query (see :mod:`search.query`): immutable clauses (``Term``,
``Phrase``, ``AnyOf``), ``Filters`` with their ``YearRange``, and the
``Query`` holding them, each able to write itself back as query text.
Django-free, like the parser."""

from __future__ import annotations

from dataclasses import dataclass, field

from search.analysis import EXACT_PREFIX, exact_form, number_forms, query_terms, stems

FIELD_NAMES = {"authors": "auteur", "tags": "tag", "sections": "rubrique", "years": "année"}


@dataclass(frozen=True)
class Term:
    """One word. ``exact`` (quoted word) matches the exact form only; a
    ``name`` (see :func:`search.query_parser._names`) its exact form in the
    singular or plural."""

    text: str
    exact: bool = False
    name: bool = False

    @property
    def folded(self) -> str:
        return exact_form(self.text)

    @property
    def forms(self) -> tuple[str, ...]:
        """The exact forms this word matches."""
        folded = self.folded
        return number_forms(folded) if self.name else (folded,)

    @property
    def stems(self) -> tuple[str, ...]:
        return () if self.exact or self.name else stems(self.text)

    @property
    def terms(self) -> list[str]:
        """Prefixed index terms (see analysis.query_terms) this word matches."""
        if self.name:
            return [EXACT_PREFIX + form for form in self.forms]
        terms = query_terms(self.text)
        return terms[:1] if self.exact else terms

    @property
    def key(self) -> tuple:
        return ("term", self.folded, self.exact)

    @property
    def words(self) -> tuple[str, ...]:
        return (self.text,)

    def __str__(self) -> str:
        return f'"{self.text}"' if self.exact else self.text


@dataclass(frozen=True)
class Phrase:
    """Consecutive words (two or more), matched on their exact forms."""

    words: tuple[str, ...]

    @property
    def folded(self) -> tuple[str, ...]:
        return tuple(exact_form(w) for w in self.words)

    @property
    def key(self) -> tuple:
        return ("phrase", self.folded)

    def __str__(self) -> str:
        return '"' + " ".join(self.words) + '"'


@dataclass(frozen=True)
class AnyOf:
    """At least one of the options (from ``a OU b``)."""

    options: tuple[Term | Phrase, ...]

    @property
    def key(self) -> tuple:
        return ("any", tuple(sorted(o.key for o in self.options)))

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(w for option in self.options for w in option.words)

    def __str__(self) -> str:
        return " OU ".join(str(o) for o in self.options)


Clause = Term | Phrase | AnyOf


@dataclass(frozen=True)
class YearRange:
    """Inclusive publication-year range; a bound may be open (None)."""

    start: int | None
    end: int | None

    def __contains__(self, year: int) -> bool:
        return (self.start is None or year >= self.start) and (self.end is None or year <= self.end)

    def __str__(self) -> str:
        # Four digits, as typed, so that the text parses back to the same range.
        start, end = (f"{y:04d}" if y is not None else "" for y in (self.start, self.end))
        return start if self.start == self.end else f"{start}..{end}"


@dataclass(frozen=True)
class Filters:
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    years: YearRange | None = None

    def __bool__(self) -> bool:
        return bool(self.authors or self.tags or self.sections or self.years)

    def as_dict(self) -> dict:
        return {
            "authors": list(self.authors),
            "tags": list(self.tags),
            "sections": list(self.sections),
            "years": self.years,
        }

    def __str__(self) -> str:
        parts = [
            f"{FIELD_NAMES[name]}:{_quote_value(value)}"
            for name in ("authors", "tags", "sections")
            for value in getattr(self, name)
        ]
        if self.years:
            parts.append(f"année:{self.years}")
        return " ".join(parts)


@dataclass(frozen=True)
class Query:
    must: tuple[Clause, ...] = ()
    must_not: tuple[Clause, ...] = ()
    filters: Filters = field(default_factory=Filters)
    warnings: tuple[str, ...] = ()
    raw: str = field(default="", compare=False)  # equal queries mean the same

    @property
    def is_empty(self) -> bool:
        """Nothing to search for: no clause and no filter."""
        return not (self.must or self.must_not or self.filters)

    @property
    def term_count(self) -> int:
        return sum(clause_size(c) for c in self.must + self.must_not)

    def highlight_terms(self) -> tuple[str, ...]:
        """Exact (folded) forms of the words to highlight, in query order.

        Only wanted words: excluded ones never appear in results. Stop words
        are kept only when part of a phrase. A highlighter matches a token on
        its exact form, or on shared stems (analysis.stems) for plain terms.
        """
        words: list[str] = []
        for clause in self.must:
            for option in clause.options if isinstance(clause, AnyOf) else (clause,):
                words += [exact_form(w) for w in option.words]
        return tuple(dict.fromkeys(w for w in words if w))

    def __str__(self) -> str:
        parts = [str(c) for c in self.must]
        parts += [f"-{c}" for c in self.must_not]
        if self.filters:
            parts.append(str(self.filters))
        return " ".join(parts)


def clause_size(clause: Clause) -> int:
    return len(clause.words)


def _quote_value(value: str) -> str:
    # Bare only if reading it back unquoted gives the same value.
    bare = value[:1].isalnum() and value[-1:].isalnum() and len(value.split()) == 1
    return value if bare else f'"{value}"'
