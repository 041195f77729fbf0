"""Names to rows for a bulk import: sections, authors and genre tags.

Each table is read once when the import starts; names met for the first time
are created for a whole batch with one ``bulk_create``. A name matches
whatever its case, and a new name whose slug is already taken (« Léa Martin »
after « Lea Martin ») reuses that row, as an editor would expect.
"""

from collections.abc import Callable, Iterable

from django.db import models

from articles.models import Author, GenreTag, Section, ascii_slug


class Names:
    """A name -> primary key table for one model, filled in bulk."""

    def __init__(self, model: type[models.Model], slugify: Callable[[str], str], fallback: str):
        self.model = model
        self.slugify = slugify
        self.fallback = fallback
        self.max_length = model._meta.get_field("name").max_length
        self.by_name: dict[str, int] = {}
        self.by_slug: dict[str, int] = {}
        for pk, name, slug in model.objects.values_list("pk", "name", "slug"):
            self.by_name.setdefault(name.casefold(), pk)
            self.by_slug[slug] = pk

    def ids(self, names: Iterable[str]) -> list[int]:
        """The rows' ids, in the given order, without repeats (all must be known)."""
        return list(dict.fromkeys(self.by_name[self.clip(name).casefold()] for name in names))

    def clip(self, name: str) -> str:
        return name.strip()[: self.max_length]

    def add(self, names: Iterable[str]) -> int:
        """Create the rows of the names not known yet; returns how many were made."""
        new: dict[str, models.Model] = {}
        waiting: dict[str, set[str]] = {}
        for name in map(self.clip, names):
            key = name.casefold()
            if key in self.by_name:
                continue
            slug = self.slugify(name) or self.fallback
            if slug in self.by_slug:
                self.by_name[key] = self.by_slug[slug]
                continue
            new.setdefault(slug, self.model(name=name, slug=slug))
            waiting.setdefault(slug, set()).add(key)
        if not new:
            return 0
        created = self.model.objects.bulk_create(list(new.values()))
        for row in created:
            self.by_slug[row.slug] = row.pk
            for key in waiting[row.slug]:
                self.by_name[key] = row.pk
        return len(created)


class Lookups:
    """Sections, authors and genres of an import."""

    def __init__(self):
        self.sections = Names(Section, lambda name: ascii_slug(name, 80), "rubrique")
        self.authors = Names(Author, lambda name: ascii_slug(name, 120), "auteur")
        self.tags = Names(GenreTag, lambda name: GenreTag().slugify(name), "genre")

    def add(self, records) -> None:
        """Create, in bulk, every section, author and genre the records name."""
        self.sections.add(record.section for record in records)
        self.authors.add(name for record in records for name in record.authors)
        self.tags.add(name for record in records for name in record.tags)
