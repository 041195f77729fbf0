"""The article status as the admin shows it: a scheduled article whose time has
come is published (``Article.shown_status``), in the list column, the status
filter and the change form alike. The stored status stays "scheduled" until an
editor acts: nothing has to run at the publication time."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from articles.models import Article


class StatusFilter(admin.SimpleListFilter):
    title = _("statut")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Article.Status.choices

    def queryset(self, request, queryset):
        if self.value() in Article.Status.values:
            return queryset.with_status(self.value())
        return queryset


@admin.display(description=_("statut"), ordering="status")
def shown_status(article: Article) -> str:
    return article.get_shown_status_display()
