"""WordPress's stored text to HTML paragraphs, as its ``wpautop`` does."""

import re

from imports import inline_images

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
