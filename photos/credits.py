"""Credits and rights: correcting the credits of several photos at once, and
what keeps a photo out of a published article."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from photos.models import Photo, site_today


def update_credits(
    *,
    photos: Iterable[Photo],
    credit: str,
    photographer: str | None = None,
    agency: str | None = None,
    licence_kind: str | None = None,
    licence_end: datetime.date | None = None,
) -> int:
    """Correct the credit of several photos at once; ``None`` keeps a field as is.

    A ``licence_end`` before a photo's ``licence_start`` is refused for all of them."""
    photos = list(photos)
    if licence_end is not None:
        _check_licence_end(photos, licence_end)
    changes = {"credit": credit, "photographer": photographer, "agency": agency}
    changes |= {"licence_kind": licence_kind, "licence_end": licence_end}
    with transaction.atomic():
        for photo in photos:
            for name, value in changes.items():
                if value is not None:
                    setattr(photo, name, value)
            photo.save()  # one by one: save() recomputes the credits-page slugs
    return len(photos)


def _check_licence_end(photos: list[Photo], licence_end: datetime.date) -> None:
    early = [p for p in photos if p.licence_start and p.licence_start > licence_end]
    if early:
        raise ValidationError(
            _("La fin des droits précède leur début pour : %(photos)s.")
            % {"photos": ", ".join(f"« {p} »" for p in early)},
            code="licence_dates",
        )


def photo_problems(photo: Photo) -> list[str]:
    """Why this photo may not appear in a published article, in French; empty if it may."""
    name = str(photo) or _("n° %(pk)s") % {"pk": photo.pk}
    problems = []
    if not (photo.credit or "").strip():
        problems.append(_("La photo « %(name)s » n'a pas de crédit.") % {"name": name})
    if not (photo.alt_text or "").strip():
        problems.append(_("La photo « %(name)s » n'a pas de texte alternatif.") % {"name": name})
    if photo.status != Photo.Status.VISIBLE:
        problems.append(
            _("La photo « %(name)s » est %(status)s.")
            % {"name": name, "status": photo.get_status_display()}
        )
    if photo.licence_end and photo.licence_end < site_today():
        problems.append(
            _("Les droits de la photo « %(name)s » ont pris fin le %(date)s.")
            % {"name": name, "date": formats.date_format(photo.licence_end, "j F Y")}
        )
    return problems


def check_publishable(photos: Iterable[Photo]) -> list[str]:
    """Every problem preventing these photos from appearing in a published article."""
    seen, problems = set(), []
    for photo in photos:
        if photo is None or photo.pk in seen:
            continue
        seen.add(photo.pk)
        problems.extend(photo_problems(photo))
    return problems
