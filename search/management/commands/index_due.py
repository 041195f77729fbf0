"""Bring the search index up to date with what has become visible (or stale)."""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from search import indexer
from search.management import chosen_indexes


class Command(BaseCommand):
    help = (
        "Queue and write every document that is missing or stale in the search "
        "index: scheduled articles whose time has come, photos whose licence has "
        "ended, updates left in the queue (e.g. when the index was busy). For "
        "indexes with a date, only objects dated within --since days are compared "
        "(plus documents no longer findable, which are removed). Idempotent and "
        "cheap: run it every minute from cron, e.g. "
        "'* * * * * manage.py index_due --verbosity 0'."
    )

    def add_arguments(self, parser):
        parser.add_argument("--index", help="Only this index (e.g. articles, photos).")
        parser.add_argument(
            "--since",
            type=int,
            default=7,
            help="Compare objects dated within this many days (default 7; 0: all).",
        )

    def handle(self, *args, index=None, since=7, verbosity=1, **options):
        names = chosen_indexes(index)
        since_date = timezone.now() - datetime.timedelta(days=since) if since > 0 else None
        for name in names:
            queued = indexer.enqueue_due(name, since=since_date)
            written = indexer.drain(name)
            if verbosity >= 1:
                self.stdout.write(f"{name}: {queued} due, {written} written.")
