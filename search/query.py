"""The search box's query language, parsed here (never by a backend's parser).

Syntax
------
* ``cinéma coréen``: plain words, all required (AND). Stop words are dropped
  (the stemmed index has none); a query of stop words only is empty.
* ``"found footage"``, ``« l'homme qui rit »``, ``“…”``: an exact phrase, stop
  words kept. A single quoted word is an exact word (no stemming).
  An unclosed quote is ignored: the rest is read as words, with a warning.
* ``science-fiction``: words glued by punctuation form a phrase, so
  "science-fiction OU fantasy" means what it says. Elisions are handled by the
  analysis ("l'affaire" is the word "affaire").
* ``-horreur``, ``-"found footage"``: exclusion, only when the dash starts
  the word. A lone dash ("VIDÉO - Normandie") is punctuation.
* ``cinéma OU série`` (or ``OR``, uppercase only): either; binds tighter than
  AND, so ``a b OU c`` is a AND (b OR c). Lowercase "ou"/"or" are words
  ("médaille or" is about gold).
* Filters: ``auteur:``, ``tag:`` (alias ``genre:``), ``rubrique:`` (alias
  ``section:``), ``année:``/``annee:`` with ``2015``, ``2015..2019``,
  ``2015..`` or ``..2019``. A value may be quoted: ``tag:"Science-fiction"``.
  ``auteur:Morel`` and ``auteur:aicha`` find Aïcha Morel: an author filter
  takes any of an author's names (see :mod:`search.filters`).
  Repeated filters all apply (AND), except the year where the last one wins.
  An unknown field (``foo:bar``) is read as the words "foo bar"; a colon
  after a word with nothing glued to it ("Normandie : la") is punctuation.
* ``Romane``, ``Claire Keim``: a capitalised word is a name (``Term.name``):
  matched on its exact form, singular or plural, never on its stem, never
  corrected; except a first word followed by one in lower case ("Inondations
  bretonnes": a sentence, or a phone's capital).
* No wildcards: ``*`` and ``?`` are punctuation.

AST
---
``Query(must, must_not, filters, warnings, raw)``, all immutable:

* ``must``: tuple of clauses that must all match; ``must_not``: clauses none
  of which may match. A clause is ``Term(text, exact)``, ``Phrase(words)``
  or ``AnyOf(options)`` (options are Terms/Phrases; AnyOf is never negated).
  Words keep the reader's spelling; ``Term.folded``/``Term.terms`` give
  what the index holds (see :mod:`search.analysis`).
* ``filters``: a frozen :class:`Filters` (authors, tags, sections: tuples of
  values as typed; years: a :class:`YearRange` or None) rather than a dict,
  to keep the tree immutable and typed; ``Filters.as_dict()`` gives a dict.
* ``warnings``: French messages for the reader. There are no errors: every
  input gives a usable Query, which is empty (``is_empty``) when nothing is
  left to search.

Limits: the text is cut to :data:`MAX_QUERY_LENGTH` characters and the
clauses to :data:`MAX_TERMS` words, with a warning.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from search.analysis import (
    EXACT_PREFIX,
    exact_form,
    is_stop_word,
    number_forms,
    query_terms,
    stems,
    tokenize,
)

__all__ = [
    "MAX_QUERY_LENGTH",
    "MAX_TERMS",
    "AnyOf",
    "Filters",
    "Phrase",
    "Query",
    "Term",
    "YearRange",
    "parse",
]

MAX_QUERY_LENGTH = 500
MAX_TERMS = 32

OPEN_QUOTES = '"«“„”»'
# Any quote closes a phrase: readers mix « with " or ” freely.
CLOSE_QUOTES = OPEN_QUOTES
DASHES = "-−"  # hyphen-minus and the minus sign; en/em dashes are punctuation

FIELDS = {
    "auteur": "authors",
    "tag": "tags",
    "genre": "tags",
    "rubrique": "sections",
    "section": "sections",
    "annee": "years",
}
FIELD_NAMES = {"authors": "auteur", "tags": "tag", "sections": "rubrique", "years": "année"}

# --- AST -------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One word. ``exact`` (quoted word) matches the exact form only; a
    ``name`` (see :func:`_names`) its exact form in the singular or plural."""

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
        return sum(_size(c) for c in self.must + self.must_not)

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


def _size(clause: Clause) -> int:
    return len(clause.words)


def _quote_value(value: str) -> str:
    # Bare only if reading it back unquoted gives the same value.
    bare = value[:1].isalnum() and value[-1:].isalnum() and len(value.split()) == 1
    return value if bare else f'"{value}"'


