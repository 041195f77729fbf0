"""Import benchmark: how fast ``import_articles`` brings an archive in, and how
soon it is searchable.

It writes generated French archives (JSON Lines, as a magazine would export
them) and runs the real command on them, in a subprocess, in a throw-away
DATA_DIR (SQLite), or in DATABASE_URL when it is set (``--create-db`` creates that
PostgreSQL database and drops it at the end). The search backend is Whoosh on
SQLite and PostgreSQL's own on PostgreSQL, unless SEARCH_BACKEND says otherwise.

Runs, in order:

1. **text**: ``--articles`` text articles (2-3 genres, 1-2 authors each) in one
   file: articles/s written at each 10,000 (from the command's own checkpoints),
   time until the index is up to date, peak memory of the process.
2. **re-import** of the same file (nothing changed: read and compared only), then
   of its first tenth with every body changed (updates).
3. **photos**: ``--photo-articles`` articles with a lead photo and some with a
   gallery or a picture in the body, drawn from ``--photos`` generated JPEGs
   (Pillow) with credits and captions, some met twice, some without credit:
   photos/s.

    .venv/bin/python bench/import.py --articles 10000          # a quick one
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_import \\
        .venv/bin/python bench/import.py --create-db
"""

import argparse
import io
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.database import throwaway  # noqa: E402

synthetic = None  # bench.synthetic, imported once Django is set up (see run)

DEFAULT_ARTICLES = 100_000
BODY_WORDS = 300
# Targets on the reference machine (2 cores).
RATE_TARGET = 1000.0  # text articles written per second, at 100,000
MEMORY_TARGET_MB = 500.0
SEARCHABLE_TARGET_S = {"whoosh": 600.0, "postgres": 300.0}
CHECKPOINT = re.compile(r"^\[(\d+)\] (\d+) articles/s \((\d+) articles/s")
SUMMARY = re.compile(
    r"Écriture : (\d+) articles en ([\d.]+) s.*Index de recherche à jour en ([\d.]+) s"
)


@dataclass
class Run:
    name: str
    articles: int = 0
    write_s: float = 0.0
    index_s: float = 0.0
    wall_s: float = 0.0
    peak_mb: float = 0.0
    checkpoints: list[tuple[int, int, int]] = field(default_factory=list)
    photos: int = 0
    status: int = 0
    output: str = ""

    @property
    def rate(self) -> float:
        return self.articles / self.write_s if self.write_s else 0.0


def main() -> int:
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(143))
    data_dir = Path(tempfile.mkdtemp(prefix="pressarchive-bench-import-"))
    created = ""
    try:
        with throwaway(args.create_db, args.keep) as created:
            return run(args, data_dir)
    finally:
        if args.keep:
            print(f"\nData kept in {data_dir}" + (f" and in {created}" if created else ""))
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=DEFAULT_ARTICLES)
    parser.add_argument("--photo-articles", type=int, default=2000)
    parser.add_argument("--photos", type=int, default=1000, help="distinct generated pictures")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--create-db", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the DATA_DIR (and database)")
    args = parser.parse_args()
    if args.articles < 1000:
        parser.error("--articles must be at least 1000")
    return args


def environment(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DEBUG="0",
        PAGE_CACHE_SECONDS="0",
    )
    if env.get("DATABASE_URL", "").startswith("postgres"):
        env.setdefault("SEARCH_BACKEND", "postgres")
    return env


