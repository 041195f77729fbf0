"""The magazine's plain-text export: one article per ``.txt`` file (a date line,
optional ``- Genre :``/``Titre :``/``Auteur :``/``Rubrique :``/``Source :``
header lines, the standfirst, then the body; the standing notice on photo
rights at the end is dropped)."""

import re
from pathlib import Path

from articles import html
from imports.records import (
    ArticleRecord,
    RecordError,
    at_noon,
    fold,
    parse_french_date,
    split_names,
)

# Plain-text exports carry no address of their own: a stable one is made from the
# file name under this reserved domain, so that a re-import finds the same article.
EXPORT_BASE_URL = "https://export.invalid/"
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
