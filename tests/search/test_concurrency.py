"""Acceptance: concurrent writers during a rebuild, and a rebuild killed half-way.

Real processes (``python -c``) run Django on the test's own database (a file on
SQLite, ``test_<name>`` on PostgreSQL) and the test's index directory.
"""

import datetime
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from articles.models import Article, Section
from search import backends, indexer
from search.query import parse

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite" and connection.is_in_memory_db(),
        reason="needs a file-based SQLite test database (see tests/search/conftest.py)",
    ),
]

ROOT = Path(__file__).resolve().parents[2]

BOOT = textwrap.dedent(
    """
    import json, logging, os, sys
    from pathlib import Path
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    from django.conf import settings
    settings.DATABASES["default"].update(json.loads(os.environ["TEST_DB"]))
    settings.SEARCH_INDEX_DIR = Path(os.environ["TEST_INDEX_DIR"])
    import django
    django.setup()
    problems = []

    class Record(logging.Handler):
        def emit(self, record):
            problems.append(self.format(record))

    logging.getLogger("search").addHandler(Record(level=logging.WARNING))
    """
)

WRITER = BOOT + textwrap.dedent(
    """
    import datetime
    from django.db import transaction
    from django.utils import timezone
    from articles.models import Article, Section
    from search import indexer

    worker, count = sys.argv[1], int(sys.argv[2])
    section = Section.objects.get(name="Dépêches")
    for i in range(count):
        with transaction.atomic():
            Article.objects.create(
                title=f"Dépêche concurrente {worker}-{i}",
                body=f"<p>Écrite par le processus {worker}, numéro {i}.</p>",
                section=section,
                status=Article.Status.PUBLISHED,
                published_at=timezone.now() - datetime.timedelta(hours=1),
            )
    indexer.drain()
    if problems:
        sys.exit("\\n".join(problems))
    """
)

REBUILD = BOOT + textwrap.dedent(
    """
    from django.core.management import call_command
    call_command("rebuild_index", verbosity=0)
    if problems:
        sys.exit("\\n".join(problems))
    """
)


def run(script: str, *args: str) -> subprocess.Popen:
    db = connection.settings_dict
    env = {
        **os.environ,
        "TEST_DB": json.dumps({"NAME": db["NAME"], "OPTIONS": db.get("OPTIONS", {})}),
        "TEST_INDEX_DIR": str(settings.SEARCH_INDEX_DIR),
    }
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen, timeout: float = 120) -> None:
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err[-3000:]


def make_archive(count: int) -> None:
    """``count`` published articles, inserted without signals (fast)."""
    section, _ = Section.objects.get_or_create(name="Archives")
    Section.objects.get_or_create(name="Dépêches")
    words = [
        *("cinéma", "série", "saison", "épisode", "critique", "réalisateur", "actrice"),
        *("scénario", "plateforme", "festival", "tournage", "montage", "lumière", "musique"),
    ]
    published = timezone.now() - datetime.timedelta(days=30)
    Article.objects.bulk_create(
        [
            Article(
                title=f"Archive {n} : {words[n % len(words)]}",
                slug=f"archive-{n}",
                standfirst=" ".join(words[(n + k) % len(words)] for k in range(12)),
                body=" ".join(words[(n * k) % len(words)] for k in range(300)),
                section=section,
                status=Article.Status.PUBLISHED,
                published_at=published,
                publication_date=published.date(),
            )
            for n in range(count)
        ],
        batch_size=500,
    )


def test_writers_during_a_rebuild_lose_nothing():
    make_archive(400)
    indexer.rebuild("articles")
    rebuild = run(REBUILD)
    writers = [run(WRITER, str(w), "100") for w in range(4)]
    for process in [*writers, rebuild]:
        finish(process)
    backends.reset()
    assert indexer.drift("articles") == {"missing": [], "stale": [], "extra": []}
    assert backends.backend_for("articles").search(parse("concurrente")).count == 400
    call_command("check_index", verbosity=0)  # exits 1 on drift


def test_a_killed_rebuild_leaves_the_old_index():
    make_archive(1000)
    indexer.rebuild("articles")
    backend = backends.backend_for("articles")
    before = backend.search(parse("archive"), per_page=5)
    assert before.count == 1000
    root = Path(settings.SEARCH_INDEX_DIR) / "articles"
    generations = set(root.glob("gen-*"))
    process = run(REBUILD)
    deadline = time.monotonic() + 60
    while not set(root.glob("gen-*")) - generations:
        assert process.poll() is None, process.communicate()[1][-3000:]
        assert time.monotonic() < deadline
        time.sleep(0.01)
    time.sleep(0.2)  # in the middle of adding documents
    process.send_signal(signal.SIGKILL)
    process.communicate()
    assert process.returncode == -signal.SIGKILL
    backends.reset()
    after = backends.backend_for("articles").search(parse("archive"), per_page=5)
    assert (after.count, [h.id for h in after.hits]) == (1000, [h.id for h in before.hits])
    call_command("check_index", verbosity=0)
    finish(run(REBUILD))
    backends.reset()
    assert backends.backend_for("articles").search(parse("archive")).count == 1000
    assert len(list(root.glob("gen-*"))) <= 2  # the half-built generation is gone
    call_command("check_index", verbosity=0)
