"""Reader pages benchmark: render time and SQL query count of the home page,
an article, a genre page and page 50 of a year archive, on a synthetic archive
of 20,000 articles (``bench/synthetic.py``).

Query counts are taken on a small archive too: a page whose count differs
between the two does one query per row somewhere (an N+1) and is marked GROWS.

Runs in a throw-away DATA_DIR (never the developer's db.sqlite3), or in
DATABASE_URL when it is set, which must then hold no archive yet.

    .venv/bin/python bench/pages.py [--articles 20000] [--repeat 30] [--sql]
"""

import argparse
import math
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ["DATA_DIR"] = tempfile.mkdtemp(prefix="pressarchive-bench-pages-")
# django.test.Client sends requests as "testserver".
os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
# Debug mode keeps every query and renders debug pages: not what readers get.
os.environ.setdefault("DEBUG", "0")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.db.models.functions import ExtractYear  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from articles.models import Article, GenreTag  # noqa: E402
from bench import synthetic  # noqa: E402

# Whitenoise warns on every start when STATIC_ROOT is missing; static files are not measured.
Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)

SMALL_ARTICLES = 500
TARGET_PAGE = 50
# Literals and lists of ids in logged SQL, to compare statements whatever their values.
LITERAL = re.compile(r"'[^']*'|\b\d+(?:\.\d+)?\b")
ID_LIST = re.compile(r"\bIN \(\d+(?:, \d+)*\)")


@dataclass
class Result:
    label: str
    url: str
    status: int
    timings_ms: list[float]
    queries: list[dict]


def main() -> int:
    keep = False
    try:
        args = parse_args()
        keep = args.keep
        return run(args)
    finally:
        if keep:
            print(f"\nData kept in {os.environ['DATA_DIR']}")
        else:
            shutil.rmtree(os.environ["DATA_DIR"], ignore_errors=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=synthetic.DEFAULT_ARTICLES)
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per page")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sql", action="store_true", help="print each page's SQL (full archive)")
    parser.add_argument(
        "--analyze",
        action="store_true",
        help="run ANALYZE after building, as PostgreSQL's autovacuum eventually does",
    )
    parser.add_argument("--keep", action="store_true", help="keep the throw-away DATA_DIR")
    args = parser.parse_args()
    if args.articles < SMALL_ARTICLES:
        parser.error(f"--articles must be at least the small archive's {SMALL_ARTICLES}")
    return args


def run(args: argparse.Namespace) -> int:
    warn_if_external_database()
    call_command("migrate", verbosity=0, interactive=False)
    if not synthetic.archive_is_empty():
        print("The database already holds an archive: the benchmark needs an empty one.")
        return 2
    client = Client()
    small = small_archive_queries(client, args.seed)
    build_full_archive(args)
    results = [measure(client, label, url, args) for label, url in pages()]
    print_table(results, small)
    if args.sql:
        print_sql(results)
    return check_statuses(results + list(small.values()))


def warn_if_external_database() -> None:
    if os.environ.get("DATABASE_URL"):
        db = settings.DATABASES["default"]
        print(
            f"WARNING: DATABASE_URL is set: the benchmark migrates and writes a synthetic "
            f"archive into {db['ENGINE'].rsplit('.', 1)[-1]} database {db['NAME']!r} "
            f"on {db.get('HOST') or 'localhost'}.",
            file=sys.stderr,
        )


def small_archive_queries(client: Client, seed: int) -> dict[str, Result]:
    """Query counts on a small archive, built in a transaction that is rolled back
    so that the full archive is then built on the same, still empty, database."""
    with transaction.atomic():
        synthetic.build_archive(SMALL_ARTICLES, seed=seed, progress=False)
        results = {label: count_queries(client, label, url) for label, url in pages()}
        transaction.set_rollback(True)
    return results


