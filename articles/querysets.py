"""The querysets of the articles app: the one place publication rules live
(``ArticleQuerySet.published``), what a list of cards reads, and the bulk
updates of genre rows and stored related lists."""

from django.db import models
from django.utils import timezone

# What a card shows besides the article's own row and its section.
CARD_PREFETCH = ("authors", "lead_photo__renditions")


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """The one place publication rules live: a published (or scheduled)
        article whose publication time has come (by ``now``, the clock's time
        unless given)."""
        return self.filter(status__in=self.model.LISTED, published_at__lte=now or timezone.now())

    def with_status(self, status: str):
        """Articles in ``status`` as editors see it (``Article.shown_status``): a
        scheduled article whose time has come counts as published."""
        if status == self.model.Status.PUBLISHED:
            return self.published()
        if status == self.model.Status.SCHEDULED:
            return self.filter(status=status, published_at__gt=timezone.now())
        return self.filter(status=status)

    def for_listing(self):
        """What a list of article cards needs, in a constant number of queries:
        no body (never shown on a card) and no genres (not shown either)."""
        return (
            self.select_related("section", "lead_photo")
            .defer("body")
            .prefetch_related(*CARD_PREFETCH)
        )


class TaggedArticleQuerySet(models.QuerySet):
    def sync_listed_at(self) -> int:
        """Copy each row's article's ``listed_at`` into it, in one statement."""
        article = self.model._meta.get_field("content_object").related_model
        listed = article.objects.filter(
            pk=models.OuterRef("content_object_id"), status__in=article.LISTED
        )
        return self.update(published_at=models.Subquery(listed.values("published_at")[:1]))


class RelatedListQuerySet(models.QuerySet):
    def forget(self, article_ids) -> None:
        """Drop the lists of these articles and every list naming one of them."""
        article_ids = list(article_ids)
        self.filter(
            models.Q(pk__in=article_ids) | models.Q(links__related__in=article_ids)
        ).delete()
