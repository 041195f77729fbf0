"""Background work through the one task interface (django-tasks): search index
drains, photo renditions and emails. The immediate backend (the default) runs
them inline; a queueing backend leaves them to a worker, which then completes
the work."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection
from django_tasks import TaskResultStatus, default_task_backend, task_backends
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.signals import task_enqueued

from photos import services as photo_services
from photos.tasks import generate_renditions
from photos.templatetags.photos import photo_sources
from search import backends
from search.models import PendingUpdate
from search.query import parse
from search.tasks import drain_search_index
from takedowns import services as takedown_services
from takedowns.tasks import send_email
from tests.factories import ArticleFactory
from tests.photos import images
from tests.takedowns.conftest import notice_data

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def enqueued():
    """Paths of the tasks enqueued during the test, in order."""
    paths = []

    def record(sender, task_result, **kwargs):
        paths.append(task_result.task.module_path)

    task_enqueued.connect(record)
    yield paths
    task_enqueued.disconnect(record)


@pytest.fixture
def queued(settings):
    """Tasks are queued for a worker instead of run: django-tasks' DummyBackend."""
    settings.TASKS = DUMMY
    default_task_backend.clear()
    yield default_task_backend
    default_task_backend.clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(autouse=True)
def _private_folders(settings, tmp_path):
    settings.PHOTO_PRIVATE_ROOT = tmp_path / "private" / "photos"
    settings.TAKEDOWN_PRIVATE_ROOT = tmp_path / "private" / "takedowns"


def found(text: str) -> list[str]:
    return sorted(hit.id for hit in backends.backend_for("articles").search(parse(text)).hits)


def run_queued(backend) -> list:
    """What a worker does: run each queued task, in order."""
    results = list(backend.results)
    backend.clear()
    return [result.task.call(*result.args, **result.kwargs) for result in results]


def upload(seed: int = 1):
    return photo_services.upload_photo(
        file=images.upload("photo.jpg", images.jpeg(seed, (1200, 800))),
        alt_text="Une scène de film",
        credit="© Studio / Photo : Jeanne Objectif",
    )


def test_the_default_backend_runs_tasks_inline():
    assert isinstance(task_backends["default"], ImmediateBackend)


# Search index -------------------------------------------------------------------------


def test_commit_drains_the_index_through_the_task_inline(committed, enqueued):
    with committed():
        article = ArticleFactory(title="Le festival de Cannes")
    assert "search.tasks.drain_search_index" in enqueued
    assert found("cannes") == [str(article.pk)]
    assert not PendingUpdate.objects.exists()


def test_with_a_worker_the_queue_waits_for_the_drain_task(committed, queued):
    with committed():
        article = ArticleFactory(title="Le festival de Venise")
    assert [r.task for r in queued.results] == [drain_search_index]
    assert found("venise") == []  # nothing ran inline
    assert PendingUpdate.objects.filter(index="articles").exists()
    assert run_queued(queued) == [1]
    assert found("venise") == [str(article.pk)]
    assert not PendingUpdate.objects.exists()


# Renditions -----------------------------------------------------------------------------


def test_upload_makes_renditions_inline_and_the_task_remakes_missing_ones():
    photo = upload()
    assert photo.renditions.count() == 6
    photo.renditions.all().delete()
    result = generate_renditions.enqueue(photo.pk)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 6
    assert photo.renditions.count() == 6


def test_with_a_worker_the_photo_is_saved_first_and_renditions_follow(client, committed, queued):
    with committed():
        photo = upload()
    photo.refresh_from_db()
    assert photo.image and photo.width == 1200 and photo.phash
    assert photo.renditions.count() == 0
    assert [(r.task, r.args) for r in queued.results] == [
        (drain_search_index, []),  # the photo index
        (generate_renditions, [photo.pk]),
    ]
    # Meanwhile pages show the original.
    sources = photo_sources(photo)
    assert sources == {"webp_srcset": "", "jpeg_srcset": "", "src": photo.image.url}
    assert client.get(photo.image.url).status_code == 200
    assert run_queued(queued) == [1, 6]
    assert photo.renditions.count() == 6
    assert generate_renditions.call(photo.pk) == 0  # running it again changes nothing


def test_a_rolled_back_upload_enqueues_nothing(queued):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        upload()
        raise RuntimeError
    assert queued.results == []


def test_the_renditions_task_skips_a_photo_gone_or_withdrawn(committed):
    assert generate_renditions.enqueue(987654).return_value == 0
    photo = upload()
    with committed():
        photo_services.withdraw_photo(photo=photo, reason="test")
    assert generate_renditions.enqueue(photo.pk).return_value == 0


# Emails ---------------------------------------------------------------------------------


def test_emails_are_sent_through_the_task_once_committed(committed, enqueued, upload_one):
    with committed():
        takedown_services.submit_notice(**notice_data(upload_one))
        assert not mail.outbox  # not before the commit
    assert enqueued.count("takedowns.tasks.send_email") == 1
    [message] = mail.outbox
    assert message.to == ["jeanne@objectif-photo.fr"]


def test_with_a_worker_emails_wait_for_it(committed, queued, upload_one):
    with committed():
        notice = takedown_services.submit_notice(**notice_data(upload_one))
    assert not mail.outbox
    [result] = queued.results
    assert result.task == send_email
    assert result.kwargs["recipients"] == [notice.email]
    assert run_queued(queued) == [1]
    [message] = mail.outbox
    assert "confirmer" in message.body


def test_a_failed_send_is_recorded_not_raised(committed, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("takedowns.tasks.send_mail", broken)
    result = send_email.enqueue(subject="Objet", body="Texte", recipients=["a@example.org"])
    assert result.status == TaskResultStatus.FAILED
    assert "ConnectionRefusedError" in result.errors[0].exception_class_path


@pytest.fixture
def upload_one(db):
    return upload()


# A real worker process: the database backend and `manage.py db_worker` ------------------

WORKER = textwrap.dedent(
    """
    import json, os
    from pathlib import Path
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    from django.conf import settings
    settings.DATABASES["default"].update(json.loads(os.environ["TEST_DB"]))
    settings.SEARCH_INDEX_DIR = Path(os.environ["TEST_INDEX_DIR"])
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    import django
    django.setup()
    from django.core.management import call_command
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    """
)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite" and connection.is_in_memory_db(),
    reason="needs a file-based SQLite test database (see tests/conftest.py)",
)
def test_database_backend_and_db_worker_process(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    article = ArticleFactory(title="Une rétrospective Agnès Varda")
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "search.tasks.drain_search_index"
    assert queued.status == TaskResultStatus.READY
    assert found("varda") == []  # nothing ran in this process

    db = connection.settings_dict
    env = {
        **os.environ,
        "TEST_DB": json.dumps({"NAME": db["NAME"], "OPTIONS": db.get("OPTIONS", {})}),
        "TEST_INDEX_DIR": str(settings.SEARCH_INDEX_DIR),
    }
    worker = subprocess.run(
        [sys.executable, "-c", WORKER],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert worker.returncode == 0, worker.stderr[-3000:]
    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.SUCCESSFUL
    backends.reset()
    assert found("varda") == [str(article.pk)]
    assert not PendingUpdate.objects.exists()