def analyze() -> None:
    """Table statistics for the query planner. SQLite has none until ANALYZE runs,
    and then prefers any index with an equality test, however unselective."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def build_full_archive(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    synthetic.build_archive(args.articles, seed=args.seed)
    seconds = time.perf_counter() - started
    if args.analyze:
        analyze()
    planner = "with ANALYZE" if args.analyze else "no ANALYZE"
    print(f"\nArchive: {args.articles:,} articles built in {seconds:.1f} s", end=" ")
    print(f"({connection.vendor}, {planner})\n")


def pages() -> list[tuple[str, str]]:
    """The pages to measure, chosen in whatever archive is in the database."""
    return [
        ("home", reverse("articles:home")),
        ("article", article_url()),
        ("tag", tag_url()),
        (f"year archive p{TARGET_PAGE}", year_archive_url()),
    ]


def article_url() -> str:
    """The latest article with a lead photo, authors and several genres."""
    article = (
        Article.objects.published()
        .filter(lead_photo__isnull=False)
        .annotate(n_tags=Count("tags", distinct=True), n_authors=Count("authors", distinct=True))
        .filter(n_tags__gte=2, n_authors__gte=1)
        .order_by("-published_at", "-pk")  # Meta.ordering does not apply to GROUP BY queries
        .first()
    )
    return article.get_absolute_url()


def tag_url() -> str:
    tag = GenreTag.objects.annotate(n=Count("tagged_articles")).order_by("-n", "pk").first()
    return tag.get_absolute_url()


def year_archive_url() -> str:
    """Page 50 of the busiest year, or its last page when the archive is too small."""
    busiest = (
        Article.objects.published()
        .annotate(year=ExtractYear("publication_date"))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("-n", "-year")
        .first()
    )
    page = min(TARGET_PAGE, math.ceil(busiest["n"] / settings.ARTICLES_PER_PAGE))
    return reverse("articles:archive-year", kwargs={"year": str(busiest["year"])}) + f"?page={page}"


def count_queries(client: Client, label: str, url: str) -> Result:
    # One request first: one-off lookups (content types, …) are not the page's cost.
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return Result(label, url, response.status_code, [], captured.captured_queries)


def measure(client: Client, label: str, url: str, args: argparse.Namespace) -> Result:
    result = count_queries(client, label, url)
    if result.status != 200:
        return result
    for _ in range(args.warmup):
        client.get(url)
    for _ in range(args.repeat):
        started = time.perf_counter()
        client.get(url)
        result.timings_ms.append((time.perf_counter() - started) * 1000)
    return result


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def print_table(results: list[Result], small: dict[str, Result]) -> None:
    header = ("page", "median ms", "p95 ms", "queries (small)", "queries (full)", "verdict")
    rows = [header] + [report_row(result, small[result.label]) for result in results]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for index, row in enumerate(rows):
        print(" | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        if index == 0:
            print("-+-".join("-" * width for width in widths))
    print_growth(results, small)
    print(f"\nSmall archive: {SMALL_ARTICLES} articles. Pages measured on the full archive:")
    for result in results:
        print(f"  {result.label}: {result.url}")


def report_row(result: Result, small: Result) -> tuple[str, ...]:
    timings = result.timings_ms
    median = f"{statistics.median(timings):.1f}" if timings else "-"
    slowest = f"{p95(timings):.1f}" if len(timings) > 1 else "-"
    counts = (str(len(small.queries)), str(len(result.queries)))
    return (result.label, median, slowest, *counts, verdict(result, small))


def verdict(result: Result, small: Result) -> str:
    if result.status != 200 or small.status != 200:
        return f"HTTP {result.status}/{small.status}"
    if len(result.queries) == len(small.queries):
        return "constant"
    if not extra_statements(result, small):
        return "constant*"
    return "GROWS"


def extra_statements(result: Result, small: Result) -> Counter:
    """Statements the full archive ran more often than the small one, batched
    lookups aside: prefetch_related's ``… IN (1, 2, 3)`` is skipped when no row
    has anything to fetch (no card with a lead photo), so its count follows the
    data, and being batched it cannot be an N+1."""
    return statement_shapes(result.queries) - statement_shapes(small.queries)


def statement_shapes(queries: list[dict]) -> Counter:
    return Counter(
        LITERAL.sub("?", query["sql"]) for query in queries if not ID_LIST.search(query["sql"])
    )


def print_growth(results: list[Result], small: dict[str, Result]) -> None:
    verdicts = {result.label: verdict(result, small[result.label]) for result in results}
    if "constant*" in verdicts.values():
        print("\n* counts differ only by prefetch queries (… IN (ids)), which depend on the data.")
    for result in results:
        if verdicts[result.label] == "GROWS":
            for shape, times in extra_statements(result, small[result.label]).items():
                print(f"\nGROWS on {result.label}: {times} more run(s) of\n  {shape}")


def print_sql(results: list[Result]) -> None:
    for result in results:
        print(f"\n== {result.label} ({result.url}): {len(result.queries)} queries")
        for query in result.queries:
            print(f"[{query['time']} s] {query['sql']}")


def check_statuses(results: list[Result]) -> int:
    failed = [result for result in results if result.status != 200]
    for result in failed:
        print(f"FAILED: {result.url} answered {result.status}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
