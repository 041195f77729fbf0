"""The forms of the decision page (admin): the statement of reasons, the choice
of photos, the credit correction, the identity check, the request for
information."""

from django import forms
from django.utils.translation import gettext_lazy

from photos.models import Photo
from takedowns import services


class ReasonsForm(forms.Form):
    measure = forms.CharField(
        label=gettext_lazy("Mesure et portée"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Ce qui est fait, sur quelles photos, sur quelles pages."),
    )
    facts = forms.CharField(
        label=gettext_lazy("Faits retenus"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Les éléments de la demande et du dossier sur lesquels on s'appuie."
        ),
    )
    ground = forms.CharField(
        label=gettext_lazy("Motif"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Le fondement : droit d'auteur, licence, engagement de la revue…"),
    )

    def reasons(self) -> services.Reasons:
        data = self.cleaned_data
        return services.Reasons(measure=data["measure"], facts=data["facts"], ground=data["ground"])


class PhotoChoiceMixin:
    """A multiple choice of photos built from the notice (and their duplicates)."""

    def set_photos(self, photos, initial_all=True):
        field = self.fields["photos"]
        field.queryset = Photo.objects.filter(pk__in=[p.pk for p in photos])
        field.label_from_instance = lambda p: f"n° {p.pk} — {p} ({p.credit or '—'})"
        if initial_all and not self.is_bound:
            field.initial = [p.pk for p in photos]


class HideForm(PhotoChoiceMixin, ReasonsForm):
    photos = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Photos à masquer"),
        queryset=Photo.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )


class WithdrawForm(PhotoChoiceMixin, ReasonsForm):
    photos = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Photos à retirer (et doublons)"),
        queryset=Photo.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )


class RestoreForm(PhotoChoiceMixin, ReasonsForm):
    photos = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Photos à remettre en ligne"),
        queryset=Photo.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )


class CreditForm(PhotoChoiceMixin, ReasonsForm):
    photos = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Photos dont le crédit change"),
        queryset=Photo.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    credit = forms.CharField(label=gettext_lazy("Crédit"), max_length=300)
    photographer = forms.CharField(
        label=gettext_lazy("Photographe"), max_length=200, required=False
    )
    agency = forms.CharField(
        label=gettext_lazy("Agence ou ayant droit"), max_length=200, required=False
    )
    anonymous = forms.BooleanField(
        label=gettext_lazy("L'auteur a demandé l'anonymat ou un pseudonyme"), required=False
    )

    def clean(self):
        cleaned = super().clean()
        if "credit" in cleaned:
            problems = services.credit_problems(
                credit=cleaned.get("credit", ""),
                photographer=cleaned.get("photographer", ""),
                agency=cleaned.get("agency", ""),
                anonymous=cleaned.get("anonymous", False),
            )
            for field, message in problems.items():
                self.add_error(field, message)
        return cleaned


class IdentityCheckForm(forms.Form):
    check = forms.CharField(
        label=gettext_lazy("Vérification faite"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Par ex. : appel au standard de l'agence, qui confirme que l'expéditeur y travaille."
        ),
    )


class VerifyForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=1000)


class RequestInformationForm(forms.Form):
    missing = forms.CharField(
        label=gettext_lazy("Ce qui manque (envoyé à l'expéditeur)"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
