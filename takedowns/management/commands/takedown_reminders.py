"""Daily (cron): email the editor-in-chief the rights holders' requests still
open after TAKEDOWN_REMINDER_DAYS days."""

from django.core.management.base import BaseCommand

from takedowns import services


class Command(BaseCommand):
    help = "Rappelle à la rédaction en chef les demandes d'ayants droit en attente."

    def handle(self, *args, verbosity=1, **options):
        late = services.send_reminders()
        if verbosity:
            self.stdout.write(f"{len(late)} demande(s) en attente signalée(s).")
