import datetime

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from config.admin import FrenchTitles
from photos import admin_queue, services  # noqa: F401 (admin_queue: the credit queue)
from photos.forms import BulkCreditForm, MultiUploadForm, PhotoAdminForm, WithdrawForm
from photos.models import Photo, site_today
from photos.templatetags.photos import rendition_url

# A licence ending within this many days is worth a word at upload.
LICENCE_SOON_DAYS = 30


def upload_warnings(photo, *, new_file: bool, form) -> list[str]:
    """What an editor should hear after saving a photo: the same picture is
    probably in the library already (a link to it), or its rights end soon."""
    warnings = []
    if new_file:
        for other in photo.likely_duplicates()[:3]:
            warnings.append(
                format_html(
                    _(
                        'Cette photo ressemble beaucoup à <a href="{}">« {} »</a> '
                        "(n° {}), déjà dans la photothèque : s'il s'agit de la même "
                        "image, utilisez plutôt celle-là."
                    ),
                    reverse("admin:photos_photo_change", args=[other.pk]),
                    str(other) or other.pk,
                    other.pk,
                )
            )
    end = photo.licence_end
    if end is not None and ("licence_end" in form.changed_data or new_file):
        days = (end - site_today()).days
        if 0 <= days <= LICENCE_SOON_DAYS:
            warnings.append(
                ngettext(
                    "Les droits de cette photo prennent fin dans %(days)d jour (le "
                    "%(date)s) : elle sera ensuite retirée des articles.",
                    "Les droits de cette photo prennent fin dans %(days)d jours (le "
                    "%(date)s) : elle sera ensuite retirée des articles.",
                    days,
                )
                % {"days": days, "date": formats.date_format(end, "DATE_FORMAT")}
            )
    return warnings


class LicenceFilter(admin.SimpleListFilter):
    title = gettext_lazy("fin des droits")
    parameter_name = "licence"

    def lookups(self, request, model_admin):
        return [
            ("soon", gettext_lazy("dans les 30 jours")),
            ("expired", gettext_lazy("dépassée")),
            ("none", gettext_lazy("sans date de fin")),
        ]

    def queryset(self, request, queryset):
        today = site_today()
        if self.value() == "soon":
            return queryset.filter(
                licence_end__gte=today, licence_end__lte=today + datetime.timedelta(days=30)
            )
        if self.value() == "expired":
            return queryset.licence_expired()
        if self.value() == "none":
            return queryset.filter(licence_end__isnull=True)
        return queryset


class CreditFilter(admin.SimpleListFilter):
    title = gettext_lazy("crédit")
    parameter_name = "credit"

    def lookups(self, request, model_admin):
        return [("missing", gettext_lazy("manquant")), ("present", gettext_lazy("renseigné"))]

    def queryset(self, request, queryset):
        missing = Q(credit="")
        if self.value() == "missing":
            return queryset.filter(missing)
        if self.value() == "present":
            return queryset.exclude(missing)
        return queryset


@admin.register(Photo)
class PhotoAdmin(FrenchTitles, admin.ModelAdmin):
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

    # Actions -------------------------------------------------------------------

    def _intermediate(self, request, queryset, template, form, action, title):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "queryset": queryset,
            "form": form,
            "action": action,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, template, context)

    def has_moderate_permission(self, request):
        """Hiding, showing again and withdrawing are editors' decisions, not writers'."""
        return request.user.has_perm("photos.delete_photo")

    @admin.action(description=gettext_lazy("Modifier le crédit des photos sélectionnées"))
    def edit_credits(self, request, queryset):
        form = BulkCreditForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            count = services.update_credits(
                photos=list(queryset),
                credit=data["credit"],
                photographer=data["photographer"] or None,
                agency=data["agency"] or None,
            )
            for photo in queryset:
                self.log_change(request, photo, _("Crédit modifié : %s") % data["credit"])
            self.message_user(
                request,
                ngettext("Crédit modifié pour %d photo.", "Crédit modifié pour %d photos.", count)
                % count,
                messages.SUCCESS,
            )
            return None
        return self._intermediate(
            request,
            queryset,
            "admin/photos/photo/bulk_credit.html",
            form,
            "edit_credits",
            _("Modifier le crédit"),
        )

    @admin.action(
        description=gettext_lazy("Masquer les photos sélectionnées"), permissions=["moderate"]
    )
    def hide(self, request, queryset):
        for photo in queryset:
            services.hide_photo(photo=photo, by=request.user)
            self.log_change(request, photo, _("Photo masquée."))
        self.message_user(request, _("Photos masquées : %d.") % len(queryset), messages.SUCCESS)

    @admin.action(
        description=gettext_lazy("Remontrer les photos sélectionnées"), permissions=["moderate"]
    )
    def unhide(self, request, queryset):
        shown = 0
        for photo in queryset:
            try:
                services.unhide_photo(photo=photo, by=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.WARNING)
                continue
            shown += 1
            self.log_change(request, photo, _("Photo remontrée."))
        self.message_user(request, _("Photos remontrées : %d.") % shown, messages.SUCCESS)

    @admin.action(
        description=gettext_lazy("Retirer définitivement les photos sélectionnées"),
        permissions=["moderate"],
    )
    def withdraw(self, request, queryset):
        form = WithdrawForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            reason = form.cleaned_data["reason"]
            for photo in queryset:
                services.withdraw_photo(photo=photo, by=request.user, reason=reason)
                self.log_change(request, photo, _("Photo retirée : %s") % reason)
            self.message_user(request, _("Photos retirées : %d.") % len(queryset), messages.SUCCESS)
            return None
        return self._intermediate(
            request,
            queryset,
            "admin/photos/photo/withdraw_confirm.html",
            form,
            "withdraw",
            _("Retirer des photos"),
        )

    # Several files at once ---------------------------------------------------------

    def get_urls(self):
        upload_many = self.admin_site.admin_view(self.upload_many_view)
        return [
            path("ajout-multiple/", upload_many, name="photos_photo_upload_many"),
            *super().get_urls(),
        ]

    def upload_many_view(self, request):
        if not self.has_add_permission(request):
            return redirect("admin:photos_photo_changelist")
        form = MultiUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            shared = {k: v for k, v in form.cleaned_data.items() if k != "files"}
            for _name, prepared in form.cleaned_data["files"]:
                photo = services.upload_photo(file=prepared, uploaded_by=request.user, **shared)
                self.log_addition(request, photo, _("Ajout multiple."))
            count = len(form.cleaned_data["files"])
            self.message_user(
                request,
                ngettext("%d photo ajoutée.", "%d photos ajoutées.", count) % count,
                messages.SUCCESS,
            )
            return redirect("admin:photos_photo_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Ajouter plusieurs photos"),
            "form": form,
        }
        return TemplateResponse(request, "admin/photos/photo/upload_many.html", context)
