"""Photo upload benchmark: time from upload to stored renditions, and memory.

Generates 20 real-size photos (3000 x 2000 JPEG, structured content, fixed seed),
uploads each through ``photos.services.upload_photo`` (what the admin uses:
validation, metadata stripping, original, 3 widths x JPEG + WebP renditions),
into a throw-away database and media directory.

    .venv/bin/python bench/photos.py [--count 20]
"""

import argparse
import io
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DATA_DIR"] = tempfile.mkdtemp(prefix="bench-photos-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from PIL import Image, ImageDraw, ImageOps  # noqa: E402

from photos import services  # noqa: E402

SIZE = (3000, 2000)


def press_photo(seed: int) -> bytes:
    """Gradient, shapes and fixed-seed noise: compresses like a photograph, not a flat colour."""
    rng = random.Random(seed)
    colour = lambda: tuple(rng.randrange(256) for _ in range(3))  # noqa: E731
    gradient = Image.linear_gradient("L").rotate(rng.choice([0, 90, 180, 270])).resize(SIZE)
    image = ImageOps.colorize(gradient, colour(), colour())
    draw = ImageDraw.Draw(image)
    for _ in range(25):
        x, y, r = rng.randrange(SIZE[0]), rng.randrange(SIZE[1]), rng.randrange(80, 700)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=colour())
    noise = Image.frombytes("L", SIZE, rng.randbytes(SIZE[0] * SIZE[1])).convert("RGB")
    buffer = io.BytesIO()
    Image.blend(image, noise, 0.12).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def upload(seed: int, data: bytes):
    return services.upload_photo(
        file=SimpleUploadedFile(f"DSC_{seed:04d}.jpg", data, content_type="image/jpeg"),
        alt_text="Photo de banc d'essai",
        credit=f"© Banc d'essai / Photo : {seed}",
    )


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20)
    count = parser.parse_args().count

    call_command("migrate", verbosity=0)
    print(f"Generating {count} photos of {SIZE[0]}x{SIZE[1]}…", file=sys.stderr)
    files = [press_photo(seed) for seed in range(count)]
    sizes = [len(data) / 1e6 for data in files]

    timings = []
    for seed, data in enumerate(files):
        start = time.perf_counter()
        photo = upload(seed, data)
        timings.append(time.perf_counter() - start)
        assert photo.renditions.count() == 6

    # Memory in a separate pass: tracemalloc slows Python code down.
    tracemalloc.start()
    for seed, data in enumerate(files[:5]):
        upload(1000 + seed, data)
    _current, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

    rows = [
        ("photos uploaded", f"{count}"),
        ("upload size (median)", f"{statistics.median(sizes):.1f} MB"),
        ("upload → renditions, median", f"{statistics.median(timings) * 1000:.0f} ms"),
        ("upload → renditions, p95", f"{percentile(timings, 0.95) * 1000:.0f} ms"),
        ("upload → renditions, max", f"{max(timings) * 1000:.0f} ms"),
        ("tracemalloc peak (Python heap)", f"{traced_peak / 1e6:.1f} MB"),
        ("maxrss (whole process)", f"{maxrss_mb:.0f} MB"),
    ]
    width = max(len(label) for label, _ in rows)
    print(f"{'measure'.ljust(width)}  value")
    print(f"{'-' * width}  {'-' * 10}")
    for label, value in rows:
        print(f"{label.ljust(width)}  {value}")


if __name__ == "__main__":
    main()
