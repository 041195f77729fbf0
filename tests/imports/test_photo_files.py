"""Photos of an import: read safely from the media folder, validated as an upload,
stored with their renditions, the same picture kept once, and no orphan file
after a failed or killed import."""

import io
import math
import os

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import AutoField
from django.test.utils import CaptureQueriesContext
from PIL import Image

from imports.credits import credit_names
from imports.models import StoredFile
from imports.photo_files import PhotoFiles
from imports.records import PhotoSpec, RecordError
from photos import services
from photos.models import Photo, Rendition
from search.models import PendingUpdate
from tests.photos import images
from tests.photos.conftest import stored_files
from tests.photos.test_validation import exif_jpeg

pytestmark = pytest.mark.django_db

CREDIT = "© Agence Lumière / Photo : Jeanne Objectif"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()


@pytest.fixture
def source(tmp_path):
    """The import's --media-root."""
    folder = tmp_path / "archive"
    folder.mkdir()
    return folder


@pytest.fixture
def files(source):
    return PhotoFiles(source)


def put(folder, name: str, data: bytes) -> str:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return name


def bring_in(files: PhotoFiles, specs: list[PhotoSpec]):
    prepared = [files.prepare(spec) for spec in specs]
    files.store(prepared)
    with transaction.atomic():
        files.save_rows(prepared)
    return prepared


def uploaded(seed: int, data: bytes | None = None, **fields) -> Photo:
    """A photo an editor uploaded before the import."""
    fields = {
        "alt_text": "Une scène",
        "credit": f"© Studio {seed}",
        "title": f"Photo {seed}",
        **fields,
    }
    data = data if data is not None else images.jpeg(seed, (1200, 800))
    return services.upload_photo(file=images.upload("photo.jpg", data), **fields)


def nothing_stored(before: set[str]) -> bool:
    return (
        stored_files() == before
        and not Photo.objects.exists()
        and not Rendition.objects.exists()
        and not StoredFile.objects.exists()
    )


# -- A photo comes in ------------------------------------------------------------------


def test_valid_photo_becomes_a_photo_with_renditions_and_credit(source, files):
    put(source, "2019/07/affiche.jpg", exif_jpeg())
    spec = PhotoSpec(
        file="2019/07/affiche.jpg",
        credit=CREDIT,
        caption="Le réalisateur sur le tournage",
        title="Tournage",
        licence="agency",
        source="agency",
        url="https://ancien.example.org/wp-content/uploads/2019/07/affiche.jpg",
    )
    [prepared] = bring_in(files, [spec])

    photo = Photo.objects.get()
    assert prepared.photo_id == photo.pk
    assert (photo.credit, photo.caption, photo.title) == (CREDIT, spec.caption, "Tournage")
    assert photo.alt_text == "Le réalisateur sur le tournage"  # no alt: the caption
    assert (photo.photographer, photo.agency) == ("Jeanne Objectif", "Agence Lumière")
    assert (photo.photographer_slug, photo.agency_slug) == ("jeanne-objectif", "agence-lumiere")
    assert (photo.licence_kind, photo.source) == ("agency", "agency")
    assert photo.is_visible and photo.phash and photo.file_size
    assert (photo.width, photo.height) == (200, 300)  # turned upright
    wanted = services.rendition_sizes(photo.width)
    assert sorted((r.width, r.format) for r in photo.renditions.all()) == sorted(wanted)
    assert stored_files("photos") >= {
        photo.image.name,
        *(r.file.name for r in photo.renditions.all()),
    }
    with photo.image.open("rb") as original:
        stored = Image.open(original)
        assert not stored.getexif() and "xmp" not in stored.info  # metadata stripped
    assert not StoredFile.objects.exists()
    assert PendingUpdate.objects.filter(index="photos", object_id=str(photo.pk)).exists()


def test_png_and_wordpress_size_suffix(source, files):
    put(source, "affiche.png", images.encode(images.picture(4, (800, 600)), "PNG"))
    [prepared] = bring_in(files, [PhotoSpec(file="affiche-300x225.png", credit="© Studio")])
    assert prepared.file == "affiche.png"
    assert Photo.objects.get().width == 800


def test_photo_without_credit_is_imported_but_not_shown(source, files):
    put(source, "sans-credit.jpg", images.jpeg(5))
    bring_in(files, [PhotoSpec(file="sans-credit.jpg", alt="Une affiche de film")])
    photo = Photo.objects.get()
    assert photo.credit == "" and photo.alt_text == "Une affiche de film"
    assert not photo.is_visible and not Photo.objects.visible().exists()


@pytest.mark.parametrize(
    ("credit", "names"),
    [
        ("© Agence / Photo : Nom", ("Nom", "Agence")),
        ("Photo : Paul Martin / DR", ("Paul Martin", "")),
        ("Jeanne Objectif / © Netflix", ("Jeanne Objectif", "Netflix")),
        ("© Studio Canal", ("", "Studio Canal")),
        ("Photo de Marie Curie - © Pathé", ("Marie Curie", "Pathé")),
        ("DR", ("", "")),
    ],
)
def test_names_read_from_the_credit(credit, names):
    assert credit_names(credit) == names


