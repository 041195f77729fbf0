"""WordPress exports (WXR 1.1/1.2, from Tools > Export): posts to ``ArticleRecord``s.

The file is streamed twice and never held whole: a first pass keeps the small
things (authors, and the attachments: id, file, caption…), a second one turns
each post into a record as it comes. Each ``<item>`` is dropped from the tree once
read, so memory stays flat whatever the size of the export. The XML is read with
defusedxml: entity declarations (the "billion laughs" bomb) and external
references are refused.

Only ``post`` items become articles; pages, menu items and other kinds, and posts
in the bin, are counted in ``WxrReader.skipped`` (they are not errors). A post
that cannot be read yields a ``RecordError``; the others go on.
"""

import datetime
import functools
import html
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse
from django.utils.translation import gettext as _

from articles.html import strip_tags
from imports import inline_images
from imports.credits import credit_from_caption
from imports.inline_images import absolute_url
from imports.records import ArticleRecord, PhotoSpec, RecordError, aware, fold

NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}
WP_EXPORT = "http://wordpress.org/export/"  # then 1.1/ or 1.2/, and …/excerpt/
STATUSES = {
    "publish": "published", "future": "scheduled", "draft": "draft",
    "pending": "review", "private": "draft",
}  # fmt: skip
UNCATEGORISED = {"non classe", "uncategorized", "sans categorie", "non classifie"}
ZERO_DATE = "0000-00-00"
# A size WordPress made of an upload (``x-300x200.jpg``), or its ``-scaled`` original.
VARIANT = re.compile(r"-(?:\d+x\d+|scaled|rotated)(?=\.\w+$)")
GALLERY = re.compile(r"\[gallery\b([^\]]*)\]", re.I)
BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->|<!--\s*(?:more|nextpage)\b.*?-->", re.S)
BLOCK_TAGS = (
    r"p|div|h[1-6]|ul|ol|li|dl|dt|dd|blockquote|figure|figcaption|table|thead|tbody|tr|td|th"
    r"|pre|hr|section|article|aside|header|footer|address|iframe|form|details|summary|!--"
)
BLOCK_START = re.compile(rf"^\s*</?(?:{BLOCK_TAGS})\b", re.I)
# Where a line of block HTML meets a line of text: wpautop makes them separate blocks.
AFTER_BLOCK = re.compile(rf"(</(?:{BLOCK_TAGS})>)[ \t]*\n", re.I)
BEFORE_BLOCK = re.compile(rf"\n(?=[ \t]*</?(?:{BLOCK_TAGS})\b)", re.I)
TAG = re.compile(r"<[^<>]*>")
PRE = re.compile(r"<pre\b.*?</pre>", re.I | re.S)


def _skipped_kind(key: str) -> str:
    """How « Ignoré(s) : 3 × … » names a post type (or a post status left aside)."""
    known = {
        "page": _("page"), "nav_menu_item": _("élément de menu"), "revision": _("révision"),
        "wp_block": _("bloc réutilisable"), "trash": _("article dans la corbeille"),
        "auto-draft": _("brouillon automatique"),
    }  # fmt: skip
    return known.get(key) or _("contenu « %(kind)s »") % {"kind": key or "?"}


def _reason(error: ParseError) -> str:
    reason = str(error).split(":")[0]
    french = {
        "mismatched tag": _("balise fermante inattendue"),
        "not well-formed (invalid token)": _("caractère ou balise invalide"),
        "no element found": _("fichier vide ou tronqué"),
        "unclosed token": _("balise non fermée"),
        "junk after document element": _("contenu après la fin du document"),
        "undefined entity": _("entité inconnue"),
    }
    return french.get(reason, reason)


@functools.lru_cache(maxsize=512)
def _name(tag: str) -> str:
    """``{namespace}local`` -> ``prefix:local`` whatever the WXR version."""
    if not tag.startswith("{"):
        return tag
    uri, local = tag[1:].split("}", 1)
    if uri.startswith(WP_EXPORT):
        return f"{'excerpt' if uri.rstrip('/').endswith('excerpt') else 'wp'}:{local}"
    return f"{NAMESPACES.get(uri, 'ns')}:{local}"


