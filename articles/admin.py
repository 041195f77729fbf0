from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Author, GalleryItem, GenreTag, Section


class GalleryInline(admin.TabularInline):
    model = GalleryItem
    extra = 1
    raw_id_fields = ["photo"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "section", "status", "published_at"]
    list_filter = ["status", "section", ("published_at", admin.DateFieldListFilter)]
    search_fields = ["title", "standfirst"]
    date_hierarchy = "published_at"
    filter_horizontal = ["authors"]
    raw_id_fields = ["lead_photo"]
    inlines = [GalleryInline]
    list_select_related = ["section"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "section", "authors", "standfirst", "body"]}),
        (_("Genres et photos"), {"fields": ["tags", "lead_photo"]}),
        (_("Publication"), {"fields": ["status", "published_at", "source_url"]}),
        (_("Historique"), {"fields": ["created_at", "updated_at"]}),
    ]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "user"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["user"]


@admin.register(GenreTag)
class GenreTagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
