"""A photo's figure on a reader page (lead, gallery, photo in the body),
written in Python: an article page shows several, and the template engine's
per-variable work made them a large part of the page's cost. Same markup and
rules as the template it replaces: a photo readers may see gets its sources,
alt text, caption, credit and report links; one they may not gets a neutral
placeholder saying why, and no URL of its files. Every value is escaped with
``html.escape``, as Django's ``escape`` does."""

from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from photos.display import photo_sources, showable


def figure(photo, css_class: str = "", sizes: str = "100vw", caption: bool = True) -> SafeString:
    """The ``<figure>`` of ``photo`` (a newline when there is no photo)."""
    if showable(photo):
        html = _shown(photo, escape(css_class), escape(sizes), caption)
    elif photo:
        html = _placeholder(photo, escape(css_class))
    else:
        html = ""
    return mark_safe(html + "\n")  # noqa: S308


def _shown(photo, css_class: str, sizes: str, caption: bool) -> str:
    sources = photo_sources(photo)
    webp = sources["webp_srcset"]
    if webp:
        webp = f'<source type="image/webp" srcset="{escape(webp)}" sizes="{sizes}">\n    '
    jpeg = f' srcset="{escape(sources["jpeg_srcset"])}"' if sources["jpeg_srcset"] else ""
    size = f' width="{photo.width}" height="{photo.height}"' if photo.width else ""
    text = (
        f'<span class="caption" lang="fr">{escape(photo.caption)}</span> '
        if caption and photo.caption
        else ""
    )
    notice, lookup = reverse("takedowns:notice"), reverse("takedowns:lookup")
    # (Outside the f-string: message extraction does not read inside one.)
    credit_label = escape(gettext("Crédit photo :"))
    report = escape(gettext("Signaler cette photo"))
    find = escape(gettext("Retrouver vos photos"))
    return (
        f'<figure class="photo {css_class}" lang="{escape(get_language())}">\n'
        f"  <picture>\n"
        f"    {webp}"
        f'<img src="{escape(sources["src"])}"{jpeg} sizes="{sizes}" '
        f'alt="{escape(photo.alt_text)}" lang="fr"{size} loading="lazy" decoding="async">\n'
        f"  </picture>\n"
        f'  <figcaption>{text}<span class="credit"><span class="visually-hidden">'
        f"{credit_label} </span>{escape(photo.credit)}</span>\n"
        f'    <a class="report" href="{escape(notice)}?photo={photo.pk}#signaler" rel="nofollow">'
        f"{report}</a>\n"
        f'    <a class="report" href="{escape(lookup)}" rel="nofollow">'
        f"{find}</a></figcaption>\n"
        f"</figure>"
    )


def _placeholder(photo, css_class: str) -> str:
    if photo.status == "withdrawn" and photo.withdrawn_case:
        # As {% blocktranslate %} does: the sentence as written, the reference escaped.
        text = gettext("Photo retirée à la suite d'une réclamation (dossier n° %(ref)s)") % {
            "ref": escape(str(photo.withdrawn_case))
        }
    elif photo.status == "withdrawn" or photo.licence_expired:
        text = escape(gettext("Cette photo a été retirée."))
    else:
        text = escape(gettext("Cette photo est momentanément indisponible."))
    return (
        f'<figure class="photo photo-removed {css_class}" role="note" '
        f'lang="{escape(get_language())}">\n'
        f'  <div class="placeholder"><p>{text}</p></div>\n'
        f"</figure>"
    )
