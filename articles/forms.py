from django import forms
from django.templatetags.static import static
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django_prose_editor.widgets import AdminProseEditorWidget
from js_asset import ImportMap, Media, Script

from articles import html
from articles.models import Article, GalleryItem
from articles.photo_choices import (
    CHOOSER_INFO_URL,
    UsablePhotoField,
    chooser_attrs,
    is_public,
    photo_problems,
    reference_problems,
)

# Article bodies sit under the page's <h1> (the title): their headings are <h2>
# ("intertitre") and <h3>. The toolbar speaks French (articles/static/articles/
# admin/editor.js) and the browser checks French spelling as one types.
EDITOR_CONFIG = {
    "extensions": {
        "NoSpellCheck": False,
        "Bold": True,
        "Italic": True,
        "Strike": True,
        "Heading": {"levels": [2, 3]},
        "BulletList": True,
        "OrderedList": True,
        "ListItem": True,
        "Blockquote": True,
        "HorizontalRule": True,
        "Link": {"enableTarget": False},
        "History": True,
        "HTML": True,
        "SpecialCharacters": True,
        # Photo references shown as the photo with its credit (photos/photo_reference.js).
        "PhotoReference": {
            "infoUrl": reverse_lazy(CHOOSER_INFO_URL),
            "labels": {
                "photo": _("Photo n° %s"),
                "loading": _("Chargement de la photo…"),
                "missing": _("Aucune photo ne porte ce numéro."),
                "failed": _(
                    "La photo n'a pas pu être affichée ; elle sera tout de même enregistrée."
                ),
                "noPreview": _("Aperçu indisponible"),
                "noCredit": _("Sans crédit"),
            },
        },
    }
}
CHOOSER_SCRIPT = "photos/chooser.js"
PHOTO_REFERENCE_SCRIPT = "photos/photo_reference.js"
# The name the chooser imports the editor's photo module by (an import map): one
# URL, so that both share what the server said of each photo.
PHOTO_REFERENCE_MODULE = "photos/photo-reference"


class ArticleBodyWidget(AdminProseEditorWidget):
    """The prose editor, with the photo chooser's "Insérer une photo" above it and
    each photo reference shown as the photo with its credit: the editor loads the
    ``PhotoReference`` node from its own module, which keeps it stored as the same
    reference, ``<figure data-photo="12"></figure>``; the chooser's module imports
    it by name."""

    def get_config(self):
        config = super().get_config()
        modules = [*config.get("js_modules", []), static(PHOTO_REFERENCE_SCRIPT)]
        return config | {"js_modules": modules}

    @property
    def media(self):
        return super().media + Media(
            css={"all": ["photos/chooser.css"]},
            js=[Script(CHOOSER_SCRIPT, type="module")],
            importmap=ImportMap({PHOTO_REFERENCE_MODULE: PHOTO_REFERENCE_SCRIPT}),
        )

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(chooser_attrs(str(_("Insérer une photo"))))
        return context


def publish_at_field() -> forms.DateTimeField:
    return forms.DateTimeField(
        label=_("Programmer pour le"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Laissez vide pour publier maintenant."),
    )


class ArticleAdminForm(forms.ModelForm):
    # The version the editor started from; a save from an older one is refused.
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # The date of the "Publier" button, which submits this form (admin_workflow).
    at = publish_at_field()

    class Meta:
        model = Article
        fields = [
            "title", "slug", "section", "authors", "standfirst", "body",
            "tags", "lead_photo", "source_url",
        ]  # fmt: skip
        field_classes = {"lead_photo": UsablePhotoField}
        widgets = {
            "body": ArticleBodyWidget(
                config=EDITOR_CONFIG,
                preset="configurable",
                attrs={"spellcheck": "true", "lang": "fr"},
            ),
            "standfirst": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "body": _(
                "Pour insérer une photo, placez le curseur là où elle doit paraître et "
                "cliquez sur « Insérer une photo », ou écrivez [photo:NUMÉRO] (le numéro "
                "figure dans la liste des photos) : la photo s'affichera avec son crédit, "
                "entre deux paragraphes."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            current = Article.objects.filter(pk=self.instance.pk).values_list("version", flat=True)
            self.fields["loaded_version"].initial = current.first()
        if "lead_photo" in self.fields:
            self.fields["lead_photo"].allow(self.instance.lead_photo_id)
        if "body" in self.fields:
            self.initial["body"] = html.references_to_markers(self.initial.get("body", ""))

    def clean_body(self):
        body = html.markers_to_references(self.cleaned_data.get("body", ""))
        saved = set(html.photo_ids(self.instance.body)) if self.instance.pk else set()
        problems = reference_problems(
            html.photo_ids(body), already=saved, public=is_public(self.instance)
        )
        if problems:
            raise forms.ValidationError(problems, code="photo")
        return body

    def clean_lead_photo(self):
        photo = self.cleaned_data.get("lead_photo")
        if photo is not None and photo.pk != self.instance.lead_photo_id:
            problems = photo_problems(photo, public=is_public(self.instance))
            if problems:
                raise forms.ValidationError(problems, code="photo")
        return photo

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            self._check_version(cleaned.get("loaded_version"))
        return cleaned

    def _check_version(self, loaded):
        # Inside the admin's transaction: the lock holds until this save commits.
        current = (
            Article.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        if loaded is not None and current is not None and loaded != current:
            raise forms.ValidationError(
                _(
                    "Quelqu'un d'autre a enregistré cet article pendant que vous le modifiiez. "
                    "Vos modifications n'ont pas été enregistrées : copiez-les, rechargez la "
                    "page pour voir la nouvelle version, puis reportez-les."
                ),
                code="conflict",
            )


class GalleryItemForm(forms.ModelForm):
    """A gallery row: a usable photo; one readers would see must be publishable."""

    class Meta:
        model = GalleryItem
        fields = ["photo", "position"]
        field_classes = {"photo": UsablePhotoField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "photo" in self.fields:
            self.fields["photo"].allow(self.instance.photo_id)

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        article = getattr(self.instance, "article", None)
        if photo is not None and photo.pk != self.instance.photo_id:
            problems = photo_problems(photo, public=is_public(article))
            if problems:
                raise forms.ValidationError(problems, code="photo")
        return photo


class PublishForm(forms.Form):
    at = publish_at_field()
