""" "À lire aussi": the articles shown under an article, stored.

Ranking them (the search engine's more-like-this, completed by the articles
sharing the most genres) costs several times the rest of the page, and changes
only when articles are published or withdrawn. So an article's list is computed
at its first view and stored (``RelatedList``, ``RelatedArticle``); later views
read it with the article's own row (``select_related("related_list")``). It is
computed again:

- when the article is written again (an editor's save, an import's update),
  or leaves the published articles: its list is dropped, and so is every list
  naming it (``RelatedList.objects.forget``);
- when a newly listed article names it and it does not name the newcomer back:
  computing an article's list drops the stored lists of the articles it names
  that do not name it, so that older articles learn of a new similar one (the
  next view of each computes it again, which converges: a list that names the
  newcomer is left alone);
- after ``MAX_AGE``, so that lists follow the archive as it grows.

Reading goes through ``Article.objects.published()``: an article unpublished
meanwhile is never shown, even before its lists are dropped.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from articles.models import Article, RelatedArticle, RelatedList
from search.backends import backend_for

LIMIT = 4
MAX_AGE = datetime.timedelta(days=90)


def related_ids(article: Article) -> list[int]:
    """The ids of the articles to show under ``article``, best first."""
    try:
        kept = article.related_list
    except RelatedList.DoesNotExist:
        kept = None
    if kept is not None and kept.computed_at >= timezone.now() - MAX_AGE:
        return list(kept.ids)
    return store(article, rank(article))


def rank(article: Article, limit: int = LIMIT) -> list[int]:
    """The most similar published articles by their text (the search engine's
    more-like-this), completed by those sharing the most genres."""
    ids = [int(pk) for pk in backend_for("articles").more_like_this(str(article.pk), limit)]
    if len(ids) < limit:
        ids += [pk for pk in sharing_tags(article, limit) if pk not in ids][: limit - len(ids)]
    return ids


def sharing_tags(article: Article, limit: int) -> list[int]:
    """Ids of published articles sharing the most genres with this one. Ranked
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


def store(article: Article, ids: list[int]) -> list[int]:
    """Keep ``ids`` as the article's list (when it is published) and drop the lists
    of the articles it names that do not name it back."""
    if not article.listed_at or article.listed_at > timezone.now():
        return ids  # a preview: nothing is stored for an article readers cannot see
    try:
        with transaction.atomic():
            RelatedList.objects.filter(pk=article.pk).delete()
            RelatedList.objects.create(article=article, computed_at=timezone.now(), ids=ids)
            RelatedArticle.objects.bulk_create(
                RelatedArticle(list_id=article.pk, related_id=pk, rank=rank)
                for rank, pk in enumerate(ids)
            )
            RelatedList.objects.filter(pk__in=ids).exclude(links__related=article.pk).delete()
    except IntegrityError:  # another request stored it, or an id was deleted meanwhile
        pass
    return ids