# -- The same picture twice is one photo ---------------------------------------------------


def resaved(data: bytes, size, quality: int) -> bytes:
    """The same picture saved again at another size and quality."""
    picture = Image.open(io.BytesIO(data)).resize(size, Image.Resampling.BICUBIC)
    return images.encode(picture, "JPEG", quality=quality)


def test_same_picture_twice_is_one_photo(source, files):
    data = images.jpeg(6, (1200, 800))
    put(source, "a/film.jpg", data)
    put(source, "b/film-copie.jpg", resaved(data, (600, 400), 60))
    put(source, "c/autre.jpg", images.jpeg(7, (1200, 800)))
    specs = [
        PhotoSpec(file="a/film.jpg"),
        PhotoSpec(file="a/film.jpg", credit="© Distributeur"),  # same file, read once
        PhotoSpec(file="b/film-copie.jpg", caption="Une scène du film"),
        PhotoSpec(file="c/autre.jpg", credit="© Autre"),
    ]
    prepared = bring_in(files, specs)
    assert len({p.photo_id for p in prepared[:3]}) == 1
    assert prepared[3].photo_id != prepared[0].photo_id
    assert Photo.objects.count() == 2
    photo = Photo.objects.get(pk=prepared[0].photo_id)
    assert (photo.credit, photo.caption) == ("© Distributeur", "Une scène du film")
    assert Rendition.objects.filter(photo=photo).count() == len(services.rendition_sizes(1200))


def test_picture_already_in_the_database_is_reused_and_completed(source, files):
    data = images.jpeg(8, (1200, 800))
    existing = uploaded(8, data=data, credit="", caption="Légende de la rédaction")
    before = stored_files()
    put(source, "ancienne.jpg", resaved(data, (900, 600), 75))
    spec = PhotoSpec(file="ancienne.jpg", credit="© Agence Nord", caption="Légende importée")
    [prepared] = bring_in(files, [spec])
    assert prepared.photo_id == existing.pk and prepared.reused
    assert stored_files() == before  # no new file
    existing.refresh_from_db()
    assert existing.credit == "© Agence Nord" and existing.agency_slug == "agence-nord"
    assert existing.caption == "Légende de la rédaction"  # an editor's text stays
    assert Photo.objects.count() == 1


def test_existing_hashes_are_read_once(source, files):
    uploaded(9)
    for n in range(3):
        put(source, f"p{n}.jpg", images.jpeg(20 + n, (400, 300)))
    with CaptureQueriesContext(connection) as queries:
        for n in range(3):
            files.prepare(PhotoSpec(file=f"p{n}.jpg"))
    assert len(queries) == 1


# -- Bad files: a clear message, nothing stored ----------------------------------------


def upload_message(name: str, data: bytes) -> str:
    with pytest.raises(ValidationError) as refused:
        services.prepare_upload(images.upload(name, data))
    return refused.value.messages[0]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("tronquee.jpg", images.jpeg(1, (640, 480))[:4000]),
        ("texte.jpg", b"Ceci n'est pas une photo, seulement un texte.\n" * 20),
        ("bombe.png", images.bomb_png()),
        ("page.jpg", b"<html><script>alert(1)</script></html>"),
    ],
)
def test_bad_file_gets_the_uploads_message_and_nothing_is_stored(source, files, name, data):
    put(source, name, data)
    before = stored_files()
    with pytest.raises(RecordError) as refused:
        files.prepare(PhotoSpec(file=name, credit="© X"))
    assert f"« {name} »" in str(refused.value)
    assert upload_message(name, data) in str(refused.value)
    assert nothing_stored(before)


def test_copy_of_a_withdrawn_photo_is_refused(source, files):
    data = images.jpeg(10, (1200, 800))
    services.withdraw_photo(photo=uploaded(10, data=data, title="Affiche retirée"), reason="Agence")
    put(source, "retour.jpg", resaved(data, (600, 400), 70))
    with pytest.raises(RecordError, match="ressemble à une photo retirée"):
        files.prepare(PhotoSpec(file="retour.jpg"))


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("absente.jpg", "photo introuvable : « absente.jpg »"),
        ("absente-300x200.jpg", "ni « absente.jpg »"),
        ("../dehors.jpg", "sort du dossier des photos"),
        ("a/../../dehors.jpg", "sort du dossier des photos"),
        ("lien.jpg", "sort du dossier des photos"),  # a symbolic link leaving it
        ("/etc/passwd", "chemin absolu refusé"),
        ("C:\\photos\\x.jpg", "chemin absolu refusé"),
        ("dossier", "ce n'est pas un fichier"),
    ],
)
def test_paths_outside_or_missing_are_refused(source, files, tmp_path, name, words):
    put(tmp_path, "dehors.jpg", images.jpeg(11))
    os.symlink(tmp_path / "dehors.jpg", source / "lien.jpg")
    (source / "dossier").mkdir()
    before = stored_files()
    with pytest.raises(RecordError) as refused:
        files.prepare(PhotoSpec(file=name))
    assert words in str(refused.value)
    assert nothing_stored(before)


