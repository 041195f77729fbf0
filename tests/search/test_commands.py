"""The search management commands."""

import io

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article
from search import backends
from search.models import PendingUpdate
from search.query import parse
from tests.factories import ArticleFactory, PhotoFactory

pytestmark = pytest.mark.django_db


def test_rebuild_index_indexes_everything_findable():
    ArticleFactory.create_batch(2, title="Critique de film")
    ArticleFactory(title="Critique en brouillon", status=Article.Status.DRAFT)
    ArticleFactory(title="Critique de film", lead_photo=PhotoFactory(credit="© Studio Rebuild"))
    PhotoFactory(credit="© Studio Inédit")  # in no published article: not findable
    out, err = io.StringIO(), io.StringIO()
    call_command("rebuild_index", stdout=out, stderr=err)
    assert "articles: 3 documents indexed." in out.getvalue()
    assert "photos: 1 documents indexed." in out.getvalue()
    assert "3/3" in err.getvalue()  # the progress bar
    assert backends.backend_for("articles").search(parse("critique")).count == 3
    assert not PendingUpdate.objects.filter(index__startswith="articles").exists()
    call_command("check_index", verbosity=0)


def test_rebuild_one_index_quietly():
    ArticleFactory(title="Seul")
    out, err = io.StringIO(), io.StringIO()
    call_command("rebuild_index", index="articles", verbosity=0, stdout=out, stderr=err)
    assert out.getvalue() == err.getvalue() == ""
    assert backends.backend_for("articles").search(parse("seul")).count == 1


@pytest.mark.parametrize("command", ["rebuild_index", "check_index", "index_due"])
def test_unknown_index(command):
    with pytest.raises(CommandError, match="Unknown index"):
        call_command(command, index="nope")


def test_check_index_exit_codes():
    ArticleFactory(title="Jamais drainé")  # not committed: not in the index
    with pytest.raises(SystemExit) as exit_:
        call_command("check_index", index="articles", stdout=io.StringIO())
    assert exit_.value.code == 1
    out = io.StringIO()
    call_command("check_index", index="articles", fix=True, stdout=out)
    assert "articles: 1 missing" in out.getvalue()
    assert "articles: OK" in out.getvalue()
    call_command("check_index", verbosity=0)


def test_index_due_reports():
    ArticleFactory(title="Retardataire")
    out = io.StringIO()
    call_command("index_due", stdout=out)
    assert "articles: 1 due" in out.getvalue()
    out = io.StringIO()
    call_command("index_due", stdout=out)
    assert "articles: 0 due, 0 written." in out.getvalue()
