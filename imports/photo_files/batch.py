"""``PhotoFiles``: the photos of one import, a batch at a time: read and matched
against the library (``prepare``), their files written (``store``), their rows
saved (``save_rows``) or their files deleted (``discard``), and the files of a
killed import cleaned up (``clean_interrupted``)."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path, PurePosixPath, PureWindowsPath

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

import imports.photo_files.storage as files
from imports.models import StoredFile
from imports.photo_files.prepared import PreparedPhoto, committed, root
from imports.photo_files.rows import FILLED_FIELDS, articles_showing, check_spec, fill, new_row
from imports.picture_index import PictureIndex
from imports.records import PhotoSpec, RecordError
from photos import imaging, services
from photos.models import Photo, Rendition
from search import indexer

# WordPress stores resized copies as "name-300x200.jpg" next to "name.jpg".
WORDPRESS_SIZE = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")


class PhotoFiles:
    def __init__(self, media_root: Path | None):
        self.media_root = Path(media_root).resolve() if media_root is not None else None
        self._by_path: dict[str, PreparedPhoto | RecordError] = {}
        self._known: PictureIndex | None = None
        self._withdrawn: list[tuple[int, str]] = []

    # -- Reading -----------------------------------------------------------------

    def prepare(self, spec: PhotoSpec) -> PreparedPhoto:
        """Read and validate one photo (no write); raises RecordError in French."""
        check_spec(spec)
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
            files.plan(photo)
        journal = [StoredFile(name=name) for photo in todo for name in photo.names]
        StoredFile.objects.bulk_create(journal)
        written: list[str] = []
        try:
            for photo, made in zip(todo, files.render(todo), strict=True):
                files.write(photo.original_name, photo.image.data, written)
                for rendition in made:
                    name = photo.planned[(rendition.width, rendition.format)]
                    files.write(name, rendition.data, written)
                    photo.renditions.append(
                        (rendition.width, rendition.height, rendition.format, name)
                    )
        except BaseException:
            files.delete_files(written)
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
            first = root(photo)
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
                repeats.setdefault(id(root(p)), []).append(p.spec)
        rows = [new_row(p, repeats.get(id(p), [])) for p in new]
        Photo.objects.bulk_create(rows)
        for p, row in zip(new, rows, strict=True):
            p.photo_id = row.pk
        Rendition.objects.bulk_create(
            Rendition(photo_id=p.photo_id, width=w, height=h, format=f, file=name)
            for p in new
            for w, h, f, name in p.renditions
        )
        files.forget([name for p in new for name in p.names])
        filled = self._fill_existing(unique, {id(p) for p in new})
        indexer.enqueue("photos", [p.photo_id for p in new] + filled)
        if filled:  # their articles show the credit and caption just filled in
            indexer.enqueue("articles", articles_showing(filled))
        transaction.on_commit(lambda: committed(unique))

    def _fill_existing(self, unique: list[PreparedPhoto], new: set[int]) -> list[int]:
        """Complete reused photos' empty credit, caption or alt text from the
        import (never overwriting an editor's text); returns the ids changed."""
        specs: dict[int, list[PhotoSpec]] = {}
        for p in unique:
            first = root(p)
            if first.photo_id is None:
                raise ValueError(f"PhotoFiles.save_rows(): « {p.file} » repeats an unsaved photo.")
            p.photo_id = first.photo_id
            if id(first) not in new and (p.spec.credit or p.spec.caption or p.spec.alt):
                specs.setdefault(first.photo_id, []).append(p.spec)
        if not specs:
            return []
        changed = []
        for photo in Photo.objects.select_for_update().filter(pk__in=list(specs)):
            if [fill(photo, spec) for spec in specs[photo.pk]].count(True):
                photo.updated_at = timezone.now()
                changed.append(photo)
        Photo.objects.bulk_update(changed, FILLED_FIELDS)
        return [photo.pk for photo in changed]

    def discard(self, prepared: list[PreparedPhoto]) -> None:
        """After the caller's transaction failed: the files store() wrote go, with
        their journal rows; the photos may be stored again."""
        unique = [p for p in {id(p): p for p in prepared}.values() if not p.committed]
        owned = [p for p in unique if p.original_name]
        deleted = files.delete_files([name for p in owned for name in p.names])
        files.forget(deleted)
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
        deleted = set(files.delete_files(orphans))
        failed = set(orphans) - deleted
        StoredFile.objects.filter(pk__in=[pk for pk, name in rows if name not in failed]).delete()
        return len(deleted)
