import re

from django.utils import formats, timezone, translation


def long_date(value) -> str:
    """« 1er juillet 2019 », « 31 juillet 2019 » in French; « 31 July 2019 » in English."""
    if not value:
        return ""
    text = formats.date_format(value, "j F Y")
    if translation.get_language() == "fr" and value.day == 1:
        text = re.sub(r"^1 ", "1er ", text)
    return text


def iso_moment(value) -> str:
    """A ``datetime=`` value: an aware time in the site's zone, as the ``date:'c'``
    filter gives it; a date or a naive time as it is; "" for nothing."""
    if not value:
        return ""
    if hasattr(value, "hour") and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.isoformat()
