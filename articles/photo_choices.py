"""Which photos an editor may put in an article, and the French message for each
one that may not: the article forms (body references, lead photo, gallery) and
the admin's photo pickers all ask here.

A withdrawn photo can no longer be added anywhere (its files are gone); a number
that names no photo is refused. Hidden or uncredited photos may go into a draft
(publication checks them, ``workflow.publish``), but not into an article that
readers already see. What an article already holds is not refused again: a photo
withdrawn after it was placed shows a placeholder, and the article stays editable.
"""

from django import forms
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.urls import reverse
from django.utils.translation import gettext as _

from articles.models import Article
from photos.models import Photo
from photos.services import check_publishable

PUBLIC_STATUSES = (Article.Status.PUBLISHED, Article.Status.SCHEDULED)
USABLE_STATUSES = (Photo.Status.VISIBLE, Photo.Status.HIDDEN)


def usable_photos():
    return Photo.objects.filter(status__in=USABLE_STATUSES)


def is_public(article: Article | None) -> bool:
    return article is not None and article.pk is not None and article.status in PUBLIC_STATUSES


def withdrawn_message(photo: Photo) -> str:
    return _(
        "La photo n° %(pk)s (« %(name)s ») a été retirée : elle ne peut plus être utilisée."
    ) % {
        "pk": photo.pk,
        "name": str(photo) or "—",
    }


def photo_problems(photo: Photo, *, public: bool) -> list[str]:
    """Why ``photo`` may not be added to an article (``public``: readers see it)."""
    if photo.status == Photo.Status.WITHDRAWN:
        return [withdrawn_message(photo)]
    return check_publishable([photo]) if public else []


def reference_problems(ids: list[int], *, already: set[int], public: bool) -> list[str]:
    """One message per bad ``[photo:N]`` reference among ``ids`` (body order);
    the photos in ``already`` were in the saved body and are not checked again."""
    new = [pk for pk in ids if pk not in already]
    photos = Photo.objects.in_bulk(new)
    problems = []
    for pk in new:
        if pk not in photos:
            problems.append(_("[photo:%(pk)s] : aucune photo ne porte ce numéro.") % {"pk": pk})
        else:
            problems += [f"[photo:{pk}] : {p}" for p in photo_problems(photos[pk], public=public)]
    return problems


class UsablePhotoField(forms.ModelChoiceField):
    """A photo choice limited to usable photos, saying why a withdrawn one is refused."""

    def __init__(self, queryset=None, **kwargs):
        super().__init__(usable_photos() if queryset is None else queryset, **kwargs)
        self.queryset = self.queryset.filter(status__in=USABLE_STATUSES)

    def allow(self, pk) -> None:
        """Keep accepting the photo the object already has, whatever its status."""
        if pk is not None:
            self.queryset = self.queryset | Photo.objects.filter(pk=pk)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            photo = Photo.objects.filter(pk=value).first() if str(value).isdigit() else None
            if photo is not None and photo.status == Photo.Status.WITHDRAWN:
                raise forms.ValidationError(withdrawn_message(photo), code="withdrawn") from None
            raise forms.ValidationError(
                _("Aucune photo ne porte le numéro %(pk)s.") % {"pk": value},
                code="invalid_choice",
            ) from None


class UsablePhotoWidget(ForeignKeyRawIdWidget):
    """The raw-id picker, whose photo list shows only usable photos."""

    def base_url_parameters(self):
        params = super().base_url_parameters()
        params["status__in"] = ",".join(USABLE_STATUSES)
        return params

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(chooser_attrs(_("Choisir une photo")))
        return context


def chooser_attrs(label: str) -> dict[str, str]:
    """The attributes that give a field the photo chooser's button
    (``photos/static/photos/chooser.js``)."""
    return {
        "data-photo-chooser": reverse(CHOOSER_URL),
        "data-photo-chooser-info": reverse(CHOOSER_INFO_URL),
        "data-photo-chooser-label": label,
        "data-photo-chooser-failed": _("La photothèque n'a pas pu être ouverte. Réessayez."),
    }


# The chooser (photos.chooser) is mounted by the article admin with usable_photos().
CHOOSER_URL = "admin:articles_photo_chooser"
CHOOSER_INFO_URL = "admin:articles_photo_chooser_info"
