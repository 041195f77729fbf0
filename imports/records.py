"""Reading article exports: JSON Lines and the magazine's plain-text export.

Parsers only read and validate; they turn each article into an ``ArticleRecord``
or raise ``RecordError`` with a message an editor can act on. Writing is
``articles.services.upsert_article``.
"""

import datetime
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from articles import html

# Plain-text exports carry no address of their own: a stable one is made from the
# file name under this reserved domain, so that a re-import finds the same article.
EXPORT_BASE_URL = "https://export.invalid/"

MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
}  # fmt: skip
FRENCH_DATE = re.compile(
    r"^(?:le\s+)?(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+)?"
    r"(\d{1,2})(?:er)?\s+([a-z]+)\s+(\d{4})\s*$"
)
HEADER = re.compile(r"^-?\s*(genre|genres|titre|auteur|auteurs|rubrique|source)\s*:\s*(.*)$", re.I)
SECTION_LABEL = re.compile(r"^([A-ZÀ-Ý][\w’' -]{1,30}?)\s+:\s+(.+)$", re.S)
# The magazine's export ends each article with its standing notice on photo
# rights; it belongs to the site, not to the article.
LEGAL_NOTICE_MARKERS = (
    "respecte les droits d'auteur",
    "retirer toutes photos litigieuses",
    "retirer toutes les photos litigieuses",
)
DEFAULT_SECTIONS = ("News", "Critique", "Interview", "Dossier", "Portrait", "Reportage")
NOON = datetime.time(12, 0)


class RecordError(ValueError):
    """One article that cannot be imported, with the reason."""


@dataclass
class ArticleRecord:
    title: str
    body: str
    published_at: datetime.datetime
    source_url: str | None = None
    standfirst: str = ""
    section: str = "News"
    tags: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    status: str = "published"
    extra: dict = field(default_factory=dict)


def fold(text: str) -> str:
    """Lowercase without accents, with straight apostrophes: for matching only."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'")).lower()
    return "".join(c for c in text if not unicodedata.combining(c))


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


def at_noon(day: datetime.date) -> datetime.datetime:
    """A day without a time is published at noon, local time, so it stays that day."""
    return datetime.datetime.combine(day, NOON, tzinfo=ZoneInfo(settings.TIME_ZONE))


def parse_any_date(value) -> datetime.datetime:
    if not isinstance(value, str) or not value.strip():
        raise RecordError("champ « date » manquant ou vide")
    value = value.strip()
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        return at_noon(parse_french_date(value))
    if len(value) <= 10:
        return at_noon(parsed.date())
    if timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
    return parsed


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


# -- JSON Lines -------------------------------------------------------------------


def record_from_json(data) -> ArticleRecord:
    if not isinstance(data, dict):
        raise RecordError("chaque ligne doit être un objet JSON")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise RecordError("champ « title » manquant ou vide")
    body = data.get("body")
    if not isinstance(body, str) or not body.strip():
        raise RecordError("champ « body » manquant ou vide")
    source_url = data.get("source_url") or None
    if source_url is not None and (not isinstance(source_url, str) or len(source_url) > 500):
        raise RecordError("champ « source_url » invalide")
    section = data.get("section") or "News"
    if not isinstance(section, str):
        raise RecordError("champ « section » invalide")
    return ArticleRecord(
        title=title.strip()[:250],
        body=body_to_html(body),
        published_at=parse_any_date(data.get("date")),
        source_url=source_url,
        standfirst=str(data.get("standfirst") or "").strip(),
        section=section.strip()[:80],
        tags=split_names(data.get("tags")),
        authors=split_names(data.get("author", data.get("authors"))),
        extra={k: v for k, v in data.items() if k in ("lead_photo", "gallery")},
    )


def read_jsonl(path: Path) -> Iterator[tuple[int, ArticleRecord | RecordError]]:
    """Yield (line number, record or error) for each non-blank line."""
    with path.open(encoding="utf-8-sig") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                yield number, record_from_json(json.loads(line))
            except json.JSONDecodeError as exc:
                yield number, RecordError(f"JSON invalide ({exc.msg}, colonne {exc.colno})")
            except RecordError as exc:
                yield number, exc


# -- Plain-text export --------------------------------------------------------------


def is_legal_notice(paragraph: str) -> bool:
    folded = fold(paragraph)
    return any(fold(marker) in folded for marker in LEGAL_NOTICE_MARKERS)


def title_from_filename(path: Path) -> str:
    words = re.sub(r"[-_]+", " ", path.stem).strip()
    return words[:1].upper() + words[1:]


def split_section_label(paragraph: str, known: set[str]) -> tuple[str | None, str]:
    """« News : Piper, Alex… » -> ("News", "Piper, Alex…") when News is a section."""
    match = SECTION_LABEL.match(paragraph)
    if match and fold(match.group(1)) in known:
        return match.group(1).strip(), match.group(2).strip()
    return None, paragraph


def record_from_text(text: str, path: Path, known_sections: set[str]) -> ArticleRecord:
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        raise RecordError("fichier vide")
    published_at = at_noon(parse_french_date(lines[0]))
    headers, rest = read_headers(lines[1:])
    paragraphs = [p for p in rest if not is_legal_notice(p)]
    if not paragraphs:
        raise RecordError("aucun texte après l'en-tête")
    standfirst = paragraphs.pop(0) if len(paragraphs) > 1 else ""
    section, first = split_section_label(paragraphs[0], known_sections)
    paragraphs[0] = first
    return ArticleRecord(
        title=(headers.get("titre") or title_from_filename(path))[:250],
        body=html.paragraphs_to_html(paragraphs),
        published_at=published_at,
        source_url=headers.get("source") or EXPORT_BASE_URL + path.name,
        standfirst=standfirst,
        section=headers.get("rubrique") or section or "News",
        tags=split_names(headers.get("genre", "")),
        authors=split_names(headers.get("auteur", "")),
    )


def read_headers(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """Leading « - Genre : … », « Titre : … » lines; several genre lines add up."""
    headers: dict[str, str] = {}
    index = 0
    while index < len(lines) and (match := HEADER.match(lines[index])):
        key = fold(match.group(1)).rstrip("s") if match.group(1).lower() != "source" else "source"
        value = match.group(2).strip()
        headers[key] = f"{headers[key]}, {value}" if key in headers and key == "genre" else value
        index += 1
    return headers, lines[index:]


def read_text_export(path: Path, known_sections: set[str]) -> ArticleRecord:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RecordError("le fichier n'est pas en UTF-8") from exc
    return record_from_text(text, path, {fold(s) for s in known_sections})


def is_jsonl(path: Path) -> bool:
    if path.suffix.lower() in {".jsonl", ".ndjson", ".json"}:
        return True
    if path.suffix.lower() == ".txt":
        return False
    with path.open("rb") as handle:
        return handle.read(64).lstrip().startswith(b"{")
