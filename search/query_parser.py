"""Parsing the lexed items into a :class:`~search.query_ast.Query` (see
:mod:`search.query` for the language): clauses, ``OU``, names, filters and the
limits. Never raises. Django-free."""

from __future__ import annotations

import re

from search.analysis import exact_form, is_stop_word, tokenize
from search.query_ast import AnyOf, Clause, Filters, Phrase, Query, Term, YearRange, clause_size
from search.query_lexer import MAX_QUERY_LENGTH, Item, add_warning, clean, lex

MAX_TERMS = 32

FIELDS = {
    "auteur": "authors",
    "tag": "tags",
    "genre": "tags",
    "rubrique": "sections",
    "section": "sections",
    "annee": "years",
}


class _Builder:
    """Accumulates clauses and filters while enforcing the limits."""

    def __init__(self, warnings: list[str]):
        self.warnings = warnings
        self.clauses: list[tuple[Clause, bool]] = []
        self.filters: dict[str, list] = {"authors": [], "tags": [], "sections": []}
        self.years: YearRange | None = None
        self.budget = MAX_TERMS
        self.pending_or = False

    def warn(self, message: str) -> None:
        add_warning(self.warnings, message)

    # Clauses and OU ----------------------------------------------------------

    def add_or(self) -> None:
        last = self.clauses[-1] if self.clauses else None
        if last is None or last[1] or self.pending_or:
            self.warn("« OU » doit relier deux termes : il a été ignoré.")
        else:
            self.pending_or = True

    def add_clause(self, clause: Clause | None, negated: bool) -> None:
        if clause is None:
            return  # stop words only: an OU waiting for an operand keeps waiting
        clause = self._fit(clause)
        if clause is None:
            return
        if self.pending_or:
            self.pending_or = False
            if negated:
                self.warn("« OU » ne peut pas relier une exclusion : il a été ignoré.")
            else:
                self.clauses[-1] = (_merge(self.clauses[-1][0], clause), False)
                return
        self.clauses.append((clause, negated))

    def _fit(self, clause: Clause) -> Clause | None:
        size = clause_size(clause)
        if size > self.budget:
            self.warn(
                f"La recherche contient trop de mots : seuls les {MAX_TERMS} premiers "
                "ont été pris en compte."
            )
            if isinstance(clause, Phrase) and self.budget >= 2:
                clause = Phrase(clause.words[: self.budget])
            else:
                self.budget = 0
                return None
        self.budget -= clause_size(clause)
        return clause

    def end_or(self) -> None:
        if self.pending_or:
            self.warn("« OU » doit relier deux termes : il a été ignoré.")
        self.pending_or = False

    # Filters -------------------------------------------------------------------

    def add_filter(self, item: Item) -> None:
        kind = FIELDS[exact_form(item.name)]
        value = " ".join(item.text.split())
        if not item.quoted and kind != "years":  # "2015.." is an open range
            value = _strip_punctuation(value)
        if not any(c.isalnum() for c in value):
            self.warn(f"Le filtre « {item.name}: » est vide : il a été ignoré.")
        elif item.negated:
            self.warn(
                f"« -{item.name}:{value} » : exclure un filtre n'est pas possible, il a été ignoré."
            )
        elif kind == "years":
            self._add_years(item.name, value)
        elif exact_form(value) not in {exact_form(v) for v in self.filters[kind]}:
            self.filters[kind].append(value)

    def _add_years(self, name: str, value: str) -> None:
        years = _parse_years(value)
        if years is None:
            self.warn(
                f"« {name}:{value} » n'est pas une année (exemples : 2018, 2015..2019) : "
                "ce filtre a été ignoré."
            )
            return
        if years.start and years.end and years.start > years.end:
            years = YearRange(years.end, years.start)
            self.warn(f"Les années de « {name}:{value} » ont été remises dans l'ordre.")
        if self.years is not None and self.years != years:
            self.warn("Plusieurs filtres d'année : seul le dernier a été pris en compte.")
        self.years = years

    def build(self, raw: str) -> Query:
        self.end_or()
        unique, seen = [], set()
        for clause, negated in self.clauses:
            if (clause.key, negated) not in seen:
                seen.add((clause.key, negated))
                unique.append((clause, negated))
        must, must_not = [], []
        for clause, negated in _names(unique):
            (must_not if negated else must).append(clause)
        filters = Filters(
            authors=tuple(self.filters["authors"]),
            tags=tuple(self.filters["tags"]),
            sections=tuple(self.filters["sections"]),
            years=self.years,
        )
        return Query(tuple(must), tuple(must_not), filters, tuple(self.warnings), raw)


