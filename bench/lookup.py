"""Finding a photo from the picture itself: recall, false matches and lookup time.

A library of N generated photos (each the lead photo of a published article),
then queries made from some of them as a rights holder would have them:
resized to 30-80 %, saved at JPEG quality 40-90, cropped by up to 5 % on each
side, half of them mirrored; and pictures that are not in the library
("strangers"). Each query goes the page's way: the file is checked and hashed
in memory (``photos.lookup.analyse``), then ``takedowns.lookup.search`` finds
the matches, keeps those readers can see and reads their articles.

Generated pictures look like photographs rather than flat colours: 1/f noise
(the spectrum of natural images) in luminance and colour, a light falloff,
a few hard-edged shapes, blur and grain. Pictures are drawn at 384 pixels on
their long side (the hashes work on 160), in four shapes (3:2, 2:3, 1:1, 16:9).

For comparison, the dHash of the whole picture (stored since the first
version, used by imports) is measured on the same queries, with the mirrored
query hashed too.

Runs in a throw-away DATA_DIR, or in DATABASE_URL when it is set (an empty
database). 50,000 photos take about 20 minutes to generate on two cores.

    .venv/bin/python bench/lookup.py [--photos 2000] [--queries 200] [--strangers 200]
"""

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from multiprocessing import Pool
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="bench-lookup-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("LOG_LEVEL", "WARNING")

SHAPES = [(384, 256), (256, 384), (320, 320), (384, 216)]
STRANGER_SEEDS = 10_000_000


# Pictures -----------------------------------------------------------------------------------


def photo(seed: int) -> Image.Image:
    """A generated photograph-like picture, the same for the same seed."""
    rng = np.random.default_rng(seed)
    draw_rng = random.Random(seed)
    width, height = SHAPES[seed % len(SHAPES)]
    fy = np.fft.fftfreq(height)[:, None]
    fx = np.fft.rfftfreq(width)[None, :]
    frequency = np.sqrt(fx**2 + fy**2)
    frequency[0, 0] = 1.0
    amplitude = 1.0 / frequency ** rng.uniform(0.9, 1.5)
    amplitude[0, 0] = 0

    def field():
        spectrum = amplitude * np.exp(2j * np.pi * rng.random(amplitude.shape))
        values = np.fft.irfft2(spectrum, s=(height, width))
        return (values - values.mean()) / (values.std() + 1e-9)

    luminance, tint_a, tint_b = field(), field(), field()
    rgb = np.empty((height, width, 3))
    base = rng.uniform(60, 190, 3)
    for channel in range(3):
        rgb[..., channel] = (
            base[channel]
            + 45 * luminance * rng.uniform(0.6, 1.2)
            + 18 * tint_a * rng.uniform(-1, 1)
            + 18 * tint_b * rng.uniform(-1, 1)
        )
    ys, xs = np.mgrid[0:height, 0:width]
    angle = rng.uniform(0, 2 * np.pi)
    falloff = np.cos(angle) * (xs / width - 0.5) + np.sin(angle) * (ys / height - 0.5)
    rgb += falloff[..., None] * rng.uniform(-80, 80)
    image = Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(draw_rng.randint(2, 7)):
        x, y = draw_rng.randrange(width), draw_rng.randrange(height)
        radius = draw_rng.randrange(min(width, height) // 14, min(width, height) // 3)
        colour = tuple(int(v) for v in rng.uniform(0, 255, 3))
        shape = draw_rng.choice(["ellipse", "rectangle", "polygon"])
        if shape == "polygon":
            points = [
                (x + draw_rng.randint(-radius, radius), y + draw_rng.randint(-radius, radius))
                for _ in range(5)
            ]
            draw.polygon(points, fill=colour)
        else:
            getattr(draw, shape)([x - radius, y - radius, x + radius, y + radius], fill=colour)
    image = image.filter(ImageFilter.GaussianBlur(draw_rng.uniform(0.5, 2.0)))
    grain = rng.normal(0, 6, (height, width, 1))
    pixels = np.clip(np.asarray(image, dtype=np.float64) + grain, 0, 255).astype(np.uint8)
    return Image.fromarray(pixels, "RGB")


def transformed(image: Image.Image, seed: int, mirrored: bool) -> tuple[bytes, str]:
    """A rights holder's copy: cropped, resized, recompressed, perhaps mirrored."""
    rng = random.Random(seed)
    width, height = image.size
    left, top, right, bottom = (rng.uniform(0, 0.05) for _ in range(4))
    box = (
        round(left * width),
        round(top * height),
        width - round(right * width),
        height - round(bottom * height),
    )
    image = image.crop(box)
    scale = rng.uniform(0.3, 0.8)
    size = (max(8, round(image.width * scale)), max(8, round(image.height * scale)))
    image = image.resize(size, Image.Resampling.BICUBIC)
    if mirrored:
        image = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=rng.randint(40, 90))
    return buffer.getvalue(), "mirrored" if mirrored else "as is"


