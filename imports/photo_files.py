"""The photos of an import, a batch at a time: files read from ``--media-root``,
checked and cleaned exactly as an editor's upload, each picture kept once, and
files stored so that no orphan survives a failed or killed import.

The life of a batch, driven by ``imports.writer``:

1. ``prepare(spec)`` for each photo: reads and validates the file (no write);
   the same picture met again (same file, or a perceptual hash close to a photo
   already in the database or prepared earlier in the run) is reused.
2. ``store(prepared)``, outside any transaction: commits one ``StoredFile``
   journal row per file about to be written, then writes originals and
   renditions (encoded in worker threads: Pillow releases the GIL).
3. ``save_rows(prepared)``, inside the batch's transaction: the ``Photo`` and
   ``Rendition`` rows, with a constant number of queries, and the deletion of the
   journal rows, which thus commit with the photos.
4. If the transaction fails, ``discard(prepared)`` deletes the files. If the
   process is killed between 2 and 3, ``clean_interrupted()`` (at the start of the
   next import) deletes the files the journal names and no row uses.
"""

from __future__ import annotations

import logging
import os
import re
import stat
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import Truncator

from articles.models import Article
from imports.credits import credit_names
from imports.models import StoredFile
from imports.picture_index import PictureIndex
from imports.records import PhotoSpec, RecordError
from photos import imaging, services
from photos.models import Photo, Rendition, credit_slug
from search import indexer

logger = logging.getLogger(__name__)

# WordPress stores resized copies as "name-300x200.jpg" next to "name.jpg".
WORDPRESS_SIZE = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")
FILLED_FIELDS = ["credit", "caption", "alt_text", "photographer", "agency"]
FILLED_FIELDS += ["photographer_slug", "agency_slug", "updated_at"]


@dataclass(eq=False)
class PreparedPhoto:
    """One photo of an import on its way in.

    ``same_as``: the photo prepared earlier in this run that shows the same
    picture (this one then gets its ``photo_id`` in ``save_rows``). ``reused``:
    ``photo_id`` is a photo that was in the database before."""

    spec: PhotoSpec
    phash: str
    photo_id: int | None = None
    file: str = ""  # the file read, relative to the media root
    image: imaging.PreparedImage | None = None  # cleaned bytes, width, height
    same_as: PreparedPhoto | None = None
    reused: bool = False
    original_name: str = ""  # storage names, set by store()
    planned: dict[tuple[int, str], str] = field(default_factory=dict)
    renditions: list[tuple[int, int, str, str]] = field(default_factory=list)
    committed: bool = False

    @property
    def owns_files(self) -> bool:
        return self.same_as is None and not self.reused and self.image is not None

    @property
    def size(self) -> int:
        """Bytes this photo adds to storage (its original; 0 for a reused picture)."""
        return len(self.image.data) if self.owns_files and not self.committed else 0

    @property
    def names(self) -> list[str]:
        return [self.original_name, *self.planned.values()] if self.original_name else []


def _root(prepared: PreparedPhoto) -> PreparedPhoto:
    while prepared.same_as is not None:
        prepared = prepared.same_as
    return prepared


