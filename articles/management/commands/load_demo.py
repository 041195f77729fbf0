import io
import json
import random
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from PIL import Image, ImageDraw

from articles.models import Article
from photos.models import Photo

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
    help = (
        "Load the demo archive shipped in demo/ (articles and photos) through "
        "import_articles, as a magazine's own archive comes in. Safe to run again."
    )

    def handle(self, *args, verbosity, **options):
        articles_file, photos_file = DEMO_DIR / "articles.jsonl", DEMO_DIR / "photos.json"
        if not articles_file.is_file() or not photos_file.is_file():
            raise CommandError(f"Demo archive not found in {DEMO_DIR}")
        photos = json.loads(photos_file.read_text(encoding="utf-8"))
        with tempfile.TemporaryDirectory(prefix="pressarchive-demo-") as folder:
            media, export = Path(folder) / "photos", Path(folder) / "articles.jsonl"
            specs = self.write_pictures(photos, media)
            self.write_export(articles_file, export, specs)
            call_command(
                "import_articles",
                str(export),
                media_root=media,
                no_progress=True,
                verbosity=max(verbosity - 1, 0),
            )
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo archive: {Article.objects.count()} articles, "
                    f"{Photo.objects.count()} photos."
                )
            )

    def write_pictures(self, entries, media: Path) -> dict[str, dict]:
        """Each demo photo as a file, and its description in the import format."""
        media.mkdir()
        specs = {}
        for entry in entries:
            name = f"{entry['key']}.jpg"
            picture = abstract_picture(
                entry["palette"], entry["width"], entry["height"], entry["key"]
            )
            (media / name).write_bytes(picture)
            specs[entry["key"]] = {
                "file": name,
                "title": entry["title"],
                "alt": entry["alt_text"],
                "caption": entry.get("caption", ""),
                "credit": entry["credit"],
            }
        return specs

    def write_export(self, source: Path, export: Path, specs: dict[str, dict]) -> None:
        with source.open(encoding="utf-8") as lines, export.open("w", encoding="utf-8") as out:
            for line in lines:
                data = json.loads(line)
                lead = data.pop("lead_photo", None)
                if lead:
                    data["lead_photo"] = specs[lead]
                data["gallery"] = [specs[key] for key in data.get("gallery") or []]
                out.write(json.dumps(data, ensure_ascii=False) + "\n")
