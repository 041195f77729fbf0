"""RSS and Atom feeds: site-wide, per section, per genre tag. Each item's
enclosure is its lead photo when that photo is visible, and the description
carries the photo's credit."""

import mimetypes

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from articles.models import Article, GenreTag, Section
from config.site_url import site_url
from photos.templatetags.photos import absolute_media_url, visible_photo


class LatestRss(Feed):
    def title(self, obj=None):
        return settings.SITE_NAME

    def description(self, obj=None):
        return _("Les derniers articles de %(site)s") % {"site": settings.SITE_NAME}

    def link(self, obj=None):
        return site_url() + "/"

    def item_link(self, item):
        # Absolute already: SITE_URL in production, the request's address in development.
        return site_url() + item.get_absolute_url()

    def articles(self, obj):
        return Article.objects.published()

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        feed.feed["feed_url"] = site_url(request) + request.path  # Django uses the request's
        return feed

    def items(self, obj=None):
        return self.articles(obj).for_listing().prefetch_related("tags")[: settings.FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        text = escape(item.standfirst)
        photo = item.lead_photo
        if photo is not None and photo.is_visible:
            text += f"<p><small>{escape(photo.credit)}</small></p>"
        return text

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return ", ".join(author.name for author in item.authors.all()) or None

    def item_categories(self, item):
        return [item.section.name, *(tag.name for tag in item.genres)]

    def _visible_lead(self, item):
        # The same rule as the pages: a photo without a public file has no enclosure.
        return visible_photo(item.lead_photo)

    def item_enclosure_url(self, item):
        photo = self._visible_lead(item)
        # Django adds the domain to links but not to enclosures.
        return absolute_media_url(photo.image.url) if photo else None

    def item_enclosure_length(self, item):
        photo = self._visible_lead(item)
        return photo.file_size if photo else None

    def item_enclosure_mime_type(self, item):
        photo = self._visible_lead(item)
        return (mimetypes.guess_type(photo.image.name)[0] or "image/jpeg") if photo else None


class LatestAtom(LatestRss):
    feed_type = Atom1Feed
    subtitle = LatestRss.description


class SectionRss(LatestRss):
    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def title(self, obj=None):
        return f"{settings.SITE_NAME} — {obj.name}"

    def link(self, obj=None):
        return site_url() + obj.get_absolute_url()

    def articles(self, obj):
        return Article.objects.published().filter(section=obj)


class SectionAtom(SectionRss):
    feed_type = Atom1Feed
    subtitle = LatestRss.description


class TagRss(SectionRss):
    def get_object(self, request, slug):
        return get_object_or_404(GenreTag, slug=slug)

    def articles(self, obj):
        return Article.objects.published().filter(tags=obj)


class TagAtom(TagRss):
    feed_type = Atom1Feed
    subtitle = LatestRss.description
