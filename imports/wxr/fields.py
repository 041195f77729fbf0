"""A WXR item's fields that need reading: an attachment's photo (file, caption,
credit, alt text) and a post's publication date."""

import datetime

from django.utils.translation import gettext as _

from articles.html import strip_tags
from imports import inline_images
from imports.credits import credit_from_caption
from imports.inline_images import absolute_url
from imports.records import PhotoSpec, RecordError, aware
from imports.wxr.streaming import Item, plain

ZERO_DATE = "0000-00-00"


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
        title=plain(item.fields.get("title"))[:200],
        alt=plain(item.meta.get("_wp_attachment_image_alt"))[:300],
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
