"""The public notice form and the message form of the sender's tracking page."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from photos.models import Photo
from takedowns import locate, services
from takedowns.forms.evidence import EvidenceField
from takedowns.models import Notice
from takedowns.requirements import REQUIREMENTS


class NoticeForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Vos nom et prénom"), max_length=200)
    email = forms.EmailField(
        label=gettext_lazy("Votre adresse électronique"),
        help_text=gettext_lazy("Nous vous écrirons pour la confirmer avant d'examiner la demande."),
        error_messages={
            "invalid": gettext_lazy(
                "Cette adresse électronique n'est pas valide (exemple : nom@exemple.fr)."
            )
        },
    )
    organisation = forms.CharField(
        label=gettext_lazy("Organisation (agence, distributeur, studio…)"),
        max_length=200,
        required=False,
    )
    capacity = forms.ChoiceField(
        label=gettext_lazy("Vous êtes"), choices=Notice.Capacity.choices, widget=forms.RadioSelect
    )
    rights_holder = forms.CharField(
        label=gettext_lazy("Titulaire des droits, si vous agissez pour quelqu'un d'autre"),
        max_length=200,
        required=False,
    )
    photo_ids = forms.CharField(
        label=gettext_lazy("Numéros des photos"),
        required=False,
        max_length=500,
        help_text=gettext_lazy(
            "Séparés par des virgules. Le numéro figure dans le lien « Signaler cette photo » "
            "sous chaque photo."
        ),
    )
    urls = forms.CharField(
        label=gettext_lazy("Ou adresses des pages du site (une par ligne)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    original_work = forms.CharField(
        label=gettext_lazy("L'œuvre originale"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Un lien vers la photo d'origine, ou sa description (auteur, date, circonstances)."
        ),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Votre demande"), choices=Notice.Kind.choices, widget=forms.RadioSelect
    )
    explanation = forms.CharField(
        label=gettext_lazy("Explication"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "Pourquoi cette photo ne peut pas être utilisée ainsi : vos droits, la licence, "
            "ce qui ne va pas dans le crédit."
        ),
    )
    requested_credit = forms.CharField(
        label=gettext_lazy("Crédit exact à afficher"),
        max_length=300,
        required=False,
    )
    evidence = EvidenceField(
        label=gettext_lazy("Pièces justificatives (facultatif)"),
        required=False,
        help_text=gettext_lazy(
            "Licence, contrat… PDF, JPEG ou PNG, 5 Mo au plus par fichier, 5 fichiers au plus."
        ),
    )
    good_faith = forms.BooleanField(
        label=gettext_lazy(
            "Je déclare de bonne foi que les informations de cette demande sont exactes et "
            "complètes, et que je suis le titulaire des droits ou autorisé à agir en son nom."
        ),
        error_messages={
            "required": gettext_lazy("Cochez cette déclaration pour envoyer la demande.")
        },
    )
    # Honeypot: hidden from people, filled in by robots.
    website = forms.CharField(label=gettext_lazy("Ne pas remplir"), required=False)

    def __init__(self, *args, request_host: str = "", **kwargs):
        self.request_host = request_host
        super().__init__(*args, **kwargs)
        for name, (when, why) in REQUIREMENTS.items():
            self.fields[name].requirement = {"when": when, "why": why}

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_photo_ids(self):
        raw = self.cleaned_data["photo_ids"]
        tokens = [t for t in re.split(r"[\s,;]+", raw.replace("n°", " ")) if t]
        ids = []
        for token in tokens:
            if not token.isdigit():
                raise ValidationError(
                    _("« %(token)s » n'est pas un numéro de photo.") % {"token": token[:30]},
                    code="invalid",
                )
            ids.append(int(token))
        photos = Photo.objects.in_bulk(ids)
        unknown = [str(pk) for pk in ids if pk not in photos]
        if unknown:
            raise ValidationError(
                _("Aucune photo ne porte le numéro %(ids)s : vérifiez-le.")
                % {"ids": ", ".join(unknown)},
                code="unknown_photo",
            )
        return [photos[pk] for pk in dict.fromkeys(ids)]

    def clean_urls(self):
        lines = [line.strip() for line in self.cleaned_data["urls"].splitlines() if line.strip()]
        for line in lines:
            if not locate.is_site_url(line, self.request_host):
                raise ValidationError(
                    _("« %(url)s » n'est pas une adresse de ce site.") % {"url": line[:100]},
                    code="foreign_url",
                )
        return lines

    def clean_requested_credit(self):
        credit = self.cleaned_data["requested_credit"].strip()
        if credit and services.is_placeholder_credit(credit):
            raise ValidationError(
                _(
                    "« %(credit)s » ne nomme personne : un crédit indique le photographe "
                    "(ou le pseudonyme qu'il a choisi)."
                )
                % {"credit": credit},
                code="placeholder",
            )
        return credit

    def clean(self):
        cleaned = super().clean()
        no_photo = not cleaned.get("photo_ids") and not cleaned.get("urls")
        if no_photo and "photo_ids" not in self.errors and "urls" not in self.errors:
            self.add_error(
                "photo_ids",
                _(
                    "Indiquez au moins une photo : son numéro, ou l'adresse de la page "
                    "où elle apparaît."
                ),
            )
        needs_credit = cleaned.get("kind") in Notice.CREDIT_KINDS
        if (
            needs_credit
            and not cleaned.get("requested_credit")
            and "requested_credit" not in self.errors
        ):
            self.add_error(
                "requested_credit",
                _("Indiquez le crédit exact que vous souhaitez voir affiché."),
            )
        if (
            cleaned.get("kind") == Notice.Kind.WITHDRAW
            and not cleaned.get("original_work", "").strip()
            and "original_work" not in self.errors
        ):
            self.add_error(
                "original_work",
                _(
                    "Pour un retrait, indiquez l'œuvre originale (un lien vers la photo "
                    "d'origine, ou sa description) : sans elle, nous ne pouvons pas vérifier "
                    "que la photo est la vôtre."
                ),
            )
        capacity = cleaned.get("capacity")
        if (
            capacity
            and capacity not in Notice.OWN_RIGHTS
            and not cleaned.get("rights_holder")
            and not cleaned.get("organisation")
        ):
            self.add_error(
                "rights_holder",
                _("Indiquez au nom de qui vous agissez (le titulaire des droits)."),
            )
        return cleaned

    def photos(self) -> list[Photo]:
        """Photos named by number, then those found at the addresses given."""
        photos = list(self.cleaned_data.get("photo_ids") or [])
        for url in self.cleaned_data.get("urls") or []:
            photos += locate.photos_for_url(url)
        return list(dict.fromkeys(photos))


class TrackingMessageForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Votre message"), max_length=10000, widget=forms.Textarea
    )
