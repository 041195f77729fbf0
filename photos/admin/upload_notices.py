"""What an editor hears after saving a photo: a likely duplicate already in the
library, rights that end soon."""

from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from photos.models import site_today

# A licence ending within this many days is worth a word at upload.
LICENCE_SOON_DAYS = 30


def upload_warnings(photo, *, new_file: bool, form) -> list[str]:
    """What an editor should hear after saving a photo: the same picture is
    probably in the library already (a link to it), or its rights end soon."""
    warnings = []
    if new_file:
        for other in photo.likely_duplicates()[:3]:
            warnings.append(
                format_html(
                    _(
                        'Cette photo ressemble beaucoup à <a href="{}">« {} »</a> '
                        "(n° {}), déjà dans la photothèque : s'il s'agit de la même "
                        "image, utilisez plutôt celle-là."
                    ),
                    reverse("admin:photos_photo_change", args=[other.pk]),
                    str(other) or other.pk,
                    other.pk,
                )
            )
    end = photo.licence_end
    if end is not None and ("licence_end" in form.changed_data or new_file):
        days = (end - site_today()).days
        if 0 <= days <= LICENCE_SOON_DAYS:
            warnings.append(
                ngettext(
                    "Les droits de cette photo prennent fin dans %(days)d jour (le "
                    "%(date)s) : elle sera ensuite retirée des articles.",
                    "Les droits de cette photo prennent fin dans %(days)d jours (le "
                    "%(date)s) : elle sera ensuite retirée des articles.",
                    days,
                )
                % {"days": days, "date": formats.date_format(end, "DATE_FORMAT")}
            )
    return warnings
