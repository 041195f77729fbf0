import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from tqdm import tqdm

from articles.models import Section
from imports import jsonl, text_export, wxr
from imports.photo_files import PhotoFiles
from imports.records import RecordError
from imports.writer import BATCH_SIZE, Writer
from search import indexer


class Command(BaseCommand):
    help = (
        "Import an archive: JSON Lines files (one article per line, with its photos), "
        "WordPress exports (WXR .xml) and the magazine's plain-text export (one article "
        "per .txt file). Articles are written a batch at a time and the search index "
        "is brought up to date once, at the end. Re-importing updates articles by "
        "source_url and never duplicates them; an import killed half-way can simply be "
        "run again. A bad line is reported with its number and skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument(
            "--media-root",
            type=Path,
            help="Folder holding the photos named by the files (for WXR: a copy of "
            "wp-content/uploads). Photo paths are relative to it.",
        )
        parser.add_argument("--section", default="News", help="Section for text files without one.")
        parser.add_argument(
            "--batch-size", type=int, default=BATCH_SIZE, help="Articles per transaction."
        )
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args, **options):
        # One import at a time: an import starting cleans the files a killed one
        # left, which would be the files of a running one.
        try:
            with indexer.file_lock(indexer.index_dir() / "import.lock", timeout=0):
                self.run(**options)
        except indexer.LockTimeout:
            raise CommandError("Un autre import est en cours : attendez qu'il finisse.") from None

    def run(self, *, files, media_root, section, batch_size, no_progress, verbosity, **options):
        missing = [str(path) for path in files if not path.is_file()]
        if missing:
            raise CommandError(f"Fichier introuvable : {', '.join(missing)}")
        if media_root is not None and not media_root.is_dir():
            raise CommandError(f"Dossier des photos introuvable : {media_root}")
        if batch_size < 1:
            raise CommandError("--batch-size : au moins 1.")
        self.default_section = section
        self.known = {s.casefold() for s in Section.objects.values_list("name", flat=True)}
        self.known |= {s.casefold() for s in text_export.DEFAULT_SECTIONS}
        self.media_root = media_root
        self.skipped: dict[str, int] = {}
        cleaned = PhotoFiles.clean_interrupted()
        if cleaned and verbosity:
            self.stdout.write(f"{cleaned} fichier(s) d'un import interrompu supprimé(s).")
        quiet = no_progress or verbosity == 0
        bar = tqdm(total=self._total(files), unit="article", disable=quiet, mininterval=0.5)
        progress = Checkpoints(bar, self.stdout if verbosity >= 2 else None)
        writer = Writer(
            photo_files=PhotoFiles(media_root),
            report=self.report,
            progress=progress.update,
            batch_size=batch_size,
        )
        started = time.monotonic()
        with bar:
            counts = writer.write(self._items(files))
        written_in = time.monotonic() - started
        refresh_statistics()
        started = time.monotonic()
        how = self._catch_up(quiet)
        indexed_in = time.monotonic() - started
        if verbosity:
            self._summarise(counts, written_in, indexed_in, how)

    # -- Reading ---------------------------------------------------------------------

    def _total(self, files: list[Path]) -> int | None:
        total = 0
        for path in files:
            kind = file_kind(path)
            if kind == "wxr":
                return None  # counted only by reading it: the bar shows a rate
            if kind == "jsonl":
                with path.open("rb") as handle:
                    total += sum(1 for line in handle if line.strip())
            else:
                total += 1
        return total

    def _items(self, files: list[Path]):
        for path in files:
            kind = file_kind(path)
            if kind == "jsonl":
                for number, item in jsonl.read_jsonl(path):
                    yield f"{path}:{number}", item
            elif kind == "wxr":
                reader = wxr.WxrReader(path, self.media_root)
                yield from reader.items()
                for what, count in reader.skipped.items():
                    self.skipped[what] = self.skipped.get(what, 0) + count
            else:
                yield str(path), self._text(path)

    def _text(self, path: Path):
        try:
            record = text_export.read_text_export(path, self.known)
        except RecordError as exc:
            return exc
        if record.section == "News" and self.default_section != "News":
            record.section = self.default_section
        return record

    # -- Index and report --------------------------------------------------------------

    def _catch_up(self, quiet: bool) -> dict[str, str]:
        done = {}
        for name in ("photos", "articles"):
            bar = tqdm(desc=f"index {name}", unit="doc", disable=quiet, mininterval=0.5)
            with bar:
                done[name] = indexer.catch_up(name, lambda n, bar=bar: bar.update(n - bar.n))
        return done

    def report(self, location: str, error: Exception):
        self.stderr.write(self.style.ERROR(f"{location}: {error} — ignoré"))

    def _summarise(self, counts, written_in: float, indexed_in: float, how: dict[str, str]):
        line = (
            f"{counts.created} créé(s), {counts.updated} mis à jour, "
            f"{counts.unchanged} inchangé(s), {counts.errors} en erreur"
        )
        style = self.style.WARNING if counts.errors else self.style.SUCCESS
        self.stdout.write(style(line))
        rate = counts.written / written_in if written_in > 0 else 0
        self.stdout.write(
            f"Écriture : {counts.written} articles en {written_in:.1f} s ({rate:.0f} articles/s). "
            f"Index de recherche à jour en {indexed_in:.1f} s "
            f"({', '.join(f'{name} : {HOW[state]}' for name, state in how.items())})."
        )
        for what, count in sorted(self.skipped.items()):
            self.stdout.write(f"Ignoré(s) : {count} × {what}")


class Checkpoints:
    """Moves the progress bar and, every ``EVERY`` articles, prints the rate so far
    and over the last ``EVERY`` (with -v 2): a slowdown as the archive grows shows."""

    EVERY = 10_000

    def __init__(self, bar, out):
        self.bar, self.out = bar, out
        self.done = self.last_done = 0
        self.started = self.last = time.monotonic()

    def update(self, count: int) -> None:
        self.bar.update(count)
        before, self.done = self.done, self.done + count
        if self.out is None or before // self.EVERY == self.done // self.EVERY:
            return
        now = time.monotonic()
        overall = self.done / max(now - self.started, 1e-9)
        recent = (self.done - self.last_done) / max(now - self.last, 1e-9)
        self.last, self.last_done = now, self.done
        self.out.write(
            f"[{self.done}] {overall:.0f} articles/s ({recent:.0f} articles/s depuis le "
            "point précédent)"
        )


HOW = {"rebuilt": "reconstruit", "drained": "mis à jour", "clean": "déjà à jour"}


def file_kind(path: Path) -> str:
    """``jsonl``, ``wxr`` or ``text``, from the name, else from the first bytes."""
    suffix = path.suffix.lower()
    if suffix in {".jsonl", ".ndjson", ".json"}:
        return "jsonl"
    if suffix in {".xml", ".wxr"}:
        return "wxr"
    if suffix == ".txt":
        return "text"
    with path.open("rb") as handle:
        start = handle.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"{"):
        return "jsonl"
    if start.startswith(b"<?xml") or start.startswith(b"<rss"):
        return "wxr"
    return "text"


def refresh_statistics():
    """SQLite plans queries from statistics it only gathers on ANALYZE; without
    them it picks poor indexes after a large import. PostgreSQL's autovacuum does it."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