class Item:
    """The parts of one ``<item>`` (or header element) that matter, as plain strings."""

    def __init__(self, element):
        self.fields: dict[str, str] = {}
        self.categories: list[tuple[str, str]] = []
        self.meta: dict[str, str] = {}
        for child in element:
            name = _name(child.tag)
            if name == "category":
                self.categories.append((child.get("domain", ""), _plain(child.text)))
            elif name == "wp:postmeta":
                pair = {_name(c.tag): (c.text or "") for c in child}
                self.meta.setdefault(pair.get("wp:meta_key", ""), pair.get("wp:meta_value", ""))
            else:
                self.fields.setdefault(name, child.text or "")

    def get(self, name: str) -> str:
        return self.fields.get(name, "").strip()


def _plain(text: str | None) -> str:
    return " ".join(html.unescape(text or "").split())


# -- Streaming -------------------------------------------------------------------------


class _FileError(RecordError):
    """The whole file cannot be read; ``where`` says where."""

    def __init__(self, message: str, where: str = ""):
        super().__init__(message)
        self.where = where


def _stream(path: Path) -> Iterator[tuple[str, object]]:
    """(name, element) for each child of ``<channel>``, dropped once used."""
    try:
        yield from _children_of_channel(path)
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        message = _("XML illisible (%(reason)s), ligne %(line)s, colonne %(column)s")
        raise _FileError(
            message % {"reason": _reason(exc), "line": line, "column": column},
            _("ligne %(line)s") % {"line": line},
        ) from None
    except DefusedXmlException as exc:
        raise _FileError(
            _("le fichier déclare des entités ou références XML (%(what)s) : refusé par sécurité")
            % {"what": type(exc).__name__}
        ) from None
    except OSError as exc:
        raise _FileError(_("fichier illisible : %(error)s") % {"error": exc.strerror}) from None


def _children_of_channel(path: Path):
    depth, channel = 0, None
    for event, element in iterparse(str(path), events=("start", "end"), forbid_dtd=False):
        if event == "start":
            depth += 1
            if depth == 1 and _name(element.tag) != "rss":
                raise _FileError(_("ce fichier XML n'est pas un export WordPress (WXR)"))
            if depth == 2:
                channel = element
            continue
        depth -= 1
        if depth == 2:
            yield _name(element.tag), element
            del channel[-1]


# -- The reader ------------------------------------------------------------------------


