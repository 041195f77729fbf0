"""Visible photos, searchable by credit, caption and title (for rights holders)."""

from photos.models import Photo
from search.index import Index, Keyword, Stored, Text, register


def photo_document(photo: Photo) -> dict:
    return {
        "title": photo.title,
        "caption": photo.caption,
        "credit": photo.credit,
        "holders": sorted({name for name in (photo.photographer, photo.agency) if name}),
        "url": photo.image.url if photo.image else "",
    }


PHOTOS = register(
    Index(
        name="photos",
        model=Photo,
        fields=[
            Text("title", weight=2.0, stored=True),
            Text("caption", weight=1.0, stored=True, highlight=True),
            Text("credit", weight=3.0, stored=True, highlight=True),
            Keyword("holders", facet="holder", stored=True),
            Stored("url"),
        ],
        queryset=lambda: Photo.objects.visible(),
        document=photo_document,
    )
)
