from functools import lru_cache
from urllib.parse import quote_plus

from django import template

from search.results_html import facets_html, hits_html

register = template.Library()
register.simple_tag(hits_html, name="search_hits")
register.simple_tag(facets_html, name="facet_lists")


def url_with(params, **changes) -> str:
    """The current search's query string with some parameters changed (None
    removes one, a list sets several values); back on page 1 unless ``page`` is given.
    Parameters keep their order; a new one comes last."""
    pairs = []
    for name, values in params.lists():
        if name == "page" and "page" not in changes:
            continue
        if name in changes:
            values = _values(changes[name])
        pairs += [(name, value) for value in values]
    for name, value in changes.items():
        if name not in params:
            pairs += [(name, v) for v in _values(value)]
    return "?" + "&".join(_encoded(name, value) for name, value in pairs)


@lru_cache(maxsize=4096)
def _encoded(name: str, value: str) -> str:
    """One ``name=value`` pair as ``urlencode`` writes it: a search page writes
    some seventy refinement links, each repeating the same few pairs."""
    return f"{quote_plus(name)}={quote_plus(value)}"


def _values(value) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


@register.simple_tag
def search_url(params, **changes):
    return url_with(params, **changes)
