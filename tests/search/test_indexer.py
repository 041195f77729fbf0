"""Every change reaches the index after its transaction commits, and only then."""

import datetime
import threading

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from articles.models import Article, Author, GenreTag
from photos import services as photo_services
from search import backends, indexer
from search.index import get
from search.models import PendingUpdate
from search.query import parse
from tests.factories import ArticleFactory, AuthorFactory, PhotoFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def found(text, index="articles"):
    return sorted(hit.id for hit in backends.backend_for(index).search(parse(text)).hits)


def test_nothing_reaches_the_index_before_commit(committed):
    ArticleFactory(title="Pas encore commité")
    assert found("commité") == []
    assert PendingUpdate.objects.filter(index="articles").exists()


def test_save_and_delete(committed):
    with committed():
        article = ArticleFactory(title="Le festival de Cannes")
    assert found("cannes") == [str(article.pk)]
    with committed():
        article.title = "Le festival de Venise"
        article.save()
    assert (found("cannes"), found("venise")) == ([], [str(article.pk)])
    with committed():
        article.delete()
    assert found("venise") == []
    assert not PendingUpdate.objects.exists()


def test_a_rollback_leaves_the_index_alone(committed):
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        ArticleFactory(title="Annulé")
        raise RuntimeError
    assert found("annulé") == []
    assert not PendingUpdate.objects.exists()


def test_unpublish(committed):
    with committed():
        article = ArticleFactory(title="Une rétrospective")
    with committed():
        article.status = Article.Status.ARCHIVED
        article.save()
    assert found("rétrospective") == []


def test_tag_and_author_renames_reach_their_articles(committed):
    with committed():
        author = AuthorFactory(name="Jeanne Plume")
        article = ArticleFactory(title="Critique", tags=["Polar"], authors=[author])
    with committed():
        tag = GenreTag.objects.get(name="Polar")
        tag.name = "Thriller"
        tag.save()
        author.name = "Jeanne Stylo"
        author.save()
    assert found("thriller") == [str(article.pk)]
    assert found("tag:polar") == []
    assert found('auteur:"jeanne stylo"') == [str(article.pk)]
    with committed():
        article.tags.remove("Thriller")
        article.authors.clear()
    assert found("thriller") == []
    assert found("stylo") == []
    with committed():
        article.authors.add(Author.objects.get(pk=author.pk))
    assert found("stylo") == [str(article.pk)]
    with committed():
        author.delete()
    assert found("stylo") == []


def test_photo_hide_withdraw_and_credit(committed):
    with committed():
        photo = PhotoFactory(credit="© Studio Alpha")
        other = PhotoFactory(credit="© Studio Beta")
        article = ArticleFactory(title="Tournage", lead_photo=photo)
        article.gallery.add(other)
    assert found("alpha") == [str(article.pk)]
    assert found("beta") == [str(article.pk)]
    assert found("alpha", "photos") == [str(photo.pk)]
    with committed():
        photo_services.hide_photo(photo=photo)
    assert found("alpha") == found("alpha", "photos") == []
    with committed():
        photo_services.unhide_photo(photo=photo)
        photo_services.update_credits(photos=[photo], credit="© Studio Gamma")
    assert found("gamma") == [str(article.pk)]
    assert found("gamma", "photos") == [str(photo.pk)]
    with committed():
        photo_services.withdraw_photo(photo=other, reason="fin des droits")
    assert found("beta") == found("beta", "photos") == []


def test_synchronous_mode_indexes_inside_the_transaction():
    with indexer.synchronous():
        article = ArticleFactory(title="Tout de suite")
    assert found("suite") == [str(article.pk)]


def test_a_busy_index_keeps_the_queue(committed, caplog):
    held, done = threading.Event(), threading.Event()

    def hold():  # another writer (a thread here, a process in production)
        with indexer.writer_lock("articles"):
            held.set()
            done.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        held.wait(10)
        with indexer.synchronous(False):
            ArticleFactory(title="Attente")
        assert indexer.drain("articles", timeout=0.05) == 0
    finally:
        done.set()
        holder.join()
    assert "busy" in caplog.text
    assert PendingUpdate.objects.filter(index="articles").exists()
    assert indexer.drain("articles") == 1
    assert len(found("attente")) == 1


def test_drain_survives_rows_added_meanwhile(committed):
    with committed():
        article = ArticleFactory(title="Avant")
    indexer.enqueue("articles", [article.pk, 999_999])
    assert indexer.drain() == 2
    assert not PendingUpdate.objects.exists()


def test_index_due_picks_up_a_scheduled_article(committed):
    publication = timezone.now() + datetime.timedelta(hours=2)
    with committed():
        ArticleFactory(
            title="Sortie programmée", status=Article.Status.SCHEDULED, published_at=publication
        )
    assert found("programmée") == []
    call_command("index_due", verbosity=0)
    assert found("programmée") == []
    with time_machine.travel(publication + datetime.timedelta(minutes=1)):
        call_command("index_due", verbosity=0)
        assert len(found("programmée")) == 1
        call_command("index_due", verbosity=0)  # idempotent
        assert len(found("programmée")) == 1
        assert indexer.drift("articles") == {"missing": [], "stale": [], "extra": []}


def test_check_index_finds_and_fixes_drift(committed, capsys):
    with committed():
        stale = ArticleFactory(title="Version publiée")
        gone = ArticleFactory(title="Bientôt dépublié")
    missing = ArticleFactory(title="Jamais indexé")  # never committed: never drained
    Article.objects.filter(pk=stale.pk).update(title="Version corrigée")
    Article.objects.filter(pk=gone.pk).update(status=Article.Status.ARCHIVED)
    call_command("check_index", index="photos")  # clean: no exit
    with pytest.raises(SystemExit) as exit_:
        call_command("check_index", index="articles")
    assert exit_.value.code == 1
    out = capsys.readouterr().out
    assert f"1 missing ({missing.pk})" in out
    assert f"1 stale ({stale.pk})" in out
    assert f"1 extra ({gone.pk})" in out
    call_command("check_index", index="articles", fix=True)
    assert found("corrigée") == [str(stale.pk)]
    assert found("dépublié") == []
    call_command("check_index")
    assert "articles: OK" in capsys.readouterr().out


def test_rebuild_keeps_updates_journaled_during_the_build(committed):
    with committed():
        first = ArticleFactory(title="Ancien titre")
    index = get("articles")
    backend = backends.backend_for("articles")
    original = backend.rebuild

    def slow_rebuild(documents, total, progress=None):
        documents = list(documents)  # read before the concurrent change
        with committed():  # a change drained into the old index meanwhile
            first.title = "Nouveau titre"
            first.save()
        original(iter(documents), total, progress)

    backend.rebuild = slow_rebuild
    try:
        assert indexer.rebuild(index.name) == 1
    finally:
        del backend.rebuild
    assert found("nouveau") == [str(first.pk)]
    assert found("ancien") == []
    assert not PendingUpdate.objects.exists()