def run(args: argparse.Namespace, data_dir: Path) -> int:
    global synthetic
    env = environment(data_dir)
    os.environ.update(env)
    import django

    django.setup()  # the generator borrows bench.synthetic's names, which import models
    from bench import synthetic

    backend = env.get("SEARCH_BACKEND", "whoosh")
    database = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    work = data_dir / "exports"
    work.mkdir()
    rng = random.Random(args.seed)
    prose = synthetic.demo_prose(BODY_WORDS)
    started = time.perf_counter()
    text = work / "archive.jsonl"
    write_text_archive(text, args.articles, rng, prose)
    changed = work / "changed.jsonl"
    write_changed(text, changed, args.articles // 10)
    media = data_dir / "old-site"
    photo_file = work / "photos.jsonl"
    write_photo_archive(photo_file, media, args, rng, prose)
    print(f"Exports generated in {time.perf_counter() - started:.0f} s", flush=True)
    runs = [
        importing("text", [text], manage, env),
        importing("re-import, unchanged", [text], manage, env),
        importing("re-import, bodies changed", [changed], manage, env),
        importing("photos", [photo_file, "--media-root", str(media)], manage, env),
    ]
    runs[-1].photos = count_photos(manage, env)
    print_report(runs, args, database, backend)
    return 1 if any(r.status for r in runs) else 0


# --- Exports ------------------------------------------------------------------------


def article(rng: random.Random, prose, number: int) -> dict:
    section = rng.choices(synthetic.SECTIONS, weights=[w for _n, _s, w in synthetic.SECTIONS])[0]
    published = synthetic._published_at(rng)
    genres = rng.sample(synthetic.GENRES, rng.randint(2, 3))
    adjectives = rng.choice(synthetic.ADJECTIVES)
    authors = {
        f"{rng.choice(synthetic.FIRST_NAMES)} {rng.choice(synthetic.LAST_NAMES)}"
        for _ in range(rng.randint(1, 2))
    }
    return {
        "source_url": f"https://ancien.example.org/{published:%Y/%m}/article-{number}/",
        "title": synthetic._title(rng, section[1]),
        "date": published.isoformat(),
        "section": section[0],
        "tags": [
            f"{g} {adjectives[0] if gender == 'm' else adjectives[1]}" for g, gender in genres
        ],
        "authors": sorted(authors),
        "standfirst": prose.sentence(rng, 20, 30),
        "body": prose.body(rng),
    }


def write_text_archive(path: Path, count: int, rng: random.Random, prose) -> None:
    with path.open("w", encoding="utf-8") as out:
        for number in range(count):
            out.write(json.dumps(article(rng, prose, number), ensure_ascii=False) + "\n")


def write_changed(source: Path, path: Path, count: int) -> None:
    with source.open(encoding="utf-8") as lines, path.open("w", encoding="utf-8") as out:
        for _number, line in zip(range(count), lines, strict=False):
            data = json.loads(line)
            data["body"] += "\n<p>Mise à jour : la rédaction a complété cet article.</p>"
            out.write(json.dumps(data, ensure_ascii=False) + "\n")


def picture(rng: random.Random) -> bytes:
    from PIL import Image, ImageDraw

    width, height = 1200, 800
    image = Image.new("RGB", (width, height), tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(40, 300)
        colour = tuple(rng.randrange(256) for _ in range(3))
        if rng.random() < 0.5:
            draw.ellipse([x - r, y - r, x + r, y + r], fill=colour)
        else:
            draw.rectangle([x - r, y - r // 2, x + r, y + r // 2], fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def write_photo_archive(path: Path, media: Path, args, rng: random.Random, prose) -> None:
    """Articles with photos: each picture has its file, credit and caption; one in
    twenty has no credit (it waits in the editors' queue); pictures are reused."""
    photos = []
    for number in range(args.photos):
        name = f"{2000 + number % 25}/{number % 12 + 1:02d}/photo-{number}.jpg"
        (media / name).parent.mkdir(parents=True, exist_ok=True)
        (media / name).write_bytes(picture(rng))
        work = synthetic._work_title(rng)
        photographer = f"{rng.choice(synthetic.FIRST_NAMES)} {rng.choice(synthetic.LAST_NAMES)}"
        credited = number % 20 != 0
        photos.append(
            {
                "file": name,
                "credit": f"© {rng.choice(synthetic.AGENCIES)} / Photo : {photographer}"
                if credited
                else "",
                "caption": f"Une scène de « {work} ».",
                "alt": f"Image tirée de « {work} »",
                "licence": "agency",
                "url": f"https://ancien.example.org/wp-content/uploads/{name}",
            }
        )
    with path.open("w", encoding="utf-8") as out:
        for number in range(args.photo_articles):
            data = article(rng, prose, 10_000_000 + number)
            data["lead_photo"] = photos[number % len(photos)]
            if number % 4 == 0:
                data["gallery"] = rng.sample(photos, 2)
            if number % 5 == 0:
                inline = rng.choice(photos)
                data["photos"] = [inline]
                data["body"] += f'\n<figure><img src="{inline["file"]}"></figure>'
            out.write(json.dumps(data, ensure_ascii=False) + "\n")


# --- Running the command ----------------------------------------------------------


def importing(name: str, arguments: list, manage: list[str], env: dict[str, str]) -> Run:
    print(f"\n== {name}", flush=True)
    result = Run(name)
    started = time.perf_counter()
    process = subprocess.Popen(
        [*manage, "import_articles", *map(str, arguments), "-v2", "--no-progress"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    for line in process.stdout:
        lines.append(line)
        if CHECKPOINT.match(line) or "Écriture" in line or "créé" in line:
            print("   " + line.rstrip(), flush=True)
    _pid, status, usage = os.wait4(process.pid, 0)
    result.status = os.waitstatus_to_exitcode(status)
    result.wall_s = time.perf_counter() - started
    result.peak_mb = usage.ru_maxrss / 1024
    result.output = "".join(lines)
    for line in lines:
        if match := CHECKPOINT.match(line):
            result.checkpoints.append(tuple(int(g) for g in match.groups()))
        if match := SUMMARY.search(line):
            result.articles = int(match.group(1))
            result.write_s, result.index_s = float(match.group(2)), float(match.group(3))
    if result.status:
        print(result.output[-3000:], file=sys.stderr)
    return result


def count_photos(manage: list[str], env: dict[str, str]) -> int:
    code = "from photos.models import Photo; print(Photo.objects.count())"
    done = subprocess.run(
        [*manage, "shell", "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )
    numbers = re.findall(r"^\d+$", done.stdout, re.M)
    return int(numbers[-1]) if numbers else 0


# --- Report -----------------------------------------------------------------------


def print_report(runs: list[Run], args, database: str, backend: str) -> None:
    text = runs[0]
    print(f"\nImport of generated archives ({database}, search backend {backend})\n")
    print("articles/s written, at each checkpoint (since the start; over the last 10,000):")
    for done, overall, recent in text.checkpoints:
        print(f"  {done:>9,}  {overall:>6,}  {recent:>6,}")
    rows = [("run", "articles", "write s", "articles/s", "index s", "total s", "peak MB")]
    for r in runs:
        rows.append(
            (
                r.name,
                f"{r.articles:,}",
                f"{r.write_s:.1f}",
                f"{r.rate:,.0f}",
                f"{r.index_s:.1f}",
                f"{r.wall_s:.1f}",
                f"{r.peak_mb:.0f}",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    print()
    for row in rows:
        print(
            "  ".join(
                cell.ljust(w) if i == 0 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    photos = runs[-1]
    if photos.write_s:
        print(
            f"\nphotos: {photos.photos:,} photos in {photos.write_s:.1f} s of writing "
            f"({photos.photos / photos.write_s:.1f} photos/s)"
        )
    searchable = text.write_s + text.index_s
    target = SEARCHABLE_TARGET_S.get(backend, 600.0)
    print(
        f"\n{text.articles:,} text articles searchable after {searchable:.0f} s "
        f"(target {target:.0f} s: {'met' if searchable <= target else 'MISSED'})"
    )
    print(
        f"write rate {text.rate:,.0f} articles/s (target {RATE_TARGET:,.0f}: "
        f"{'met' if text.rate >= RATE_TARGET else 'MISSED'})"
    )
    peak = max(r.peak_mb for r in runs)
    print(
        f"peak memory {peak:.0f} MB (target {MEMORY_TARGET_MB:.0f}: "
        f"{'met' if peak <= MEMORY_TARGET_MB else 'MISSED'})"
    )
    for r in runs:
        if r.status:
            print(f"FAILED: {r.name} exited {r.status}")


if __name__ == "__main__":
    sys.exit(main())
