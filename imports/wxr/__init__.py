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

The package: ``reader`` (``WxrReader``, the two passes, a post to a record),
``streaming`` (the XML read as a stream, ``Item``), ``fields`` (an attachment's
photo, a post's date) and ``paragraphs`` (``autop``).
"""

from imports.wxr.fields import attachment_spec, published_at
from imports.wxr.paragraphs import autop
from imports.wxr.reader import WxrReader, read_wxr
from imports.wxr.streaming import Item

__all__ = ["Item", "WxrReader", "attachment_spec", "autop", "published_at", "read_wxr"]