def jpeg(image: Image.Image, quality: int = 80) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def library_entry(args: tuple[int, int | None]):
    """(dHash, lookup hash, width, height, the transformed copy or None). Every
    other query is mirrored."""
    from photos import imaging

    seed, query_number = args
    image = photo(seed)
    query = None
    if query_number is not None:
        query = transformed(image, seed, mirrored=query_number % 2 == 1)
    return imaging.dhash(image), imaging.lookup_hash(image), image.width, image.height, query


def stranger(seed: int) -> bytes:
    return jpeg(photo(STRANGER_SEEDS + seed), quality=random.Random(seed).randint(40, 90))


# Rows ---------------------------------------------------------------------------------------


def create_rows(entries) -> list[int]:
    """One photo per entry, each the lead photo of a published article."""
    import datetime

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from articles.models import Article, Section
    from photos.models import Photo

    name = "bench/lookup.jpg"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(jpeg(photo(0))))
    photos = Photo.objects.bulk_create(
        [
            Photo(
                image=name,
                alt_text=f"Photo {number}",
                credit=f"© Banc d'essai / Photo : {number}",
                width=width,
                height=height,
                file_size=1,
                phash=phash,
                lookup_hash=lookup_hash,
            )
            for number, (phash, lookup_hash, width, height, _query) in enumerate(entries)
        ],
        batch_size=1000,
    )
    section = Section.objects.order_by("pk").first() or Section.objects.create(
        name="News", slug="news"
    )
    when = datetime.datetime(2024, 5, 2, 9, tzinfo=datetime.UTC)
    Article.objects.bulk_create(
        [
            Article(
                title=f"Article {number}",
                slug=f"article-{number}",
                section=section,
                status=Article.Status.PUBLISHED,
                published_at=when,
                publication_date=when.date(),
                lead_photo_id=photo.pk,
            )
            for number, photo in enumerate(photos)
        ],
        batch_size=1000,
    )
    return [photo.pk for photo in photos]


