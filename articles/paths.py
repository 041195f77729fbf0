"""Reader URLs of articles, sections, genres and authors, without running
``reverse()`` for each one: a list page links a hundred of them, and reversing
costs more than the rest of a card.

Each URL name is reversed once per language, script prefix and URL
configuration, with marker values that its pattern accepts; the markers are
then replaced by each object's values. Slugs are ASCII (the ``slug`` pattern),
so the values need no quoting, as with ``reverse()`` (a test compares both)."""

import functools
import re

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation

# A marker per URL argument, each one a whole path segment that its pattern accepts.
MARKERS = {"year": "1111", "month": "22", "day": "33", "slug": "slug-marker"}
SAFE = re.compile(r"[-a-zA-Z0-9_]+")


def path(name: str, **values: str) -> str:
    """``reverse(name, kwargs=values)`` for the URL names of reader pages. A value
    that needs quoting, or that the pattern may refuse, goes through ``reverse()``."""
    if not all(SAFE.fullmatch(value) for value in values.values()):
        return reverse(name, kwargs=values)
    template = _template(
        name, tuple(values), translation.get_language(), get_script_prefix(), get_urlconf()
    )
    return template.format_map(values)


@functools.lru_cache(maxsize=128)
def _template(name: str, keys: tuple, language: str | None, _prefix: str, urlconf) -> str:
    with translation.override(language):
        url = reverse(name, urlconf=urlconf, kwargs={key: MARKERS[key] for key in keys})
    url = url.replace("{", "{{").replace("}", "}}")
    for key in keys:
        marker = f"/{MARKERS[key]}/"
        if url.count(marker) != 1:
            raise ValueError(f"Cannot make a template of {name!r}: {url}")
        url = url.replace(marker, "/{" + key + "}/")
    return url
