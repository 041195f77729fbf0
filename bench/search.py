"""Search benchmark: full rebuild time, index size, peak memory, query latency
(at the engine and through /api/search/) and MRR@10 of a judged set, per
backend, on a synthetic archive of 100,000 French articles of about 600 words.

Runs in a throw-away DATA_DIR with SQLite (Whoosh only), or in DATABASE_URL when
it is set, which must hold no archive yet (``--create-db`` creates that
PostgreSQL database and drops it at the end). The postgres backend is measured
only on PostgreSQL. What is measured: ``bench/search_measure.py``; the report:
``bench/search_report.py``.

    .venv/bin/python bench/search.py --articles 5000            # a quick one
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_search \\
        .venv/bin/python bench/search.py --backend all --create-db
"""

import argparse
import contextlib
import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.database import throwaway  # noqa: E402
from bench.search_measure import measure  # noqa: E402
from bench.search_report import print_report  # noqa: E402

DEFAULT_ARTICLES = 100_000
BODY_WORDS = 600


def main() -> int:
    args = parse_args()
    # A terminated benchmark still removes its directory and database.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(143))
    data_dir = args.reuse or tempfile.mkdtemp(prefix="pressarchive-bench-search-")
    os.environ["DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    # django.test.Client sends requests as "testserver".
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    # Debug mode keeps every query and renders debug pages: not what readers get.
    os.environ.setdefault("DEBUG", "0")
    # Every query is measured uncached.
    os.environ["PAGE_CACHE_SECONDS"] = "0"
    created = ""
    try:
        with throwaway(args.create_db, args.keep) as created:
            return run(args)
    finally:
        if args.keep or args.reuse:
            print(f"\nData kept in {data_dir}" + (f" and in {created}" if created else ""))
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=DEFAULT_ARTICLES)
    parser.add_argument(
        "--backend",
        choices=("whoosh", "postgres", "all"),
        default="all",
        help="all: whoosh, and postgres when the database is PostgreSQL",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--create-db",
        action="store_true",
        help="create DATABASE_URL's (PostgreSQL) database first and drop it at the end",
    )
    parser.add_argument(
        "--profile",
        metavar="DIR",
        help="run each rebuild under cProfile, writing DIR/rebuild-<backend>.prof "
        "(times are then inflated)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the DATA_DIR (and database)")
    parser.add_argument(
        "--reuse",
        metavar="DATA_DIR",
        help="measure again on an archive kept by --keep (same --articles and --seed; "
        "with DATABASE_URL, the database kept with it): no archive is built",
    )
    parser.add_argument(
        "--keep-index",
        action="store_true",
        help="with --reuse: measure the kept index as it is, without rebuilding it "
        "(to compare two versions of the query code on one index)",
    )
    args = parser.parse_args()
    if args.keep_index and not args.reuse:
        parser.error("--keep-index needs --reuse")
    if args.articles < 1000:
        parser.error("--articles must be at least 1000 (the judged set plants 100)")
    return args


# --- The run ------------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from search.models import SearchDocument

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # quiets whitenoise
    backends = choose_backends(args.backend, connection.vendor)
    if not backends:
        print("The postgres backend needs DATABASE_URL=postgres://…", file=sys.stderr)
        return 2
    if os.environ.get("DATABASE_URL"):
        db = settings.DATABASES["default"]
        print(
            f"DATABASE_URL is set: the benchmark writes a synthetic archive into "
            f"{connection.vendor} database {db['NAME']!r} on {db.get('HOST') or 'localhost'}.",
            file=sys.stderr,
        )
    call_command("migrate", verbosity=0, interactive=False)
    from django.urls import reverse

    reverse("api:search")  # imports the whole URLconf now, not an hour later mid-run
    from bench import synthetic

    if args.reuse:
        prose = synthetic.demo_prose(BODY_WORDS)
        print(f"\nArchive reused from {args.reuse} ({connection.vendor})", flush=True)
    elif not synthetic.archive_is_empty() or SearchDocument.objects.exists():
        print("The database already holds an archive: the benchmark needs an empty one.")
        return 2
    else:
        prose, built_s = build(args)
        print(
            f"\nArchive: {args.articles:,} articles of ~{BODY_WORDS} words built in "
            f"{built_s:.0f} s ({connection.vendor}; vocabulary {len(prose.words):,} words)",
            flush=True,
        )
    queries = make_queries(prose, args.seed)
    judged = judged_targets()
    results = []
    for name in backends:
        doing = "measuring the kept index" if args.keep_index else "rebuilding the index"
        print(f"\n== {name}: {doing} ({args.articles:,} articles)…", flush=True)
        results.append(measure(name, args, queries, judged))
    print_report(results, queries, args)
    failed = [r for r in results if r.rebuild_status or r.api_errors]
    for r in failed:
        print(f"FAILED ({r.backend}): rebuild exit {r.rebuild_status}; {r.api_errors[:3]}")
    return 1 if failed else 0


def choose_backends(wanted: str, vendor: str) -> list[str]:
    postgres = vendor == "postgresql"
    if wanted == "whoosh":
        return ["whoosh"]
    if wanted == "postgres":
        return ["postgres"] if postgres else []
    return ["whoosh", "postgres"] if postgres else ["whoosh"]


def build(args: argparse.Namespace):
    from django.db import connection

    from bench import judged, synthetic

    prose = synthetic.demo_prose(BODY_WORDS)
    started = time.perf_counter()
    synthetic.build_archive(args.articles, seed=args.seed, prose=prose, planted=judged.planted())
    if connection.vendor == "postgresql":
        # Planner statistics, as autovacuum gathers them after such a load.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return prose, time.perf_counter() - started


def make_queries(prose, seed: int) -> list[tuple[str, str]]:
    from articles.models import Author, GenreTag
    from bench.queries import build_queries

    tags = list(GenreTag.objects.order_by("pk").values_list("name", flat=True))  # popular first
    authors = list(Author.objects.order_by("pk").values_list("name", flat=True))
    return build_queries(prose, tags, authors, seed)


def judged_targets() -> list[tuple[str, str]]:
    """(query, target id) of the judged set."""
    from articles.models import Article
    from bench.judged import judged

    return [(j.query, str(Article.objects.get(title=j.title).pk)) for j in judged()]


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
    sys.exit(130)
