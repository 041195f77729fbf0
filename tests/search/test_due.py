"""A scheduled article is found by the search page at its time, with nothing to run
but the web process: the first request after the time writes it to the index
(``search.due``). Whoosh, and PostgreSQL when the database is PostgreSQL."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection

from articles import workflow
from articles.models import Article
from search import backends, due
from search.models import PendingUpdate
from tests.factories import EDITOR, ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 5, 4, 8, tzinfo=datetime.UTC)
AT = START + datetime.timedelta(hours=3)
SECOND = datetime.timedelta(seconds=1)
TITLE = "Le phare des Glénans"


@pytest.fixture(
    params=[
        "whoosh",
        pytest.param(
            "postgres",
            marks=pytest.mark.skipif(
                connection.vendor != "postgresql", reason="PostgreSQL backend: on PostgreSQL"
            ),
        ),
    ]
)
def engine(request, settings):
    settings.SEARCH_BACKEND = request.param
    backends.reset()
    yield request.param
    backends.reset()


@pytest.fixture
def scheduled(time_machine, django_capture_on_commit_callbacks):
    """An article scheduled at AT, saved at START as an editor does it."""
    time_machine.move_to(START, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(title=TITLE, status=Article.Status.SCHEDULED, published_at=AT)
    return article


def found(client) -> bool:
    response = client.get("/recherche/", {"q": "Glénans"})
    assert response.status_code == 200
    return TITLE in response.content.decode()


def test_found_at_its_time_with_no_command_run(engine, client, scheduled, time_machine):
    time_machine.move_to(AT - SECOND, tick=False)
    assert not found(client)
    time_machine.move_to(AT + SECOND, tick=False)
    assert found(client)
    assert not PendingUpdate.objects.filter(index="articles").exists()


def test_a_page_revalidated_from_before_the_time_is_rendered_anew(client, scheduled, time_machine):
    time_machine.move_to(AT - SECOND, tick=False)
    etag = client.get("/recherche/", {"q": "Glénans"})["ETag"]
    time_machine.move_to(AT + SECOND, tick=False)
    response = client.get("/recherche/", {"q": "Glénans"}, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and TITLE in response.content.decode()


def test_scheduled_after_the_last_check_is_found_too(
    engine, client, time_machine, django_capture_on_commit_callbacks
):
    """The next due time is cached; scheduling an article brings it earlier."""
    time_machine.move_to(START, tick=False)
    assert not found(client)  # checked: nothing is waiting
    editor = UserFactory(username="editrice", role=EDITOR)
    article = ArticleFactory(title=TITLE, status=Article.Status.DRAFT, published_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(article=article, by=editor, at=AT)
    time_machine.move_to(AT - SECOND, tick=False)
    assert not found(client)
    time_machine.move_to(AT + SECOND, tick=False)
    assert found(client)


def test_nothing_due_costs_no_query(client, scheduled, time_machine, django_assert_num_queries):
    time_machine.move_to(AT - SECOND, tick=False)
    due.run_due()  # the first check reads the database once
    with django_assert_num_queries(0):
        assert due.run_due() == 0


def test_a_failure_never_fails_the_request(client, scheduled, time_machine, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("index unavailable")

    monkeypatch.setattr(due, "_waiting_since", broken)
    time_machine.move_to(AT + SECOND, tick=False)
    assert client.get("/recherche/", {"q": "Glénans"}).status_code == 200
    monkeypatch.undo()
    cache.clear()
    assert found(client)
