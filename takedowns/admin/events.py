"""The audit trail in the admin: read-only, for the deciders only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy

from config.admin import FrenchTitles
from takedowns import services
from takedowns.models import Event


@admin.register(Event)
class EventAdmin(FrenchTitles, admin.ModelAdmin):
    """The audit trail: read-only for the deciders, invisible to everyone else."""

    view_title = gettext_lazy("Consulter l'étape du dossier")

    list_display = ["at", "notice", "action", "from_status", "to_status", "actor_name"]
    list_filter = ["action", "to_status"]
    search_fields = ["notice__reference"]
    readonly_fields = ["notice", "actor", "actor_name", "action", "from_status", "to_status"]
    readonly_fields += ["at", "reasons"]
    date_hierarchy = "at"

    def has_module_permission(self, request):
        return services.can_decide(request.user)

    def has_view_permission(self, request, obj=None):
        return services.can_decide(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}
