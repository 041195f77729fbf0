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

The package: ``batch`` (``PhotoFiles``, the steps above), ``prepared``
(``PreparedPhoto``), ``storage`` (files, renditions and the journal) and
``rows`` (the ``Photo`` rows and what an import fills in).
"""

from imports.photo_files.batch import PhotoFiles
from imports.photo_files.prepared import PreparedPhoto

__all__ = ["PhotoFiles", "PreparedPhoto"]
