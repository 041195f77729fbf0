"""Daily (cron): close the cases whose reconsideration period is over (their
private copies of withdrawn photos are deleted), then anonymise the personal
data of requests decided more than TAKEDOWN_RETENTION_DAYS ago (and of requests
never confirmed after TAKEDOWN_UNVERIFIED_RETENTION_DAYS)."""

from django.core.management.base import BaseCommand

from takedowns import services


class Command(BaseCommand):
    help = "Anonymise les demandes d'ayants droit dont la durée de conservation est écoulée."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Lister sans rien modifier.")

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        self.verbosity = verbosity
        to_close = list(services.due_for_closing().order_by("pk"))
        to_anonymise = list(services.due_for_anonymisation().order_by("pk"))
        verb = "à clore" if dry_run else "clos"
        for notice in to_close:
            self.say(f"Dossier {verb} : {notice}")
            if not dry_run:
                services.close_case(notice=notice)
        verb = "à anonymiser" if dry_run else "anonymisée"
        for notice in to_anonymise:
            self.say(f"Demande {verb} : {notice}")
            if not dry_run:
                services.anonymise(notice=notice)
        self.say(
            f"{len(to_close)} dossier(s) {'à clore' if dry_run else 'clos'}, "
            f"{len(to_anonymise)} demande(s) {'à anonymiser' if dry_run else 'anonymisée(s)'}."
        )

    def say(self, line: str) -> None:
        # Quiet at -v0, so that a daily cron job mails nothing when all went well.
        if self.verbosity:
            self.stdout.write(line)
