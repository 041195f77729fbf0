"""JSON Lines exports: one article per line.

Fields: ``title``, ``body`` (HTML or plain text), ``date`` (ISO 8601 or
« Le 31 juillet 2019 »), and optionally ``source_url``, ``standfirst``,
``section``, ``tags``, ``author``/``authors``, ``status``, ``old_urls``,
``lead_photo``, ``gallery`` and ``photos`` (pictures placed in the body by an
``<img src="…">`` naming their ``file`` or ``url``). A photo is an object
``{file, credit, caption, alt, title, licence, licence_end, source, url}``
(only ``file`` is required) or just the file's name.
"""

import datetime
import json
from collections.abc import Iterator
from pathlib import Path

from imports import inline_images
from imports.records import (
    STATUSES,
    ArticleRecord,
    PhotoSpec,
    RecordError,
    body_to_html,
    parse_any_date,
    split_names,
)

LICENCES = {
    "press": "press", "presse": "press", "usage presse": "press",
    "agency": "agency", "agence": "agency", "licence d'agence": "agency",
    "cc_by": "cc_by", "cc by": "cc_by", "cc-by": "cc_by",
    "cc_by_sa": "cc_by_sa", "cc by-sa": "cc_by_sa", "cc-by-sa": "cc_by_sa",
    "own": "own", "redaction": "own", "rédaction": "own",
    "other": "other", "autre": "other",
}  # fmt: skip
SOURCES = {
    "press_kit": "press_kit", "dossier de presse": "press_kit",
    "agency": "agency", "agence": "agency",
    "own": "own", "redaction": "own", "rédaction": "own",
    "reader": "reader", "lecteur": "reader",
    "other": "other", "autre": "other",
}  # fmt: skip


def _text(data: dict, name: str, limit: int) -> str:
    value = data.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RecordError(f"champ « {name} » : un texte est attendu")
    value = value.strip()
    if len(value) > limit:
        raise RecordError(f"champ « {name} » trop long ({len(value)} caractères, {limit} au plus)")
    return value


def photo_from_json(value, where: str) -> PhotoSpec:
    """One photo object (or a file name); ``where`` names it in messages."""
    if isinstance(value, str):
        value = {"file": value}
    if not isinstance(value, dict):
        raise RecordError(f"{where} : un objet photo est attendu")
    try:
        file = _text(value, "file", 500)
        if not file:
            raise RecordError("champ « file » manquant ou vide")
        licence = _text(value, "licence", 100)
        kind = LICENCES.get(licence.lower(), "other") if licence else "press"
        source = _text(value, "source", 100)
        if source and source.lower() not in SOURCES:
            raise RecordError(f"champ « source » inconnu : « {source} »")
        end = _text(value, "licence_end", 40)
        return PhotoSpec(
            file=file,
            credit=_text(value, "credit", 300),
            caption=_text(value, "caption", 500),
            alt=_text(value, "alt", 300),
            title=_text(value, "title", 200),
            licence=kind,
            licence_notes=licence if kind == "other" and licence.lower() not in LICENCES else "",
            licence_end=_date(end) if end else None,
            source=SOURCES[source.lower()] if source else "press_kit",
            url=_text(value, "url", 500),
        )
    except RecordError as exc:
        raise RecordError(f"{where} : {exc}") from None


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise RecordError(
            f"champ « licence_end » : date illisible « {value} » (attendu : 2027-12-31)"
        ) from None


def _photos(data: dict, name: str) -> list[PhotoSpec]:
    value = data.get(name)
    if value is None:
        return []
    if not isinstance(value, list):
        raise RecordError(f"champ « {name} » : une liste de photos est attendue")
    return [photo_from_json(item, f"{name}[{n}]") for n, item in enumerate(value, start=1)]


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
    status = data.get("status") or "published"
    if status not in STATUSES:
        raise RecordError(f"champ « status » inconnu : « {status} » ({', '.join(STATUSES)})")
    published_at = None
    if status != "draft" or data.get("date"):
        published_at = parse_any_date(data.get("date"))
    lead = data.get("lead_photo")
    placed = _photos(data, "photos")
    body, inline = inline_images.extract(body_to_html(body), placed)
    old_urls = data.get("old_urls") or []
    if not isinstance(old_urls, list) or not all(isinstance(u, str) for u in old_urls):
        raise RecordError("champ « old_urls » : une liste d'adresses est attendue")
    return ArticleRecord(
        title=title.strip()[:250],
        body=body,
        published_at=published_at,
        source_url=source_url,
        standfirst=str(data.get("standfirst") or "").strip(),
        section=section.strip()[:80],
        tags=split_names(data.get("tags")),
        authors=split_names(data.get("author", data.get("authors"))),
        status=status,
        lead_photo=photo_from_json(lead, "lead_photo") if lead else None,
        gallery=_photos(data, "gallery"),
        inline_photos=inline,
        old_urls=[u.strip() for u in old_urls if u.strip()],
    )


def read_jsonl(path: Path) -> Iterator[tuple[int, ArticleRecord | RecordError]]:
    """Yield (line number, record or error) for each non-blank line, one line at a
    time: memory does not grow with the file."""
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
