"""Compare the search index with the database."""

from django.core.management.base import BaseCommand

from search import indexer
from search.management import chosen_indexes

SHOWN = 10  # ids shown per kind of drift


class Command(BaseCommand):
    help = (
        "Compare each search index with the database: documents missing from the "
        "index, stale (their content changed) and extra (no longer findable). Exits "
        "with status 1 when the index drifted. --fix queues and writes the "
        "differences, then checks again (status 0 when clean)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--index", help="Only this index (e.g. articles, photos).")
        parser.add_argument("--fix", action="store_true", help="Repair what differs.")

    def handle(self, *args, index=None, fix=False, verbosity=1, **options):
        names = chosen_indexes(index)
        drifted = False
        for name in names:
            found = indexer.drift(name)
            if fix and any(found.values()):
                self._report(name, found, verbosity)
                indexer.repair(name, found)
                found = indexer.drift(name)
                if verbosity >= 1:
                    self.stdout.write(f"{name}: repaired.")
            if any(found.values()):
                drifted = True
            self._report(name, found, verbosity)
        if drifted:
            raise SystemExit(1)

    def _report(self, name, found, verbosity):
        if verbosity < 1:
            return
        if not any(found.values()):
            self.stdout.write(f"{name}: OK")
            return
        for kind in ("missing", "stale", "extra"):
            ids = found[kind]
            more = " …" if len(ids) > SHOWN else ""
            shown = ", ".join(ids[:SHOWN]) + more if ids else ""
            self.stdout.write(f"{name}: {len(ids)} {kind}" + (f" ({shown})" if shown else ""))
