"""Backup and restore (docs/operations.md): dump, wipe, restore, rebuild_index,
check_index clean, the same pages render.

The production procedure copies the database with its own tools (pg_dump,
SQLite's backup); this test uses dumpdata/loaddata, which work the same on
SQLite and PostgreSQL, and copies media and private files through the Storage API.
"""

import datetime
import io
import re
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import Storage, default_storage
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings

from articles.models import Article, GalleryItem, GenreTag
from photos import services as photo_services
from photos.models import Photo, Rendition, private_storage
from search import backends
from takedowns import services as takedown_services
from takedowns.models import Event, Evidence, Notice, evidence_storage
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    SectionFactory,
    UserFactory,
    ensure_roles,
)
from tests.photos import images
from tests.takedowns.conftest import notice_data, reasons

PARIS = ZoneInfo("Europe/Paris")

# Rebuilt by migrate/flush (contenttypes, permissions), worthless in a restore
# (sessions, admin log) or rebuilt from the database (the search tables).
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "search.pendingupdate",
    "search.searchdocument",
    "search.searchterm",
]
# Per-request values that legitimately differ between two renderings.
VOLATILE = [
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"'), 'name="csrfmiddlewaretoken"'),
    (re.compile(r'nonce="[^"]*"'), 'nonce=""'),
]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _roles():
    """The groups the data migrations create, which earlier transactional tests flushed."""
    ensure_roles()


