from django import template
from django.utils.http import urlencode

register = template.Library()


def url_with(params, **changes) -> str:
    """The current search's query string with some parameters changed (None
    removes one, a list sets several values); back on page 1 unless ``page`` is given."""
    query = params.copy()
    query.pop("page", None)
    for name, value in changes.items():
        if value is None:
            query.pop(name, None)
        elif isinstance(value, list):
            query.setlist(name, value)
        else:
            query[name] = str(value)
    return "?" + urlencode(query, doseq=True)


@register.simple_tag
def search_url(params, **changes):
    return url_with(params, **changes)
