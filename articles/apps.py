from django.apps import AppConfig
from django.db.models.signals import m2m_changed
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        from articles.models import TaggedArticle

        m2m_changed.connect(
            _genres_added, sender=TaggedArticle, dispatch_uid="articles-genres-listed-at"
        )


def _genres_added(sender, instance, action, reverse, pk_set, **kwargs):
    """New genre rows of an article get its ``listed_at`` (articles/models.py)."""
    if action != "post_add" or not pk_set:
        return
    rows = sender.objects.filter(
        **(
            {"tag": instance, "content_object_id__in": pk_set}
            if reverse
            else {"content_object": instance, "tag_id__in": pk_set}
        )
    )
    rows.sync_listed_at()
