"""Reader pages benchmark: server CPU time, wall time and SQL queries of each kind
of reader page (home, articles, genre, section, author and archive pages, search)
on a synthetic archive of 20,000 articles (``bench/synthetic.py``), indexed for
search as the site is, so that "À lire aussi" and the search page do their real work.

Query counts are taken on a small archive too, in a process of its own: a page
whose count differs between the two does one query per row somewhere (an N+1)
and is marked GROWS.

Runs in a throw-away DATA_DIR (never the developer's db.sqlite3), or in
``--data-dir`` (kept, and reused when it already holds an archive of that size:
before/after comparisons then measure the same rows), or in DATABASE_URL when it
is set, which must then hold no archive yet.

    .venv/bin/python bench/pages.py [--articles 20000] [--repeat 30] [--sql]
"""

import argparse
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _data_dir_from_argv() -> tuple[str, bool]:
    """The DATA_DIR must be set before Django is: read ``--data-dir`` early."""
    for index, arg in enumerate(sys.argv):
        if arg == "--data-dir" and index + 1 < len(sys.argv):
            return str(Path(sys.argv[index + 1]).resolve()), True
        if arg.startswith("--data-dir="):
            return str(Path(arg.split("=", 1)[1]).resolve()), True
    return tempfile.mkdtemp(prefix="pressarchive-bench-pages-"), False


DATA_DIR, KEEP_DATA = _data_dir_from_argv()
Path(DATA_DIR).mkdir(parents=True, exist_ok=True)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ["DATA_DIR"] = DATA_DIR
# django.test.Client sends requests as "testserver".
os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
# Debug mode keeps every query and renders debug pages: not what readers get.
os.environ.setdefault("DEBUG", "0")
# The page cache stays off: every request renders its page.
os.environ["PAGE_CACHE_SECONDS"] = "0"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.db.models.functions import ExtractYear  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from articles.models import Article, Author, GenreTag, Section  # noqa: E402
from bench import synthetic, synthetic_words  # noqa: E402
from bench.pages_report import (  # noqa: E402
    Result,
    check_statuses,
    print_sql,
    print_table,
)

# Whitenoise warns on every start when STATIC_ROOT is missing; static files are not measured.
Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)

SMALL_ARTICLES = 500
TARGET_PAGE = 50
SAMPLE_ARTICLES = 40
SEARCHES = (
    "mélancolie ville",
    "polar japonais",
    "lumière hiver",
    "famille exil",
    "roman tendresse",
    "musique silence",
    "actrice colère",
    "festival cannes",
)


