from django.contrib.sitemaps import Sitemap
from django.db.models import Max

from articles.models import Article, Author, GenreTag, Section


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return (
            Article.objects.published()
            .only("slug", "publication_date", "updated_at")
            .order_by("-published_at", "-id")
        )

    def lastmod(self, item):
        return item.updated_at


class ListingSitemap(Sitemap):
    """Sections, genres and authors that have at least one published article."""

    changefreq = "daily"
    i18n = True
    alternates = True
    x_default = True
    relation = ""

    def __init__(self, model, relation):
        self.model, self.relation = model, relation

    def items(self):
        published = Article.objects.published()
        return (
            self.model.objects.filter(**{f"{self.relation}__in": published})
            .annotate(last=Max(f"{self.relation}__updated_at"))
            .order_by("pk")
        )

    def lastmod(self, item):
        return item.last


SITEMAPS = {
    "articles": ArticleSitemap,
    "sections": ListingSitemap(Section, "articles"),
    "genres": ListingSitemap(GenreTag, "tagged_articles__content_object"),
    "auteurs": ListingSitemap(Author, "articles"),
}
