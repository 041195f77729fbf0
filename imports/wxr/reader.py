"""``WxrReader``: the two passes over a WordPress export (authors and attachments
first, then the posts), each post turned into an ``ArticleRecord`` with its
section, genres, authors and photos."""

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from django.utils.translation import gettext as _

from articles.html import strip_tags
from imports import inline_images
from imports.records import ArticleRecord, PhotoSpec, RecordError, fold
from imports.wxr.fields import attachment_spec, published_at
from imports.wxr.paragraphs import autop
from imports.wxr.streaming import FileError, Item, plain, stream

STATUSES = {
    "publish": "published", "future": "scheduled", "draft": "draft",
    "pending": "review", "private": "draft",
}  # fmt: skip
UNCATEGORISED = {"non classe", "uncategorized", "sans categorie", "non classifie"}
# A size WordPress made of an upload (``x-300x200.jpg``), or its ``-scaled`` original.
VARIANT = re.compile(r"-(?:\d+x\d+|scaled|rotated)(?=\.\w+$)")
GALLERY = re.compile(r"\[gallery\b([^\]]*)\]", re.I)
BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->|<!--\s*(?:more|nextpage)\b.*?-->", re.S)


def _skipped_kind(key: str) -> str:
    """How « Ignoré(s) : 3 × … » names a post type (or a post status left aside)."""
    known = {
        "page": _("page"), "nav_menu_item": _("élément de menu"), "revision": _("révision"),
        "wp_block": _("bloc réutilisable"), "trash": _("article dans la corbeille"),
        "auto-draft": _("brouillon automatique"),
    }  # fmt: skip
    return known.get(key) or _("contenu « %(kind)s »") % {"kind": key or "?"}


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
        except FileError as exc:
            yield (f"{self.path}: {exc.where}" if exc.where else str(self.path)), exc

    def _collect(self) -> None:
        """First pass: authors and attachments."""
        is_wxr = False
        for name, element in stream(self.path):
            if name == "wp:wxr_version":
                is_wxr = True
            elif name == "wp:author":
                self._author(Item(element))
            elif name == "item" and (item := Item(element)).get("wp:post_type") == "attachment":
                self._attachment(item)
        if not is_wxr:
            raise FileError(
                _("ce fichier n'est pas un export WordPress (WXR) : wp:wxr_version absent")
            )

    def _posts(self) -> Iterator[tuple[str, ArticleRecord | RecordError]]:
        number = 0
        for name, element in stream(self.path):
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
        self.authors[login] = plain(item.get("wp:author_display_name") or full or login)

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
        return self.authors.get(login) or plain(login)

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
