"""Pictures inside an imported HTML body: found, listed, and replaced where they
stand by ``<figure data-import-photo="N"></figure>`` (N their index in the list).

A picture is a bare ``<img>``, a ``<figure>`` holding one (Gutenberg's
``wp-block-image`` included, with its ``<figcaption>``), an ``<a>`` around either,
or WordPress's ``[caption …]<img …/> Légende[/caption]`` shortcode. Placeholders
must stand at block level, so a paragraph (or any inline element) holding a
picture is split around it. The body is read with the standard library's HTML
parser into a small tree that keeps each tag as it was written: what is not a
picture comes out unchanged (the writer sanitises it later anyway).

A picture that cannot become a file (a ``data:`` URI, a path climbing out with
``..``) is refused with a ``RecordError``: nothing is dropped silently.
"""

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from django.utils.translation import gettext as _

from imports.credits import credit_from_caption
from imports.records import PhotoSpec, RecordError

Lookup = Callable[[str], PhotoSpec | None]

VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
# Elements that may hold only phrasing content: a figure inside one is lifted out.
PHRASING = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "a", "em", "strong", "b", "i", "u", "s", "span",
    "sup", "sub", "q", "cite", "abbr", "small", "mark", "code", "font", "big", "del", "ins",
    "time", "dfn", "kbd", "samp", "var", "label",
}  # fmt: skip
# A new block closes an open paragraph, as browsers do (``<p>un<p>deux``).
CLOSES_P = {"p", "div", "ul", "ol", "dl", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
            "table", "pre", "hr", "section", "article", "aside", "header", "footer"}  # fmt: skip
BLOCKS = CLOSES_P | {"figure", "figcaption", "li", "dt", "dd"}
CAPTION_TAG = "wp-caption"  # what a [caption] shortcode becomes while parsing
CAPTION_SHORTCODE = re.compile(r"\[caption\b([^\]]*)\](.*?)\[/caption\]", re.I | re.S)
SHORTCODE_ATTR = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
UPLOADS = "wp-content/uploads/"
LAZY_SOURCES = ("data-src", "data-lazy-src", "data-orig-file")


def file_from_src(src: str) -> str:
    """The file an image address names, relative to the media root (for WordPress,
    relative to ``wp-content/uploads``)."""
    src = (src or "").strip()
    if src[:5].lower() == "data:":
        raise RecordError(
            _("image incluse dans le texte (adresse data:) : enregistrez-la comme fichier")
        )
    parts = urlsplit(src)
    if parts.scheme and parts.scheme.lower() not in ("http", "https"):
        raise RecordError(
            _("adresse d'image non prise en charge : « %(src)s »") % {"src": src[:120]}
        )
    path = unquote(parts.path).replace("\\", "/")
    if UPLOADS in path:
        path = path[path.index(UPLOADS) + len(UPLOADS) :]
    segments = [s for s in path.split("/") if s not in ("", ".")]
    if ".." in segments:
        raise RecordError(_("chemin d'image refusé (« .. ») : « %(src)s »") % {"src": src[:120]})
    if not segments:
        raise RecordError(_("adresse d'image sans fichier : « %(src)s »") % {"src": src[:120]})
    return "/".join(segments)


def absolute_url(src: str) -> str:
    src = (src or "").strip()
    if src.startswith("//"):
        return "https:" + src
    return src if urlsplit(src).scheme.lower() in ("http", "https") else ""


# -- A small tree that remembers how each tag was written ------------------------------


@dataclass
class Element:
    tag: str
    attrs: dict
    start: str  # the start tag as written
    children: list = field(default_factory=list)
    end: str = ""  # the end tag as written; "" when implied or void

    def copy_with(self, children: list) -> "Element":
        return Element(self.tag, self.attrs, self.start, children, f"</{self.tag}>")


