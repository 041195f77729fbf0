import io
import json
import random
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from PIL import Image, ImageDraw

from articles.models import Article, GalleryItem
from photos.models import Photo
from photos.services import upload_photo

DEMO_DIR = Path(settings.BASE_DIR) / "demo"


def abstract_picture(palette, width: int, height: int, seed: str) -> bytes:
    """A deterministic abstract picture (bands and discs) standing in for a press photo."""
    rng = random.Random(seed)  # noqa: S311 - decoration, not security
    colours = [tuple(c) for c in palette]
    image = Image.new("RGB", (width, height), colours[0])
    draw = ImageDraw.Draw(image)
    for index in range(7):
        y = int(height * index / 7)
        draw.rectangle([0, y, width, y + height // 14], fill=colours[index % len(colours)])
    for _ in range(6):
        r = rng.randint(min(width, height) // 10, min(width, height) // 3)
        x, y = rng.randint(0, width), rng.randint(0, height)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=rng.choice(colours))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82, optimize=True)
    return buffer.getvalue()


class Command(BaseCommand):
    help = "Load the demo archive shipped in demo/ (articles and photos). Safe to run again."

    def handle(self, *args, verbosity, **options):
        articles_file, photos_file = DEMO_DIR / "articles.jsonl", DEMO_DIR / "photos.json"
        if not articles_file.is_file() or not photos_file.is_file():
            raise CommandError(f"Demo archive not found in {DEMO_DIR}")
        photos = self.load_photos(json.loads(photos_file.read_text(encoding="utf-8")))
        call_command("import_articles", str(articles_file), no_progress=True, verbosity=verbosity)
        self.attach_photos(articles_file, photos)
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo archive: {Article.objects.count()} articles, {len(photos)} photos."
                )
            )

    @transaction.atomic
    def load_photos(self, entries) -> dict[str, Photo]:
        photos = {}
        for entry in entries:
            photo = Photo.objects.filter(title=entry["title"], credit=entry["credit"]).first()
            if photo is None:
                content = abstract_picture(
                    entry["palette"], entry["width"], entry["height"], entry["key"]
                )
                photo = upload_photo(
                    file=ContentFile(content, name=f"{entry['key']}.jpg"),
                    title=entry["title"],
                    alt_text=entry["alt_text"],
                    caption=entry.get("caption", ""),
                    credit=entry["credit"],
                    photographer=entry.get("photographer", ""),
                    agency=entry.get("agency", ""),
                )
            photos[entry["key"]] = photo
        return photos

    @transaction.atomic
    def attach_photos(self, articles_file: Path, photos: dict[str, Photo]):
        with articles_file.open(encoding="utf-8") as lines:
            for line in lines:
                data = json.loads(line)
                article = Article.objects.get(source_url=data["source_url"])
                article.lead_photo = photos.get(data.get("lead_photo") or "")
                article.save()
                GalleryItem.objects.filter(article=article).delete()
                for position, key in enumerate(data.get("gallery") or []):
                    GalleryItem.objects.create(
                        article=article, photo=photos[key], position=position
                    )
