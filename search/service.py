"""From request parameters to results: shared by the search page and the JSON API."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.http import QueryDict
from django.utils.translation import gettext as _

from search.backends import backend_for
from search.backends.base import Refinements, Results
from search.query import Query, parse

SORTS = ("relevance", "date")
PER_PAGE = 20
MAX_PER_PAGE = 50
MAX_PAGE = 500


class BadParameter(ValueError):
    """A parameter the reader can fix: answered with a 400 and this message."""


@dataclass
class Search:
    query: Query
    refinements: Refinements
    sort: str
    page: int
    results: Results | None = None

    @property
    def is_blank(self) -> bool:
        return (
            self.query.is_empty
            and not self.query.filters
            and not self.refinements.values
            and (self.refinements.year_from is None)
        )


def read_page(raw: str | None) -> int:
    if raw in (None, ""):
        return 1
    try:
        page = int(raw)
    except ValueError as exc:
        raise BadParameter(_("Le numéro de page doit être un nombre entier.")) from exc
    if not 1 <= page <= MAX_PAGE:
        raise BadParameter(
            _("Le numéro de page doit être compris entre 1 et %(max)s.") % {"max": MAX_PAGE}
        )
    return page


def read_per_page(raw: str | None) -> int:
    if raw in (None, ""):
        return PER_PAGE
    try:
        per_page = int(raw)
    except ValueError as exc:
        raise BadParameter(
            _("Le nombre de résultats par page doit être un nombre entier.")
        ) from exc
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise BadParameter(
            _("Le nombre de résultats par page doit être compris entre 1 et %(max)s.")
            % {"max": MAX_PER_PAGE}
        )
    return per_page


def read_year(raw: str) -> tuple[int | None, int | None]:
    if not raw:
        return None, None
    start, _sep, end = raw.partition("..")
    try:
        years = (
            (int(start) if start else None, int(end) if end else None) if _sep else (int(raw),) * 2
        )
    except ValueError as exc:
        raise BadParameter(
            _("L'année doit être un nombre (ex. 2019) ou un intervalle (2015..2019).")
        ) from exc
    if any(y is not None and not 1800 <= y <= datetime.date.today().year + 1 for y in years):
        raise BadParameter(_("Cette année est hors de l'archive."))
    return years


def read_refinements(params: QueryDict, facet_names) -> Refinements:
    values = {}
    for name in facet_names:
        if name == "year":
            continue
        chosen = tuple(v.strip()[:200] for v in params.getlist(name) if v.strip())
        if chosen:
            values[name] = chosen[:10]
    year_from, year_to = read_year(params.get("year", "").strip())
    return Refinements(values=values, year_from=year_from, year_to=year_to)


def read_sort(raw: str | None) -> str:
    sort = raw or "relevance"
    if sort not in SORTS:
        raise BadParameter(_("Tri inconnu : choisissez « relevance » ou « date »."))
    return sort


def run(index_name: str, params: QueryDict, *, per_page: int = PER_PAGE) -> Search:
    """Parse, then search. Raises BadParameter; PageOutOfRange comes from the backend."""
    backend = backend_for(index_name)
    search = Search(
        query=parse(params.get("q", "")),
        refinements=read_refinements(params, backend.index.facets),
        sort=read_sort(params.get("sort")),
        page=read_page(params.get("page")),
    )
    if search.is_blank:
        return search
    search.results = backend.search(
        search.query,
        refinements=search.refinements,
        sort=search.sort,
        page=search.page,
        per_page=per_page,
    )
    return search
