"""What confirming a notice checks: whether the sender's address belongs to the
organisation they name, whether the sender is one of our volunteers, and what
a decision needs that the notice lacks."""

import re
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.utils.text import slugify
from django.utils.translation import gettext as _
from unidecode import unidecode

from photos.models import Photo
from takedowns.models import Notice

_FREE_MAIL = {
    "gmail.com",
    "googlemail.com",
    "yahoo.fr",
    "yahoo.com",
    "hotmail.fr",
    "hotmail.com",
    "outlook.fr",
    "outlook.com",
    "live.fr",
    "live.com",
    "msn.com",
    "orange.fr",
    "wanadoo.fr",
    "free.fr",
    "sfr.fr",
    "neuf.fr",
    "laposte.net",
    "icloud.com",
    "me.com",
    "gmx.fr",
    "gmx.com",
    "protonmail.com",
    "proton.me",
    "aol.com",
}
_GENERIC_WORDS = {
    "les",
    "des",
    "the",
    "and",
    "film",
    "films",
    "production",
    "productions",
    "studio",
    "studios",
    "presse",
    "press",
    "agence",
    "agency",
    "groupe",
    "group",
    "distribution",
    "media",
    "medias",
    "communication",
    "photo",
    "photos",
    "editions",
    "sas",
    "sarl",
    "inc",
    "ltd",
}


def email_matches_organisation(email: str, organisation: str) -> bool:
    """Whether an address looks like it belongs to the organisation: its domain
    (free webmail never does) contains the organisation's name or a distinctive
    word of it. A heuristic: a mismatch only asks for a human check."""
    domain = email.rsplit("@", 1)[-1].lower().strip()
    if not domain or domain in _FREE_MAIL:
        return False
    labels = domain.split(".")[:-1] or [domain]
    domain_compact = re.sub(r"[^a-z0-9]", "", "".join(labels))
    words = slugify(unidecode(organisation)).split("-")
    distinctive = [w for w in words if len(w) >= 3 and w not in _GENERIC_WORDS]
    compact = "".join(w for w in words if w)
    if compact and compact in domain_compact:
        return True
    main = re.sub(r"[^a-z0-9]", "", labels[-1])
    if len(main) >= 4 and main in compact:
        return True
    return any(len(w) >= 4 and w in domain_compact for w in distinctive)


def _is_site_author(email: str, photos: Iterable[Photo]) -> bool:
    """The sender is one of our volunteers (an author, or whoever uploaded one
    of the photos): withdrawing a licence they granted is for the
    editor-in-chief to settle, never decided automatically."""
    users = get_user_model().objects.filter(email__iexact=email)
    if users.filter(author_profile__isnull=False).exists():
        return True
    return any(p.uploaded_by_id and users.filter(pk=p.uploaded_by_id).exists() for p in photos)


def missing_information(notice: Notice) -> list[str]:
    """What a decision needs and the notice lacks, in French, one item each."""
    missing = []
    if not notice.notice_photos.exists():
        missing.append(
            _(
                "La photo concernée : nous n'avons trouvé aucune photo aux adresses indiquées. "
                "Indiquez son numéro (il figure dans le lien « Signaler cette photo » sous la "
                "photo) ou l'adresse exacte de la page où elle apparaît."
            )
        )
    if notice.kind == Notice.Kind.WITHDRAW and not notice.original_work.strip():
        missing.append(
            _(
                "L'œuvre originale : un lien vers la photo d'origine ou sa description "
                "(auteur, date, circonstances de la prise de vue)."
            )
        )
    if notice.acts_for_someone_else and not (notice.rights_holder or notice.organisation):
        missing.append(_("Le nom du titulaire des droits au nom duquel vous agissez."))
    return missing