class PhotoFiles:
    def __init__(self, media_root: Path | None):
        self.media_root = Path(media_root).resolve() if media_root is not None else None
        self._by_path: dict[str, PreparedPhoto | RecordError] = {}
        self._known: PictureIndex | None = None
        self._withdrawn: list[tuple[int, str]] = []

    # -- Reading -----------------------------------------------------------------

    def prepare(self, spec: PhotoSpec) -> PreparedPhoto:
        """Read and validate one photo (no write); raises RecordError in French."""
        _check_spec(spec)
        path, shown = self._locate(spec.file)
        earlier = self._by_path.get(str(path))
        if isinstance(earlier, RecordError):
            raise RecordError(str(earlier))
        if earlier is not None:
            return self._again(spec, earlier)
        try:
            image = self._read(path, shown)
        except RecordError as error:
            self._by_path[str(path)] = error
            raise
        prepared = self._match(PreparedPhoto(spec, image.phash, file=shown, image=image))
        self._by_path[str(path)] = prepared
        return prepared

    def _locate(self, name: str) -> tuple[Path, str]:
        """The file under the media root (or the full-size file a WordPress resized
        copy's name points to), and its name relative to the root."""
        if self.media_root is None:
            raise RecordError(f"photo « {name} » : indiquez le dossier des photos (--media-root)")
        if not name or PurePosixPath(name).is_absolute() or PureWindowsPath(name).anchor:
            raise RecordError(
                f"photo « {name} » : chemin absolu refusé (il doit être relatif à --media-root)"
            )
        candidates = [name] + (
            [WORDPRESS_SIZE.sub("", name)] if WORDPRESS_SIZE.search(name) else []
        )
        for candidate in candidates:
            path = self._inside(candidate)
            if path.is_file():
                return path, candidate
            if path.exists():
                raise RecordError(f"photo « {candidate} » : ce n'est pas un fichier")
        missing = f"photo introuvable : « {name} »"
        raise RecordError(missing + (f" (ni « {candidates[1]} »)" if len(candidates) > 1 else ""))

    def _inside(self, name: str) -> Path:
        try:
            path = (self.media_root / name).resolve()
        except (OSError, ValueError) as error:
            raise RecordError(f"photo « {name} » : nom de fichier invalide ({error})") from None
        if not path.is_relative_to(self.media_root):
            raise RecordError(f"photo « {name} » : ce chemin sort du dossier des photos, refusé")
        return path

    def _read(self, path: Path, shown: str) -> imaging.PreparedImage:
        """The upload's own validation and cleaning, on a file opened without
        following a symbolic link swapped in since ``_locate``."""
        self._load_known()
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError as error:
            raise RecordError(f"photo « {shown} » illisible : {error.strerror}") from None
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise RecordError(f"photo « {shown} » : ce n'est pas un fichier")
            try:
                return services.prepare_upload(
                    File(handle, name=path.name), withdrawn=self._withdrawn
                )
            except ValidationError as error:
                raise RecordError(f"photo « {shown} » : {' '.join(error.messages)}") from None

    def _load_known(self) -> None:
        """Every photo's hash, read once (one query) at the first file."""
        if self._known is not None:
            return
        self._known = PictureIndex()
        rows = Photo.objects.exclude(phash="").values_list(
            "pk", "phash", "status", "width", "height"
        )
        for pk, phash, status, width, height in rows:
            if status == Photo.Status.WITHDRAWN:
                self._withdrawn.append((pk, phash))
            else:
                self._known.add(phash, pk, width, height)

    def _match(self, prepared: PreparedPhoto) -> PreparedPhoto:
        image = prepared.image
        owner = self._known.find(image.phash, image.width, image.height)
        if isinstance(owner, int):
            prepared.photo_id, prepared.reused, prepared.image = owner, True, None
        elif owner is not None:
            prepared.same_as = owner
        else:
            self._known.add(image.phash, prepared, image.width, image.height)
        return prepared

    def _again(self, spec: PhotoSpec, earlier: PreparedPhoto) -> PreparedPhoto:
        """The same file named once more: read once, one photo."""
        again = PreparedPhoto(spec, earlier.phash, file=earlier.file, image=earlier.image)
        if earlier.reused:
            again.photo_id, again.reused = earlier.photo_id, True
        else:
            again.same_as = earlier
        return again

    # -- Files -----------------------------------------------------------------

    def store(self, prepared: list[PreparedPhoto]) -> None:
        """Write the files of the new pictures; outside any transaction, so that
        their journal rows are committed before the files exist."""
        todo = self._to_store(prepared)
        if not todo:
            return
        for photo in todo:
            _plan(photo)
        journal = [StoredFile(name=name) for photo in todo for name in photo.names]
        StoredFile.objects.bulk_create(journal)
        written: list[str] = []
        try:
            for photo, made in zip(todo, _render(todo), strict=True):
                _write(photo.original_name, photo.image.data, written)
                for rendition in made:
                    name = photo.planned[(rendition.width, rendition.format)]
                    _write(name, rendition.data, written)
                    photo.renditions.append(
                        (rendition.width, rendition.height, rendition.format, name)
                    )
        except BaseException:
            _delete_files(written)
            StoredFile.objects.filter(pk__in=[row.pk for row in journal]).delete()
            for photo in todo:
                photo.original_name, photo.planned, photo.renditions = "", {}, []
            raise

    def _to_store(self, prepared: list[PreparedPhoto]) -> list[PreparedPhoto]:
        """The photos of the list that own new files, once each. A repeat whose first
        occurrence went with a failed batch (not stored, not saved) takes its place."""
        listed = {id(p) for p in prepared}
        todo: dict[int, PreparedPhoto] = {}
        for photo in prepared:
            first = _root(photo)
            if first.reused or first.photo_id is not None or first.original_name:
                continue
            if id(first) not in listed and photo.image is not None:
                photo.same_as, first.same_as = None, photo
                first = photo
            todo.setdefault(id(first), first)
        return list(todo.values())

    # -- Rows ------------------------------------------------------------------

    def save_rows(self, prepared: list[PreparedPhoto]) -> None:
        """The rows of the list's photos, inside the caller's transaction."""
        unique = list({id(p): p for p in prepared}.values())
        new = [p for p in unique if p.owns_files and p.photo_id is None]
        if any(not p.original_name for p in new):
            raise ValueError("PhotoFiles.save_rows(): call store() with these photos first.")
        repeats: dict[int, list[PhotoSpec]] = {}
        for p in unique:
            if p.same_as is not None:
                repeats.setdefault(id(_root(p)), []).append(p.spec)
        rows = [_new_row(p, repeats.get(id(p), [])) for p in new]
        Photo.objects.bulk_create(rows)
        for p, row in zip(new, rows, strict=True):
            p.photo_id = row.pk
        Rendition.objects.bulk_create(
            Rendition(photo_id=p.photo_id, width=w, height=h, format=f, file=name)
            for p in new
            for w, h, f, name in p.renditions
        )
        _forget([name for p in new for name in p.names])
        filled = self._fill_existing(unique, {id(p) for p in new})
        indexer.enqueue("photos", [p.photo_id for p in new] + filled)
        if filled:  # their articles show the credit and caption just filled in
            indexer.enqueue("articles", _articles_showing(filled))
        transaction.on_commit(lambda: _committed(unique))

    def _fill_existing(self, unique: list[PreparedPhoto], new: set[int]) -> list[int]:
        """Complete reused photos' empty credit, caption or alt text from the
        import (never overwriting an editor's text); returns the ids changed."""
        specs: dict[int, list[PhotoSpec]] = {}
        for p in unique:
            first = _root(p)
            if first.photo_id is None:
                raise ValueError(f"PhotoFiles.save_rows(): « {p.file} » repeats an unsaved photo.")
            p.photo_id = first.photo_id
            if id(first) not in new and (p.spec.credit or p.spec.caption or p.spec.alt):
                specs.setdefault(first.photo_id, []).append(p.spec)
        if not specs:
            return []
        changed = []
        for photo in Photo.objects.select_for_update().filter(pk__in=list(specs)):
            if [_fill(photo, spec) for spec in specs[photo.pk]].count(True):
                photo.updated_at = timezone.now()
                changed.append(photo)
        Photo.objects.bulk_update(changed, FILLED_FIELDS)
        return [photo.pk for photo in changed]

    def discard(self, prepared: list[PreparedPhoto]) -> None:
        """After the caller's transaction failed: the files store() wrote go, with
        their journal rows; the photos may be stored again."""
        unique = [p for p in {id(p): p for p in prepared}.values() if not p.committed]
        owned = [p for p in unique if p.original_name]
        deleted = _delete_files([name for p in owned for name in p.names])
        _forget(deleted)
        for p in owned:
            p.original_name, p.planned, p.renditions = "", {}, []
        for p in unique:
            if not p.reused:
                p.photo_id = None

    @staticmethod
    def clean_interrupted() -> int:
        """Delete the files a killed import stored without their rows (those the
        journal names and no photo or rendition uses); returns how many."""
        rows = list(StoredFile.objects.values_list("pk", "name"))
        if not rows:
            return 0
        names = [name for _pk, name in rows]
        used = set(Photo.objects.filter(image__in=names).values_list("image", flat=True))
        used |= set(Rendition.objects.filter(file__in=names).values_list("file", flat=True))
        storage = Photo._meta.get_field("image").storage
        orphans = [name for name in names if name not in used and storage.exists(name)]
        deleted = set(_delete_files(orphans))
        failed = set(orphans) - deleted
        StoredFile.objects.filter(pk__in=[pk for pk, name in rows if name not in failed]).delete()
        return len(deleted)