def test_without_media_root_photos_are_refused():
    with pytest.raises(RecordError, match="--media-root"):
        PhotoFiles(None).prepare(PhotoSpec(file="photo.jpg"))


def test_unknown_licence_is_refused(source, files):
    put(source, "p.jpg", images.jpeg(12))
    with pytest.raises(RecordError, match="licence inconnue « libre »"):
        files.prepare(PhotoSpec(file="p.jpg", licence="libre"))


# -- Failures: no orphan -----------------------------------------------------------------


def test_killed_import_leaves_files_that_the_next_one_deletes(source, files):
    kept = uploaded(13)
    put(source, "a.jpg", images.jpeg(14))
    put(source, "b.jpg", images.jpeg(15))
    before = stored_files()
    prepared = [files.prepare(PhotoSpec(file=name)) for name in ("a.jpg", "b.jpg")]
    files.store(prepared)  # ...and the process dies before save_rows()
    names = {name for p in prepared for name in p.names}
    assert stored_files() == before | names
    assert set(StoredFile.objects.values_list("name", flat=True)) == names
    StoredFile.objects.create(name=kept.image.name)  # a row whose photo was committed

    assert PhotoFiles.clean_interrupted() == len(names)
    assert stored_files() == before
    assert not StoredFile.objects.exists()
    assert kept.image.storage.exists(kept.image.name)
    assert PhotoFiles.clean_interrupted() == 0


def test_discard_after_a_failed_transaction_then_store_again(source, files):
    put(source, "a.jpg", images.jpeg(16))
    before = stored_files()
    prepared = [files.prepare(PhotoSpec(file="a.jpg", credit="© A"))]
    files.store(prepared)
    with pytest.raises(RuntimeError), transaction.atomic():
        files.save_rows(prepared)
        raise RuntimeError("an article of the batch failed")
    files.discard(prepared)
    assert nothing_stored(before) and prepared[0].photo_id is None

    files.store(prepared)  # the writer tries the articles again one by one
    with transaction.atomic():
        files.save_rows(prepared)
    assert Photo.objects.get().pk == prepared[0].photo_id


def test_repeat_of_a_discarded_picture_takes_its_place(source, files):
    put(source, "a.jpg", images.jpeg(17))
    first = files.prepare(PhotoSpec(file="a.jpg"))
    files.store([first])
    files.discard([first])  # its article failed for good
    again = files.prepare(PhotoSpec(file="a.jpg", credit="© B"))
    files.store([again])
    with transaction.atomic():
        files.save_rows([again])
    photo = Photo.objects.get()
    assert again.photo_id == photo.pk and photo.credit == "© B"
    assert photo.renditions.count() == len(services.rendition_sizes(photo.width))


def test_committed_photos_are_not_discarded(source, files, django_capture_on_commit_callbacks):
    put(source, "a.jpg", images.jpeg(18))
    prepared = [files.prepare(PhotoSpec(file="a.jpg"))]
    files.store(prepared)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        files.save_rows(prepared)
    files.discard(prepared)
    photo = Photo.objects.get()
    assert prepared[0].photo_id == photo.pk and photo.image.storage.exists(photo.image.name)
    assert prepared[0].image is None  # the bytes are released once committed


# -- Queries --------------------------------------------------------------------------------


def insert_batches(model, rows: int, cap: int | None = None) -> int:
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, AutoField)]
    size = connection.ops.bulk_batch_size(fields, [None] * rows)
    return math.ceil(rows / min(size, cap or size))


def save_queries(files, source, count: int, first_seed: int) -> int:
    specs = []
    for seed in range(first_seed, first_seed + count):
        specs.append(
            PhotoSpec(file=put(source, f"{seed}.jpg", images.jpeg(seed, (320, 240))), credit="© C")
        )
    prepared = [files.prepare(spec) for spec in specs]
    files.store(prepared)
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        files.save_rows(prepared)
    assert len({p.photo_id for p in prepared}) == count
    renditions = len(services.rendition_sizes(320))
    batches = insert_batches(Photo, count) + insert_batches(Rendition, count * renditions)
    return len(queries) - batches - insert_batches(PendingUpdate, count, cap=500)


def test_save_rows_makes_as_many_queries_for_50_photos_as_for_5(source, files):
    """Constant, but for the INSERT batches SQLite's 999-parameter limit imposes."""
    assert save_queries(files, source, 5, 100) == save_queries(files, source, 50, 200)
    assert Photo.objects.count() == 55
