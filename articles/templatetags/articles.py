from django import template
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils import translation

from articles import listings
from articles.article_html import article_content, render_body
from articles.cards import cards
from articles.formats import long_date
from articles.models import Section
from config import derived

register = template.Library()


register.filter("long_date", long_date)


@register.simple_tag(takes_context=True)
def site_nav(context):
    """The header's sections menu and search box, the same on every page of a
    language but for the current section: kept per content version."""
    request = context.get("request")
    section = context.get("section")
    current = section.pk if isinstance(section, Section) else None

    def render():
        return render_to_string(
            "includes/site_nav.html",
            {"nav_sections": listings.sections(request), "current": current},
        )

    return derived.kept(("site nav", translation.get_language(), current), render, request)


@register.simple_tag(takes_context=True)
def site_footer(context):
    """The footer, the same on every page of a language."""
    site_name = context.get("SITE_NAME", "")

    def render():
        return render_to_string("includes/site_footer.html", {"SITE_NAME": site_name})

    key = ("site footer", translation.get_language(), site_name)
    return derived.kept(key, render, context.get("request"))


@register.simple_tag
def article_cards(articles):
    """The cards of a list of articles (``articles/cards.py``)."""
    return cards(articles)


register.simple_tag(render_body, name="render_body")
register.simple_tag(article_content, name="article_content", takes_context=True)


@register.simple_tag(takes_context=True)
def translated_url(context, language):
    """This page in another language: a plain link, so that pages hold no form
    (and no per-visitor token) and can be cached for everyone. Reversed from the
    request's own match (the page names each language up to three times)."""
    request = context["request"]
    urls = request.__dict__.setdefault("_translated_urls", {})
    if language not in urls:
        urls[language] = _translated(request, language)
    return urls[language]


def _translated(request, language) -> str:
    full_path = request.get_full_path()
    match = getattr(request, "resolver_match", None)
    if match is None:  # an error page
        return translate_url(full_path, language)
    with translation.override(language):
        try:
            path = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return full_path
    _path, mark, query = full_path.partition("?")
    return f"{path}{mark}{query}"
