"""The photo chooser of the article editor: a dialog (``static/photos/chooser.js``)
that lists the photos an article may use, with their credit and licence, searches
them, and uploads a new one in place.

The views answer HTML fragments (and one JSON list, for the editor's display of
the photos in a body). Which photos are offered is not decided here: photos never
import articles, so the article admin mounts the chooser with the queryset of
usable photos (``articles.photo_choices.usable_photos``). Listing requires the
photos view permission, uploading the add permission.
"""

import datetime
import json
from collections.abc import Callable

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, Paginator
from django.db.models import Q, QuerySet
from django.http import HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from photos import services
from photos.forms import PhotoAdminForm
from photos.models import Photo, site_today
from photos.templatetags.photos import rendition_url

PER_PAGE = 24
# A licence ending within this many days is flagged (as at upload, photos.admin).
LICENCE_SOON_DAYS = 30
SEARCH_FIELDS = ["credit", "caption", "title", "alt_text", "photographer", "agency"]
FILTERS = {
    "": gettext_lazy("Toutes"),
    "credit": gettext_lazy("Crédit manquant"),
    "alt": gettext_lazy("Texte alternatif manquant"),
    "licence": gettext_lazy("Licence bientôt échue"),
}
MAX_INFO_IDS = 100
THUMB_WIDTH = 320


