"""What every reader of an export produces: ``ArticleRecord`` (one article) with
its ``PhotoSpec``s, or ``RecordError`` with a message an editor can act on.

Readers (``imports.jsonl``, ``imports.text_export``, ``imports.wxr``) only read
and validate; writing is ``imports.writer``.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from articles import html

NOON = datetime.time(12, 0)
MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
}  # fmt: skip
FRENCH_DATE = re.compile(
    r"^(?:le\s+)?(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+)?"
    r"(\d{1,2})(?:er)?\s+([a-z]+)\s+(\d{4})\s*$"
)
STATUSES = ("draft", "review", "scheduled", "published", "archived")


class RecordError(ValueError):
    """One article (or one photo of it) that cannot be imported, with the reason."""


@dataclass
class PhotoSpec:
    """A picture to bring in with an article: a local file and what is known of it.

    ``file`` is relative to the import's ``--media-root``. ``url`` is the address
    the image had on the old site, if any: it then answers 301 to the photo's
    current rendition (410 once withdrawn). ``licence`` and ``source`` hold
    ``Photo.LicenceKind`` and ``Photo.Source`` values.
    """

    file: str
    credit: str = ""
    caption: str = ""
    alt: str = ""
    title: str = ""
    licence: str = "press"
    licence_notes: str = ""
    licence_end: datetime.date | None = None
    source: str = "press_kit"
    url: str = ""


@dataclass
class ArticleRecord:
    """One article as read from an export.

    ``inline_photos``: pictures placed in the body. The body then holds, where
    each one goes, ``<figure data-import-photo="N"></figure>`` (N its index in
    the list); the writer turns them into photo references once the photos exist.
    ``old_urls``: other addresses the article had (permalinks), besides ``source_url``.
    ``published_at`` may be None for a draft only.
    """

    title: str
    body: str
    published_at: datetime.datetime | None
    source_url: str | None = None
    standfirst: str = ""
    section: str = "News"
    tags: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    status: str = "published"
    lead_photo: PhotoSpec | None = None
    gallery: list[PhotoSpec] = field(default_factory=list)
    inline_photos: list[PhotoSpec] = field(default_factory=list)
    old_urls: list[str] = field(default_factory=list)

    def photos(self) -> list[PhotoSpec]:
        """Every photo of the record, lead first."""
        lead = [self.lead_photo] if self.lead_photo else []
        return lead + self.gallery + self.inline_photos


def fold(text: str) -> str:
    """Lowercase without accents, with straight apostrophes: for matching only."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'")).lower()
    return "".join(c for c in text if not unicodedata.combining(c))


def at_noon(day: datetime.date) -> datetime.datetime:
    """A day without a time is published at noon, local time, so it stays that day."""
    return datetime.datetime.combine(day, NOON, tzinfo=ZoneInfo(settings.TIME_ZONE))


def aware(value: datetime.datetime) -> datetime.datetime:
    """A naive time is the site's local time."""
    if timezone.is_naive(value):
        return value.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
    return value


def parse_french_date(text: str) -> datetime.date:
    match = FRENCH_DATE.match(fold(text.strip()))
    if not match or match.group(2) not in MONTHS:
        raise RecordError(
            f"date illisible : « {text.strip()[:60]} » (attendu : « Le 31 juillet 2019 »)"
        )
    day, month, year = int(match.group(1)), MONTHS[match.group(2)], int(match.group(3))
    try:
        return datetime.date(year, month, day)
    except ValueError as exc:
        raise RecordError(f"date impossible : « {text.strip()} »") from exc


def parse_any_date(value, name: str = "date") -> datetime.datetime:
    """ISO 8601 (a day alone means noon, local time) or « Le 31 juillet 2019 »."""
    if not isinstance(value, str) or not value.strip():
        raise RecordError(f"champ « {name} » manquant ou vide")
    value = value.strip()
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        return at_noon(parse_french_date(value))
    if len(value) <= 10:
        return at_noon(parsed.date())
    return aware(parsed)


def split_names(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RecordError("une liste de noms est attendue (ou un texte séparé par des virgules)")
    return [v.strip() for v in value if v.strip()]


def body_to_html(body: str) -> str:
    return body if html.looks_like_html(body) else html.text_to_html(body)