# -- Helpers ---------------------------------------------------------------------


def _articles_showing(photo_ids: list[int]) -> list[int]:
    using = (
        models.Q(lead_photo__in=photo_ids)
        | models.Q(gallery__in=photo_ids)
        | models.Q(body_photos__in=photo_ids)
    )
    return list(Article.objects.filter(using).values_list("pk", flat=True).distinct())


_ORIGINAL = Photo._meta.get_field("image")
_RENDITION = Rendition._meta.get_field("file")


def _check_spec(spec: PhotoSpec) -> None:
    """What the rows need and a reader may not have checked (the database's
    constraints would refuse the whole batch)."""
    if spec.licence not in Photo.LicenceKind.values:
        raise RecordError(f"photo « {spec.file} » : licence inconnue « {spec.licence} »")
    if spec.source not in Photo.Source.values:
        raise RecordError(f"photo « {spec.file} » : provenance inconnue « {spec.source} »")
    limit = Photo._meta.get_field("credit").max_length
    if len(spec.credit.strip()) > limit:
        raise RecordError(
            f"photo « {spec.file} » : crédit trop long ({len(spec.credit.strip())} caractères, "
            f"{limit} au plus)"
        )


def _plan(photo: PreparedPhoto) -> None:
    """Storage names, as the fields' ``upload_to`` makes them for an upload."""
    photo.original_name = _ORIGINAL.generate_filename(None, "original.jpg")
    photo.planned = {
        (width, fmt): _RENDITION.generate_filename(Rendition(format=fmt), f"r.{fmt}")
        for width, fmt in services.rendition_sizes(photo.image.width)
    }
    photo.renditions = []


