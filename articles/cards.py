"""The article card of every reader list (home, sections, genres, authors,
archives, "À lire aussi"), written in Python: a list page shows up to forty
cards, and the template engine's per-variable work made them most of the
page's cost. Same markup and photo rules (``visible_photo``, ``rendition_url``)
as the templates; every value is escaped with ``html.escape``, as Django's
``escape`` does."""

from html import escape
from typing import NamedTuple

from django.template.defaultfilters import truncatewords
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from articles.formats import iso_moment, long_date
from photos.display import rendition_url, visible_photo

THUMB_WIDTH = 480
STANDFIRST_WORDS = 40


def cards(articles) -> SafeString:
    """The cards of ``articles``, or the empty-list message."""
    if not articles:
        empty = escape(gettext("Aucun article pour l'instant."))
        return mark_safe(f"<p>{empty}</p>")  # noqa: S308
    labels = Labels(
        credit=escape(gettext("Crédit photo :")),
        report=escape(gettext("Signaler cette photo")),
        report_url=escape(reverse("takedowns:notice")),
    )
    return mark_safe("\n".join(card(article, labels) for article in articles))  # noqa: S308


class Labels(NamedTuple):
    """What every card's photo credit line says, escaped once per list."""

    credit: str
    report: str
    report_url: str


def card(article, labels: Labels) -> str:
    """One card."""
    url = escape(article.get_absolute_url())
    section = article.section
    moment = article.published_at
    iso = iso_moment(moment)
    return (
        f'<article class="card">\n  {_thumb(article, url, labels)}'
        f'<p class="kicker"><a href="{escape(section.get_absolute_url())}">'
        f"{escape(section.name)}</a></p>\n"
        f'  <h3 lang="fr"><a href="{url}">{escape(article.title)}</a></h3>\n'
        f'  <p class="meta"><time datetime="{iso}">{escape(long_date(article.publication_date))}'
        f"</time>{_authors(article)}</p>\n{_standfirst(article)}</article>"
    )


def _thumb(article, url: str, labels: Labels) -> str:
    photo = visible_photo(article.lead_photo)
    if photo is None:
        return ""
    size = f' width="{photo.width}" height="{photo.height}"' if photo.width else ""
    return (
        f'<a class="thumb" href="{url}" tabindex="-1" aria-hidden="true">'
        f'<img src="{escape(rendition_url(photo, THUMB_WIDTH))}" alt="" loading="lazy"{size}></a>\n'
        f'  <p class="credit small"><span class="visually-hidden">{labels.credit} </span>'
        f'{escape(photo.credit)} <a class="report" href="{labels.report_url}?photo={photo.pk}'
        f'#signaler" rel="nofollow">{labels.report}</a></p>\n  '
    )


def _authors(article) -> str:
    names = ", ".join(escape(author.name) for author in article.authors.all())
    return f" · {names}" if names else ""


def _standfirst(article) -> str:
    if not article.standfirst:
        return ""
    text = escape(truncatewords(article.standfirst, STANDFIRST_WORDS))
    return f'  <p class="standfirst" lang="fr">{text}</p>\n'
