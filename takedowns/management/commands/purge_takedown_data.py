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

    def handle(self, *args, dry_run=False, **options):
        to_close = list(services.due_for_closing().order_by("pk"))
        to_anonymise = list(services.due_for_anonymisation().order_by("pk"))
        verb = "à clore" if dry_run else "clos"
        for notice in to_close:
            self.stdout.write(f"Dossier {verb} : {notice}")
            if not dry_run:
                services.close_case(notice=notice)
        verb = "à anonymiser" if dry_run else "anonymisée"
        for notice in to_anonymise:
            self.stdout.write(f"Demande {verb} : {notice}")
            if not dry_run:
                services.anonymise(notice=notice)
        self.stdout.write(
            f"{len(to_close)} dossier(s) {'à clore' if dry_run else 'clos'}, "
            f"{len(to_anonymise)} demande(s) {'à anonymiser' if dry_run else 'anonymisée(s)'}."
        )