# --- Lexing ----------------------------------------------------------------
# The raw text becomes a list of items: ("words", text), ("phrase", text),
# ("or",), ("filter", name, value, quoted), each with a negation flag.


@dataclass(frozen=True)
class _Item:
    kind: str
    text: str = ""
    negated: bool = False
    name: str = ""
    quoted: bool = False


_FIELD_RE = re.compile(r"([^\W\d_]+):")


def _warn(warnings: list[str], message: str) -> None:
    # Fifty stray quotes deserve one message, not fifty.
    if message not in warnings:
        warnings.append(message)


def _clean(raw: str, warnings: list[str]) -> str:
    # Format characters (soft hyphen, zero-width) vanish; other controls split.
    chars = []
    for c in raw:
        category = unicodedata.category(c)
        if category == "Cf":
            continue
        chars.append(" " if category in ("Cc", "Zl", "Zp", "Cs") else c)
    text = "".join(chars)
    if len(text) > MAX_QUERY_LENGTH:
        cut = text[:MAX_QUERY_LENGTH]
        # Avoid searching for half a word.
        space = cut.rfind(" ", MAX_QUERY_LENGTH - 50)
        text = cut[:space] if space > 0 else cut
        warnings.append(
            f"La recherche est trop longue : seuls les {MAX_QUERY_LENGTH} premiers "
            "caractères ont été pris en compte."
        )
    return text


def _lex(text: str, warnings: list[str]) -> list[_Item]:
    items: list[_Item] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        negated = False
        j = i
        while j < n and text[j] in DASHES:
            j += 1
        if j > i and j < n and (text[j].isalnum() or text[j] in OPEN_QUOTES):
            negated, i = True, j
        item, i = _lex_item(text, i, negated, warnings)
        if item is not None:
            items.append(item)
    return items


def _lex_item(text: str, i: int, negated: bool, warnings: list[str]):
    if text[i] in OPEN_QUOTES:
        return _lex_phrase(text, i, negated, warnings)
    match = _FIELD_RE.match(text, i)
    if match:
        return _lex_filter(text, match, negated, warnings)
    end = _chunk_end(text, i)
    chunk = text[i:end]
    # Punctuation glued to the operator ("OU," or ":OR") does not make it a word.
    if not negated and [t.text for t in tokenize(chunk)] in (["OU"], ["OR"]):
        return _Item("or"), end
    return _Item("words", chunk, negated), end


def _chunk_end(text: str, i: int) -> int:
    j = i
    while j < len(text) and not text[j].isspace() and text[j] not in OPEN_QUOTES:
        j += 1
    return j


def _lex_phrase(text: str, i: int, negated: bool, warnings: list[str]):
    close = _find_close(text, i + 1)
    if close < 0:
        _warn(warnings, "Un guillemet n'est pas refermé : la suite a été cherchée comme des mots.")
        return None, i + 1
    return _Item("phrase", text[i + 1 : close], negated), close + 1


def _find_close(text: str, start: int) -> int:
    for j in range(start, len(text)):
        if text[j] in CLOSE_QUOTES:
            return j
    return -1


def _lex_filter(text: str, match: re.Match, negated: bool, warnings: list[str]):
    name = match.group(1)
    i = match.end()
    if i < len(text) and text[i] in OPEN_QUOTES and _find_close(text, i + 1) >= 0:
        close = _find_close(text, i + 1)
        return _Item("filter", text[i + 1 : close], negated, name, True), close + 1
    end = _chunk_end(text, i) if i < len(text) and not text[i].isspace() else i
    return _Item("filter", text[i:end], negated, name), end


# --- Parsing ---------------------------------------------------------------


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
        _warn(self.warnings, message)

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
        size = _size(clause)
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
        self.budget -= _size(clause)
        return clause

    def end_or(self) -> None:
        if self.pending_or:
            self.warn("« OU » doit relier deux termes : il a été ignoré.")
        self.pending_or = False

    # Filters -------------------------------------------------------------------

    def add_filter(self, item: _Item) -> None:
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


def _add_item(builder: _Builder, item: _Item) -> None:
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


def _add_unknown_field(builder: _Builder, item: _Item) -> None:
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
    """Parse the search box's text. Never raises; see the module docstring."""
    try:
        raw = raw if isinstance(raw, str) else ("" if raw is None else str(raw))
        warnings: list[str] = []
        builder = _Builder(warnings)
        for item in _lex(_clean(raw, warnings), warnings):
            _add_item(builder, item)
        return builder.build(raw[:MAX_QUERY_LENGTH])
    except Exception:  # noqa: BLE001 - a search box must never give a server error
        return Query(warnings=("La recherche n'a pas pu être comprise.",), raw="")