def main() -> int:
    try:
        args = parse_args()
        if args.small_only:
            return print_small_counts(args)
        return run(args)
    finally:
        if KEEP_DATA:
            print(f"\nData kept in {DATA_DIR}")
        else:
            shutil.rmtree(DATA_DIR, ignore_errors=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=synthetic.DEFAULT_ARTICLES)
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page kind")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per page kind")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sql", action="store_true", help="print each page's SQL (full archive)")
    parser.add_argument(
        "--analyze",
        action="store_true",
        help="run ANALYZE after building, as PostgreSQL's autovacuum eventually does",
    )
    parser.add_argument(
        "--data-dir",
        help="build the archive here and keep it; reuse it when it already holds one",
    )
    parser.add_argument("--small-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.articles < SMALL_ARTICLES:
        parser.error(f"--articles must be at least the small archive's {SMALL_ARTICLES}")
    return args


def run(args: argparse.Namespace) -> int:
    warn_if_external_database()
    call_command("migrate", verbosity=0, interactive=False)
    present = Article.objects.count()
    if present and not (args.data_dir and present == args.articles):
        print(f"The database already holds {present:,} articles: the benchmark needs an empty one.")
        return 2
    small = small_archive_queries(args)
    if not present:
        build_full_archive(args)
    else:
        print(f"\nArchive: {present:,} articles reused from {DATA_DIR} ({connection.vendor})\n")
    client = Client()
    results = [measure(client, label, urls, args) for label, urls in pages(args.seed)]
    print_table(results, small, SMALL_ARTICLES)
    if args.sql:
        print_sql(results)
    return check_statuses(results)


def warn_if_external_database() -> None:
    if os.environ.get("DATABASE_URL"):
        db = settings.DATABASES["default"]
        print(
            f"WARNING: DATABASE_URL is set: the benchmark migrates and writes a synthetic "
            f"archive into {db['ENGINE'].rsplit('.', 1)[-1]} database {db['NAME']!r} "
            f"on {db.get('HOST') or 'localhost'}.",
            file=sys.stderr,
        )


def small_archive_queries(args: argparse.Namespace) -> dict[str, list[str]]:
    """Query counts on a small archive, measured by this script in a process of its
    own with a throw-away DATA_DIR (SQLite) and the same code."""
    if os.environ.get("DATABASE_URL"):
        return {}
    env = {**os.environ}
    env.pop("DATA_DIR", None)
    output = subprocess.run(
        [sys.executable, __file__, "--small-only", "--seed", str(args.seed)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("SMALL "))
    return json.loads(line[len("SMALL ") :])


def print_small_counts(args: argparse.Namespace) -> int:
    call_command("migrate", verbosity=0, interactive=False)
    synthetic.build_archive(SMALL_ARTICLES, seed=args.seed, progress=False)
    call_command("rebuild_index", verbosity=0)
    client = Client()
    statements = {
        label: [
            q["sql"] for q in count_queries(client, label, urls, label.endswith("view")).queries
        ]
        for label, urls in pages(args.seed)
    }
    print("SMALL " + json.dumps(statements))
    return 0


def analyze() -> None:
    """Table statistics for the query planner. SQLite has none until ANALYZE runs,
    and then prefers any index with an equality test, however unselective."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def build_full_archive(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    synthetic.build_archive(args.articles, seed=args.seed)
    built = time.perf_counter() - started
    if args.analyze:
        analyze()
    call_command("rebuild_index", verbosity=0)
    indexed = time.perf_counter() - started - built
    planner = "with ANALYZE" if args.analyze else "no ANALYZE"
    print(f"\nArchive: {args.articles:,} articles built in {built:.1f} s", end=" ")
    print(f"and indexed in {indexed:.1f} s ({connection.vendor}, {planner})\n")


def pages(seed: int) -> list[tuple[str, list[str]]]:
    """The page kinds to measure, chosen in whatever archive is in the database:
    each kind is a list of URLs requested in turn."""
    biggest, typical = tags()
    articles = sample_articles(seed)
    half = len(articles) // 2
    section = Section.objects.annotate(n=Count("articles")).order_by("-n", "pk").first()
    author = Author.objects.annotate(n=Count("articles")).order_by("-n", "pk").first()
    return [
        ("home", [reverse("articles:home")]),
        # Seen before: what is stored at the first view ("À lire aussi") is reused.
        ("article", articles[:half]),
        # Never seen before in this run: the first view's whole cost.
        ("article, first view", articles[half:]),
        ("tag p1 (biggest)", [biggest]),
        (f"tag p{TARGET_PAGE} (biggest)", [paged(biggest, TARGET_PAGE, biggest_count(biggest))]),
        (f"tag p{TARGET_PAGE} (typical)", [paged(typical[0], TARGET_PAGE, typical[1])]),
        ("section p1", [section.get_absolute_url()]),
        (f"section p{TARGET_PAGE}", [paged(section.get_absolute_url(), TARGET_PAGE, section.n)]),
        ("author p1", [author.get_absolute_url()]),
        ("year archive p1", [year_archive_url(1)]),
        (f"year archive p{TARGET_PAGE}", [year_archive_url(TARGET_PAGE)]),
        ("search, two words", [search_url(q) for q in SEARCHES]),
        # Words searched for the first time in this process: nothing kept yet.
        ("search, first view", [search_url(q) for q in fresh_searches(seed)]),
    ]


def fresh_searches(seed: int, count: int = SAMPLE_ARTICLES // 2) -> list[str]:
    """Two-word searches, no word in two of them nor in SEARCHES."""
    searched = {word for text in SEARCHES for word in text.split()}
    content = synthetic_words.WORDS[synthetic_words.WORDS.index("film") :]  # after the stop words
    words = sorted({w for w in content if len(w) > 3 and w not in searched})
    random.Random(seed).shuffle(words)
    return [f"{a} {b}" for a, b in zip(words[0::2], words[1::2], strict=False)][:count]


def sample_articles(seed: int) -> list[str]:
    """Articles spread over the whole archive, old and recent."""
    ids = list(Article.objects.published().order_by("pk").values_list("pk", flat=True))
    chosen = random.Random(seed).sample(ids, min(SAMPLE_ARTICLES, len(ids)))
    found = Article.objects.in_bulk(chosen)
    return [found[pk].get_absolute_url() for pk in chosen]


def tags() -> tuple[str, tuple[str, int]]:
    """The genre with the most articles, and one at the median of those with
    enough articles for page 50."""
    counted = list(GenreTag.objects.annotate(n=Count("tagged_articles")).order_by("-n", "pk"))
    deep = [tag for tag in counted if tag.n >= TARGET_PAGE * settings.ARTICLES_PER_PAGE]
    typical = deep[len(deep) // 2] if deep else counted[len(counted) // 2]
    return counted[0].get_absolute_url(), (typical.get_absolute_url(), typical.n)


def biggest_count(url: str) -> int:
    slug = url.rstrip("/").rsplit("/", 1)[-1]
    return GenreTag.objects.get(slug=slug).tagged_articles.count()


def paged(url: str, page: int, count: int) -> str:
    """Page ``page`` of a list of ``count`` articles, or its last page."""
    last = max(1, math.ceil(count / settings.ARTICLES_PER_PAGE))
    return f"{url}?page={min(page, last)}"


def year_archive_url(page: int) -> str:
    """Page ``page`` of the busiest year, or its last page when the archive is too small."""
    busiest = (
        Article.objects.published()
        .annotate(year=ExtractYear("publication_date"))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("-n", "-year")
        .first()
    )
    url = reverse("articles:archive-year", kwargs={"year": str(busiest["year"])})
    return paged(url, page, busiest["n"]) if page > 1 else url


def search_url(query: str) -> str:
    from urllib.parse import urlencode

    return reverse("search:page") + "?" + urlencode({"q": query})


def count_queries(client: Client, label: str, urls: list[str], first_view: bool = False) -> Result:
    """The SQL of one request to ``urls[0]``, after a first request that pays for
    one-off lookups (content types…): to another page when ``first_view`` asks
    for the cost of a page never requested before."""
    client.get(reverse("articles:home") if first_view else urls[0])
    with CaptureQueriesContext(connection) as captured:
        response = client.get(urls[0])
    return Result(label, urls, response.status_code, captured.captured_queries)


def measure(client: Client, label: str, urls: list[str], args: argparse.Namespace) -> Result:
    first_view = is_first_view(label)
    result = count_queries(client, label, urls, first_view)
    if result.status != 200:
        return result
    if first_view:
        timed = urls[1:]
    else:
        for index in range(max(args.warmup, len(urls))):
            client.get(urls[index % len(urls)])
        timed = [urls[index % len(urls)] for index in range(args.repeat)]
    for url in timed:
        started, cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        result.cpu_ms.append((time.process_time() - cpu) * 1000)
        result.timings_ms.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            result.status = response.status_code
    return result


def is_first_view(label: str) -> bool:
    return label.endswith("first view")


if __name__ == "__main__":
    sys.exit(main())