def _render(todo: list[PreparedPhoto]):
    """The renditions of each photo, in order, encoded by one thread per CPU."""
    jobs = [(p.image.data, list(p.planned)) for p in todo]
    workers = min(os.cpu_count() or 1, len(jobs))
    if workers < 2:
        yield from (services.render_renditions(*job) for job in jobs)
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(lambda job: services.render_renditions(*job), jobs)


def _write(name: str, data: bytes, written: list[str]) -> None:
    saved = _ORIGINAL.storage.save(name, ContentFile(data))
    written.append(saved)
    if saved != name:  # the storage renamed it: the journal would not know it
        raise OSError(f"storage saved {name!r} as {saved!r}")


def _delete_files(names: list[str]) -> list[str]:
    """Delete files from storage; returns those deleted (a failure is logged and
    its journal row kept, for ``clean_interrupted``)."""
    deleted = []
    for name in names:
        try:
            _ORIGINAL.storage.delete(name)
        except OSError:
            logger.warning("Could not delete the imported file %s", name, exc_info=True)
        else:
            deleted.append(name)
    return deleted


def _forget(names: list[str], chunk: int = 10_000) -> None:
    """Delete the journal rows of ``names``, one statement per 10,000 names.
    Not ``QuerySet.delete()``: with delete signals connected for every model (the
    page cache), it reads the rows first and deletes them a hundred at a time."""
    table = connection.ops.quote_name(StoredFile._meta.db_table)
    for start in range(0, len(names), chunk):
        part = names[start : start + chunk]
        marks = ", ".join(["%s"] * len(part))
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE name IN ({marks})", part)  # noqa: S608


def _new_row(photo: PreparedPhoto, repeats: list[PhotoSpec]) -> Photo:
    """The Photo row as ``Photo.save()`` would complete it (bulk_create skips it)."""
    spec, image = photo.spec, photo.image
    row = Photo(
        image=photo.original_name,
        title=_cut(spec.title, "title"),
        licence_kind=spec.licence,
        licence_notes=spec.licence_notes,
        licence_end=spec.licence_end,
        source=spec.source,
        width=image.width,
        height=image.height,
        file_size=len(image.data),
        phash=image.phash,
        lookup_hash=image.lookup_hash,
    )
    for each in [spec, *repeats]:
        _fill(row, each)
    return row


def _fill(photo: Photo, spec: PhotoSpec) -> bool:
    """Fill the photo's empty credit, caption and alt text from ``spec`` (alt text:
    the spec's, else its caption, else its title); True if anything changed."""
    values = {
        "credit": spec.credit.strip(),
        "caption": _cut(spec.caption, "caption"),
        "alt_text": _cut(spec.alt or spec.caption or spec.title, "alt_text"),
    }
    empty = {
        name: value for name, value in values.items() if value and not getattr(photo, name).strip()
    }
    for name, value in empty.items():
        setattr(photo, name, value)
    if "credit" in empty:
        photographer, agency = credit_names(photo.credit)
        photo.photographer = photo.photographer or photographer
        photo.agency = photo.agency or agency
        photo.photographer_slug = credit_slug(photo.photographer)
        photo.agency_slug = credit_slug(photo.agency)
    return bool(empty)


def _cut(text: str, name: str) -> str:
    """Descriptions longer than the field are shortened at a word, with « … »."""
    return Truncator(text.strip()).chars(Photo._meta.get_field(name).max_length)


def _committed(photos: list[PreparedPhoto]) -> None:
    """Rows and files now belong together; the bytes are no longer needed."""
    for photo in photos:
        photo.committed = True
        if photo.image is not None:
            photo.image = None
