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


# In the rich-text editor a photo reference is a paragraph of its own, « [photo:12] »:
# any editor keeps a paragraph, while it would drop markup it does not know.
PHOTO_MARKER = re.compile(r"<p>\s*\[photo:\s*(\d+)\s*\]\s*</p>|\[photo:\s*(\d+)\s*\]")


def references_to_markers(body: str) -> str:
    return PHOTO_REFERENCE.sub(lambda m: f"<p>[photo:{m.group(1)}]</p>", body or "")


def markers_to_references(body: str) -> str:
    return PHOTO_MARKER.sub(
        lambda m: f'<figure data-photo="{m.group(1) or m.group(2)}"></figure>', body or ""
    )
