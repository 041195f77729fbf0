"""Finding one's photos on the site from the picture itself: what a rights
holder may be shown of the photos ``photos.lookup`` matched.

Only what readers can see already is shown: a photo that is visible (not
hidden, not withdrawn, with a credit, within its licence), has a public file
and appears in a published article; and, for each, the published articles
that show it. A hidden or withdrawn photo is not named, even if the picture
matches: the pages where it was show a placeholder, never the picture."""

import dataclasses
import io

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers

from articles.models import Article, GalleryItem
from photos import lookup
from photos.models import Photo

# Pictures per lookup, and matches shown per picture.
MAX_PICTURES = getattr(settings, "TAKEDOWN_LOOKUP_MAX_PICTURES", 5)
MAX_MATCHES = 20
# Lookups per address and per window (the notice form's window): each costs a
# decoding, so a robot must not use the page as a free image search.
RATE_LIMIT = getattr(settings, "TAKEDOWN_LOOKUP_RATE_LIMIT", 20)

LEAD, GALLERY, BODY = "lead", "gallery", "body"


@dataclasses.dataclass
class Use:
    article: Article
    places: list[str]  # LEAD, GALLERY, BODY


@dataclasses.dataclass
class Found:
    photo: Photo
    distance: int
    uses: list[Use]


@dataclasses.dataclass
class Result:
    name: str
    found: list[Found]


def max_bytes() -> int:
    return settings.PHOTO_MAX_UPLOAD_BYTES


def public_photos(ids: list[int]):
    """The photos among ``ids`` that readers can see in a published article."""
    return (
        Photo.objects.visible()
        .in_published_articles()
        .exclude(image="")
        .filter(pk__in=ids)
        .prefetch_related("renditions")
    )


def uses_of(ids: list[int]) -> dict[int, list[Use]]:
    """For each photo, the published articles showing it, newest first."""
    published = Article.objects.published()
    places: dict[tuple[int, int], list[str]] = {}
    for article_id, photo_id in published.filter(lead_photo_id__in=ids).values_list(
        "pk", "lead_photo_id"
    ):
        places.setdefault((photo_id, article_id), []).append(LEAD)
    for article_id, photo_id in GalleryItem.objects.filter(
        photo_id__in=ids, article__in=published.values("pk")
    ).values_list("article_id", "photo_id"):
        places.setdefault((photo_id, article_id), []).append(GALLERY)
    body = Article.body_photos.through.objects.filter(
        photo_id__in=ids, article__in=published.values("pk")
    )
    for article_id, photo_id in body.values_list("article_id", "photo_id"):
        places.setdefault((photo_id, article_id), []).append(BODY)
    articles = Article.objects.in_bulk({article_id for _photo, article_id in places})
    uses: dict[int, list[Use]] = {}
    for (photo_id, article_id), where in places.items():
        uses.setdefault(photo_id, []).append(Use(articles[article_id], list(dict.fromkeys(where))))
    for found in uses.values():
        found.sort(key=lambda use: use.article.published_at, reverse=True)
    return uses


def search(queries: list[lookup.Query]) -> list[Result]:
    """Per uploaded picture, the public photos it shows with their uses."""
    matches = [lookup.find(query)[: MAX_MATCHES * 3] for query in queries]
    ids = list({match.photo_id for found in matches for match in found})
    photos = {photo.pk: photo for photo in public_photos(ids)} if ids else {}
    uses = uses_of(list(photos)) if photos else {}
    results = []
    for query, found in zip(queries, matches, strict=True):
        shown = [
            Found(photos[m.photo_id], m.distance, uses.get(m.photo_id, []))
            for m in found
            if m.photo_id in photos
        ]
        results.append(Result(query.name, shown[:MAX_MATCHES]))
    return results


class InMemoryUploadHandler(FileUploadHandler):
    """Keeps every uploaded file in memory, whatever its size, so that a picture
    sent for a lookup never reaches the disk (Django would spool a file over
    2.5 MB to a temporary file). A file over ``max_bytes`` is not kept (only its
    name and size, for the message), nor are files past ``max_files``."""

    def __init__(self, request=None, *, max_files: int, max_bytes: int):
        super().__init__(request)
        self.max_files, self.max_bytes = max_files, max_bytes
        self.count = 0
        self.too_large: list[tuple[str, int]] = []

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.count += 1
        self.size = 0
        self.buffer = io.BytesIO() if self.count <= self.max_files else None
        self.over = False
        raise StopFutureHandlers()

    def receive_data_chunk(self, raw_data, start):
        self.size += len(raw_data)
        if self.buffer is not None and self.size > self.max_bytes:
            self.buffer, self.over = None, True  # counted on, not kept
        if self.buffer is not None:
            self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size):
        if self.over:
            self.too_large.append((self.file_name, self.size))
        if self.buffer is None:
            return None
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
