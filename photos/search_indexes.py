"""Photos rights holders can find by credit, caption and title (the photo search
API): those readers may see in a published article, no other. An article's
publication, withdrawal or change of photos refreshes the photos it shows."""

from photos.models import Photo
from search.index import Index, Keyword, Stored, Text, Watch, register


def photo_document(photo: Photo) -> dict:
    return {
        "title": photo.title,
        "caption": photo.caption,
        "credit": photo.credit,
        "holders": sorted({name for name in (photo.photographer, photo.agency) if name}),
        "url": photo.image.url if photo.image else "",
    }


def photos_shown_by(article) -> list[int]:
    """The photos an article shows, whatever its state (reached without importing
    articles: photos never do)."""
    ids = [article.lead_photo_id] if article.lead_photo_id else []
    ids += article.gallery_items.values_list("photo_id", flat=True)
    ids += article.body_photos.values_list("pk", flat=True)
    return ids


# Articles and gallery items, named through the reverse relations to photos.
ARTICLE = Photo.lead_of.field.model
GALLERY_ITEM = Photo.gallery_items.field.model

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
        queryset=lambda: Photo.objects.visible().in_published_articles(),
        document=photo_document,
        watches=[
            Watch(ARTICLE, photos_shown_by),
            Watch(GALLERY_ITEM, lambda item: [item.photo_id]),
        ],
    )
)
