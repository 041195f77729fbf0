from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection
from tqdm import tqdm

from articles import importers
from articles.models import Section
from articles.services import upsert_article


class Command(BaseCommand):
    help = (
        "Import articles from JSON Lines files (one article per line) and from the "
        "magazine's plain-text export (one article per .txt file). Re-importing updates "
        "articles by source_url and never duplicates them; a bad line is reported with "
        "its line number and skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument("--section", default="News", help="Section for text files without one.")
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args, files, section, no_progress, verbosity, **options):
        missing = [str(path) for path in files if not path.is_file()]
        if missing:
            raise CommandError(f"Fichier introuvable : {', '.join(missing)}")
        self.counts = {"created": 0, "updated": 0, "errors": 0}
        self.default_section = section
        known = set(Section.objects.values_list("name", flat=True)) | set(
            importers.DEFAULT_SECTIONS
        )
        progress = tqdm(
            total=sum(self.count_items(path) for path in files),
            unit="article",
            disable=no_progress or verbosity == 0,
        )
        with progress:
            for path in files:
                for location, item in self.read(path, known):
                    self.save(location, item)
                    progress.update()
        refresh_statistics()
        self.summarise(verbosity)

    def count_items(self, path: Path) -> int:
        if not importers.is_jsonl(path):
            return 1
        with path.open("rb") as handle:
            return sum(1 for line in handle if line.strip())

    def read(self, path: Path, known: set[str]):
        if importers.is_jsonl(path):
            for number, item in importers.read_jsonl(path):
                yield f"{path}:{number}", item
            return
        try:
            record = importers.read_text_export(path, known)
            if record.section == "News" and self.default_section != "News":
                record.section = self.default_section
            yield str(path), record
        except importers.RecordError as exc:
            yield str(path), exc

    def save(self, location: str, item):
        if isinstance(item, importers.RecordError):
            return self.report(location, item)
        try:
            _, created = upsert_article(record=item)
        except (DatabaseError, ValueError) as exc:
            return self.report(location, exc)
        self.counts["created" if created else "updated"] += 1

    def report(self, location: str, error: Exception):
        self.counts["errors"] += 1
        self.stderr.write(self.style.ERROR(f"{location}: {error} — ignoré"))

    def summarise(self, verbosity: int):
        c = self.counts
        line = f"{c['created']} créé(s), {c['updated']} mis à jour, {c['errors']} en erreur"
        if verbosity:
            style = self.style.WARNING if c["errors"] else self.style.SUCCESS
            self.stdout.write(style(line))


def refresh_statistics():
    """SQLite plans queries from statistics it only gathers on ANALYZE; without
    them it picks poor indexes after a large import. PostgreSQL's autovacuum does it."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
