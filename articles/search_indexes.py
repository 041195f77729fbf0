"""What readers can find of the articles, declared for the search engine."""

from articles import html
from articles.models import Article, Author, GalleryItem, GenreTag, Section, TaggedArticle
from photos.models import Photo
from search.index import Date, Index, Keyword, Schedule, Stored, Text, Watch, register


def visible_photos(article: Article) -> list[Photo]:
    photos = [article.lead_photo] if article.lead_photo else []
    photos += [item.photo for item in article.gallery_items.all()]
    photos += list(article.body_photos.all())
    return [photo for photo in photos if photo.is_visible]


def article_document(article: Article) -> dict:
    photos = visible_photos(article)
    return {
        "title": article.title,
        "standfirst": article.standfirst,
        "body": html.strip_tags(article.body),
        "tags": [tag.name for tag in article.genres],
        "section": [article.section.name],
        "authors": sorted(author.name for author in article.authors.all()),
        "photos": " ".join(f"{p.caption} {p.credit}" for p in photos),
        "date": article.published_at,
        "url": article.get_absolute_url(),
        "source_url": article.source_url or "",
    }


def articles_showing(photo: Photo):
    return photo.where_used().values_list("pk", flat=True)


ARTICLES = register(
    Index(
        name="articles",
        model=Article,
        fields=[
            Text("title", weight=5.0, stored=True),
            Text("standfirst", weight=2.0, highlight=True),
            Text("body", weight=1.0, highlight=True),
            Keyword("tags", facet="tag", filter="tag", stored=True),
            Keyword("section", facet="section", filter="rubrique"),
            Keyword("authors", facet="author", filter="auteur"),
            Text("photos", weight=1.0),
            Date("date", stored=True, year_facet="year"),
            Stored("url"),
            Stored("source_url"),  # where an imported article was first published
        ],
        queryset=lambda: Article.objects.published(),
        # Scheduled articles enter the queryset at their time, with no save then.
        schedule=Schedule(
            "published_at", lambda: Article.objects.filter(status=Article.Status.SCHEDULED)
        ),
        document=article_document,
        select=["section", "lead_photo"],
        prefetch=["tags", "authors", "gallery_items__photo", "body_photos"],
        watches=[
            Watch(Photo, articles_showing),
            Watch(Author, lambda author: author.articles.values_list("pk", flat=True)),
            Watch(Section, lambda section: section.articles.values_list("pk", flat=True)),
            Watch(
                GenreTag,
                lambda tag: tag.tagged_articles.values_list("content_object_id", flat=True),
            ),
            Watch(TaggedArticle, lambda item: [item.content_object_id]),
            Watch(GalleryItem, lambda item: [item.article_id]),
        ],
    )
)
