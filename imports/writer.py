"""Writing an archive in: records to rows, a batch at a time.

A batch (``BATCH_SIZE`` articles, fewer when their photos weigh more than
``PHOTO_BYTES_PER_BATCH``) is one transaction: its photos, articles, genres,
authors, revisions, old addresses and search-queue rows are written with a few
``bulk_create``/``bulk_update`` statements, whatever the batch holds, and commit
together or not at all. ``Article.save()`` is not called: what it computes (a
sanitised body, the publication day, a slug unique per day, the photos of the
body, a revision) is computed here for the whole batch.

The search index is not touched per batch: the queue rows commit with each
batch (``search.indexer.deferred``) and the command brings the index up to date
once at the end (``search.indexer.catch_up``). Readers search the current index
meanwhile.

If a batch fails in the database, its articles are written again one by one, so
that the one at fault is reported with its line and the others go in.
Re-importing an article (same ``source_url``, or same title and date without
one) updates it; an article whose content did not change is not written at all,
so importing the same file again costs a read. An existing article keeps its
workflow status: after the import, editors own it.
"""

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from articles import html
from articles.models import Article, GalleryItem, RelatedList, TaggedArticle, ascii_slug
from config import derived, pagecache
from imports import addresses
from imports.lookups import Lookups
from imports.photo_files import PhotoFiles, PreparedPhoto
from imports.records import ArticleRecord, RecordError
from imports.statements import whole_statements
from search import indexer