# Measures -----------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def dhash_alone(entries, queries, strangers):
    """Best whole-picture dHash distance (query and its mirror) to the right photo,
    and the smallest distance of each stranger to any photo."""
    from photos import imaging

    library = np.array([int(entry[0], 16) for entry in entries], dtype=np.uint64)

    def hashes(data):
        image = Image.open(io.BytesIO(data)).convert("RGB")
        mirror = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
        return [np.uint64(int(imaging.dhash(picture), 16)) for picture in (image, mirror)]

    right = []
    for index, (data, _kind) in queries:
        right.append(min(int((library[index] ^ h).bit_count()) for h in hashes(data)))
    closest = []
    for data in strangers:
        closest.append(min(int(np.bitwise_count(library ^ h).min()) for h in hashes(data)))
    return right, closest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=2000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--strangers", type=int, default=200)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    options = parser.parse_args()
    count, asked = options.photos, min(options.queries, options.photos)

    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    from bench.tables import print_rows
    from photos import lookup as photo_lookup
    from takedowns import lookup

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    step = max(1, count // asked)
    queried = {seed: number for number, seed in enumerate(range(0, step * asked, step))}
    print(f"Generating {count} photos and {options.strangers} strangers…", file=sys.stderr)
    with Pool(options.workers) as pool:
        entries = pool.map(
            library_entry, [(seed, queried.get(seed)) for seed in range(count)], chunksize=50
        )
        strangers = pool.map(stranger, range(options.strangers), chunksize=20)
    generated = time.perf_counter() - started
    pks = create_rows(entries)
    queries = [(index, entries[index][4]) for index in sorted(queried)]

    photo_lookup.reset()
    started = time.perf_counter()
    photo_lookup.index()
    build = time.perf_counter() - started
    started = time.perf_counter()
    photo_lookup.index()
    unchanged = time.perf_counter() - started
    started = time.perf_counter()
    photo_lookup.PictureIndex._current_version()
    full_check = time.perf_counter() - started

    timings, scans, margins = [], [], []
    position = {pk: row for row, pk in enumerate(photo_lookup.index().pks.tolist())}

    def run(data: bytes, right: int | None = None):
        # What the page does: check and hash the file, find, filter, read articles.
        start = time.perf_counter()
        query = photo_lookup.analyse(SimpleUploadedFile("copie.jpg", data))
        [result] = lookup.search([query])
        timings.append(time.perf_counter() - start)
        # The scan alone, and distances in bits (shapes aside), outside the timing.
        index = photo_lookup.index()
        scan = time.perf_counter()
        distances = index.distances(query)
        scans.append(time.perf_counter() - scan)
        if right is None:
            margins.append(("stranger", int(distances.min())))
        else:
            margins.append(("right", int(distances[position[right]])))
        return [found.photo.pk for found in result.found]

    hits = {"as is": [0, 0], "mirrored": [0, 0]}
    wrong = 0
    for index, (data, kind) in queries:
        found = run(data, right=pks[index])
        hits[kind][0] += pks[index] in found
        hits[kind][1] += 1
        wrong += len([pk for pk in found if pk != pks[index]])
    false_matches = sum(len(run(data)) for data in strangers)
    right_bits = [bits for kind, bits in margins if kind == "right"]
    stranger_bits = [bits for kind, bits in margins if kind == "stranger"]

    right, closest = dhash_alone(entries, queries, strangers)
    safe = min(closest) - 1  # largest dHash threshold with no false match here
    found_total = sum(found for found, _total in hits.values())

    def share(found, total):
        return f"{found / total:.3f} ({found}/{total})" if total else "—"

    def dhash_recall(threshold):
        return share(sum(distance <= threshold for distance in right), len(right))

    match = photo_lookup.MATCH_DISTANCE
    rows = [
        ("measure", "value"),
        ("photos in the library", f"{count:,}"),
        ("transformed queries / strangers", f"{len(queries)} / {len(strangers)}"),
        ("recall (right photo in the results)", share(found_total, len(queries))),
        ("  recall, copies as is", share(*hits["as is"])),
        ("  recall, mirrored copies", share(*hits["mirrored"])),
        ("false matches (strangers' results)", f"{false_matches}"),
        ("other photos in transformed queries' results", f"{wrong}"),
        ("lookup p50 (check, hash, find, articles)", f"{statistics.median(timings) * 1000:.1f} ms"),
        ("lookup p95", f"{percentile(timings, 0.95) * 1000:.1f} ms"),
        ("  index scan alone p50 / p95", f"{statistics.median(scans) * 1000:.1f} / "
         f"{percentile(scans, 0.95) * 1000:.1f} ms"),
        (f"lookup hash: right photo's distance p50 / p95 / max (match <= {match} / 256)",
         f"{statistics.median(right_bits):.0f} / {percentile(right_bits, 0.95):.0f} / "
         f"{max(right_bits)}"),
        ("lookup hash: closest stranger (any shape)", f"{min(stranger_bits, default='—')}"),
        ("index build (first lookup of a process)", f"{build * 1000:.0f} ms"),
        ("index check at each lookup (largest pk)", f"{unchanged * 1000:.1f} ms"),
        (f"index full check (every {photo_lookup.FULL_CHECK_SECONDS} s at most)",
         f"{full_check * 1000:.1f} ms"),
        ("dHash alone: right photo's distance p50 / p95 / max",
         f"{statistics.median(right):.0f} / {percentile(right, 0.95):.0f} / {max(right)}"),
        ("dHash alone: closest stranger", f"{min(closest)}"),
        ("dHash alone: recall at 6 (imports' threshold)", dhash_recall(6)),
        ("dHash alone: recall at 10 (duplicates' threshold)", dhash_recall(10)),
        (f"dHash alone: recall at {safe} (no false match)", dhash_recall(safe)),
        ("pictures generated in", f"{generated:.0f} s"),
    ]  # fmt: skip
    print_rows(rows)


if __name__ == "__main__":
    main()
