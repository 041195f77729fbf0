"""The publication steps' admin: every article's steps, read only, filtered by
step."""

from django.contrib import admin
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from articles import workflow
from articles.models import ArticleEvent
from config.admin import FrenchTitles


class StepFilter(admin.SimpleListFilter):
    title = _("étape")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return [(key, capfirst(label)) for key, label in workflow.ACTIONS.items()]

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(ArticleEvent)
class ArticleEventAdmin(FrenchTitles, admin.ModelAdmin):
    view_title = _("Consulter l'étape de publication")

    @admin.display(description=_("étape"), ordering="action")
    def step(self, event):
        return capfirst(workflow.action_label(event.action))

    list_display = ["at", "article", "actor", "step", "from_status", "to_status", "note"]
    list_filter = [StepFilter]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
