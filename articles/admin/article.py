"""The article admin: its list, its change form (with the workflow panel, the
photo pickers and the genre suggestions), who sees and edits which article,
the byline given to a new article, and the history and comparison pages."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from articles import workflow
from articles.admin.inlines import EventInline, GalleryInline, UsablePhotoPickers
from articles.admin.revisions import (
    history_action,
    local_datetime,
    readable_changes,
    revision_diffs,
)
from articles.admin_status import StatusFilter, shown_status
from articles.admin_workflow import WorkflowButtons
from articles.forms import ArticleAdminForm
from articles.models import Article, Author, GenreTag
from articles.photo_choices import usable_photos
from config.admin import WRITING_ROLES, FrenchTitles
from photos.chooser import PhotoChooser


def writes(user) -> bool:
    """Whether the account writes articles under its own name (a role, not a
    superuser's technical account)."""
    return user.groups.filter(name__in=WRITING_ROLES).exists()


@admin.register(Article)
class ArticleAdmin(FrenchTitles, WorkflowButtons, UsablePhotoPickers, SimpleHistoryAdmin):
    add_title = _("Ajouter un article")
    change_title = _("Modifier l'article")
    view_title = _("Consulter l'article")
    form = ArticleAdminForm
    list_display = ["title", "section", shown_status, "published", "updated"]
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
        js = ["articles/admin/editor.js", "articles/admin/tags.js"]

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

    @admin.display(description=_("publication"), ordering="published_at")
    def published(self, article):
        return short_datetime(article.published_at)

    @admin.display(description=_("modifié le"), ordering="updated_at")
    def updated(self, article):
        return short_datetime(article.updated_at)

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

    def get_changeform_initial_data(self, request):
        """A new article is offered its writer as author (her profile comes with
        her account; one made before gets it when she first saves an article)."""
        initial = super().get_changeform_initial_data(request)
        profile = getattr(request.user, "author_profile", None)
        if "authors" not in initial and profile is not None:
            initial["authors"] = [profile.pk]
        return initial

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change or form.instance.authors.exists():
            return
        # An article saved without a byline is signed by whoever wrote it.
        user = request.user
        profile = Author.for_user(user) if writes(user) else getattr(user, "author_profile", None)
        if profile is not None:
            form.instance.authors.add(profile)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/transition/<str:action>/", wrap(self.transition_view),
                 name="articles_article_transition"),
            path("<int:pk>/compare/", wrap(self.compare_view), name="articles_article_compare"),
            path("genres/", wrap(self.tag_suggestions), name="articles_article_tags"),
            *PhotoChooser(admin_site=self.admin_site, usable=usable_photos,
                          prefix="articles").get_urls(),
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

    object_history_template = "admin/articles/article/object_history.html"
    object_history_list_template = "admin/articles/article/history_list.html"

    def history_view_title(self, request, obj):
        return _("Historique de l'article « %(title)s »") % {"title": obj}

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Each revision in words: its step, what it changed, when (local time)."""
        for record in historical_records:
            previous = record.prev_record
            record.readable_changes = readable_changes(previous, record)
            record.action = history_action(record)
            record.when = local_datetime(record.history_date)
            record.previous_id = previous.history_id if previous else None

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


def short_datetime(value) -> str:
    """A date and time in the site's time zone, short enough for a list column."""
    if value is None:
        return "—"
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
