from django.core.management.base import BaseCommand

from photos import services


class Command(BaseCommand):
    help = (
        "Withdraw the photos whose licence ended before today (site time zone): "
        "files deleted, placeholder shown. Safe to run again; meant for a daily cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List the photos without withdrawing them."
        )

    def handle(self, *args, dry_run, verbosity, **options):
        photos = services.withdraw_expired_licences(dry_run=dry_run)
        if verbosity >= 2:
            for photo in photos:
                self.stdout.write(f"{photo.pk}\t{photo.licence_end}\t{photo}\t{photo.credit}")
        if verbosity >= 1:
            verb = "would be withdrawn" if dry_run else "withdrawn"
            self.stdout.write(
                self.style.SUCCESS(f"{len(photos)} photo(s) with an expired licence {verb}.")
            )