@pytest.fixture(autouse=True)
def _data_dirs(settings, tmp_path):
    """Media, private files and the index in this test's own folders, so that
    wiping them touches nothing else."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PHOTO_PRIVATE_ROOT = tmp_path / "private" / "photos"
    settings.TAKEDOWN_PRIVATE_ROOT = tmp_path / "private" / "takedowns"
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    settings.SITE_URL = "http://testserver"
    backends.reset()
    cache.clear()
    yield
    cache.clear()
    backends.reset()


def build_archive() -> dict:
    """A small archive touching every kind of row a restore must bring back."""
    chief = UserFactory(username="cheffe", email="cheffe@example.org", is_superuser=True)
    critique = SectionFactory(name="Critique")
    news = SectionFactory(name="Actualités")
    camille = AuthorFactory(name="Camille Lumière", user=chief)
    jeanne = AuthorFactory(name="Jeanne Écran")
    photos = [
        photo_services.upload_photo(
            file=images.upload(f"photo-{seed}.jpg", images.jpeg(seed, (1200, 800))),
            title=f"Tournage {seed}",
            alt_text=f"Une scène de tournage n° {seed}",
            credit=f"© Studio {seed} / Photo : Jeanne Objectif",
            photographer="Jeanne Objectif",
            agency=f"Studio {seed}",
            uploaded_by=chief,
        )
        for seed in (1, 2, 3, 4)
    ]
    start = datetime.datetime(2024, 5, 2, 9, tzinfo=PARIS)
    articles = []
    for n in range(6):
        articles.append(
            ArticleFactory(
                title=f"« Polar du Nord {n} » : une critique glaciale",
                body=f"<p>Un polar nordique très sombre, n° {n}.</p><p>La neige et le sang.</p>",
                section=critique if n % 2 else news,
                published_at=start + datetime.timedelta(days=n),
                lead_photo=photos[n % 4],
                tags=["Polar nordique", "Cinéma"] if n % 2 else ["Polar nordique"],
                authors=[camille, jeanne] if n % 3 else [camille],
                created_by=chief,
            )
        )
    featured = articles[-1]
    for position, photo in enumerate(photos[1:3]):
        GalleryItem.objects.create(article=featured, photo=photo, position=position)
    featured.title = "« Polar du Nord 5 » : la critique, revue"
    featured.save()  # a second history row
    ArticleFactory(title="Brouillon jamais publié", status=Article.Status.DRAFT, published_at=None)

    # A rights holder's request: confirmed, evidence attached, photo withdrawn
    # (its original kept in private storage until the case is closed).
    notice = takedown_services.submit_notice(**notice_data(photos[3]))
    takedown_services.confirm_notice(notice=notice)
    Evidence.objects.create(
        notice=notice, original_name="licence.pdf", content_type="application/pdf", size=13
    ).file.save("evidence/licence.pdf", io.BytesIO(b"%PDF-1.4 test"))
    takedown_services.mark_verified(notice=notice, by=chief, note="Complète")
    takedown_services.withdraw(notice=notice, by=chief, reasons=reasons(), photos=[photos[3]])
    photos[3].refresh_from_db()
    assert photos[3].private_copy
    return {
        "featured": featured,
        "withdrawn": articles[3],
        "tag": GenreTag.objects.get(name="Polar nordique"),
    }


def pages(archive: dict) -> list[str]:
    tag = archive["tag"]
    photo = archive["featured"].lead_photo
    return [
        "/",
        "/en/",
        archive["featured"].get_absolute_url(),
        "/en" + archive["featured"].get_absolute_url(),
        archive["withdrawn"].get_absolute_url(),
        tag.get_absolute_url(),
        "/recherche/?q=polar+nordique",
        "/recherche/?q=neige&sort=date",
        "/api/search/?q=polar",
        "/flux/rss/",
        f"{tag.get_absolute_url()}atom/",
        f"/photos/credits/{photo.photographer_slug}/",
        "/2024/",
        "/auteurs/",
        "/sitemap-articles.xml",
    ]


def render(urls: list[str]) -> dict[str, str]:
    client = Client()
    rendered = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        html = response.content.decode()
        for pattern, replacement in VOLATILE:
            html = pattern.sub(replacement, html)
        rendered[url] = html
    return rendered


def files_in(storage: Storage, folder: str = "") -> list[str]:
    """Every file of a storage, through the Storage API."""
    if folder and not storage.exists(folder):
        return []
    dirs, files = storage.listdir(folder)
    found = [f"{folder}/{name}".lstrip("/") for name in files]
    for sub in dirs:
        found += files_in(storage, f"{folder}/{sub}".lstrip("/"))
    return sorted(found)


def storages() -> dict[str, Storage]:
    return {"media": default_storage, "photos": private_storage(), "takedowns": evidence_storage()}


def back_up(target: Path) -> Path:
    """What the nightly backup does: the data (not the search index) and the files."""
    target.mkdir()
    # XML rather than JSON: Django's JSON encoder cuts datetimes to milliseconds,
    # and a feed's <updated> would then change.
    dump = target / "data.xml"
    call_command(
        "dumpdata",
        format="xml",
        # Not natural_primary: TaggedArticle inherits taggit's natural_key() without
        # natural_key_fields, and loaddata could not read its rows back.
        natural_foreign=True,
        exclude=EXCLUDED,
        output=str(dump),
        verbosity=0,
    )
    for kind, storage in storages().items():
        for name in files_in(storage):
            copy = target / kind / name
            copy.parent.mkdir(parents=True, exist_ok=True)
            with storage.open(name, "rb") as source:
                copy.write_bytes(source.read())
    return dump


def wipe() -> None:
    """Losing the machine: empty database, no files, no index."""
    if connection.vendor == "postgresql":
        # The test runs in a transaction: deferred constraint checks must fire
        # before PostgreSQL lets flush TRUNCATE the tables.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # loaddata relies on deferred checks
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    for storage in storages().values():
        for name in files_in(storage):
            storage.delete(name)
    shutil.rmtree(settings.SEARCH_INDEX_DIR, ignore_errors=True)
    backends.reset()
    cache.clear()


def restore(source: Path) -> None:
    # loaddata sets many-to-many fields with signals that carry no raw flag:
    # simple_history would record one more version of every article with authors.
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        call_command("loaddata", str(source / "data.xml"), verbosity=0)
    for kind, storage in storages().items():
        folder = source / kind
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            name = path.relative_to(folder).as_posix()
            with path.open("rb") as data:
                saved = storage.save(name, data)
            assert saved == name, f"{kind}: {name} came back as {saved}"


def counts() -> dict[str, int]:
    models = [m for m in apps.get_models() if m._meta.label_lower.split(".")[0] not in
              ("contenttypes", "sessions", "admin", "search")]  # fmt: skip
    return {m._meta.label: m._default_manager.count() for m in models}


def test_dump_wipe_restore_rebuild_and_the_same_pages_render(tmp_path):
    archive = build_archive()
    # The reference is a freshly built index, as the restored site will have: an
    # index updated document by document keeps deleted documents in its
    # statistics, which moves scores (search order, "À lire aussi") a little.
    call_command("rebuild_index", verbosity=0)
    urls = pages(archive)
    before = render(urls)
    rows_before = counts()
    files_before = {kind: files_in(storage) for kind, storage in storages().items()}
    assert files_before["media"] and files_before["photos"] and files_before["takedowns"]
    assert Rendition.objects.exists()

    backup = tmp_path / "backup"
    back_up(backup)
    dumped = set(re.findall(r'model="([a-z_.]+)"', (backup / "data.xml").read_text()))
    assert {"articles.article", "photos.rendition", "takedowns.evidence", "auth.group"} <= dumped
    assert not dumped & {"search.searchdocument", "search.pendingupdate", "auth.permission"}

    wipe()
    assert not Article.objects.exists() and not Photo.objects.exists()
    assert not any(files_in(storage) for storage in storages().values())
    assert not Path(settings.SEARCH_INDEX_DIR).exists()

    restore(backup)
    call_command("rebuild_index", verbosity=0)
    out = io.StringIO()
    call_command("check_index", stdout=out)  # SystemExit(1) if the index drifted
    assert "missing" not in out.getvalue() and "stale" not in out.getvalue()

    assert counts() == rows_before
    assert {kind: files_in(storage) for kind, storage in storages().items()} == files_before
    for photo in Photo.objects.exclude(image=""):
        assert photo.image.storage.exists(photo.image.name)
        assert all(r.file.storage.exists(r.file.name) for r in photo.renditions.all())
    withdrawn = Photo.objects.get(status=Photo.Status.WITHDRAWN)
    assert private_storage().exists(withdrawn.private_copy)
    notice = Notice.objects.get()
    assert evidence_storage().exists(notice.evidence.get().file.name)
    assert Event.objects.filter(notice=notice).count() == rows_before["takedowns.Event"]
    assert archive["featured"].history.count() >= 2

    after = render(urls)
    for url in urls:
        assert after[url] == before[url], f"{url} renders differently after the restore"