@dataclass
class Picture:
    index: int


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.root = Element("#root", {}, "")
        self.stack = [self.root]

    def _add(self, node) -> None:
        self.stack[-1].children.append(node)

    def handle_starttag(self, tag, attrs):
        if tag in CLOSES_P:
            self._close_open_paragraph()
        element = Element(tag, dict(attrs), self.get_starttag_text() or f"<{tag}>")
        self._add(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self._add(Element(tag, dict(attrs), self.get_starttag_text() or f"<{tag}/>"))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                self.stack[depth].end = f"</{tag}>"
                del self.stack[depth:]
                return
        self._add(f"</{tag}>")  # a stray end tag stays as it was

    def _close_open_paragraph(self) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == "p":
                del self.stack[depth:]
                return
            if self.stack[depth].tag not in PHRASING:
                return

    def handle_data(self, data):
        self._add(data)

    def handle_entityref(self, name):
        self._add(f"&{name};")

    def handle_charref(self, name):
        self._add(f"&#{name};")

    def handle_comment(self, data):
        self._add(f"<!--{data}-->")

    def unknown_decl(self, data):
        self._add(f"<![{data}]>")

    # A doctype or processing instruction has no place in a body: it is dropped.


def _serialise(node) -> str:
    if isinstance(node, str):
        return node
    if isinstance(node, Picture):
        return f'<figure data-import-photo="{node.index}"></figure>'
    inner = "".join(_serialise(child) for child in node.children)
    return inner if node.tag == "#root" else node.start + inner + node.end


def _text(node) -> str:
    """Readable text of a node (tags dropped, entities decoded)."""
    if isinstance(node, str):
        return "" if node.startswith("<") else html.unescape(node)
    if isinstance(node, Picture) or node.tag == "img":
        return ""
    return " ".join("".join(_text(child) for child in node.children).split())


def _images(node) -> list[Element]:
    if not isinstance(node, Element):
        return []
    if node.tag == "img":
        return [node]
    return [img for child in node.children for img in _images(child)]


# -- Finding the pictures --------------------------------------------------------------


class _Pictures:
    """The pictures found so far, one entry per file."""

    def __init__(self, placed: list[PhotoSpec], lookup: Lookup | None):
        self.placed, self.lookup = placed, lookup
        self.specs: list[PhotoSpec] = []
        self.by_file: dict[str, int] = {}

    def add(self, img: Element, caption: str) -> Picture:
        src = _source(img)
        spec = self._spec(src)
        index = self.by_file.get(spec.file)
        if index is None:
            index = self.by_file[spec.file] = len(self.specs)
            self.specs.append(spec)
        spec = self.specs[index]
        spec.alt = spec.alt or " ".join((img.attrs.get("alt") or "").split())
        text, credit = credit_from_caption(caption)
        spec.caption = spec.caption or text
        spec.credit = spec.credit or credit
        return Picture(index)

    def _spec(self, src: str) -> PhotoSpec:
        file = file_from_src(src)
        found = self.lookup(src) if self.lookup else None
        if found is None:
            found = next((s for s in self.placed if src in (s.url, s.file) or s.file == file), None)
        if found is not None:
            return replace(found)  # a copy: the same attachment serves other articles
        return PhotoSpec(file=file, url=absolute_url(src))


def _source(img: Element) -> str:
    src = (img.attrs.get("src") or "").strip()
    if not src or src[:5].lower() == "data:":
        lazy = next((img.attrs[a] for a in LAZY_SOURCES if img.attrs.get(a)), None)
        src = lazy.strip() if lazy else src
    if not src:
        raise RecordError(
            _("image sans adresse (attribut src vide) : %(tag)s") % {"tag": img.start[:120]}
        )
    return src


def _replace(children: list, found: _Pictures) -> list:
    out = []
    for child in children:
        if isinstance(child, Element):
            pictures = _as_pictures(child, found)
            if pictures is not None:
                out.extend(pictures)
                continue
            child.children = _replace(child.children, found)
        out.append(child)
    return out


def _as_pictures(element: Element, found: _Pictures) -> list | None:
    """What stands for ``element`` if it is a picture (or a group of them), else None."""
    if element.tag == "img":
        return [found.add(element, "")]
    images = _images(element)
    if element.tag == "a" and len(images) == 1 and not _text(element):
        inner = next(c for c in element.children if isinstance(c, Element))
        return _as_pictures(inner, found) or [found.add(images[0], "")]
    if element.tag not in ("figure", CAPTION_TAG) or not images:
        return None
    if len(images) == 1:
        return [found.add(images[0], _text(element))]
    # A gallery: its pictures in order, then what text is left (its own caption) as a
    # paragraph; each picture took its own caption already.
    children = _replace(element.children, found)
    pictures = [n for n in _flatten(children) if isinstance(n, Picture)]
    caption = " ".join(" ".join(_text(c) for c in children).split())
    return pictures + ([f"<p>{html.escape(caption, quote=False)}</p>"] if caption else [])


def _flatten(nodes: list) -> list:
    out = []
    for node in nodes:
        out.append(node)
        if isinstance(node, Element):
            out.extend(_flatten(node.children))
    return out


# -- Lifting pictures out of paragraphs ------------------------------------------------


def _lift(children: list) -> list:
    out = []
    for child in children:
        if isinstance(child, Element):
            child.children = _lift(child.children)
            if child.tag in PHRASING and any(_out_of(child, c) for c in child.children):
                out.extend(_split(child))
                continue
        out.append(child)
    return out


def _out_of(parent: Element, node) -> bool:
    """Whether ``node`` must stand outside ``parent``: a picture always; a block
    (a figure, a list…) when the parent is a paragraph, as browsers would move it."""
    if isinstance(node, Picture):
        return True
    return parent.tag == "p" and isinstance(node, Element) and node.tag in BLOCKS


def _split(element: Element) -> list:
    pieces, run = [], []
    for child in [*element.children, None]:
        if child is None or _out_of(element, child):
            run = _trim(run)
            if run:
                pieces.append(element.copy_with(run))
            if child is not None:
                pieces.append(child)
            run = []
        else:
            run.append(child)
    return pieces


def _blank(node) -> bool:
    """Nothing a reader sees: spaces, line breaks, comments, stray end tags, empty
    inline elements."""
    if isinstance(node, str):
        return node.startswith("<") or not html.unescape(node).strip()
    if isinstance(node, Picture):
        return False
    if node.tag in ("br", "wbr"):
        return True
    return node.tag in PHRASING and all(_blank(child) for child in node.children)


def _trim(run: list) -> list:
    """A piece without its leading and trailing blanks and line breaks."""
    start, end = 0, len(run)
    while start < end and _blank(run[start]):
        start += 1
    while end > start and _blank(run[end - 1]):
        end -= 1
    run = run[start:end]
    if run and isinstance(run[0], str):
        run[0] = run[0].lstrip()
    if run and isinstance(run[-1], str):
        run[-1] = run[-1].rstrip()
    return run


# -- The entry point -------------------------------------------------------------------


def _caption_shortcodes(body: str) -> str:
    """``[caption caption="…"]<img …/> Légende[/caption]`` -> an element the tree keeps
    whole, holding the image and the caption text."""

    def element(match: re.Match) -> str:
        attrs = {
            m[1].lower(): m[2] or m[3] or m[4] or "" for m in SHORTCODE_ATTR.finditer(match[1])
        }
        caption = attrs.get("caption", "")
        return f"<{CAPTION_TAG}>{match[2]} {caption}</{CAPTION_TAG}>"

    return CAPTION_SHORTCODE.sub(element, body)


def extract(
    body_html: str, placed: list[PhotoSpec], lookup: Lookup | None = None
) -> tuple[str, list[PhotoSpec]]:
    """(body with placeholders, the pictures in order). ``placed`` are photos
    described elsewhere (JSON Lines ``photos``), matched by ``file`` or ``url``;
    ``lookup(src)`` answers first when given (WordPress attachments)."""
    if "<img" not in body_html.lower():
        return body_html, []
    found, builder = _Pictures(placed, lookup), _TreeBuilder()
    builder.feed(_caption_shortcodes(body_html))
    builder.close()
    root = builder.root
    root.children = _lift(_replace(root.children, found))
    return _serialise(root), found.specs
