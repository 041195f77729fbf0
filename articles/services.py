"""Writing articles: the service functions views, commands and the admin share."""

from django.db import transaction

from articles.importers import ArticleRecord
from articles.models import Article, Author, Section, ascii_slug


def section_named(name: str) -> Section:
    section = Section.objects.filter(name__iexact=name).first()
    if section is None:
        section = Section.objects.filter(slug=ascii_slug(name, 80)).first()
    return section or Section.objects.create(name=name)


def author_named(name: str) -> Author:
    author = Author.objects.filter(name__iexact=name).first()
    if author is None:
        author = Author.objects.filter(slug=ascii_slug(name, 120)).first()
    return author or Author.objects.create(name=name)


def find_existing(record: ArticleRecord) -> Article | None:
    if record.source_url:
        return Article.objects.filter(source_url=record.source_url).first()
    return Article.objects.filter(
        source_url__isnull=True, title=record.title, published_at=record.published_at
    ).first()


@transaction.atomic
def upsert_article(*, record: ArticleRecord) -> tuple[Article, bool]:
    """Create the article, or update the one imported from the same source.
    All or nothing: a failure leaves no partial article behind."""
    article = find_existing(record)
    created = article is None
    article = article or Article(source_url=record.source_url)
    article.title = record.title
    article.body = record.body
    article.standfirst = record.standfirst
    article.published_at = record.published_at
    article.section = section_named(record.section)
    if created:
        article.status = record.status
    article.save()
    article.tags.set(record.tags, clear=True)
    article.authors.set([author_named(name) for name in record.authors])
    return article, created
