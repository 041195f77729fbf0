"""Acceptance: an import killed with SIGKILL half-way, then run again, finishes the
job: no duplicate, no partial article, no orphan photo file, the index in step.

The import runs in a real process (``python -c``) on the test's own database,
media folder and index directory, as in tests/search/test_concurrency.py.
"""

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
from django.db import connection

from articles.models import Article
from imports.models import StoredFile
from photos.models import Photo, Rendition
from search import indexer
from search.models import PendingUpdate
from tests.photos import images

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite" and connection.is_in_memory_db(),
        reason="needs a file-based SQLite test database",
    ),
    pytest.mark.skipif(
        os.environ.get("TEST_MEDIA_STORAGE") == "memory",
        reason="the import runs in another process: media must be on disk",
    ),
]

ROOT = Path(__file__).resolve().parents[2]
ARTICLES, PHOTOS = 240, 120

IMPORT = textwrap.dedent(
    """
    import json, os, sys
    from pathlib import Path
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    from django.conf import settings
    settings.DATABASES["default"].update(json.loads(os.environ["TEST_DB"]))
    settings.SEARCH_INDEX_DIR = Path(os.environ["TEST_INDEX_DIR"])
    settings.MEDIA_ROOT = Path(os.environ["TEST_MEDIA_ROOT"])
    import django
    django.setup()
    from django.core.management import call_command
    call_command(
        "import_articles", sys.argv[1], media_root=Path(sys.argv[2]), batch_size=10,
        no_progress=True,
    )
    """
)


def start(export: Path, media: Path) -> subprocess.Popen:
    db = connection.settings_dict
    env = {
        **os.environ,
        "TEST_DB": json.dumps({"NAME": db["NAME"], "OPTIONS": db.get("OPTIONS", {})}),
        "TEST_INDEX_DIR": str(settings.SEARCH_INDEX_DIR),
        "TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    return subprocess.Popen(
        [sys.executable, "-c", IMPORT, str(export), str(media)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def archive(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"  # this test's files alone
    media = tmp_path / "uploads"
    (media / "2020").mkdir(parents=True)
    for n in range(PHOTOS):
        data = images.jpeg(9000 + n, (320, 240))
        (media / "2020" / f"image-{n}.jpg").write_bytes(data)
    export = tmp_path / "archive.jsonl"
    with export.open("w", encoding="utf-8") as out:
        for n in range(ARTICLES):
            record = {
                "source_url": f"https://revue.example.org/{n}/",
                "title": f"Carnet de tournage numéro {n}",
                "date": f"2020-0{1 + n % 9}-1{n % 10}",
                "tags": ["Tournage", "Cinéma"],
                "authors": ["Aurore Lenclos"],
                "body": f"<p>Le carnet {n} raconte une journée de tournage sous la pluie.</p>",
                "lead_photo": {
                    "file": f"2020/image-{n % PHOTOS}.jpg",
                    "credit": f"© Studio Ardoise / Photo : Noé Castel {n % PHOTOS}",
                    "alt": "Une équipe de tournage sous la pluie",
                    "url": f"https://revue.example.org/uploads/image-{n % PHOTOS}.jpg",
                },
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return export, media


def stored_names() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def test_an_import_killed_half_way_finishes_when_run_again(archive):
    export, media = archive
    process = start(export, media)
    deadline = time.monotonic() + 120
    while Article.objects.count() < ARTICLES // 4:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the import did not start writing"
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert Article.objects.count() < ARTICLES, "killed too late to test anything"

    again = start(export, media)
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err

    assert Article.objects.count() == ARTICLES
    assert Article.objects.filter(lead_photo__isnull=True).count() == 0
    assert Photo.objects.count() == PHOTOS
    for article in Article.objects.all():
        assert article.history.count() >= 1
    assert not StoredFile.objects.exists()
    used = set(Photo.objects.values_list("image", flat=True))
    used |= set(Rendition.objects.values_list("file", flat=True))
    assert stored_names() == used, "orphan or missing files"
    assert not PendingUpdate.objects.exists()
    for name in ("articles", "photos"):
        assert indexer.drift(name) == {"missing": [], "stale": [], "extra": []}
