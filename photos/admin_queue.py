"""« Photos à créditer »: the editors' queue of photos readers cannot see because
they have no credit (imported without one, mostly), and the action that credits
a selection at once.

The queue is a proxy of ``Photo``: its own entry in the admin, with the count,
and its own permissions, given to editors and the editor-in-chief (migration
0004), not to writers. A photo leaves the queue when it gets a credit or is
withdrawn."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from config.admin import FrenchTitles
from photos import services
from photos.models import Photo, site_today
from photos.templatetags.photos import rendition_url


class PhotoToCredit(Photo):
    """A photo without credit, not withdrawn: one of the queue's rows."""

    class Meta:
        proxy = True
        verbose_name = gettext_lazy("photo à créditer")
        verbose_name_plural = gettext_lazy("photos à créditer")


def awaiting_credit():
    return PhotoToCredit.objects.filter(credit="").exclude(status=Photo.Status.WITHDRAWN)


class SectionFilter(admin.SimpleListFilter):
    """The section of the articles showing the photo (as lead, in a gallery or in
    the text). Sections are reached through the photo's relations: photos does
    not import articles."""

    title = gettext_lazy("rubrique de l'article")
    parameter_name = "rubrique"

    def lookups(self, request, model_admin):
        section_field = Photo._meta.get_field("lead_of").related_model._meta.get_field("section")
        return [(s.pk, s.name) for s in section_field.related_model.objects.order_by("name")]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        section = self.value()
        return queryset.filter(
            Q(lead_of__section=section)
            | Q(galleries__section=section)
            | Q(body_of__section=section)
        ).distinct()


class ImportDateFilter(admin.DateFieldListFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = gettext_lazy("date d'ajout ou d'import")


class CreditForm(forms.Form):
    required_css_class = "required"

    credit = forms.CharField(
        label=gettext_lazy("Crédit"),
        max_length=300,
        error_messages={"required": gettext_lazy("Indiquez le crédit.")},
        widget=forms.TextInput(attrs={"class": "vTextField"}),
        help_text=gettext_lazy(
            "Tel qu'il doit apparaître sous les photos, par ex. « © Netflix / Photo : Jane Doe »."
        ),
    )
    photographer = forms.CharField(
        label=gettext_lazy("Photographe"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "vTextField"}),
        help_text=gettext_lazy("Pour la page des crédits. Laisser vide pour ne pas le modifier."),
    )
    agency = forms.CharField(
        label=gettext_lazy("Agence ou ayant droit"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "vTextField"}),
        help_text=gettext_lazy("Laisser vide pour ne pas la modifier."),
    )
    licence_kind = forms.ChoiceField(
        label=gettext_lazy("Licence"),
        choices=[("", gettext_lazy("— inchangée —")), *Photo.LicenceKind.choices],
        required=False,
    )
    licence_end = forms.DateField(
        label=gettext_lazy("Fin des droits"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy(
            "Dernier jour où les photos peuvent être montrées, si les droits expirent."
        ),
    )

    def clean_licence_end(self):
        end = self.cleaned_data["licence_end"]
        if end and end < site_today():
            raise ValidationError(
                _("Cette date est passée : les photos ne pourraient plus être montrées."),
                code="past",
            )
        return end


@admin.register(PhotoToCredit)
class CreditQueueAdmin(FrenchTitles, admin.ModelAdmin):
    list_display = ["thumbnail", "description", "used_in", "added"]
    list_display_links = None
    list_filter = [SectionFilter, ("created_at", ImportDateFilter)]
    date_hierarchy = "created_at"
    search_fields = ["title", "caption", "alt_text"]
    list_per_page = 50
    actions = ["credit_selected"]

    def get_queryset(self, request):
        titles = Photo._meta.get_field("lead_of").related_model.objects.only("pk", "title")
        return awaiting_credit().prefetch_related(
            "renditions",
            "old_addresses",
            Prefetch("lead_of", queryset=titles),
            Prefetch("galleries", queryset=titles),
            Prefetch("body_of", queryset=titles),
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """A row is edited on the photo's own page."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return redirect("admin:photos_photo_change", object_id)

    # Columns ---------------------------------------------------------------------

    @admin.display(description=gettext_lazy("aperçu"))
    def thumbnail(self, photo):
        url = rendition_url(photo, 480)
        if not url:
            return "—"
        return format_html('<img src="{}" alt="" class="queue-thumb">', url)

    @admin.display(description=gettext_lazy("photo"), ordering="title")
    def description(self, photo):
        """Title or caption, linking to the photo's page, and the address the
        picture had on the old site (which tells where it came from)."""
        link = format_html(
            '<a href="{}">{}</a>',
            reverse("admin:photos_photo_change", args=[photo.pk]),
            str(photo) or _("Photo n° %(pk)s") % {"pk": photo.pk},
        )
        paths = format_html_join(
            "",
            '<span class="queue-path" title="{}">{}</span>',
            ((_("Ancienne adresse"), address.path) for address in photo.old_addresses.all()),
        )
        return format_html("{}{}", link, paths)

    @admin.display(description=gettext_lazy("ajoutée le"), ordering="created_at")
    def added(self, photo):
        return formats.date_format(timezone.localtime(photo.created_at), "SHORT_DATE_FORMAT")

    @admin.display(description=gettext_lazy("utilisée dans"))
    def used_in(self, photo):
        articles = {
            article.pk: article
            for relation in ("lead_of", "galleries", "body_of")
            for article in getattr(photo, relation).all()
        }
        if not articles:
            return _("Aucun article")
        return format_html_join(
            mark_safe("<br>"),
            '<a href="{}">{}</a>',
            (
                (reverse("admin:articles_article_change", args=[pk]), article.title)
                for pk, article in articles.items()
            ),
        )

    # Action ----------------------------------------------------------------------

    @admin.action(
        description=gettext_lazy("Créditer les photos sélectionnées"), permissions=["change"]
    )
    def credit_selected(self, request, queryset):
        form = CreditForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            photos = list(queryset)
            try:
                count = services.update_credits(
                    photos=photos,
                    credit=data["credit"],
                    photographer=data["photographer"].strip() or None,
                    agency=data["agency"].strip() or None,
                    licence_kind=data["licence_kind"] or None,
                    licence_end=data["licence_end"],
                )
            except ValidationError as error:
                form.add_error("licence_end", error)
            else:
                for photo in photos:
                    self.log_change(request, photo, _("Crédit ajouté : %s") % data["credit"])
                self.message_user(
                    request,
                    ngettext("%d photo créditée.", "%d photos créditées.", count) % count,
                    messages.SUCCESS,
                )
                return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Créditer des photos"),
            "photos": list(queryset),
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/photos/phototocredit/credit_form.html", context)


def show_count_in_menu(site: admin.AdminSite) -> None:
    """The queue's entry in the admin menu and index shows how many photos wait.
    Django's app list has no per-model hook: the site's list is completed here."""
    app_list_of = site.get_app_list

    def get_app_list(request, app_label=None):
        app_list = app_list_of(request, app_label)
        for app in app_list:
            for entry in app["models"]:
                if entry["model"] is PhotoToCredit:
                    entry["name"] = f"{entry['name']} ({awaiting_credit().count()})"
        return app_list

    site.get_app_list = get_app_list


show_count_in_menu(admin.site)