class WxrReader:
    """``items()`` yields (location, record or error) for each post; ``skipped``
    then counts what was left aside, by kind (« page », « élément de menu »…)."""

    def __init__(self, path: Path, media_root: Path | None = None):
        self.path, self.media_root = Path(path), media_root
        self.skipped: Counter[str] = Counter()
        self.authors: dict[str, str] = {}
        self.attachments: dict[str, PhotoSpec | RecordError] = {}
        self.by_file: dict[str, str] = {}
        self.children: dict[str, list[tuple[int, str]]] = defaultdict(list)
        self._located: dict[str, str] = {}

    def items(self) -> Iterator[tuple[str, ArticleRecord | RecordError]]:
        try:
            self._collect()
            yield from self._posts()
        except _FileError as exc:
            yield (f"{self.path}: {exc.where}" if exc.where else str(self.path)), exc

    def _collect(self) -> None:
        """First pass: authors and attachments."""
        is_wxr = False
        for name, element in _stream(self.path):
            if name == "wp:wxr_version":
                is_wxr = True
            elif name == "wp:author":
                self._author(Item(element))
            elif name == "item" and (item := Item(element)).get("wp:post_type") == "attachment":
                self._attachment(item)
        if not is_wxr:
            raise _FileError(
                _("ce fichier n'est pas un export WordPress (WXR) : wp:wxr_version absent")
            )

    def _posts(self) -> Iterator[tuple[str, ArticleRecord | RecordError]]:
        number = 0
        for name, element in _stream(self.path):
            if name != "item":
                continue
            number += 1
            item = Item(element)
            kind, status = item.get("wp:post_type"), item.get("wp:status")
            if kind == "attachment":
                continue
            if kind != "post" or status in ("trash", "auto-draft"):
                self.skipped[_skipped_kind(kind if kind != "post" else status)] += 1
                continue
            where = f"{self.path}: item {number} (post {item.get('wp:post_id') or '?'})"
            try:
                yield where, self._record(item)
            except RecordError as exc:
                yield where, exc

    # -- First pass ----------------------------------------------------------------

    def _author(self, item: Item) -> None:
        login = item.get("wp:author_login")
        names = (item.get("wp:author_first_name"), item.get("wp:author_last_name"))
        full = " ".join(filter(None, names))
        self.authors[login] = _plain(item.get("wp:author_display_name") or full or login)

    def _attachment(self, item: Item) -> None:
        post_id, url = item.get("wp:post_id"), item.get("wp:attachment_url")
        try:
            spec = attachment_spec(item)
        except RecordError as exc:
            self.attachments[post_id] = exc
            return
        self.attachments[post_id] = spec
        order = int(item.get("wp:menu_order") or 0) if item.get("wp:menu_order").isdigit() else 0
        self.children[item.get("wp:post_parent")].append((order, post_id))
        keys = {spec.file, VARIANT.sub("", spec.file)}
        if url:
            try:
                file = inline_images.file_from_src(url)
                keys |= {file, VARIANT.sub("", file)}
            except RecordError:
                pass
        for key in keys:
            self.by_file.setdefault(key, post_id)

    # -- Second pass -----------------------------------------------------------------

    def _record(self, item: Item) -> ArticleRecord:
        status = STATUSES.get(item.get("wp:status"))
        if status is None:
            raise RecordError(
                _("statut WordPress inconnu : « %(status)s »") % {"status": item.get("wp:status")}
            )
        title = " ".join(strip_tags(item.fields.get("title", "")).split())
        if not title:
            raise RecordError(_("article sans titre"))
        body, gallery = self._body(item)
        body, inline = inline_images.extract(autop(body), [], lookup=self._by_src)
        lead_id = item.meta.get("_thumbnail_id", "").strip()
        lead = self._photo(lead_id, _("image à la une")) if lead_id and lead_id != "0" else None
        if not body.strip() and not (gallery or lead):
            raise RecordError(_("article vide (ni texte ni image)"))
        link, guid = item.get("link"), item.get("guid")
        record = ArticleRecord(
            title=title[:250],
            body=body,
            published_at=published_at(item, status),
            source_url=link[:500] or None,
            standfirst=strip_tags(item.fields.get("excerpt:encoded", "")),
            section=self._section(item),
            tags=list(dict.fromkeys(n for d, n in item.categories if d == "post_tag" and n)),
            authors=[self._author_name(item.get("dc:creator"))] if item.get("dc:creator") else [],
            status=status,
            lead_photo=lead,
            gallery=gallery,
            inline_photos=inline,
            old_urls=[guid] if guid != link and guid.startswith(("http://", "https://")) else [],
        )
        for spec in record.photos():
            spec.file = self._locate(spec.file)
        return record

    def _author_name(self, login: str) -> str:
        return self.authors.get(login) or _plain(login)

    def _section(self, item: Item) -> str:
        for domain, name in item.categories:
            if domain == "category" and name and fold(name) not in UNCATEGORISED:
                return name[:80]
        return "News"

    def _body(self, item: Item) -> tuple[str, list[PhotoSpec]]:
        """The body without block comments and ``[gallery]`` shortcodes, and the
        galleries' photos."""
        body = BLOCK_COMMENT.sub("", item.fields.get("content:encoded", ""))
        ids: list[str] = []
        for match in GALLERY.finditer(body):
            attrs = dict(re.findall(r"""(\w+)\s*=\s*["']([^"']*)["']""", match[1]))
            listed = attrs.get("ids") or attrs.get("include") or ""
            if listed:
                ids += [i.strip() for i in listed.split(",") if i.strip()]
            else:  # no ids: the pictures attached to the post, in their order
                ids += [i for _order, i in sorted(self.children.get(item.get("wp:post_id"), []))]
        gallery = [self._photo(i, _("galerie")) for i in dict.fromkeys(ids)]
        return GALLERY.sub("", body), gallery

    def _photo(self, attachment_id: str, what: str) -> PhotoSpec:
        spec = self.attachments.get(attachment_id)
        if not isinstance(spec, PhotoSpec):
            reason = spec or _("absente de l'export")
            message = _("%(what)s : pièce jointe %(id)s : %(reason)s")
            raise RecordError(message % {"what": what, "id": attachment_id, "reason": reason})
        return replace(spec)  # a copy: other articles use it too

    def _by_src(self, src: str) -> PhotoSpec | None:
        try:
            file = inline_images.file_from_src(src)
        except RecordError:
            return None
        found = self.by_file.get(file) or self.by_file.get(VARIANT.sub("", file))
        spec = self.attachments.get(found) if found else None
        return spec if isinstance(spec, PhotoSpec) else None

    def _locate(self, file: str) -> str:
        """The file as found under the media root: it may hold ``uploads`` itself, or
        ``wp-content/uploads``, or their content."""
        if self.media_root is None:
            return file
        if file not in self._located:
            candidates = (file, f"uploads/{file}", f"wp-content/uploads/{file}")
            found = (c for c in candidates if (self.media_root / c).is_file())
            self._located[file] = next(found, file)
        return self._located[file]


