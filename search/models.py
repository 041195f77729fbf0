"""The engine's own tables: the queue of pending index updates (every backend)
and the documents of the PostgreSQL backend."""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchVectorField
from django.db import models


class PendingUpdate(models.Model):
    """An object whose document must be refreshed. Written in the same transaction
    as the change that caused it, so an update is never lost: whoever holds the
    index writer lock drains the queue (after commit, ``index_due``, a rebuild)."""

    index = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["index", "id"])]

    def __str__(self):
        return f"{self.index}:{self.object_id}"


class SearchDocument(models.Model):
    """One document of the PostgreSQL backend. The vector is built from the
    project's own French analysis (the same as Whoosh's), not by PostgreSQL's
    parser, so both backends find the same things.

    ``shortcuts`` holds lexemes without positions that let the GIN index
    (built on ``vector || shortcuts``) answer alone what ``vector`` answers only
    by reading positions and weights: phrases, words of the heavier fields,
    filter values. ``facets`` numbers the facet values (``SearchKeyword`` ids,
    the first one a combination of values, or 0) so that counting them reads a
    few integers per match instead of JSON. See ``search.backends.postgres``."""

    index = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64)
    hash = models.CharField(max_length=32)
    stored = models.JSONField(default=dict)  # fields returned with results
    keywords = models.JSONField(default=dict)  # facet name -> values, for filters and facets
    texts = models.JSONField(default=dict)  # field name -> plain text (highlights, suggestions)
    date = models.DateTimeField(null=True)
    vector = SearchVectorField(null=True)
    shortcuts = SearchVectorField(null=True)
    facets = ArrayField(models.IntegerField(), null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["index", "object_id"], name="unique_search_document")
        ]
        indexes = [models.Index(fields=["index", "date"])]

    def __str__(self):
        return f"{self.index}:{self.object_id}"


class SearchTerm(models.Model):
    """Vocabulary of the PostgreSQL backend, kept in step with SearchDocument by
    its writes: how many documents of an index hold each lexeme (``e<word>``,
    ``s<stem>``: spelling suggestions, "more like this") and each keyword value
    (``k<facet>:<value>``: autocomplete). ``bucket`` groups the candidates of a
    suggestion (``e`` + first letter) and the keyword values (``k``)."""

    index = models.CharField(max_length=40)
    term = models.CharField(max_length=255)
    documents = models.IntegerField(default=0)
    bucket = models.CharField(max_length=8)
    length = models.SmallIntegerField(default=0)
    folded = models.CharField(max_length=255, blank=True)  # keyword values, for autocomplete

    class Meta:
        constraints = [models.UniqueConstraint(fields=["index", "term"], name="unique_search_term")]
        indexes = [models.Index(fields=["index", "bucket", "length"])]

    def __str__(self):
        return f"{self.index}:{self.term}"


class SearchKeyword(models.Model):
    """A keyword value of an index for the PostgreSQL backend, numbered: a facet
    value as displayed (``key`` is the facet), folded for filters (``key`` is
    the facet + ``_folded``), or a combination of facet values (``key`` "+",
    ``value`` their ids). Documents refer to these ids, so rows are never
    deleted: an id stays valid for every transaction that has read it. The
    digest (md5 of the value) keeps long values out of the unique index."""

    index = models.CharField(max_length=40)
    key = models.CharField(max_length=64)
    value = models.TextField()
    digest = models.CharField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["index", "key", "digest"], name="unique_search_keyword")
        ]

    def __str__(self):
        return f"{self.index}:{self.key}:{self.value}"