def _capitalised(clause) -> bool:
    text = clause.text if isinstance(clause, Term) and not clause.exact else ""
    return len(text) > 1 and text[0].isupper() and text[1:].islower()


def _names(clauses: list[tuple[Clause, bool]]) -> list[tuple[Clause, bool]]:
    """Mark the words typed as names: a capitalised word ("Romane", not
    "ONU"), unless it is the first wanted word and the next one is in lower
    case (a sentence, or a phone's capital). A name matches its exact form,
    singular or plural, not its stem ("Romane" is not "roman"), and is never
    corrected. Decided on clauses, not on the text: the query read back from
    its text (``str``) means the same."""
    wanted = [clause for clause, negated in clauses if not negated]
    out = []
    for clause, negated in clauses:
        if _capitalised(clause):
            starts = not negated and clause is wanted[0]
            if not starts or len(wanted) == 1 or _capitalised(wanted[1]):
                clause = Term(clause.text, name=True)
        out.append((clause, negated))
    return out


def _merge(left: Clause, right: Clause) -> Clause:
    options = left.options if isinstance(left, AnyOf) else (left,)
    extra = right.options if isinstance(right, AnyOf) else (right,)
    keys = {o.key for o in options}
    options += tuple(o for o in extra if o.key not in keys)
    # "film OU film" is just "film".
    return AnyOf(options) if len(options) > 1 else options[0]


def _strip_punctuation(value: str) -> str:
    start, end = 0, len(value)
    while start < end and not value[start].isalnum():
        start += 1
    while end > start and not value[end - 1].isalnum():
        end -= 1
    return value[start:end]


_YEAR_RE = re.compile(r"(\d{4})?\s*(?:\.\.+|-|–|à)\s*(\d{4})?")


def _parse_years(value: str) -> YearRange | None:
    value = value.strip(" ,;:!?")
    if re.fullmatch(r"\d{4}", value):
        return YearRange(int(value), int(value))
    match = _YEAR_RE.fullmatch(value)
    if not match or not (match.group(1) or match.group(2)):
        return None
    start, end = (int(g) if g else None for g in match.groups())
    return YearRange(start, end)


def _words_clause(text: str) -> Clause | None:
    """Words glued by punctuation: one clause (a term or a phrase)."""
    words = [t.text for t in tokenize(text)]
    # A stray operator ("OR:" or "-OU") is no word to search for.
    if all(is_stop_word(w) for w in words) or words in (["OU"], ["OR"]):
        return None
    return Term(words[0]) if len(words) == 1 else Phrase(tuple(words))


def _phrase_clause(text: str) -> Clause | None:
    words = [t.text for t in tokenize(text)]
    if not words:
        return None
    return Term(words[0], exact=True) if len(words) == 1 else Phrase(tuple(words))


def _add_item(builder: _Builder, item: Item) -> None:
    if item.kind == "or":
        builder.add_or()
    elif item.kind == "phrase":
        builder.add_clause(_phrase_clause(item.text), item.negated)
    elif item.kind == "words":
        builder.add_clause(_words_clause(item.text), item.negated)
    elif exact_form(item.name) in FIELDS:
        builder.end_or()
        builder.add_filter(item)
    else:
        _add_unknown_field(builder, item)


def _add_unknown_field(builder: _Builder, item: Item) -> None:
    # "foo:bar" is searched as the words "foo bar"; "Normandie:" alone, or
    # "http://..." is punctuation, not worth a warning.
    if item.text and item.text[0].isalnum() or item.quoted:
        builder.warn(
            f"« {item.name}: » n'est pas un filtre connu (auteur, tag, rubrique, année) : "
            "cherché comme des mots."
        )
    builder.add_clause(_words_clause(item.name), item.negated)
    maker = _phrase_clause if item.quoted else _words_clause
    builder.add_clause(maker(item.text), item.negated)


def parse(raw: object) -> Query:
    """Parse the search box's text. Never raises; see :mod:`search.query`."""
    try:
        raw = raw if isinstance(raw, str) else ("" if raw is None else str(raw))
        warnings: list[str] = []
        builder = _Builder(warnings)
        for item in lex(clean(raw, warnings), warnings):
            _add_item(builder, item)
        return builder.build(raw[:MAX_QUERY_LENGTH])
    except Exception:  # noqa: BLE001 - a search box must never give a server error
        return Query(warnings=("La recherche n'a pas pu être comprise.",), raw="")
