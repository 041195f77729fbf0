"""The public notice form and the forms of the decision page. Every message is
meant for someone who is not a lawyer nor a developer, in French."""

import hashlib
import os
import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image

from photos import lookup as photo_lookup
from photos import validation
from photos.models import Photo
from photos.validation import megabytes
from takedowns import locate, lookup, services
from takedowns.models import Notice
from takedowns.requirements import REQUIREMENTS

# Accepted proof files: extension -> (content type, what the first bytes must be).
EVIDENCE_TYPES = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}
EVIDENCE_ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


def check_evidence(upload) -> tuple[str, str]:
    """(content type, sha256) of an acceptable proof file, or a ValidationError
    naming the file: PDF, JPEG or PNG whose content matches its extension."""
    name = os.path.basename(upload.name or "")
    extension = os.path.splitext(name)[1].lower()
    if extension not in EVIDENCE_TYPES:
        raise ValidationError(
            _("« %(name)s » : seuls les fichiers PDF, JPEG et PNG sont acceptés.") % {"name": name},
            code="extension",
        )
    if not upload.size:
        raise ValidationError(_("« %(name)s » est vide.") % {"name": name}, code="empty")
    limit = settings.TAKEDOWN_MAX_FILE_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("« %(name)s » est trop lourd (%(size)s) : %(limit)s au plus par fichier.")
            % {"name": name, "size": megabytes(upload.size), "limit": megabytes(limit)},
            code="too_large",
        )
    content_type, signatures = EVIDENCE_TYPES[extension]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    mismatch = ValidationError(
        _(
            "« %(name)s » n'est pas un vrai fichier %(kind)s : son contenu ne correspond "
            "pas à son extension."
        )
        % {"name": name, "kind": extension.lstrip(".").upper().replace("JPEG", "JPG")},
        code="content",
    )
    if not head.startswith(signatures):
        raise mismatch
    if content_type.startswith("image/"):
        try:
            with Image.open(upload, formats=["JPEG" if "jpeg" in content_type else "PNG"]) as im:
                im.verify()
        except Exception as exc:  # Pillow raises many types for damaged files
            raise mismatch from exc
        finally:
            upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return content_type, digest.hexdigest()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several proof files; each is checked and named in its error message."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = EVIDENCE_ACCEPT

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            return []
        if len(files) > settings.TAKEDOWN_MAX_FILES:
            raise ValidationError(
                _("%(n)d fichiers au plus.") % {"n": settings.TAKEDOWN_MAX_FILES}, code="count"
            )
        errors, accepted = [], []
        for upload in files:
            try:
                content_type, digest = check_evidence(upload)
            except ValidationError as error:
                errors.extend(error.messages)
            else:
                accepted.append((upload, content_type, digest))
        if errors:
            raise ValidationError(errors)
        return accepted


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


# Decision page (admin) --------------------------------------------------------------------


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


# Finding one's photos from the picture ----------------------------------------------------


class PicturesField(forms.FileField):
    """Several pictures; the form checks them together (count, size, content)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        return [f for f in (data if isinstance(data, list | tuple) else [data]) if f]


class LookupForm(forms.Form):
    """Pictures sent to find where the site shows them. Each is checked as an
    editor's upload is (same messages) and reduced to its lookup hashes; the
    file itself is dropped with the request."""

    pictures = PicturesField(
        label=gettext_lazy("Vos images"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": validation.ACCEPT_ATTRIBUTE}),
        help_text=gettext_lazy(
            "JPEG, PNG, WebP ou GIF, %(files)s images au plus. Une copie plus petite, "
            "recadrée ou retournée convient."
        ),
    )

    def __init__(self, *args, handler=None, **kwargs):
        self.handler = handler
        super().__init__(*args, **kwargs)
        field = self.fields["pictures"]
        field.help_text = field.help_text % {"files": lookup.MAX_PICTURES}

    def clean_pictures(self):
        files = self.cleaned_data["pictures"]
        handler = self.handler
        count = handler.count if handler is not None else len(files)
        if count > lookup.MAX_PICTURES:
            raise ValidationError(
                _("%(n)d fichiers au plus.") % {"n": lookup.MAX_PICTURES}, code="count"
            )
        errors = []
        for name, size in handler.too_large if handler is not None else []:
            errors.append(
                _("« %(name)s » : %(error)s")
                % {
                    "name": os.path.basename(name),
                    "error": _("Le fichier est trop lourd (%(size)s) : la limite est de %(limit)s.")
                    % {"size": megabytes(size), "limit": megabytes(lookup.max_bytes())},
                }
            )
        queries = []
        for upload in files:
            try:
                queries.append(photo_lookup.analyse(upload))
            except ValidationError as error:
                errors += [
                    _("« %(name)s » : %(error)s")
                    % {"name": os.path.basename(upload.name or ""), "error": message}
                    for message in error.messages
                ]
        if errors:
            raise ValidationError(errors)
        if not queries:
            raise ValidationError(_("Choisissez au moins une image."), code="required")
        return queries
