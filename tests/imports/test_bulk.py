"""The bulk path of import_articles: batches, constant queries, revisions, slugs,
updates, and the search index brought up to date once at the end."""

import json
import subprocess
import sys

import pytest
from django.core.management import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import html
from articles.models import Article, Author, GenreTag
from search import indexer
from search.backends import backend_for
from search.models import PendingUpdate
from search.query import parse
from tests.imports.command import run_import

pytestmark = pytest.mark.django_db

GENRES = ["Polar", "Comédie dramatique", "Science-fiction", "Animation", "Documentaire"]
PEOPLE = ["Irène Valcourt", "Bastien Ormeau", "Soline Déravin", "Marc-Ange Pellerin"]


def article(n: int, **fields) -> dict:
    data = {
        "source_url": f"https://revue.example.org/archives/{n}/",
        "title": f"Chronique numéro {n} : le festival des brumes",
        "date": f"20{10 + n % 10}-0{1 + n % 9}-1{n % 9}",
        "section": ["Critique", "News", "Portrait"][n % 3],
        "tags": [GENRES[n % 5], GENRES[(n + 2) % 5]],
        "authors": [PEOPLE[n % 4]],
        "standfirst": f"Un chapeau pour la chronique {n}.",
        "body": f"<p>Premier paragraphe de la chronique {n}, sur les phares.</p>"
        "<p>Les brumes du festival se lèvent enfin.</p>",
    }
    return {**data, **fields}


