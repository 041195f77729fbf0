"""What a rights holder's request cannot be examined without, and why: written
beside each field of the notice form (``takedowns/includes/field.html``) and
checked by the form (``NoticeForm.clean``), so that a missing one is an error the
sender sees at once, never a request set aside as incomplete afterwards."""

from django.utils.translation import gettext_lazy

REQUIRED = gettext_lazy("obligatoire")

# Field name -> (when it is required, what we cannot do without it).
REQUIREMENTS = {
    "name": (REQUIRED, gettext_lazy("pour savoir qui fait la demande et vous répondre.")),
    "email": (
        REQUIRED,
        gettext_lazy("sans elle, nous ne pouvons ni confirmer la demande ni vous répondre."),
    ),
    "capacity": (
        REQUIRED,
        gettext_lazy("pour savoir à quel titre vous agissez sur cette photo."),
    ),
    "rights_holder": (
        gettext_lazy("obligatoire si vous agissez pour quelqu'un d'autre"),
        gettext_lazy("sans lui, nous ne savons pas au nom de qui la demande est faite."),
    ),
    "photo_ids": (
        gettext_lazy("obligatoire, ou l'adresse de la page ci-dessous"),
        gettext_lazy("sans elle, nous ne savons pas de quelle photo il s'agit."),
    ),
    "original_work": (
        gettext_lazy("obligatoire pour un retrait"),
        gettext_lazy("sans elle, nous ne pouvons pas vérifier que la photo est la vôtre."),
    ),
    "kind": (REQUIRED, gettext_lazy("pour savoir ce que vous nous demandez.")),
    "explanation": (
        REQUIRED,
        gettext_lazy("sans elle, nous ne pouvons pas juger la demande."),
    ),
    "requested_credit": (
        gettext_lazy("obligatoire pour corriger ou ajouter un crédit"),
        gettext_lazy("sans lui, nous ne savons pas quoi afficher."),
    ),
    "good_faith": (
        REQUIRED,
        gettext_lazy("une demande n'est examinée qu'avec cette déclaration."),
    ),
}
