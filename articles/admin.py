import datetime
import difflib
import re

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import escape, format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin
from taggit.models import Tag as TaggitTag

from articles import html, workflow
from articles.admin_status import StatusFilter, shown_status
from articles.admin_workflow import TRANSITIONS, WorkflowButtons  # noqa: F401 (re-exported)
from articles.forms import ArticleAdminForm, GalleryItemForm
from articles.models import Article, ArticleEvent, Author, GalleryItem, GenreTag, Section
from articles.photo_choices import UsablePhotoWidget, usable_photos
from config.admin import WRITING_ROLES, FrenchTitles
from photos.chooser import PhotoChooser
from photos.models import Photo


def writes(user) -> bool:
    """Whether the account writes articles under its own name (a role, not a
    superuser's technical account)."""
    return user.groups.filter(name__in=WRITING_ROLES).exists()


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


# Fields whose values are long texts: the history says they changed and links to
# the comparison; the comparison shows their words.
LONG_TEXT_FIELDS = {"body", "standfirst"}
HISTORY_TYPES = {"+": _("créé"), "~": _("modifié"), "-": _("supprimé")}
_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|figure)>|<br\s*/?>|<hr\s*/?>", re.I)


def local_datetime(value) -> str:
    """A date and time as editors read them: the site's time zone, French words."""
    if value is None:
        return "—"
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def readable_value(name: str, value) -> str:
    """A revision's field value in words: labels for states, local times, names
    for related rows, "—" for nothing."""
    if value is None or value == "" or value == []:
        return "—"
    field = Article._meta.get_field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime.datetime):
        return local_datetime(value)
    if field.many_to_many:
        ids = [row.get(field.m2m_reverse_field_name()) for row in value]
        names = dict(field.related_model._base_manager.filter(pk__in=ids).values_list("pk", "name"))
        return ", ".join(names.get(pk) or _("auteur supprimé") for pk in ids)
    if field.is_relation:
        pk = getattr(value, "pk", value)
        related = field.related_model._base_manager.filter(pk=pk).first()
        if related is None:
            return _("%(name)s n° %(pk)s (supprimé·e)") % {
                "name": field.related_model._meta.verbose_name,
                "pk": pk,
            }
        return str(related) or _("n° %(pk)s") % {"pk": pk}
    return Truncator(strip_tags(str(value))).chars(120)


def readable_changes(previous, record) -> list[dict]:
    """What a revision changed from the one before it, field by field, in words."""
    if previous is None:
        return []
    changes = []
    for change in record.diff_against(previous, foreign_keys_are_objs=False).changes:
        field = Article._meta.get_field(change.field)
        entry = {"field": capfirst(field.verbose_name), "long": change.field in LONG_TEXT_FIELDS}
        if not entry["long"]:
            entry["old"] = readable_value(change.field, change.old)
            entry["new"] = readable_value(change.field, change.new)
        changes.append(entry)
    return changes


def history_action(record) -> str:
    """The step a revision records: the workflow's verb, else created/changed."""
    if record.history_change_reason:
        return workflow.action_label(record.history_change_reason)
    return str(HISTORY_TYPES.get(record.history_type, record.history_type))


def text_paragraphs(value) -> list[str]:
    """A text field's paragraphs as plain text (a photo reference kept as one)."""
    text = html.references_to_markers(str(value or ""))
    text = _BLOCK_END.sub("\n", text)
    return [" ".join(part.split()) for part in strip_tags(text).splitlines() if part.strip()]


def word_diff(before: str, after: str) -> str:
    """One paragraph's change as text with <del> and <ins>: words are never split."""
    old, new = before.split(), after.split()
    parts = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape(" ".join(old[i1:i2])))
            continue
        if i2 > i1:
            parts.append(format_html("<del>{}</del>", " ".join(old[i1:i2])))
        if j2 > j1:
            parts.append(format_html("<ins>{}</ins>", " ".join(new[j1:j2])))
    return mark_safe(" ".join(str(part) for part in parts))


def paragraphs_diff(before, after) -> list[str]:
    """The paragraphs of a text that changed, each with its words' changes;
    unchanged runs are summed up (one paragraph of context kept on each side)."""
    old, new = text_paragraphs(before), text_paragraphs(after)
    shown = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            same = old[i1:i2]
            if len(same) <= 2:
                shown.extend(escape(p) for p in same)
            else:
                if i1 > 0:
                    shown.append(escape(same[0]))
                skipped = len(same) - (i1 > 0) - (i2 < len(old))
                shown.append(
                    format_html(
                        '<span class="unchanged">{}</span>',
                        ngettext(
                            "… %(count)d paragraphe inchangé …",
                            "… %(count)d paragraphes inchangés …",
                            skipped,
                        )
                        % {"count": skipped},
                    )
                )
                if i2 < len(old):
                    shown.append(escape(same[-1]))
            continue
        pairs = list(zip(old[i1:i2], new[j1:j2], strict=False))
        shown.extend(word_diff(a, b) for a, b in pairs)
        shown.extend(format_html("<del>{}</del>", p) for p in old[i1 + len(pairs) : i2])
        shown.extend(format_html("<ins>{}</ins>", p) for p in new[j1 + len(pairs) : j2])
    return shown


def revision_diffs(old, new) -> list[dict]:
    """Field-by-field differences between two revisions: texts word by word,
    other fields as before and after, in words."""
    if old is None or new is None:
        return []
    diffs = []
    for change in new.diff_against(old, foreign_keys_are_objs=False).changes:
        label = capfirst(Article._meta.get_field(change.field).verbose_name)
        if change.field in LONG_TEXT_FIELDS or change.field == "title":
            diffs.append({"field": label, "paragraphs": paragraphs_diff(change.old, change.new)})
        else:
            diffs.append(
                {
                    "field": label,
                    "old": readable_value(change.field, change.old),
                    "new": readable_value(change.field, change.new),
                }
            )
    return diffs


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
