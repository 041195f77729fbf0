"""Article bodies: sanitising what editors and importers write, and turning
plain-text paragraphs into HTML.

Photos appear in a body only as references, ``<figure data-photo="12"></figure>``,
never as raw image URLs: ``<img>`` is not an allowed tag, so a pasted image
disappears on save, and the reference is rendered at read time from the
``Photo`` row (with its credit, or a placeholder when the photo is withdrawn).
"""

import html
import re

import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "em", "b", "i", "u", "s", "sup", "sub",
    "a", "ul", "ol", "li", "blockquote", "q", "cite", "abbr", "figure", "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "figure": {"data-photo"},
    "span": {"lang"},
    "q": {"lang"},
    "blockquote": {"lang"},
}
URL_SCHEMES = {"http", "https", "mailto"}

PHOTO_REFERENCE = re.compile(r'<figure data-photo="(\d+)">\s*</figure>')
_PARAGRAPH_SPLIT = re.compile(r"\n\s*\n|\r\n\s*\r\n")


def sanitize(body: str) -> str:
    """Keep only the markup an article needs; drop scripts, styles, images, events."""
    cleaned = nh3.clean(
        body or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    # A reference keeps only its number: any other content inside is dropped.
    return re.sub(
        r'<figure data-photo="(\d+)">.*?</figure>',
        r'<figure data-photo="\1"></figure>',
        cleaned,
        flags=re.S,
    )


def looks_like_html(text: str) -> bool:
    return bool(re.search(r"<(p|div|br|h[1-6]|ul|ol|blockquote|figure)\b", text or "", re.I))


def paragraphs_to_html(paragraphs: list[str]) -> str:
    return "\n".join(
        f"<p>{html.escape(p.strip(), quote=False)}</p>" for p in paragraphs if p.strip()
    )


def text_to_html(text: str) -> str:
    """Plain text with blank-line (or single-line) paragraphs -> ``<p>`` elements."""
    blocks = _PARAGRAPH_SPLIT.split(text.strip())
    if len(blocks) == 1:
        blocks = text.strip().splitlines()
    return paragraphs_to_html(blocks)


def photo_ids(body: str) -> list[int]:
    """The photos a body refers to, in order of appearance, without repeats."""
    return list(dict.fromkeys(int(pk) for pk in PHOTO_REFERENCE.findall(body or "")))


def strip_tags(body: str) -> str:
    return html.unescape(nh3.clean(body or "", tags=set())).strip()


# In the rich-text editor a photo reference is typed « [photo:12] »: any editor
# keeps text, while it would drop markup it does not know. It is recognised with
# spaces (« [ photo : 12 ] », non-breaking ones included) and in any case.
_SPACE = r"(?:\s|&nbsp;|&#160;|&#xa0;)*"
PHOTO_MARKER = re.compile(rf"\[{_SPACE}photo{_SPACE}:?{_SPACE}(\d+){_SPACE}\]", re.I)
# Blocks that may hold text only: a photo (a <figure>) cannot sit inside one.
_TEXT_BLOCK = re.compile(r"<(p|h[1-6])(\s[^>]*)?>(.*?)</\1>", re.S | re.I)
_EDGE_SPACE = re.compile(r"^(?:\s|&nbsp;|&#160;|<br\s*/?>)+|(?:\s|&nbsp;|&#160;|<br\s*/?>)+$", re.I)


def references_to_markers(body: str) -> str:
    return PHOTO_REFERENCE.sub(lambda m: f"<p>[photo:{m.group(1)}]</p>", body or "")


def _reference(match: re.Match) -> str:
    return f'<figure data-photo="{match.group(1)}"></figure>'


def _split_block(match: re.Match) -> str:
    """A paragraph holding references becomes the text before, the photo, the text
    after: readers see the photo between two paragraphs, never a paragraph cut in
    an odd place. A part left empty is dropped."""
    tag, attrs, inner = match.group(1), match.group(2) or "", match.group(3)
    if not PHOTO_MARKER.search(inner):
        return match.group(0)
    parts, start = [], 0
    for marker in PHOTO_MARKER.finditer(inner):
        parts += [_block(tag, attrs, inner[start : marker.start()]), _reference(marker)]
        start = marker.end()
    parts.append(_block(tag, attrs, inner[start:]))
    return "".join(parts)


def _block(tag: str, attrs: str, inner: str) -> str:
    inner = _EDGE_SPACE.sub("", inner)
    if not strip_tags(inner.replace("&nbsp;", " ")):
        return ""
    return f"<{tag}{attrs}>{inner}</{tag}>"


def markers_to_references(body: str) -> str:
    body = _TEXT_BLOCK.sub(_split_block, body or "")
    # Elsewhere (a list item, a quotation, plain text) a figure may stand as it is.
    return PHOTO_MARKER.sub(_reference, body)