class ChooserUploadForm(PhotoAdminForm):
    """The photo admin's form (same checks and messages), reduced to what an
    editor must give at once; the credit is required here: a photo chosen for an
    article is about to be shown."""

    required_css_class = "required"

    class Meta(PhotoAdminForm.Meta):
        fields = ["title", "alt_text", "credit", "source", "licence_kind", "licence_end"]
        widgets = {"licence_end": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["credit"].required = True
        self.order_fields(["upload", "credit", "licence_kind", "licence_end",
                           "confirm_past_licence", "alt_text", "title", "source"])  # fmt: skip


def photo_flags(photo: Photo, today: datetime.date) -> list[str]:
    """What an editor should notice before choosing a photo, in her words."""
    flags = []
    if photo.status == Photo.Status.WITHDRAWN:
        return [_("Retirée")]
    if photo.status == Photo.Status.HIDDEN:
        flags.append(_("Masquée"))
    if not photo.credit.strip():
        flags.append(_("Crédit manquant"))
    if not photo.alt_text.strip():
        flags.append(_("Texte alternatif manquant"))
    end = photo.licence_end
    if end is not None and end < today:
        flags.append(_("Droits échus le %(date)s") % {"date": short_date(end)})
    elif end is not None and (end - today).days <= LICENCE_SOON_DAYS:
        flags.append(_("Licence bientôt échue (le %(date)s)") % {"date": short_date(end)})
    return flags


def short_date(value: datetime.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def licence_label(photo: Photo) -> str:
    kind = photo.get_licence_kind_display()
    if photo.licence_end is None:
        return kind
    return _("%(kind)s, jusqu'au %(date)s") % {"kind": kind, "date": short_date(photo.licence_end)}


def photo_card(photo: Photo, today: datetime.date) -> dict:
    """What the chooser and the editor show of a photo (no query: renditions are
    prefetched). No file of a hidden or withdrawn photo is named."""
    thumb = rendition_url(photo, THUMB_WIDTH) if photo.status == Photo.Status.VISIBLE else ""
    return {
        "id": photo.pk,
        "title": str(photo) or _("Photo n° %(pk)s") % {"pk": photo.pk},
        "credit": photo.credit,
        "alt": photo.alt_text,
        "licence": licence_label(photo),
        "thumb": thumb,
        "flags": photo_flags(photo, today),
    }


def search(queryset: QuerySet, query: str) -> QuerySet:
    """Photos whose credit, caption, title, alt text or names hold every word.
    Case-insensitive; accents count on SQLite (its LIKE folds ASCII only)."""
    for word in query.split()[:10]:
        condition = Q()
        for field in SEARCH_FIELDS:
            condition |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(condition)
    return queryset


def apply_filter(queryset: QuerySet, key: str, today: datetime.date) -> QuerySet:
    if key == "credit":
        return queryset.filter(credit="")
    if key == "alt":
        return queryset.filter(alt_text="")
    if key == "licence":
        soon = today + datetime.timedelta(days=LICENCE_SOON_DAYS)
        return queryset.filter(licence_end__gte=today, licence_end__lte=soon)
    return queryset


class PhotoChooser:
    """The chooser's views, mounted by an admin that knows which photos are usable.

    ``usable``: a function returning the queryset of photos that may be chosen.
    ``prefix``: URL names are ``admin:<prefix>_photo_chooser`` and siblings."""

    def __init__(self, *, admin_site, usable: Callable[[], QuerySet], prefix: str):
        self.admin_site = admin_site
        self.usable = usable
        self.prefix = prefix

    def get_urls(self):
        wrap = self.admin_site.admin_view
        name = f"{self.prefix}_photo_chooser"
        return [
            path("photos/choisir/", wrap(self.dialog_view), name=name),
            path("photos/choisir/liste/", wrap(self.list_view), name=f"{name}_list"),
            path("photos/choisir/envoyer/", wrap(self.upload_view), name=f"{name}_upload"),
            path("photos/choisir/infos/", wrap(self.info_view), name=f"{name}_info"),
        ]

    def url_names(self) -> dict[str, str]:
        name = f"admin:{self.prefix}_photo_chooser"
        return {"dialog": name, "list": f"{name}_list", "upload": f"{name}_upload",
                "info": f"{name}_info"}  # fmt: skip

    # Permissions -------------------------------------------------------------

    def photo_admin(self):
        return self.admin_site._registry[Photo]

    def check_view(self, request) -> None:
        if not self.photo_admin().has_view_permission(request):
            raise PermissionDenied

    def may_add(self, request) -> bool:
        return self.photo_admin().has_add_permission(request)

    # Views -------------------------------------------------------------------

    def dialog_view(self, request):
        """The dialog's content: tabs, the search form and the first page."""
        self.check_view(request)
        context = self.list_context(request, query="", key="", page=1)
        context |= {
            "filters": FILTERS.items(),
            "may_add": self.may_add(request),
            "urls": self.url_names(),
        }
        return TemplateResponse(request, "photos/chooser/dialog.html", context)

    def list_view(self, request):
        self.check_view(request)
        query = request.GET.get("q", "").strip()[:200]
        key = request.GET.get("filtre", "")
        if key not in FILTERS:
            return self.bad_request(request, _("Ce filtre n'existe pas."))
        page = request.GET.get("page", "1")
        if not page.isdigit() or int(page) < 1:
            return self.bad_request(request, _("Numéro de page invalide."))
        try:
            context = self.list_context(request, query=query, key=key, page=int(page))
        except EmptyPage:
            return self.bad_request(request, _("Cette page n'existe pas."))
        return TemplateResponse(request, "photos/chooser/list.html", context)

    def list_context(self, request, *, query: str, key: str, page: int) -> dict:
        today = site_today()
        photos = apply_filter(search(self.usable(), query), key, today)
        paginator = Paginator(photos.prefetch_related("renditions"), PER_PAGE)
        current = paginator.page(page)
        return {
            "page": current,
            "cards": [self.card_with_json(photo, today) for photo in current.object_list],
            "query": query,
            "filter": key,
            "urls": self.url_names(),
        }

    @staticmethod
    def card_with_json(photo: Photo, today) -> dict:
        card = photo_card(photo, today)
        return card | {"json": json.dumps(card)}

    def bad_request(self, request, message: str):
        html = render_to_string("photos/chooser/message.html", {"message": message}, request)
        return HttpResponseBadRequest(html)

    def upload_view(self, request):
        return require_http_methods(["GET", "POST"])(self._upload)(request)

    def _upload(self, request):
        self.check_view(request)
        if not self.may_add(request):
            raise PermissionDenied
        form = ChooserUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            return self.uploaded(request, form)
        context = {"form": form, "urls": self.url_names()}
        return TemplateResponse(request, "photos/chooser/upload.html", context)

    def uploaded(self, request, form):
        photo = form.save(commit=False)
        services.add_photo(photo=photo, file=form.cleaned_data["upload"], uploaded_by=request.user)
        self.photo_admin().log_addition(request, photo, _("Ajoutée depuis l'éditeur d'article."))
        today = site_today()
        photo = Photo.objects.prefetch_related("renditions").get(pk=photo.pk)
        usable = self.usable().filter(pk__in=[p.pk for p in photo.likely_duplicates()[:3]])
        duplicates = [self.card_with_json(p, today) for p in usable.prefetch_related("renditions")]
        context = {"card": self.card_with_json(photo, today), "duplicates": duplicates}
        return TemplateResponse(request, "photos/chooser/uploaded.html", context)

    def info_view(self, request):
        """The photos a body refers to (``?ids=3,12``), for the editor to show them:
        any photo, usable or not (a withdrawn one is shown as such, without file)."""
        return require_GET(self._info)(request)

    def _info(self, request):
        self.check_view(request)
        raw = [part for part in request.GET.get("ids", "").split(",") if part]
        if not raw or len(raw) > MAX_INFO_IDS or not all(part.isdigit() for part in raw):
            return JsonResponse({"error": _("Liste de photos invalide.")}, status=400)
        today = site_today()
        photos = Photo.objects.filter(pk__in=[int(pk) for pk in raw]).prefetch_related("renditions")
        return JsonResponse({"photos": {photo.pk: photo_card(photo, today) for photo in photos}})
