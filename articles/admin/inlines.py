"""The rows shown inside the article change form: its gallery (whose photo
pickers offer usable photos only) and its publication steps (read only)."""

from django.contrib import admin
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from articles import workflow
from articles.forms import GalleryItemForm
from articles.models import ArticleEvent, GalleryItem
from articles.photo_choices import UsablePhotoWidget
from photos.models import Photo


class UsablePhotoPickers:
    """Photo pickers whose list offers usable photos only (see ``photo_choices``)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Photo and db_field.name in self.raw_id_fields:
            kwargs.setdefault("widget", UsablePhotoWidget(db_field.remote_field, self.admin_site))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class GalleryInline(UsablePhotoPickers, admin.TabularInline):
    model = GalleryItem
    form = GalleryItemForm
    extra = 1
    raw_id_fields = ["photo"]
    add_another = _("Ajouter une photo à la galerie")


class EventInline(admin.TabularInline):
    model = ArticleEvent
    extra = 0
    can_delete = False
    fields = readonly_fields = ["at", "actor", "step", "from_status", "to_status", "note"]
    verbose_name_plural = _("Étapes de publication")
    add_another = _("Ajouter une étape")  # never offered: steps are written by the workflow

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("étape"))
    def step(self, event):
        return capfirst(workflow.action_label(event.action))
