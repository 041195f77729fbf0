"""Rebuild search indexes from the database."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from search import indexer
from search.index import get
from search.management import chosen_indexes


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the database (every index, or --index NAME). "
        "The new index is built beside the current one, which keeps answering, and "
        "swapped in at the end; updates saved meanwhile are journaled and re-applied "
        "after the swap, so none is lost. A rebuild killed half-way leaves the old "
        "index in place; run the command again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--index", help="Only this index (e.g. articles, photos).")

    def handle(self, *args, index=None, verbosity=1, **options):
        names = chosen_indexes(index)
        for name in names:
            total = get(name).queryset().count()
            bar = tqdm(
                total=total,
                desc=name,
                unit="doc",
                disable=verbosity < 1,
                file=self.stderr._out,
                mininterval=0.5,
            )

            def progress(done, bar=bar):
                bar.update(done - bar.n)

            try:
                count = indexer.rebuild(name, progress=progress)
            except indexer.RebuildRunning as exc:
                raise CommandError(str(exc)) from exc
            finally:
                bar.close()
            if verbosity >= 1:
                self.stdout.write(f"{name}: {count} documents indexed.")
