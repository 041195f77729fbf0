"""The site map for people (/plan-du-site/): every way into the archive on one
page. The XML sitemaps (/sitemap.xml) stay what search engines read.

Its cost does not grow with the archive: one query for the genres; the years and the
sections are kept per content version (``config.derived``)."""

from django.db.models import Count
from django.views.generic import TemplateView

from articles.listings import archive_years
from articles.models import Article, GenreTag


def genres_in_use(published) -> list[GenreTag]:
    """Genres of at least one published article, by name, with ``article_count``."""
    return list(
        GenreTag.objects.filter(tagged_articles__content_object__in=published.values("pk"))
        .annotate(article_count=Count("tagged_articles"))
        .order_by("name")
    )


class SiteMapView(TemplateView):
    template_name = "articles/site_map.html"

    def get_context_data(self, **kwargs):
        published = Article.objects.published()
        return super().get_context_data(
            genres=genres_in_use(published), years=archive_years(self.request), **kwargs
        )
