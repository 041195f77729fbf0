"""Finding photos of the library from a picture: a rights holder's own file,
resized, recompressed, cropped by a few percent or mirrored.

The uploaded file is read in memory only (the caller makes sure the request
never spools it to disk), checked as any upload is (``photos.validation``: same
rules, same messages) and reduced to 32 lookup hashes
(``imaging.lookup_candidates``). Each process keeps the library's lookup hashes
in a NumPy array, refreshed when photos change; a lookup is a popcount of the
array against each candidate hash, with no Python loop over photos.

Which matches may be shown is not decided here: the index holds every photo
that has a picture, and callers filter the few matches through the querysets
that decide visibility."""

import dataclasses
import logging
import threading
import time

import numpy as np
from django.core.exceptions import ValidationError
from django.db.models import Count, Max
from PIL import Image

from photos import imaging, validation
from photos.models import Photo

logger = logging.getLogger(__name__)

# Out of 256 bits. Measured (bench/lookup.py): copies resized to 30-80 %,
# recompressed at JPEG quality 40-90, cropped by up to 5 % per side, mirrored or
# not, lie within 32 bits of their photo; among 50,000 photos, no unrelated
# picture came closer than 49 bits.
MATCH_DISTANCE = 40
# A crop of up to 5 % per side changes the aspect ratio by up to ~11 %.
SAME_SHAPE = 0.15
# Photos hashed while refreshing the index when they have no lookup hash yet
# (stored before the hash existed and not reached by the migration): at most
# this many per refresh, so that no request waits for a whole backfill.
FILL_PER_REFRESH = 200
# New photos are seen at the next lookup (the largest pk is read each time, from
# the primary key's index); other changes (a replaced file) within this many
# seconds. Visibility never depends on it: it is read from the database.
FULL_CHECK_SECONDS = 30
# Decoding needs no more than this many pixels on the long side (JPEG draft).
_DECODE_SIDE = 320


@dataclasses.dataclass(frozen=True)
class Query:
    """What is kept of an uploaded picture: its hashes and shape, nothing else."""

    name: str
    candidates: np.ndarray
    width: int
    height: int


@dataclasses.dataclass(frozen=True)
class Match:
    photo_id: int
    distance: int


def analyse(upload) -> Query:
    """Check an uploaded file as every upload is checked and hash it, in memory.
    Raises ValidationError with the messages used for editors' uploads."""
    validation._check_size(upload)
    extension = validation._check_extension(upload.name or "")
    validation._check_not_markup(upload)
    with validation._opened(upload) as image:
        validation._check_format(image.format, extension)
        validation._check_pixels(image.width, image.height)
        try:
            image.verify()
        except Exception as exc:  # Pillow raises many types for damaged files
            raise validation._damaged() from exc
    with validation._opened(upload) as image:
        try:
            picture = _decoded(image)
        except ValidationError:
            raise
        except Exception as exc:
            raise validation._damaged() from exc
    return Query(
        name=upload.name or "",
        candidates=imaging.lookup_candidates(picture),
        width=picture.width,
        height=picture.height,
    )


def _decoded(image: Image.Image) -> Image.Image:
    """Upright RGB pixels, decoded at a reduced scale when the format allows it."""
    scale = _DECODE_SIDE / max(image.size)
    if scale < 1:
        image.draft("RGB", (round(image.width * scale), round(image.height * scale)))
    image.load()
    clean, _icc = imaging.normalise(image)
    return clean


def hash_stored(storage, name: str) -> str:
    """The lookup hash of a stored original ("" when it cannot be read)."""
    try:
        with storage.open(name, "rb") as file:
            image = Image.open(file, formats=validation.ACCEPTED_FORMATS)
            return imaging.lookup_hash(_decoded(image))
    except Exception:  # a missing or damaged file must not stop a lookup
        logger.warning("No lookup hash for %s: file unreadable", name, exc_info=True)
        return ""


