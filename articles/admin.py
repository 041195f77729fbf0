import difflib

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from taggit.models import Tag as TaggitTag

from articles import workflow
from articles.admin_status import StatusFilter, shown_status
from articles.admin_workflow import TRANSITIONS, WorkflowButtons  # noqa: F401 (re-exported)
from articles.forms import ArticleAdminForm, GalleryItemForm
from articles.models import Article, ArticleEvent, Author, GalleryItem, GenreTag, Section
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


class EventInline(admin.TabularInline):
    model = ArticleEvent
    extra = 0
    can_delete = False
    fields = readonly_fields = ["at", "actor", "action", "from_status", "to_status", "note"]
    verbose_name_plural = _("Étapes de publication")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(WorkflowButtons, UsablePhotoPickers, SimpleHistoryAdmin):
    form = ArticleAdminForm
    list_display = ["title", "section", shown_status, "published_at", "updated_at"]
    list_filter = [
        StatusFilter,
        "section",
        "authors",
        "tags",
        ("published_at", admin.DateFieldListFilter),
    ]
    search_fields = ["title", "standfirst"]
    date_hierarchy = "published_at"
    filter_horizontal = ["authors"]
    raw_id_fields = ["lead_photo"]
    inlines = [GalleryInline, EventInline]
    list_select_related = ["section"]
    readonly_fields = ["shown_status", "published_at", "created_at", "updated_at"]
    change_form_template = "admin/articles/article/change_form.html"

    class Media:
        js = ["articles/admin/tags.js"]

    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "section",
                    "authors",
                    "standfirst",
                    "body",
                    "loaded_version",
                ]
            },
        ),
        (_("Genres et photos"), {"fields": ["tags", "lead_photo"]}),
        (_("Publication"), {"fields": ["shown_status", "published_at", "source_url"]}),
        (_("Historique"), {"fields": ["created_at", "updated_at"]}),
    ]

    shown_status = staticmethod(shown_status)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.has_perm(workflow.EDIT_ANY_PERMISSION):
            return queryset
        return queryset.filter(
            Q(created_by=request.user) | Q(authors__user=request.user)
        ).distinct()

    def has_change_permission(self, request, obj=None):
        return workflow.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and request.user.has_perm(
            workflow.EDIT_ANY_PERMISSION
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        profile = getattr(request.user, "author_profile", None)
        if not change and profile is not None and not form.instance.authors.exists():
            form.instance.authors.add(profile)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/transition/<str:action>/", wrap(self.transition_view),
                 name="articles_article_transition"),
            path("<int:pk>/compare/", wrap(self.compare_view), name="articles_article_compare"),
            path("genres/", wrap(self.tag_suggestions), name="articles_article_tags"),
        ] + super().get_urls()  # fmt: skip

    def tag_suggestions(self, request):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        query = request.GET.get("q", "").strip()[:100]
        names = GenreTag.objects.filter(name__icontains=query).order_by("name") if query else []
        return JsonResponse({"results": [tag.name for tag in names[:10]]})

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "tags" in form.base_fields:
            form.base_fields["tags"].widget.attrs["data-suggest-url"] = reverse(
                "admin:articles_article_tags"
            )
        return form

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Restoring a revision is an edit: only for those who may edit the article,
        and through the workflow service (fields only: the state stays as it is)."""
        article = get_object_or_404(self.get_queryset(request), pk=object_id)
        if request.method == "POST":
            if not self.has_change_permission(request, article):
                raise PermissionDenied
            workflow.restore_revision(article=article, history_id=int(version_id), by=request.user)
            self.message_user(request, _("Version restaurée."), messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
        return super().history_form_view(request, object_id, version_id, extra_context)

    def compare_view(self, request, pk):
        article = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        records = list(article.history.all()[:50])
        old, new = (
            self._pick(records, request.GET.get("old")),
            self._pick(records, request.GET.get("new")),
        )
        if old is None and len(records) > 1:
            old, new = records[1], records[0]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts, "original": article, "records": records, "old": old, "new": new,
            "title": _("Comparer deux versions"), "diffs": revision_diffs(old, new),
        }  # fmt: skip
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    @staticmethod
    def _pick(records, history_id):
        return next((r for r in records if str(r.history_id) == history_id), None)


def revision_diffs(old, new) -> list[tuple[str, str]]:
    """Field-by-field differences between two revisions, as HTML tables."""
    if old is None or new is None:
        return []
    differ = difflib.HtmlDiff(wrapcolumn=70)
    diffs = []
    for change in new.diff_against(old).changes:
        before, after = (strip_tags(str(v or "")).splitlines() for v in (change.old, change.new))
        table = differ.make_table(before, after, _("avant"), _("après"), context=True, numlines=2)
        diffs.append((Article._meta.get_field(change.field).verbose_name, table))
    return diffs


@admin.register(ArticleEvent)
class ArticleEventAdmin(admin.ModelAdmin):
    list_display = ["at", "article", "actor", "action", "from_status", "to_status"]
    list_filter = ["action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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


# Genres are GenreTag: taggit's own Tag admin (and its merge page, which checks no
# permission beyond staff status) has no use here.
if admin.site.is_registered(TaggitTag):
    admin.site.unregister(TaggitTag)
