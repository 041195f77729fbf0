import datetime

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView
from django.views.generic.dates import DayArchiveView, MonthArchiveView

from articles import article_page, listings, workflow
from articles.cards import cards
from articles.models import Article, Author, GenreTag
from config import derived
from photos.models import site_today


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

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        known = self.known_count()
        if known is not None:
            paginator.count = known  # no COUNT query: the number is kept per content version
        return paginator

    def known_count(self) -> int | None:
        return None


class HomeView(TemplateView):
    """The latest articles and the latest of each section. Every reader sees the
    same cards: they are kept as HTML per content version, language and day (a
    photo's licence ends with the day), see ``config.derived``."""

    template_name = "articles/home.html"
    latest_count = 9
    per_section = 4

    def get_context_data(self, **kwargs):
        key = ("home", get_language(), site_today())
        latest, blocks = derived.kept(key, self.cards, self.request)
        return super().get_context_data(latest_cards=latest, section_blocks=blocks, **kwargs)

    def cards(self):
        latest, blocks = listings.home_articles(self.request, self.latest_count, self.per_section)
        return cards(latest), [(section, cards(items)) for section, items in blocks]


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
        article = article_page.published_article(day, self.kwargs["slug"])
        if article is None:
            raise Http404
        return article

    def get_context_data(self, **kwargs):
        """The page's photos (lead, gallery, body, related cards' leads) get their
        renditions in one query, the article's and the cards' authors in another."""
        return super().get_context_data(**article_page.page_context(self.object), **kwargs)


class PreviewView(ArticleDetailView):
    """A draft or scheduled article exactly as readers will see it, for the people
    who may edit it. Anyone else gets a 404: the URL reveals nothing."""

    def get_object(self, queryset=None):
        article = get_object_or_404(
            Article.objects.select_related("section", "lead_photo"), pk=self.kwargs["pk"]
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

    def known_count(self):
        return listings.section_counts(self.request).get(self.section.pk, 0)

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)


class TagView(PublishedListMixin, ListView):
    template_name = "articles/tag_detail.html"

    def get_queryset(self):
        self.tag = get_object_or_404(GenreTag, slug=self.kwargs["slug"])
        return listings.genre_entries(self.tag)

    def known_count(self):
        return listings.genre_counts(self.request).get(self.tag.pk, 0)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class AuthorView(PublishedListMixin, ListView):
    template_name = "articles/author_detail.html"

    def get_queryset(self):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        return listings.author_ids(self.request, self.author)

    def known_count(self):
        return listings.author_counts(self.request).get(self.author.pk, 0)

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


class AuthorListView(ListView):
    template_name = "articles/author_list.html"
    context_object_name = "authors"
    paginate_by = 60

    def get_queryset(self):
        return listings.authors_with_articles(self.request)


class ArchiveIndexView(TemplateView):
    """Every year of the archive with its number of articles."""

    template_name = "articles/archive_index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(years=listings.archive_years(self.request), **kwargs)


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
        return super().paginate_queryset(listings.ids_by_day(queryset), page_size)


class YearArchive(PublishedListMixin, ListView):
    """A year's articles, newest first (by day, then time: the order the (day,
    time, status) index holds). Its months and its count come from the archive's
    calendar, kept per content version: no date query on each request."""

    template_name = "articles/archive_year.html"

    def get(self, request, *args, **kwargs):
        self.year = int(self.kwargs["year"])
        self.months = listings.calendar(request).get(self.year)
        if not self.months:
            raise Http404(_("Aucun article n'a été publié cette année-là."))
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return listings.ids_by_day(
            Article.objects.published().filter(publication_date__year=self.year)
        )

    def known_count(self):
        return sum(self.months.values())

    def get_context_data(self, **kwargs):
        years = listings.calendar(self.request)
        return super().get_context_data(
            year=datetime.date(self.year, 1, 1),
            date_list=[datetime.date(self.year, month, 1) for month in sorted(self.months)],
            previous_year=_year_date(max((y for y in years if y < self.year), default=None)),
            next_year=_year_date(min((y for y in years if y > self.year), default=None)),
            **kwargs,
        )


def _year_date(year: int | None) -> datetime.date | None:
    return datetime.date(year, 1, 1) if year else None


class MonthArchive(ArchiveMixin, MonthArchiveView):
    template_name = "articles/archive_month.html"


class DayArchive(ArchiveMixin, DayArchiveView):
    template_name = "articles/archive_day.html"
