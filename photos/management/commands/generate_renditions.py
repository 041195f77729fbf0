from django.core.management.base import BaseCommand
from tqdm import tqdm

from photos import services
from photos.models import Photo


class Command(BaseCommand):
    help = (
        "Make the renditions photos lack (none yet, or files missing from storage). "
        "Safe to run again: what exists is kept."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            dest="all_photos",
            help="Also check photos that have renditions: remake missing files and sizes.",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, all_photos, no_progress, verbosity, **options):
        photos = Photo.objects.exclude(status=Photo.Status.WITHDRAWN).exclude(image="")
        if not all_photos:
            photos = photos.filter(renditions__isnull=True)
        photos = photos.order_by("pk")
        made = failed = 0
        bar = tqdm(
            photos.iterator(chunk_size=200),
            total=photos.count(),
            unit="photo",
            disable=no_progress or verbosity == 0,
            file=self.stderr._out,  # tqdm redraws with \r: bypass the line wrapper
        )
        for photo in bar:
            try:
                made += services.ensure_renditions(photo=photo)
            except OSError as error:  # a missing or unreadable original: report, go on
                failed += 1
                self.stderr.write(f"Photo {photo.pk}: {error}")
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"{made} rendition(s) made, {failed} failure(s)."))