class PictureIndex:
    """The lookup hashes of the library, as arrays, for one process.

    Each 256-bit hash is four 64-bit words; word k of every photo is kept in
    one contiguous array (``words[k]``), so that comparing a candidate with the
    whole library is four XORs and popcounts over contiguous memory.

    ``refresh()`` reads the largest photo pk at each lookup, and the photos'
    count and latest ``updated_at`` when it changed or every
    ``FULL_CHECK_SECONDS``; when those changed, only the rows saved since the
    last refresh are read (every row when some were deleted or newly hashed).
    Shapes set to -1 mark photos that left the index (withdrawn): they never
    match."""

    def __init__(self):
        self._lock = threading.Lock()
        self._version = None
        self._since = None
        self._latest_pk = None
        self._checked = float("-inf")
        self._filled = False
        self.pks = np.zeros(0, dtype=np.int64)
        self.words = [np.zeros(0, dtype=np.uint64) for _ in range(imaging.LOOKUP_WORDS)]
        self.shapes = np.zeros(0, dtype=np.float64)
        self._rows: dict[int, int] = {}

    def __len__(self):
        return len(self.pks)

    def refresh(self) -> None:
        with self._lock:
            latest_pk = Photo.objects.aggregate(latest=Max("pk"))["latest"]
            recent = time.monotonic() - self._checked < FULL_CHECK_SECONDS
            if latest_pk == self._latest_pk and recent:
                return
            self._latest_pk, self._checked = latest_pk, time.monotonic()
            version = self._current_version()
            if version == self._version:
                return
            if self._fill_missing():
                version = self._current_version()
            if self._since is None or version[0] < self._version[0] or self._filled:
                self._rebuild()
            else:
                self._update(Photo.objects.filter(updated_at__gte=self._since))
            self._version, self._since, self._filled = version, version[1], False

    @staticmethod
    def _current_version():
        state = Photo.objects.aggregate(count=Count("pk"), latest=Max("updated_at"))
        return state["count"], state["latest"]

    def _fill_missing(self) -> bool:
        """Hash the photos stored without a lookup hash (a few at a time)."""
        missing = (
            Photo.objects.filter(lookup_hash="")
            .exclude(image="")
            .exclude(status=Photo.Status.WITHDRAWN)
            .only("pk", "image")[:FILL_PER_REFRESH]
        )
        for photo in missing:
            value = hash_stored(photo.image.storage, photo.image.name)
            if value:
                # update(): nothing else about the photo changes; its updated_at neither.
                Photo.objects.filter(pk=photo.pk, lookup_hash="").update(lookup_hash=value)
                self._filled = True
        return self._filled

    def _rebuild(self) -> None:
        self.pks = np.zeros(0, dtype=np.int64)
        self.words = [np.zeros(0, dtype=np.uint64) for _ in range(imaging.LOOKUP_WORDS)]
        self.shapes = np.zeros(0, dtype=np.float64)
        self._rows = {}
        self._update(Photo.objects.exclude(lookup_hash="").exclude(status=Photo.Status.WITHDRAWN))

    def _update(self, rows) -> None:
        """Add or replace the given photos; a withdrawn photo, or one without a
        hash, leaves the index (its row stays, set never to match)."""
        new_pks, new_words, new_shapes = [], [], []
        for pk, value, width, height, status in rows.values_list(
            "pk", "lookup_hash", "width", "height", "status"
        ):
            gone = status == Photo.Status.WITHDRAWN or not value
            words = np.zeros(imaging.LOOKUP_WORDS, dtype=np.uint64)
            if not gone:
                words = imaging.lookup_words(value)
            shape = -1.0 if gone else (width / height if width and height else 0.0)
            if pk in self._rows:
                row = self._rows[pk]
                for k in range(imaging.LOOKUP_WORDS):
                    self.words[k][row] = words[k]
                self.shapes[row] = shape
            elif not gone:
                self._rows[pk] = len(self.pks) + len(new_pks)
                new_pks.append(pk)
                new_words.append(words)
                new_shapes.append(shape)
        if new_pks:
            added = np.array(new_words, dtype=np.uint64)
            self.words = [
                np.concatenate([self.words[k], added[:, k]]) for k in range(imaging.LOOKUP_WORDS)
            ]
            self.pks = np.concatenate([self.pks, np.array(new_pks, dtype=np.int64)])
            self.shapes = np.concatenate([self.shapes, np.array(new_shapes, dtype=np.float64)])

    def distances(self, query: Query) -> np.ndarray:
        """For each photo of the index, the smallest distance in bits between its
        lookup hash and the query's candidates."""
        count = len(self.pks)
        best = np.full(count, 256, dtype=np.uint16)
        total = np.empty(count, dtype=np.uint16)
        scratch = np.empty(count, dtype=np.uint64)
        words = self.words
        for candidate in query.candidates:
            np.bitwise_xor(words[0], candidate[0], out=scratch)
            total[:] = np.bitwise_count(scratch)
            for k in range(1, imaging.LOOKUP_WORDS):
                np.bitwise_xor(words[k], candidate[k], out=scratch)
                total += np.bitwise_count(scratch)
            np.minimum(best, total, out=best)
        return best

    def search(self, query: Query, max_distance: int = MATCH_DISTANCE) -> list[Match]:
        """Photos whose picture the query shows, closest first."""
        if not len(self.pks):
            return []
        best = self.distances(query)
        shape = query.width / query.height
        same_shape = np.abs(self.shapes - shape) <= SAME_SHAPE * shape
        close = np.flatnonzero((best <= max_distance) & same_shape)
        order = close[np.argsort(best[close], kind="stable")]
        return [Match(photo_id=int(self.pks[i]), distance=int(best[i])) for i in order]


_index = PictureIndex()


def index() -> PictureIndex:
    """This process's index, refreshed."""
    _index.refresh()
    return _index


def reset() -> None:
    """Forget the index (tests: each database starts empty)."""
    global _index
    _index = PictureIndex()


def find(query: Query) -> list[Match]:
    return index().search(query)
