"""``PreparedPhoto``: one photo of an import on its way in, from its file read to
its row committed."""

from __future__ import annotations

from dataclasses import dataclass, field

from imports.records import PhotoSpec
from photos import imaging


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


def root(prepared: PreparedPhoto) -> PreparedPhoto:
    while prepared.same_as is not None:
        prepared = prepared.same_as
    return prepared


def committed(photos: list[PreparedPhoto]) -> None:
    """Rows and files now belong together; the bytes are no longer needed."""
    for photo in photos:
        photo.committed = True
        if photo.image is not None:
            photo.image = None
