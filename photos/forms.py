"""Forms of the photo admin. Every file goes through ``services.prepare_upload``,
the same validation the services apply, so an editor sees the reason a file is
refused next to the field, and nothing is stored."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from photos import services
from photos.models import Photo, site_today
from photos.validation import ACCEPT_ATTRIBUTE


class PhotoFileField(forms.FileField):
    """A file checked and cleaned like every upload; cleans to a PreparedImage.

    Empty files reach our own check (and its message) instead of Django's."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_empty_file", True)
        kwargs.setdefault("widget", forms.FileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload or upload is initial:
            return None
        return services.prepare_upload(upload)


class PhotoAdminForm(forms.ModelForm):
    upload = PhotoFileField(
        label=capfirst(_("fichier")),
        required=False,
        help_text=_(
            "JPEG, PNG, WebP ou GIF. Les métadonnées (EXIF, position GPS) sont effacées ; "
            "la photo est redressée si besoin."
        ),
    )

    class Meta:
        model = Photo
        fields = [
            "title",
            "alt_text",
            "caption",
            "credit",
            "photographer",
            "agency",
            "source",
            "licence_kind",
            "licence_start",
            "licence_end",
            "licence_notes",
        ]

    # Shown only when the licence end typed is already past (see ``clean``).
    confirm_past_licence = forms.BooleanField(
        label=_("Je confirme cette date passée"),
        required=False,
        widget=forms.HiddenInput,
        help_text=_("La photo sera retirée pour les lecteurs dès l'enregistrement."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and self._past_licence_end() is not None:
            self.fields["confirm_past_licence"].widget = forms.CheckboxInput()

    def _past_licence_end(self):
        """The licence end typed, when it is already past and was changed."""
        field = self.fields["licence_end"]
        try:
            end = field.clean(
                field.widget.value_from_datadict(self.data, self.files, "licence_end")
            )
        except ValidationError:
            return None
        if end is None or end >= site_today() or end == self.instance.licence_end:
            return None
        return end

    def clean(self):
        cleaned = super().clean()
        # A licence already ended would withdraw the photo at once: most often a
        # mistyped year. The volunteer corrects it, or confirms it on purpose.
        if self._past_licence_end() is not None and not cleaned.get("confirm_past_licence"):
            self.add_error(
                "licence_end",
                _(
                    "Cette date est déjà passée : la photo serait retirée pour les lecteurs "
                    "dès l'enregistrement. Corrigez-la, ou cochez « Je confirme cette date "
                    "passée » ci-dessous."
                ),
            )
        upload = cleaned.get("upload")
        if self.instance.pk is None and not upload and "upload" not in self.errors:
            self.add_error("upload", _("Choisissez le fichier de la photo."))
        if upload and self.instance.status == Photo.Status.WITHDRAWN:
            self.add_error("upload", services.WITHDRAWN_NO_NEW_FILE)
        return cleaned


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several files; each one is validated on its own so that the editor learns
    which files were refused and why."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = ACCEPT_ATTRIBUTE

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            raise ValidationError(self.error_messages["required"], code="required")
        prepared, errors = [], []
        for upload in files:
            try:
                prepared.append((upload.name, services.prepare_upload(upload)))
            except ValidationError as error:
                errors.extend(
                    ValidationError(f"{upload.name} : {message}") for message in error.messages
                )
        if errors:
            raise ValidationError(errors)
        return prepared


class MultiUploadForm(forms.Form):
    files = MultiplePhotoField(
        label=_("fichiers"),
        help_text=_(
            "Sélectionnez plusieurs photos. Si un fichier est refusé, aucune n'est "
            "enregistrée : corrigez ou retirez ce fichier puis recommencez."
        ),
    )
    alt_text = forms.CharField(
        label=_("texte alternatif"),
        max_length=300,
        help_text=_("Commun à toutes les photos : précisez-le ensuite photo par photo."),
    )
    credit = forms.CharField(
        label=_("crédit"),
        max_length=300,
        help_text=_("Tel qu'il doit apparaître, par ex. « © Netflix / Photo : Jane Doe »."),
    )
    photographer = forms.CharField(label=_("photographe"), max_length=200, required=False)
    agency = forms.CharField(label=_("agence ou ayant droit"), max_length=200, required=False)
    source = forms.ChoiceField(label=_("provenance"), choices=Photo.Source.choices)
    licence_kind = forms.ChoiceField(label=_("licence"), choices=Photo.LicenceKind.choices)
    licence_start = forms.DateField(label=_("début des droits"), required=False)
    licence_end = forms.DateField(label=_("fin des droits"), required=False)
    licence_notes = forms.CharField(
        label=_("conditions de la licence"), widget=forms.Textarea, required=False
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("licence_start"), cleaned.get("licence_end")
        if start and end and end < start:
            self.add_error("licence_end", _("La fin des droits précède leur début."))
        return cleaned


class BulkCreditForm(forms.Form):
    credit = forms.CharField(
        label=_("crédit"),
        max_length=300,
        help_text=_("Remplace le crédit de toutes les photos sélectionnées."),
    )
    photographer = forms.CharField(
        label=_("photographe"),
        max_length=200,
        required=False,
        help_text=_("Laisser vide pour ne pas le modifier."),
    )
    agency = forms.CharField(
        label=_("agence ou ayant droit"),
        max_length=200,
        required=False,
        help_text=_("Laisser vide pour ne pas la modifier."),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("motif du retrait"),
        max_length=500,
        help_text=_("Par ex. « Demande de l'agence du 3 mars, réf. 1234 »."),
    )
