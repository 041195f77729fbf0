"""The search page's hits and refinement links, written in Python: a page shows
twenty hits and up to seventy facet links, and the template engine's work per
variable made them half the page's cost. Same markup as the template had; every
value is escaped with ``html.escape``, as Django's ``escape`` does, except the
snippets, whose highlighting the backends build from escaped text."""

from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from articles.formats import iso_moment, long_date


def hits_html(hits) -> SafeString:
    """The ``<li>`` of each hit, or the no-result line."""
    if not hits:
        empty = escape(gettext("Aucun article ne correspond à cette recherche."))
        return mark_safe(f"<li>{empty}</li>")  # noqa: S308
    return mark_safe("".join(_hit(hit) for hit in hits))  # noqa: S308


def _hit(hit) -> str:
    stored = hit.stored
    date = stored.get("date")
    iso = iso_moment(date)
    tags = ", ".join(escape(str(tag)) for tag in stored.get("tags") or ())
    snippet = f'\n      <p class="snippet" lang="fr">{hit.snippet}</p>' if hit.snippet else ""
    return (
        f'<li class="hit">\n      <h3 lang="fr"><a href="{escape(stored.get("url", ""))}">'
        f"{escape(stored.get('title', ''))}</a></h3>\n"
        f'      <p class="meta"><time datetime="{iso}">{escape(long_date(date))}</time>'
        f"{' · ' + tags if tags else ''}</p>{snippet}\n    </li>"
    )


def facets_html(facets) -> SafeString:
    """Each facet's title and links (``search.views.facet_links``)."""
    return mark_safe("".join(_facet(label, links) for label, links in facets))  # noqa: S308


CHOSEN = ' aria-current="true" class="chosen"'


def _facet(label, links) -> str:
    items = "".join(
        f'<li><a href="{escape(link["url"])}"{CHOSEN if link["chosen"] else ""}>'
        f'{escape(link["value"])}</a> <span class="count">{link["count"]}</span></li>'
        for link in links
    )
    return f"<section>\n      <h2>{escape(str(label))}</h2>\n      <ul>{items}</ul>\n    </section>"
