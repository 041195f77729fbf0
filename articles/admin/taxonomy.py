"""The admins of what classifies articles: sections, authors and genres (and
taggit's own tag admin taken off: genres replace it)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag as TaggitTag

from articles.models import Author, GenreTag, Section
from config.admin import FrenchTitles


@admin.register(Section)
class SectionAdmin(FrenchTitles, admin.ModelAdmin):
    add_title = _("Ajouter une rubrique")
    change_title = _("Modifier la rubrique")
    view_title = _("Consulter la rubrique")
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(FrenchTitles, admin.ModelAdmin):
    add_title = _("Ajouter un auteur")
    change_title = _("Modifier l'auteur")
    view_title = _("Consulter l'auteur")
    list_display = ["name", "slug", "user"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["user"]


@admin.register(GenreTag)
class GenreTagAdmin(FrenchTitles, admin.ModelAdmin):
    add_title = _("Ajouter un genre")
    change_title = _("Modifier le genre")
    view_title = _("Consulter le genre")
    list_display = ["name", "slug"]
    search_fields = ["name"]


# Genres are GenreTag: taggit's own Tag admin (and its merge page, which checks no
# permission beyond staff status) has no use here.
if admin.site.is_registered(TaggitTag):
    admin.site.unregister(TaggitTag)
