"""Old addresses in the admin, for editors and the editor-in-chief (permissions
granted by migration 0002): what each one points to, what it answers now, and a
link to try it. Editors type paths as readers see them (``/été-2019/``); they are
stored in the canonical form the middleware looks up."""

from urllib.parse import quote, unquote, urlsplit

from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config import pagecache
from config.admin import FrenchTitles
from imports import addresses
from imports.models import OldAddress
from photos.models import Photo


class OldAddressForm(forms.ModelForm):
    class Meta:
        model = OldAddress
        fields = ["path", "article", "photo"]
        wide = {"class": "vTextField", "style": "width: min(100%, 48em)"}
        widgets = {"path": forms.TextInput(attrs=wide)}
        help_texts = {
            "path": gettext_lazy(
                "Chemin sur l'ancien site, avec la requête s'il y en a une "
                "(« /2019/07/31/mon-article/ », « /?p=123 »), ou son adresse complète."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["path"] = unquote(self.instance.path)

    def clean_path(self):
        value = self.cleaned_data["path"].strip()
        path = addresses.old_path(value)
        if path is not None:
            return path
        host = urlsplit(value).hostname if "//" in value else None
        if host:
            raise forms.ValidationError(
                _(
                    "« %(host)s » n'est pas le domaine de l'ancien site : seules les adresses "
                    "du site et des domaines du réglage OLD_SITE_DOMAINS sont redirigées."
                ),
                params={"host": host},
            )
        raise forms.ValidationError(
            _("Ce chemin est une page de ce site (ou sa page d'accueil) : il ne peut pas servir "
              "d'ancienne adresse.")
        )  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("article")) == bool(cleaned.get("photo")):
            message = _("Choisissez soit un article, soit une photo.")
            self.add_error("article", message)
            self.add_error("photo", message)
        return cleaned


@admin.register(OldAddress)
class OldAddressAdmin(FrenchTitles, admin.ModelAdmin):
    add_title = gettext_lazy("Ajouter une ancienne adresse")
    change_title = gettext_lazy("Modifier l'ancienne adresse")
    view_title = gettext_lazy("Consulter l'ancienne adresse")
    form = OldAddressForm
    # Three columns, the link to try an address under what it answers: readable
    # on a phone without scrolling sideways.
    list_display = ["old_path", "target", "answer_and_link"]
    list_display_links = ["old_path"]
    search_fields = ["path"]
    search_help_text = gettext_lazy("Recherche dans l'ancienne adresse, accents compris.")
    autocomplete_fields = ["article", "photo"]
    list_per_page = 100
    readonly_fields = ["created_at", "answer", "try_link"]
    fields = ["path", "article", "photo", "answer", "try_link", "created_at"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("article", "photo")
            .defer("article__body", "article__standfirst")
        )

    def get_search_results(self, request, queryset, search_term):
        results, duplicates = super().get_search_results(request, queryset, search_term)
        encoded = quote(search_term.strip(), safe=addresses.PATH_SAFE + "?%")
        if search_term and encoded != search_term.strip():
            results = results | queryset.filter(Q(path__icontains=encoded))
        return results, duplicates

    @admin.display(description=gettext_lazy("ancienne adresse"), ordering="path")
    def old_path(self, obj):
        """Decoded, with a line-break opportunity after each slash: long paths wrap
        at their folders rather than widen the table."""
        parts = unquote(obj.path).split("/")
        wrapped = format_html_join(mark_safe("/<wbr>"), "{}", ((part,) for part in parts))
        return format_html('<span style="overflow-wrap: anywhere">{}</span>', wrapped)

    @admin.display(description=gettext_lazy("cible"))
    def target(self, obj):
        if obj.article_id:
            url = reverse("admin:articles_article_change", args=[obj.article_id])
            return format_html('{} <a href="{}">{}</a>', _("Article :"), url, obj.article)
        url = reverse("admin:photos_photo_change", args=[obj.photo_id])
        label = str(obj.photo) or f"n° {obj.photo_id}"
        return format_html('{} <a href="{}">{}</a>', _("Photo :"), url, label)

    @admin.display(description=gettext_lazy("réponse"))
    def answer(self, obj):
        """What a reader gets now, as the middleware decides (same rules)."""
        if obj.pk is None:
            return "—"
        if obj.article_id:
            if obj.article.is_published:
                return _("redirige vers l'article")
            return _("404 : article non publié")
        if obj.photo.status == Photo.Status.WITHDRAWN:
            return _("410 : photo retirée")
        if obj.photo.is_visible:
            return _("redirige vers l'image")
        return _("404 : photo masquée ou hors droits")

    @admin.display(description=gettext_lazy("réponse"))
    def answer_and_link(self, obj):
        return format_html("{}<br>{}", self.answer(obj), self.try_link(obj))

    @admin.display(description=gettext_lazy("essai"))
    def try_link(self, obj):
        if obj.pk is None:
            return "—"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', obj.path, _("tester")
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._refresh_pages()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self._refresh_pages()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        self._refresh_pages()

    @staticmethod
    def _refresh_pages():
        """A cached home page must not stand in for a ``/?p=123`` address."""
        transaction.on_commit(pagecache.invalidate)