def write(tmp_path, records, name="archive.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    return path


def test_a_batch_costs_the_same_queries_whatever_its_size(tmp_path):
    small = write(tmp_path, [article(n) for n in range(20)], "small.jsonl")
    large = write(tmp_path, [article(n) for n in range(1000, 1400)], "large.jsonl")
    with CaptureQueriesContext(connection) as first:
        run_import(small)
    with CaptureQueriesContext(connection) as second:
        run_import(large)
    assert Article.objects.count() == 420

    def reads(queries):
        return [q["sql"] for q in queries if q["sql"].startswith("SELECT")]

    # The same reads whatever the number of articles; writes are bulk statements
    # (the database driver cuts a long one into a few), never one per article.
    assert len(reads(second)) == len(reads(first))
    assert len(second) < 60, [q["sql"][:80] for q in second.captured_queries]


def test_each_article_gets_a_revision_with_its_authors(tmp_path):
    run_import(write(tmp_path, [article(1, authors=["Irène Valcourt", "Bastien Ormeau"])]))
    record = Article.objects.get().history.get()
    assert record.history_type == "+"
    assert record.history_change_reason == "import"
    assert sorted(a.author.name for a in record.authors.all()) == [
        "Bastien Ormeau",
        "Irène Valcourt",
    ]


def test_same_title_same_day_gets_distinct_slugs_in_one_batch(tmp_path):
    records = [article(n, title="Le palmarès", date="2021-05-30") for n in range(3)]
    run_import(write(tmp_path, records))
    assert sorted(Article.objects.values_list("slug", flat=True)) == [
        "le-palmares",
        "le-palmares-2",
        "le-palmares-3",
    ]


def test_names_match_whatever_their_case_and_accents_in_slugs(tmp_path):
    records = [
        article(1, tags=["Polar"], authors=["Irène Valcourt"]),
        article(2, tags=["polar"], authors=["IRÈNE VALCOURT"]),
        article(3, tags=["Polar"], authors=["Irene Valcourt"]),
    ]
    run_import(write(tmp_path, records))
    assert GenreTag.objects.filter(name__iexact="polar").count() == 1
    assert Author.objects.count() == 1
    assert Author.objects.get().articles.count() == 3


def test_unchanged_articles_are_not_written_again(tmp_path):
    path = write(tmp_path, [article(n) for n in range(5)])
    run_import(path)
    versions = dict(Article.objects.values_list("pk", "version"))
    out, _ = run_import(path)
    assert "0 créé(s), 0 mis à jour, 5 inchangé(s), 0 en erreur" in out
    assert dict(Article.objects.values_list("pk", "version")) == versions


def test_changed_genres_alone_make_an_update(tmp_path):
    run_import(write(tmp_path, [article(1)]))
    out, _ = run_import(write(tmp_path, [article(1, tags=["Western"])]))
    assert "1 mis à jour" in out
    assert [t.name for t in Article.objects.get().tags.all()] == ["Western"]


def test_imported_articles_are_searchable_and_the_index_has_no_drift(tmp_path):
    run_import(write(tmp_path, [article(n) for n in range(30)]))
    assert not PendingUpdate.objects.filter(index="articles").exists()
    assert indexer.drift("articles") == {"missing": [], "stale": [], "extra": []}
    found = backend_for("articles").search(parse("brume phare"), per_page=50, facets=False)
    assert found.count == 30


def test_a_large_import_rebuilds_the_index_instead_of_draining(tmp_path, monkeypatch):
    monkeypatch.setattr(indexer, "REBUILD_AT_LEAST", 10)
    run_import(write(tmp_path, [article(n) for n in range(5)], "first.jsonl"))
    out, _ = run_import(write(tmp_path, [article(n) for n in range(100, 140)], "second.jsonl"))
    assert "articles : reconstruit" in out
    assert not PendingUpdate.objects.exists()
    assert indexer.drift("articles") == {"missing": [], "stale": [], "extra": []}


def test_a_failing_article_is_reported_and_its_batch_still_goes_in(tmp_path, monkeypatch):
    sanitize = html.sanitize

    def failing(body):
        if "chronique 3," in body:
            raise ValueError("texte illisible")
        return sanitize(body)

    monkeypatch.setattr(html, "sanitize", failing)
    path = write(tmp_path, [article(n) for n in range(6)])
    out, err = run_import(path)
    assert f"{path}:4: texte illisible" in err
    assert Article.objects.count() == 5
    assert "5 créé(s), 0 mis à jour, 0 inchangé(s), 1 en erreur" in out
    assert not Article.objects.filter(title__contains="numéro 3 ").exists()


def test_the_command_prints_its_rate_and_index_time(tmp_path):
    out, _ = run_import(write(tmp_path, [article(n) for n in range(3)]))
    assert "Écriture : 3 articles en" in out
    assert "articles/s" in out
    assert "Index de recherche à jour en" in out


def test_a_second_import_at_the_same_time_is_refused(tmp_path):
    path = write(tmp_path, [article(1)])
    lock = indexer.index_dir() / "import.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    held = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(lock)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert held.stdout.readline().strip() == "locked"
        with pytest.raises(CommandError, match="Un autre import est en cours"):
            run_import(path)
    finally:
        held.kill()
        held.wait()
    assert not Article.objects.exists()


# Holds the import lock from another process, as a running import does.
HOLD = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
fcntl.flock(fd, fcntl.LOCK_EX)
print("locked", flush=True)
time.sleep(60)
"""


def test_an_imported_article_equals_one_saved_by_an_editor(tmp_path):
    """The writer computes what Article.save() computes: same body, day, slug,
    body photos, revision and search document."""
    from articles.search_indexes import article_document
    from search.index import document_hash
    from tests.factories import PhotoFactory

    picture = PhotoFactory()
    body = (
        f'<p>Un <b>texte</b><script>x()</script></p><figure data-photo="{picture.pk}">'
        "</figure><p>Fin.</p>"
    )
    run_import(write(tmp_path, [article(1, title="Été indien", date="2020-08-01", body=body)]))
    imported = Article.objects.get()
    saved = Article.objects.create(
        title="Été indien",
        body=body,
        standfirst=imported.standfirst,
        section=imported.section,
        status=Article.Status.PUBLISHED,
        published_at=imported.published_at,
    )
    saved.tags.set([t.name for t in imported.tags.all()])
    saved.authors.set(imported.authors.all())
    assert imported.body == saved.body
    assert imported.publication_date == saved.publication_date
    assert (imported.slug, saved.slug) == ("ete-indien", "ete-indien-2")
    assert list(imported.body_photos.all()) == list(saved.body_photos.all()) == [picture]
    assert imported.history.count() == 1
    saved.refresh_from_db()
    document = article_document(imported)
    assert document_hash(document) == document_hash(
        {**article_document(saved), "url": document["url"], "source_url": document["source_url"]}
    )
