"""Prepared queries (config.prepared): the same rows as the ORM, compiled once
per shape, with every argument (the clock included) taking each run's value."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Author
from config.prepared import Fetched, Prepared, PreparedError, cache_prefetched
from tests.factories import ArticleFactory, AuthorFactory, PhotoFactory

pytestmark = pytest.mark.django_db


def by_day_and_slug(day, slug, now):
    return (
        Article.objects.published(now=now)
        .select_related("section", "lead_photo")
        .filter(publication_date=day, slug=slug)
    )


def test_rows_are_those_of_the_orm_with_their_related_rows_and_types():
    photo = PhotoFactory()
    article = ArticleFactory(lead_photo=photo)
    prepared = Prepared(by_day_and_slug)
    now = timezone.now()
    [found] = prepared(article.publication_date, article.slug, now)
    [expected] = by_day_and_slug(article.publication_date, article.slug, now)
    assert found.pk == expected.pk
    assert found.published_at == expected.published_at
    assert isinstance(found.published_at, datetime.datetime)
    assert found.published_at.tzinfo is not None
    assert found.publication_date == article.publication_date
    with CaptureQueriesContext(connection) as captured:
        assert found.section.name == expected.section.name
        assert found.lead_photo.credit == photo.credit
    assert not captured.captured_queries


def test_each_run_takes_its_own_values_and_compiles_once_per_shape():
    first, second, third = ArticleFactory.create_batch(3)
    built = []

    def build(ids):
        built.append(len(ids))
        return Article.objects.filter(pk__in=ids).order_by("pk")

    prepared = Prepared(build)
    assert [a.pk for a in prepared([first.pk, second.pk])] == [first.pk, second.pk]
    assert [a.pk for a in prepared([second.pk, third.pk])] == [second.pk, third.pk]
    assert [a.pk for a in prepared([third.pk])] == [third.pk]
    assert [a.pk for a in prepared([first.pk, third.pk])] == [first.pk, third.pk]
    assert built == [2, 1]
    assert isinstance(prepared([first.pk]), list)  # rows: nothing to derive a query from
    assert list(prepared([])) == []


def test_the_clock_is_an_argument_not_a_value_kept_from_the_first_run():
    article = ArticleFactory(published_at=timezone.now() + datetime.timedelta(hours=1))
    prepared = Prepared(by_day_and_slug)
    day, slug = article.publication_date, article.slug
    assert list(prepared(day, slug, timezone.now())) == []
    later = timezone.now() + datetime.timedelta(hours=2)
    assert [a.pk for a in prepared(day, slug, later)] == [article.pk]


def test_strings_and_values_lists_are_prepared_too():
    AuthorFactory(name="Odile Plume", slug="odile-plume")
    AuthorFactory(name="Marc Encre", slug="marc-encre")
    prepared = Prepared(
        lambda slug: Author.objects.filter(slug=slug).values_list("name", flat=True)
    )
    assert list(prepared("odile-plume")) == ["Odile Plume"]
    assert list(prepared("marc-encre")) == ["Marc Encre"]
    assert list(prepared("personne")) == []


def test_a_build_that_drops_an_argument_is_refused():
    ArticleFactory()
    prepared = Prepared(lambda pk: Article.objects.filter(pk__gt=0))
    with pytest.raises(PreparedError):
        prepared(1)
    with pytest.raises(PreparedError):
        Prepared(lambda flag: Article.objects.filter(pk=1))(True)


def test_rows_kept_for_a_relation_are_read_without_a_query_and_cannot_be_filtered():
    author = AuthorFactory()
    article = ArticleFactory()
    article = Article.objects.get(pk=article.pk)
    cache_prefetched(article, "authors", [author])
    with CaptureQueriesContext(connection) as captured:
        assert list(article.authors.all()) == [author]
        assert article.authors.count() == 1
    assert not captured.captured_queries
    assert isinstance(article.authors.all(), Fetched)
    with pytest.raises(TypeError):
        article.authors.filter(pk=author.pk)
