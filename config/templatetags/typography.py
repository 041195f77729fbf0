"""Typography for text the site writes back to readers (a query, a suggestion)."""

import re

from django import template
from django.utils import translation

register = template.Library()

QUOTED = re.compile(r'"\s*([^"]*?)\s*"')
QUOTES = {"fr": ("«\u00a0", "\u00a0»")}
DEFAULT_QUOTES = ("\u201c", "\u201d")


@register.filter
def typographic_quotes(text: str) -> str:
    """Pairs of straight double quotes as the current language writes them:
    ``"la nuit"`` is ``« la nuit »`` in French (with no-break spaces), ``“la nuit”``
    in English. The query language reads both, so only what is shown changes.
    Escaping is left to the template (the result is not marked safe)."""
    opening, closing = QUOTES.get(translation.get_language(), DEFAULT_QUOTES)
    return QUOTED.sub(lambda match: f"{opening}{match.group(1)}{closing}", str(text))