def read_wxr(
    path: Path, media_root: Path | None = None
) -> Iterator[tuple[str, ArticleRecord | RecordError]]:
    return WxrReader(path, media_root).items()


# -- Fields ------------------------------------------------------------------------------


def attachment_spec(item: Item) -> PhotoSpec:
    url = item.get("wp:attachment_url")
    attached = item.meta.get("_wp_attached_file", "").strip()
    file = inline_images.file_from_src(attached or url) if attached or url else ""
    if not file:
        raise RecordError(_("pièce jointe sans fichier"))
    caption, credit = credit_from_caption(strip_tags(item.fields.get("excerpt:encoded", "")))
    return PhotoSpec(
        file=file,
        url=absolute_url(url),
        title=_plain(item.fields.get("title"))[:200],
        alt=_plain(item.meta.get("_wp_attachment_image_alt"))[:300],
        caption=caption,
        credit=credit,
        licence_notes=strip_tags(item.fields.get("content:encoded", "")),
    )


def _date(value: str) -> datetime.datetime:
    try:
        return datetime.datetime.fromisoformat(value)  # « 2023-03-15 09:30:00 »
    except ValueError:
        raise RecordError(_("date illisible : « %(date)s »") % {"date": value[:40]}) from None


def published_at(item: Item, status: str) -> datetime.datetime | None:
    """``post_date_gmt`` when set (UTC), else ``post_date`` (the site's time)."""
    gmt, local = item.get("wp:post_date_gmt"), item.get("wp:post_date")
    if gmt and not gmt.startswith(ZERO_DATE):
        return _date(gmt).replace(tzinfo=datetime.UTC)
    if local and not local.startswith(ZERO_DATE):
        return aware(_date(local))
    if status == "draft":
        return None
    raise RecordError(_("date de publication manquante (wp:post_date)"))


def autop(text: str) -> str:
    """WordPress's stored text to HTML: blank-line separated blocks become ``<p>``
    unless they are block HTML already; a single newline in a paragraph is a ``<br>``."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = PRE.sub(lambda m: m[0].replace("\n", "\x00"), text)
    text = TAG.sub(lambda m: " ".join(m[0].split()), text)
    text = inline_images.CAPTION_SHORTCODE.sub(lambda m: " ".join(m[0].split()), text)
    text = BEFORE_BLOCK.sub("\n\n", AFTER_BLOCK.sub("\\1\n\n", text))
    out = []
    for block in (b.strip() for b in re.split(r"\n\s*\n", text)):
        if not block:
            continue
        if not BLOCK_START.match(block):
            block = "<p>" + re.sub(r"\s*\n\s*", "<br>\n", block) + "</p>"
        out.append(block)
    return "\n".join(out).replace("\x00", "\n")
