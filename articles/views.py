import datetime

from django.conf import settings
from django.db.models import Count, Q, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView
from django.views.generic.dates import DayArchiveView, MonthArchiveView, YearArchiveView

from articles import listings, workflow
from articles.models import CARD_PREFETCH, Article, Author, GenreTag
from articles.related import related_ids
from photos.models import Photo

# Authors and the lead photo's renditions are fetched with the related cards'.
DETAIL_PREFETCH = ["tags", "gallery_items__photo__renditions"]


class PublishedListMixin:
    """Every reader list starts from ``Article.objects.published()``, and is paged
    in two steps: the page's ids (read from an index alone), then their cards."""

    paginate_by = settings.ARTICLES_PER_PAGE
    context_object_name = "articles"

    def get_queryset(self):
        return listings.ids_of(Article.objects.published())

    def paginate_queryset(self, queryset, page_size):
        paginator, page, ids, is_paginated = super().paginate_queryset(queryset, page_size)
        page.object_list = listings.cards_of(ids)
        return paginator, page, page.object_list, is_paginated


class HomeView(TemplateView):
    template_name = "articles/home.html"
    latest_count = 9
    per_section = 4

    def get_context_data(self, **kwargs):
        latest, blocks = listings.home_articles(
            listings.sections(self.request), self.latest_count, self.per_section
        )
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
        related = listings.cards_of(related_ids(article), prefetch=False)
        # The article's authors and lead photo with those of its related cards: one query each.
        prefetch_related_objects([article, *related], *CARD_PREFETCH)
        return super().get_context_data(
            body_photos=body_photos,
            gallery=[item.photo for item in article.gallery_items.all()],
            related=related,
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


class SectionView(PublishedListMixin, ListView):
    template_name = "articles/section_detail.html"

    def get_queryset(self):
        self.section = listings.section_by_slug(self.request, self.kwargs["slug"])
        return super().get_queryset().filter(section=self.section)

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)


class TagView(PublishedListMixin, ListView):
    template_name = "articles/tag_detail.html"

    def get_queryset(self):
        self.tag = get_object_or_404(GenreTag, slug=self.kwargs["slug"])
        return listings.genre_entries(self.tag)

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
        return super().get_context_data(
            years=listings.archive_years(Article.objects.published()), **kwargs
        )


class ArchiveMixin(PublishedListMixin):
    date_field = "publication_date"
    make_object_list = True
    allow_empty = False
    month_format = "%m"
    day_format = "%d"

    def get_queryset(self):
        # Date navigation (previous/next year...) only reads dates: no joins, no text.
        return Article.objects.published().only("pk", "publication_date", "published_at")

    def paginate_queryset(self, queryset, page_size):
        # Newest first, by day then time: the order the (day, time, status) index holds.
        ids = queryset.order_by("-publication_date", "-published_at", "-pk").values_list(
            "pk", flat=True
        )
        return super().paginate_queryset(ids, page_size)


class YearArchive(ArchiveMixin, YearArchiveView):
    template_name = "articles/archive_year.html"


class MonthArchive(ArchiveMixin, MonthArchiveView):
    template_name = "articles/archive_month.html"


class DayArchive(ArchiveMixin, DayArchiveView):
    template_name = "articles/archive_day.html"