BATCH_SIZE = 1000
PHOTO_BYTES_PER_BATCH = 64 * 1024 * 1024
IMPORT_PLACEHOLDER = re.compile(r'<figure data-import-photo="(\d+)">\s*</figure>')
UPDATED_FIELDS = [
    "title", "slug", "standfirst", "body", "section", "lead_photo", "published_at",
    "publication_date", "updated_at",
]  # fmt: skip
AuthorLink = Article.authors.through
BodyPhotoLink = Article.body_photos.through
AuthorHistory = Article.history.model.authors.model


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: int = 0

    @property
    def written(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class Item:
    """A record on its way in, with its prepared photos."""

    location: str
    record: ArticleRecord
    lead: PreparedPhoto | None = None
    gallery: list[PreparedPhoto] = field(default_factory=list)
    inline: list[PreparedPhoto] = field(default_factory=list)
    article: Article | None = None
    values: dict = field(default_factory=dict)

    def photos(self) -> list[PreparedPhoto]:
        return ([self.lead] if self.lead else []) + self.gallery + self.inline

    def key(self):
        record = self.record
        return record.source_url or (record.title, record.published_at)


class Writer:
    def __init__(
        self,
        *,
        photo_files: PhotoFiles,
        report: Callable[[str, Exception], None],
        progress: Callable[[int], None] = lambda n: None,
        batch_size: int = BATCH_SIZE,
    ):
        self.photo_files = photo_files
        self.report = report
        self.progress = progress
        self.batch_size = batch_size
        self.lookups = Lookups()
        self.counts = Counts()

    def write(self, items: Iterable[tuple[str, ArticleRecord | RecordError]]) -> Counts:
        with indexer.deferred():
            for batch in self._batches(items):
                self._flush(batch)
                self.progress(len(batch))
        return self.counts

    # -- Batching ----------------------------------------------------------------

    def _batches(self, items) -> Iterator[list[Item]]:
        batch: list[Item] = []
        weight = 0
        for location, record in items:
            item = self._prepare(location, record)
            if item is None:
                self.progress(1)
                continue
            batch.append(item)
            weight += sum(photo.size for photo in item.photos() if photo.photo_id is None)
            if len(batch) >= self.batch_size or weight >= PHOTO_BYTES_PER_BATCH:
                yield batch
                batch, weight = [], 0
        if batch:
            yield batch

    def _prepare(self, location: str, record) -> Item | None:
        if isinstance(record, Exception):
            return self._fail(location, record)
        try:
            prepare = self.photo_files.prepare
            return Item(
                location,
                record,
                lead=prepare(record.lead_photo) if record.lead_photo else None,
                gallery=[prepare(spec) for spec in record.gallery],
                inline=[prepare(spec) for spec in record.inline_photos],
            )
        except RecordError as exc:
            return self._fail(location, exc)

    def _fail(self, location: str, error: Exception) -> None:
        self.counts.errors += 1
        self.report(location, error)

    def _flush(self, batch: list[Item]) -> None:
        prepared = [photo for item in batch for photo in item.photos()]
        try:
            self.photo_files.store(prepared)
            with transaction.atomic(), whole_statements():
                self.photo_files.save_rows(prepared)
                counts = self._write_articles(batch)
        except (DatabaseError, ValueError) as exc:
            self.photo_files.discard(prepared)
            self.lookups = Lookups()  # names created by the batch were rolled back
            if len(batch) == 1:
                self._fail(batch[0].location, exc)
                return
            for item in batch:  # find the one at fault; the others go in
                self._flush([item])
            return
        self.counts.created += counts.created
        self.counts.updated += counts.updated
        self.counts.unchanged += counts.unchanged

    # -- One batch, in its transaction --------------------------------------------

    def _write_articles(self, batch: list[Item]) -> Counts:
        counts = Counts()
        items = list({item.key(): item for item in batch}.values())  # the last one wins
        counts.updated += len(batch) - len(items)
        self.lookups.add([item.record for item in items])
        existing = self._existing(items)
        current = _current_links([a.pk for a in existing.values()])
        slugs = _SlugTable({_day(item.record) for item in items} - {None})
        now = timezone.now()
        new, changed = [], []
        for item in items:
            article = existing.get(item.key())
            item.values = values = self._values(item)
            if article is None:
                record = item.record
                article = Article(**values, status=record.status, source_url=record.source_url)
                article.created_at = article.updated_at = now
                new.append(item)
            elif _differs(article, values, current.get(article.pk), self._links(item)):
                for name, value in values.items():
                    setattr(article, name, value)
                article.updated_at = now
                changed.append(item)
            else:
                counts.unchanged += 1
                continue
            article.slug = slugs.claim(article)
            item.article = article
        Article.objects.bulk_create([item.article for item in new])
        _update([item.article for item in changed])
        written = new + changed
        author_links = self._write_links(written, replaced=[item.article.pk for item in changed])
        RelatedList.objects.forget(item.article.pk for item in changed)
        self._write_history(new, changed, author_links)
        addresses.remember(self._old_addresses(written))
        indexer.enqueue("articles", [item.article.pk for item in written])
        transaction.on_commit(pagecache.invalidate)
        derived.forget()
        counts.created += len(new)
        counts.updated += len(changed)
        return counts

    def _existing(self, items: list[Item]) -> dict:
        urls = [item.record.source_url for item in items if item.record.source_url]
        found = {a.source_url: a for a in Article.objects.filter(source_url__in=urls)}
        titles = [item.record.title for item in items if not item.record.source_url]
        if titles:
            for article in Article.objects.filter(source_url__isnull=True, title__in=titles):
                found.setdefault((article.title, article.published_at), article)
        return found

    def _values(self, item: Item) -> dict:
        record = item.record
        photo_ids = [photo.photo_id for photo in item.inline]
        body = IMPORT_PLACEHOLDER.sub(
            lambda m: f'<figure data-photo="{photo_ids[int(m.group(1))]}"></figure>', record.body
        )
        return {
            "title": record.title,
            "standfirst": record.standfirst,
            "body": html.sanitize(body),
            "section_id": self.lookups.sections.ids([record.section])[0],
            "lead_photo_id": item.lead.photo_id if item.lead else None,
            "published_at": record.published_at,
            "publication_date": _day(record),
        }

    def _links(self, item: Item) -> tuple:
        record = item.record
        return (
            tuple(sorted(self.lookups.tags.ids(record.tags))),
            tuple(self.lookups.authors.ids(record.authors)),
            tuple(dict.fromkeys(photo.photo_id for photo in item.gallery)),
            tuple(html.photo_ids(item.values["body"])),
        )

    def _write_links(self, written: list[Item], replaced: list[int]) -> list:
        """Genres, authors, gallery and body photos of the articles written; returns
        the author links (their revisions copy them)."""
        if replaced:
            # Deleted without signals (one statement each): a signal per row would
            # queue each article for the index again, row by row; they are queued
            # once below.
            for links in (
                TaggedArticle.objects.filter(content_object_id__in=replaced),
                AuthorLink.objects.filter(article_id__in=replaced),
                GalleryItem.objects.filter(article_id__in=replaced),
                BodyPhotoLink.objects.filter(article_id__in=replaced),
            ):
                links._raw_delete(links.db)
        tags, authors, gallery, body = [], [], [], []
        for item in written:
            pk = item.article.pk
            tag_ids, author_ids, gallery_ids, body_ids = self._links(item)
            listed_at = item.article.listed_at
            tags += [
                TaggedArticle(content_object_id=pk, tag_id=t, published_at=listed_at)
                for t in tag_ids
            ]
            authors += [AuthorLink(article_id=pk, author_id=a) for a in author_ids]
            gallery += [
                GalleryItem(article_id=pk, photo_id=p, position=n)
                for n, p in enumerate(gallery_ids)
            ]
            body += [BodyPhotoLink(article_id=pk, photo_id=p) for p in body_ids]
        TaggedArticle.objects.bulk_create(tags)
        GalleryItem.objects.bulk_create(gallery)
        BodyPhotoLink.objects.bulk_create(body)
        return AuthorLink.objects.bulk_create(authors)

    def _write_history(self, new: list[Item], changed: list[Item], author_links: list) -> None:
        """One revision per article written, with its authors, as a save would."""
        history = Article.history
        records = []
        for items, update in ((new, False), (changed, True)):
            if items:
                records += history.bulk_history_create(
                    [item.article for item in items], update=update, default_change_reason="import"
                )
        by_article = {record.id: record for record in records}
        AuthorHistory.objects.bulk_create(
            AuthorHistory(
                history=by_article[link.article_id],
                id=link.pk,
                article_id=link.article_id,
                author_id=link.author_id,
            )
            for link in author_links
        )

    def _old_addresses(self, written: list[Item]) -> list[tuple[str, str, int]]:
        entries = []
        for item in written:
            record, pk = item.record, item.article.pk
            urls = ([record.source_url] if record.source_url else []) + record.old_urls
            entries += [(url, "article", pk) for url in urls]
            entries += [
                (photo.spec.url, "photo", photo.photo_id)
                for photo in item.photos()
                if photo.spec.url
            ]
        return entries


def _update(articles: list[Article]) -> None:
    """One UPDATE run for every row (``executemany``), the version bumped as a
    save does. Django's ``bulk_update`` writes a CASE per field and row: for a
    thousand articles, building that statement costs more than the writing."""
    if not articles:
        return
    fields = [Article._meta.get_field(name) for name in UPDATED_FIELDS]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    version = quote("version")
    sql = (
        f"UPDATE {quote(Article._meta.db_table)} SET {assignments}, "  # noqa: S608
        f"{version} = {version} + 1 WHERE {quote('id')} = %s"
    )
    rows = [
        [field.get_db_prep_save(getattr(a, field.attname), connection) for field in fields] + [a.pk]
        for a in articles
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _day(record: ArticleRecord):
    return timezone.localtime(record.published_at).date() if record.published_at else None


def _current_links(pks: list[int]) -> dict[int, tuple]:
    """For existing articles: (tags, authors, gallery, body photos), as ``_links`` gives."""
    links: dict[int, tuple[list, list, list, list]] = {pk: ([], [], [], []) for pk in pks}
    if not pks:
        return {}
    for pk, tag in TaggedArticle.objects.filter(content_object_id__in=pks).values_list(
        "content_object_id", "tag_id"
    ):
        links[pk][0].append(tag)
    for pk, author in (
        AuthorLink.objects.filter(article_id__in=pks)
        .order_by("pk")
        .values_list("article_id", "author_id")
    ):
        links[pk][1].append(author)
    for pk, photo in GalleryItem.objects.filter(article_id__in=pks).values_list(
        "article_id", "photo_id"
    ):
        links[pk][2].append(photo)
    return {
        pk: (tuple(sorted(tags)), tuple(authors), tuple(gallery))
        for pk, (tags, authors, gallery, _body) in links.items()
    }


def _differs(article: Article, values: dict, current: tuple | None, wanted: tuple) -> bool:
    if any(getattr(article, name) != value for name, value in values.items()):
        return True
    return current != wanted[:3]


class _SlugTable:
    """The slugs taken on each publication day, read once per batch."""

    def __init__(self, days: set):
        self.taken: dict = {}
        rows = Article.objects.filter(publication_date__in=days).values_list(
            "publication_date", "slug", "pk"
        )
        for day, slug, pk in rows:
            self.taken.setdefault(day, {})[slug] = pk

    def claim(self, article: Article) -> str:
        """The article's slug if free on its day (else with -2, -3…), now taken."""
        day = article.publication_date
        base = article.slug or ascii_slug(article.title) or "article"
        if day is None:
            return base
        taken = self.taken.setdefault(day, {})
        owner = article.pk or id(article)
        candidate, n = base, 1
        while taken.get(candidate, owner) != owner:
            n += 1
            candidate = f"{base[:190]}-{n}"
        taken[candidate] = owner
        return candidate
