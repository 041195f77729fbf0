import re

from django.utils import formats, translation


def long_date(value) -> str:
    """« 1er juillet 2019 », « 31 juillet 2019 » in French; « 31 July 2019 » in English."""
    if not value:
        return ""
    text = formats.date_format(value, "j F Y")
    if translation.get_language() == "fr" and value.day == 1:
        text = re.sub(r"^1 ", "1er ", text)
    return text
