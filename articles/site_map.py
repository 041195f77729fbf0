"""The site map for people (/plan-du-site/): every way into the archive on one
page. The XML sitemaps (/sitemap.xml) stay what search engines read.

It runs no query between two editorial changes: the genres in use, the years and
the sections are kept per content version (``config.derived``)."""

from django.views.generic import TemplateView

from articles.listings import archive_years, genre_counts, with_counts
from articles.models import GenreTag
from config import derived


def genres_in_use(request=None) -> list[GenreTag]:
    """Genres of at least one published article, by name, with ``article_count``."""

    return derived.kept(
        ("genres", "list"),
        lambda: with_counts(GenreTag.objects.order_by("name"), genre_counts(request)),
        request,
    )


class SiteMapView(TemplateView):
    template_name = "articles/site_map.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            genres=genres_in_use(self.request), years=archive_years(self.request), **kwargs
        )
