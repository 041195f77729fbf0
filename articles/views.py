import datetime

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView
from django.views.generic.dates import DayArchiveView, MonthArchiveView, YearArchiveView

from articles import workflow
from articles.models import Article, Author, GenreTag, Section
from photos.models import Photo
from search.backends import backend_for

DETAIL_PREFETCH = [
    "authors",
    "tags",
    "lead_photo__renditions",
    "gallery_items__photo__renditions",
]


class PublishedListMixin:
    """Every reader list starts from ``Article.objects.published()``."""

    paginate_by = settings.ARTICLES_PER_PAGE
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().for_listing()


class HomeView(TemplateView):
    template_name = "articles/home.html"
    latest_count = 9
    per_section = 4

    def get_context_data(self, **kwargs):
        published = Article.objects.published().for_listing()
        latest = list(published[: self.latest_count])
        blocks = []
        for section in Section.objects.all():
            items = list(published.filter(section=section)[: self.per_section])
            if items:
                blocks.append((section, items))
        return super().get_context_data(latest=latest, section_blocks=blocks, **kwargs)


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_object(self, queryset=None):
        try:
            day = datetime.date(
                int(self.kwargs["year"]), int(self.kwargs["month"]), int(self.kwargs["day"])
            )
        except ValueError as exc:
            raise Http404(_("Cette date n'existe pas.")) from exc
        queryset = (
            Article.objects.published()
            .select_related("section", "lead_photo")
            .prefetch_related(*DETAIL_PREFETCH)
        )
        return get_object_or_404(queryset, publication_date=day, slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        article = self.object
        ids = article.body_photo_ids()
        body_photos = Photo.objects.prefetch_related("renditions").in_bulk(ids) if ids else {}
        return super().get_context_data(
            body_photos=body_photos,
            gallery=[item.photo for item in article.gallery_items.all()],
            related=related_articles(article),
            **kwargs,
        )


class PreviewView(ArticleDetailView):
    """A draft or scheduled article exactly as readers will see it, for the people
    who may edit it. Anyone else gets a 404: the URL reveals nothing."""

    def get_object(self, queryset=None):
        article = get_object_or_404(
            Article.objects.select_related("section", "lead_photo").prefetch_related(
                *DETAIL_PREFETCH
            ),
            pk=self.kwargs["pk"],
        )
        user = self.request.user
        if not (user.is_authenticated and user.is_staff and workflow.can_view(user, article)):
            raise Http404
        return article

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview=True, **kwargs)

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "private, no-store"
        return response


def related_articles(article: Article, limit: int = 4) -> list[Article]:
    """The most similar published articles by their text (the search engine's
    more-like-this), completed by those sharing the most genre tags."""
    ids = [int(pk) for pk in backend_for("articles").more_like_this(str(article.pk), limit)]
    if len(ids) < limit:
        ids += [pk for pk in sharing_tags(article, limit) if pk not in ids][: limit - len(ids)]
    found = Article.objects.published().for_listing().in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def sharing_tags(article: Article, limit: int) -> list[int]:
    """Ids of published articles sharing the most genre tags with this one. Ranked
    on ids: grouping whole rows (bodies included) is what makes this slow."""
    tag_ids = [tag.pk for tag in article.tags.all()]
    if not tag_ids:
        return []
    return list(
        Article.objects.published()
        .filter(tags__in=tag_ids)
        .exclude(pk=article.pk)
        .values("pk")
        .annotate(shared=Count("pk"))
        .order_by("-shared", "-published_at", "-pk")
        .values_list("pk", flat=True)[:limit]
    )


class SectionView(PublishedListMixin, ListView):
    template_name = "articles/section_detail.html"

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        return super().get_queryset().filter(section=self.section)

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)


class TagView(PublishedListMixin, ListView):
    template_name = "articles/tag_detail.html"

    def get_queryset(self):
        self.tag = get_object_or_404(GenreTag, slug=self.kwargs["slug"])
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class AuthorView(PublishedListMixin, ListView):
    template_name = "articles/author_detail.html"

    def get_queryset(self):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        return super().get_queryset().filter(authors=self.author)

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


class AuthorListView(ListView):
    template_name = "articles/author_list.html"
    context_object_name = "authors"
    paginate_by = 60

    def get_queryset(self):
        published = Article.objects.published().values("pk")
        return (
            Author.objects.annotate(
                article_count=Count("articles", filter=Q(articles__in=published))
            )
            .filter(article_count__gt=0)
            .order_by("name")
        )


class ArchiveIndexView(TemplateView):
    """Every year of the archive with its number of articles."""

    template_name = "articles/archive_index.html"

    def get_context_data(self, **kwargs):
        years = (
            Article.objects.published()
            .annotate(year=ExtractYear("publication_date"))
            .values("year")
            .annotate(count=Count("pk"))
            .order_by("-year")
        )
        return super().get_context_data(years=list(years), **kwargs)


class ArchiveMixin(PublishedListMixin):
    date_field = "publication_date"
    make_object_list = True
    allow_empty = False
    month_format = "%m"
    day_format = "%d"

    def get_queryset(self):
        # Date navigation (previous/next year...) only reads dates: no joins needed.
        return Article.objects.published()

    def paginate_queryset(self, queryset, page_size):
        return super().paginate_queryset(queryset.for_listing(), page_size)


class YearArchive(ArchiveMixin, YearArchiveView):
    template_name = "articles/archive_year.html"


class MonthArchive(ArchiveMixin, MonthArchiveView):
    template_name = "articles/archive_month.html"


class DayArchive(ArchiveMixin, DayArchiveView):
    template_name = "articles/archive_day.html"
