"""The article page's content (the article, its photos, its genres and "À lire
aussi"), written in Python: the page most readers see, and the template
engine's work per tag and variable was a third of its cost. Same markup as the
template it replaces; every value is escaped with ``html.escape``, as Django's
``escape`` does. The interface's own texts are not, as the template's
``{% translate "…" %}`` and ``{% blocktranslate %}`` leave them: they and their
translations are the project's, not readers' or editors'."""

from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from articles.cards import cards
from articles.formats import iso_moment, long_date
from articles.html import PHOTO_REFERENCE
from photos.figure import figure

LEAD_SIZES = "(min-width: 48rem) 48rem, 100vw"
GALLERY_SIZES = "(min-width: 48rem) 24rem, 100vw"


def article_content(context) -> SafeString:
    """The content block of ``articles/article_detail.html``, from its context
    (``article``, ``preview``, ``body_photos``, ``gallery``, ``genres``, ``related``)."""
    article = context["article"]
    section = article.section
    lead = figure(article.lead_photo, "lead", LEAD_SIZES) if article.lead_photo else ""
    standfirst = (
        f'<p class="standfirst" lang="fr">{escape(article.standfirst)}</p>'
        if article.standfirst
        else ""
    )
    return mark_safe(  # noqa: S308
        f"\n{_preview(article) if context.get('preview') else ''}\n"
        f'<article class="article">\n  <header>\n'
        f'    <p class="kicker"><a href="{escape(section.get_absolute_url())}">'
        f"{escape(section.name)}</a></p>\n"
        f'    <h1 lang="fr">{escape(article.title)}</h1>\n'
        f'    <p class="meta">\n'
        f'      <time datetime="{iso_moment(article.published_at)}">'
        f"{escape(long_date(article.publication_date))}</time>\n"
        f"      {_authors(article)}\n"
        f"    </p>\n"
        f"    {standfirst}\n"
        f"  </header>\n"
        f"  {lead}\n"
        f'  <div class="body" lang="fr">{render_body(article, context["body_photos"])}</div>\n'
        f"  {_gallery(context.get('gallery'))}\n"
        f"  <footer>\n"
        f"    {_genres(context.get('genres'))}\n"
        f'    <p class="rights-notice"><a href="{escape(reverse("photos:rights"))}">'
        f"{_rights_link()}</a> — {_rights_notice()}</p>\n"
        f"  </footer>\n"
        f"</article>\n"
        f"{_related(context.get('related'))}\n"
    )


def _rights_link() -> str:
    return gettext("Droits d'auteur et crédits photos")


def _rights_notice() -> str:
    return gettext(
        "une photo vous appartient et n'est pas ou plus utilisable, ou son crédit est à "
        "corriger ? Dites-le-nous."
    )


def render_body(article, body_photos) -> SafeString:
    """The article body with each photo reference rendered from its Photo row."""

    def replace(match):
        photo = body_photos.get(int(match.group(1)))
        if photo is None:
            return ""
        return figure(photo, css_class="inline", sizes="(min-width: 48rem) 44rem, 100vw")

    # The body was sanitised on save: references are the only markup rewritten here.
    return mark_safe(PHOTO_REFERENCE.sub(replace, article.body))  # noqa: S308


def _preview(article) -> str:
    text = gettext("Aperçu — cet article n'est pas publié (%(status)s).") % {
        "status": escape(str(article.get_status_display()))
    }
    return f'<p class="preview-banner" role="status">{text}</p>'


def _authors(article) -> str:
    authors = list(article.authors.all())
    if not authors:
        return ""
    links = ", ".join(
        f'<a href="{escape(author.get_absolute_url())}" rel="author">{escape(author.name)}</a>'
        for author in authors
    )
    by = gettext("par")  # (outside the f-string: message extraction does not read inside one)
    return f" · {by} {links}"


def _gallery(gallery) -> str:
    if not gallery:
        return ""
    title = gettext("Galerie")
    figures = "".join(figure(item, "gallery-item", GALLERY_SIZES) for item in gallery)
    return (
        f'<section class="gallery" aria-labelledby="gallery-title">\n'
        f'    <h2 id="gallery-title">{title}</h2>\n'
        f"    {figures}\n  </section>"
    )


def _genres(genres) -> str:
    if not genres:
        return ""
    links = ", ".join(
        f'<a href="{escape(tag.get_absolute_url())}" rel="tag" lang="fr">{escape(tag.name)}</a>'
        for tag in genres
    )
    label = gettext("Genres :")
    return f'<p class="tags">{label} {links}</p>'


def _related(related) -> str:
    if not related:
        return ""
    title = gettext("À lire aussi")
    return (
        f'<aside class="related" aria-labelledby="related-title">\n'
        f'  <h2 id="related-title">{title}</h2>\n'
        f'  <div class="cards">\n{cards(related)}\n</div>\n\n\n\n'
        f"</aside>"
    )
