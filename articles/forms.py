from django import forms
from django.utils.translation import gettext_lazy as _
from django_prose_editor.widgets import AdminProseEditorWidget

from articles import html
from articles.models import Article

EDITOR_CONFIG = {
    "extensions": {
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
    }
}


class ArticleAdminForm(forms.ModelForm):
    # The version the editor started from; a save from an older one is refused.
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = [
            "title", "slug", "section", "authors", "standfirst", "body",
            "tags", "lead_photo", "source_url",
        ]  # fmt: skip
        widgets = {
            "body": AdminProseEditorWidget(config=EDITOR_CONFIG),
            "standfirst": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "body": _(
                "Pour insérer une photo de la photothèque, écrivez sur une ligne seule "
                "[photo:NUMÉRO] (le numéro figure dans la liste des photos) : la photo "
                "s'affichera avec son crédit."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            current = Article.objects.filter(pk=self.instance.pk).values_list("version", flat=True)
            self.fields["loaded_version"].initial = current.first()
        if "body" in self.fields:
            self.initial["body"] = html.references_to_markers(self.initial.get("body", ""))

    def clean_body(self):
        return html.markers_to_references(self.cleaned_data.get("body", ""))

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


class PublishForm(forms.Form):
    at = forms.DateTimeField(
        label=_("Programmer pour le"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Laissez vide pour publier maintenant."),
    )
