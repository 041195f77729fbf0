import datetime
import re
from functools import lru_cache

from django.utils import formats, timezone, translation


def long_date(value) -> str:
    """« 1er juillet 2019 », « 31 juillet 2019 » in French; « 31 July 2019 » in English.
    The date as written in ``value`` (a time is not moved to another zone)."""
    if not value:
        return ""
    return _long_date(value.year, value.month, value.day, translation.get_language())


@lru_cache(maxsize=32_768)  # every day of ninety years, in two languages
def _long_date(year: int, month: int, day: int, language: str | None) -> str:
    """Written once per day and language: a page of results or cards writes
    twenty dates, and Django's date formatting costs more than a page's query."""
    text = formats.date_format(datetime.date(year, month, day), "j F Y")
    if language == "fr" and day == 1:
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
