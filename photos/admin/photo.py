"""The photo admin: its list, its change form (upload, credit and rights, where
the photo is used, its likely duplicates, its history) and what an editor is
told after saving a photo."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.admin import FrenchTitles
from photos import services
from photos.admin.actions import PhotoActions
from photos.admin.filters import CreditFilter, LicenceFilter
from photos.admin.several_files import SeveralFiles
from photos.admin.upload_notices import upload_warnings
from photos.forms import PhotoAdminForm
from photos.models import Photo
from photos.templatetags.photos import rendition_url


@admin.register(Photo)
class PhotoAdmin(FrenchTitles, PhotoActions, SeveralFiles, admin.ModelAdmin):
    add_title = gettext_lazy("Ajouter une photo")
    change_title = gettext_lazy("Modifier la photo")
    view_title = gettext_lazy("Consulter la photo")
    form = PhotoAdminForm
    change_list_template = "admin/photos/photo/change_list.html"
    list_display = ["thumbnail", "__str__", "credit", "status", "licence_end", "added"]
    list_display_links = ["thumbnail", "__str__"]
    list_filter = ["status", LicenceFilter, CreditFilter, "source", "licence_kind"]
    search_fields = ["title", "caption", "credit", "photographer", "agency", "alt_text"]
    list_per_page = 50
    actions = ["edit_credits", "hide", "unhide", "withdraw"]
    save_as = False
    readonly_fields = [
        "preview",
        "status",
        "dimensions",
        "uploaded_by",
        "created_at",
        "updated_at",
        "withdrawn_at",
        "withdrawn_reason",
        "where_used",
        "duplicates",
    ]
    fieldsets = [
        (None, {"fields": ["preview", "upload", "title", "alt_text", "caption"]}),
        (
            gettext_lazy("Crédit et droits"),
            {
                "fields": [
                    "credit",
                    "photographer",
                    "agency",
                    "source",
                    "licence_kind",
                    "licence_start",
                    "licence_end",
                    "confirm_past_licence",
                    "licence_notes",
                ]
            },
        ),
        (gettext_lazy("Utilisation"), {"fields": ["where_used", "duplicates"]}),
        (
            gettext_lazy("Historique"),
            {
                "fields": [
                    "status",
                    "dimensions",
                    "uploaded_by",
                    "created_at",
                    "updated_at",
                    "withdrawn_at",
                    "withdrawn_reason",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("renditions")

    def get_fieldsets(self, request, obj=None):
        if obj is None:  # nothing to show yet: no preview, use, duplicates or history
            (name, options), credit = self.fieldsets[0], self.fieldsets[1]
            fields = [field for field in options["fields"] if field != "preview"]
            return [(name, {**options, "fields": fields}), credit]
        return self.fieldsets

    def has_delete_permission(self, request, obj=None):
        # Withdraw instead: the row records what was taken down and why, and its
        # perceptual hash keeps the same picture from being uploaded again.
        return False

    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data.get("upload")
        if not change:
            services.add_photo(photo=obj, file=upload, uploaded_by=request.user)
        elif upload:
            services.replace_image(photo=obj, file=upload)
        else:
            obj.save()
        self._warnings = upload_warnings(obj, new_file=bool(upload), form=form)

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        self._warn(request)
        return response

    def response_change(self, request, obj):
        response = super().response_change(request, obj)
        self._warn(request)
        return response

    def _warn(self, request):
        for warning in getattr(self, "_warnings", []):
            self.message_user(request, warning, messages.WARNING)
        self._warnings = []

    # Read-only displays ------------------------------------------------------

    @admin.display(description=gettext_lazy("aperçu"))
    def thumbnail(self, photo):
        url = rendition_url(photo, 480)
        if not url:
            return "—"
        return format_html('<img src="{}" alt="" class="admin-thumb">', url)

    @admin.display(description=gettext_lazy("ajoutée le"), ordering="created_at")
    def added(self, photo):
        return formats.date_format(timezone.localtime(photo.created_at), "SHORT_DATE_FORMAT")

    @admin.display(description=gettext_lazy("aperçu"))
    def preview(self, photo):
        url = rendition_url(photo, 480)
        if not url and photo.status == Photo.Status.HIDDEN:
            return _("Fichiers hors ligne tant que la photo est masquée.")
        if not url:
            return _("Fichier supprimé (photo retirée).")
        return format_html(
            '<a href="{}"><img src="{}" alt="" style="max-width:320px;height:auto"></a>',
            photo.image.url,
            url,
        )

    @admin.display(description=gettext_lazy("dimensions"))
    def dimensions(self, photo):
        if not photo.width:
            return "—"
        return f"{photo.width} × {photo.height} px"

    @admin.display(description=gettext_lazy("utilisée dans"))
    def where_used(self, photo):
        articles = list(photo.where_used())
        if not articles:
            return _("Aucun article.")
        roles = {
            _("photo principale"): set(photo.lead_of.values_list("pk", flat=True)),
            _("galerie"): set(photo.galleries.values_list("pk", flat=True)),
            _("dans le texte"): set(photo.body_of.values_list("pk", flat=True)),
        }
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> ({}, {})</li>',
                (
                    (
                        reverse("admin:articles_article_change", args=[a.pk]),
                        a.title,
                        a.get_status_display(),
                        ", ".join(role for role, pks in roles.items() if a.pk in pks),
                    )
                    for a in articles
                ),
            ),
        )

    @admin.display(description=gettext_lazy("doublons probables"))
    def duplicates(self, photo):
        similar = photo.likely_duplicates()
        if not similar:
            return _("Aucun.")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> — {} ({})</li>',
                (
                    (
                        reverse("admin:photos_photo_change", args=[other.pk]),
                        str(other),
                        other.credit or "—",
                        other.get_status_display(),
                    )
                    for other in similar
                ),
            ),
        )
