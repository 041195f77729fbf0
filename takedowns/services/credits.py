"""The rules a photo credit follows: words that name nobody ("DR", "X"…) and
what a credit must say about the photographer."""

import re

from django.utils.translation import gettext as _
from unidecode import unidecode

_PLACEHOLDERS = {
    "dr",
    "droits reserves",
    "tous droits reserves",
    "all rights reserved",
    "rights reserved",
    "x",
    "xx",
    "anonyme",
    "inconnu",
    "auteur inconnu",
    "nc",
    "non communique",
    "nd",
    "photo",
    "copyright",
}


def _normalise(text: str) -> str:
    text = unidecode(text or "").lower().replace("©", " ").replace("(c)", " ")
    return " ".join(re.findall(r"[a-z0-9]+", text))


def is_placeholder_credit(text: str) -> bool:
    """ "DR", "Droits réservés", "X"…: words that name nobody."""
    return _normalise(text) in _PLACEHOLDERS or not _normalise(text)


def credit_problems(
    *, credit: str, photographer: str, agency: str = "", anonymous: bool = False
) -> dict[str, str]:
    """Why a credit may not be used, by field; empty if it may. A credit names the
    photographer, not only an agency or "DR", unless the photographer asked to
    stay anonymous or to be credited under a pseudonym."""
    errors = {}
    if is_placeholder_credit(credit):
        errors["credit"] = _("Indiquez le crédit exact à afficher sous la photo.")
        return errors
    if anonymous:
        return errors
    if not (photographer or "").strip() or is_placeholder_credit(photographer):
        errors["photographer"] = _(
            "Le crédit doit nommer le photographe, pas seulement une agence ou « DR » "
            "(sauf si l'auteur a demandé l'anonymat ou un pseudonyme : cochez alors la case)."
        )
    elif agency and _normalise(photographer) == _normalise(agency):
        errors["photographer"] = _(
            "Le nom du photographe est celui de l'agence : indiquez la personne qui a pris "
            "la photo."
        )
    elif _normalise(photographer) not in _normalise(credit):
        errors["credit"] = _("Le crédit doit contenir le nom du photographe (« %(name)s »).") % {
            "name": photographer.strip()
        }
    return errors
