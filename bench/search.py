"""Search benchmark: full rebuild time, index size, peak memory, query latency
(at the engine and through /api/search/) and MRR@10 of a judged set, per
backend, on a synthetic archive of 100,000 French articles of about 600 words.

Runs in a throw-away DATA_DIR with SQLite (Whoosh only), or in DATABASE_URL when
it is set, which must hold no archive yet (``--create-db`` creates that
PostgreSQL database and drops it at the end). The postgres backend is measured
only on PostgreSQL.

    .venv/bin/python bench/search.py --articles 5000            # a quick one
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_search \\
        .venv/bin/python bench/search.py --backend all --create-db
"""

import argparse
import contextlib
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.database import throwaway  # noqa: E402
from bench.tables import print_rows  # noqa: E402

DEFAULT_ARTICLES = 100_000
BODY_WORDS = 600
WARMUP = 20  # untimed queries first: open the searcher, fill caches
TOP = 10  # MRR@10
# Targets on the reference machine (2 cores).
REBUILD_TARGET_S = 300.0
ENGINE_P95_TARGET_MS = 50.0
API_P95_TARGET_MS = 100.0


@dataclass
class Measured:
    backend: str
    articles: int = 0
    rebuild_s: float = 0.0
    rebuild_status: int = 0
    peak_rss_mb: float = 0.0
    size_mb: float = 0.0
    engine_ms: list[float] = field(default_factory=list)
    api_ms: list[float] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)  # matches per query (engine)
    api_errors: list[str] = field(default_factory=list)  # and failed phases
    reciprocal_ranks: list[float] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)  # judged queries not answered first


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


def measure(name: str, args, queries, judged) -> Measured:
    from articles.models import Article

    result = Measured(backend=name, articles=Article.objects.count())
    if not args.keep_index:
        rebuild(name, result, args.profile)
    if result.rebuild_status:
        return result
    analyze_search_tables(name)
    result.size_mb = index_size(name) / 2**20
    print(f"   rebuilt in {result.rebuild_s:.0f} s; timing {len(queries)} queries…", flush=True)
    for phase, step in (("engine", engine_latency), ("API", api_latency)):
        try:
            step(name, queries, result)
        except Exception as exc:  # noqa: BLE001 - report what was measured, then the failure
            result.api_errors.append(f"{phase} latency: {exc!r}")
    try:
        mrr(name, judged, result)
    except Exception as exc:  # noqa: BLE001
        result.api_errors.append(f"MRR: {exc!r}")
    return result


def rebuild(name: str, result: Measured, profile: str | None) -> None:
    """``manage.py rebuild_index`` in a process of its own, for its own peak memory."""
    from django.db import connections

    connections.close_all()  # nothing of ours holds a lock or a transaction meanwhile
    command = [sys.executable]
    if profile:
        Path(profile).mkdir(parents=True, exist_ok=True)
        command += ["-m", "cProfile", "-o", str(Path(profile) / f"rebuild-{name}.prof")]
    command += [str(ROOT / "manage.py"), "rebuild_index", "--index", "articles"]
    env = {**os.environ, "SEARCH_BACKEND": name}
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=ROOT)
    _pid, status, usage = os.wait4(process.pid, 0)
    result.rebuild_s = time.perf_counter() - started
    process.returncode = result.rebuild_status = os.waitstatus_to_exitcode(status)
    result.peak_rss_mb = usage.ru_maxrss / 1024  # KiB on Linux


def analyze_search_tables(name: str) -> None:
    from django.db import connection

    if name == "postgres":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchdocument, search_searchterm")


def index_size(name: str) -> int:
    from django.conf import settings
    from django.db import connection

    if name == "postgres":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_total_relation_size('search_searchdocument')"
                " + pg_total_relation_size('search_searchterm')"
            )
            return cursor.fetchone()[0]
    root = Path(settings.SEARCH_INDEX_DIR) / "articles"
    generation = root / (root / "CURRENT").read_text().strip()
    return sum(path.stat().st_size for path in generation.rglob("*") if path.is_file())


def engine_latency(name: str, queries, result: Measured) -> None:
    from search.backends import backend_for
    from search.backends.base import Refinements
    from search.query import parse

    backend = backend_for("articles", name)

    def one(query: str):
        # As service.run does for the API: facets and highlights on, no refinement.
        return backend.search(parse(query), refinements=Refinements(), facets=True, highlight=True)

    for _kind, query in queries[:WARMUP]:
        one(query)
    for kind, query in queries:
        started = time.perf_counter()
        found = one(query)
        result.engine_ms.append((time.perf_counter() - started) * 1000)
        result.kinds.append(kind)
        result.counts.append(found.count)


def api_latency(name: str, queries, result: Measured) -> None:
    from django.test import Client, override_settings
    from django.urls import reverse

    client = Client()
    url = reverse("api:search")
    with override_settings(SEARCH_BACKEND=name):
        for _kind, query in queries[:WARMUP]:
            client.get(url, {"q": query})
        for _kind, query in queries:
            started = time.perf_counter()
            response = client.get(url, {"q": query})
            result.api_ms.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                result.api_errors.append(f"{query!r}: HTTP {response.status_code}")


def mrr(name: str, judged, result: Measured) -> None:
    from search.backends import backend_for
    from search.query import parse

    backend = backend_for("articles", name)
    for query, target in judged:
        hits = backend.search(parse(query), per_page=TOP, facets=False, highlight=False).hits
        ids = [hit.id for hit in hits]
        rank = ids.index(target) + 1 if target in ids else None
        result.reciprocal_ranks.append(1 / rank if rank else 0.0)
        if rank != 1:
            result.misses.append(f"{query!r}: rank {rank or f'>{TOP}'}")


# --- The report -----------------------------------------------------------------------


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[98]


def verdict(value: float, target: float) -> str:
    return "ok" if value <= target else "MISSED"


def print_report(results: list[Measured], queries, args) -> None:
    profiled = " (under cProfile: slower)" if args.profile else ""
    rows = [("", "target", *(r.backend for r in results))]

    def row(label: str, target: str, cells) -> None:
        rows.append((label, target, *cells))

    def ms(values: list[float], pick, target: float | None = None) -> list[str]:
        cells = []
        for values_ in values:
            if not values_:
                cells.append("-")
                continue
            value = pick(values_)
            cells.append(f"{value:.1f}" + (f" {verdict(value, target)}" if target else ""))
        return cells

    row(
        f"rebuild (s){profiled}",
        f"< {REBUILD_TARGET_S:.0f}",
        [
            "kept index"
            if args.keep_index
            else f"{r.rebuild_s:.0f} {verdict(r.rebuild_s, REBUILD_TARGET_S)}"
            if not r.rebuild_status
            else f"exit {r.rebuild_status}"
            for r in results
        ],
    )
    row(
        "rebuild (docs/s)",
        "",
        [f"{r.articles / r.rebuild_s:.0f}" if r.rebuild_s else "-" for r in results],
    )
    row("index size (MB)", "", [f"{r.size_mb:.0f}" for r in results])
    row("rebuild peak RSS (MB)", "", [f"{r.peak_rss_mb:.0f}" for r in results])
    engine = [r.engine_ms for r in results]
    api = [r.api_ms for r in results]
    row("engine median (ms)", "", ms(engine, statistics.median))
    row("engine p95 (ms)", f"< {ENGINE_P95_TARGET_MS:.0f}", ms(engine, p95, ENGINE_P95_TARGET_MS))
    row("API median (ms)", "", ms(api, statistics.median))
    row("API p95 (ms)", f"< {API_P95_TARGET_MS:.0f}", ms(api, p95, API_P95_TARGET_MS))
    row("API p99 (ms)", "", ms(api, p99))
    judged = len(results[0].reciprocal_ranks) if results else 0
    mrrs = [statistics.mean(r.reciprocal_ranks) if r.reciprocal_ranks else 0.0 for r in results]
    row(f"MRR@{TOP} ({judged} judged)", "", [f"{value:.3f}" for value in mrrs])
    print(f"\nSearch: {args.articles:,} articles, {len(queries)} queries (1 timed run each)\n")
    print_rows(rows)

    kinds = list(dict.fromkeys(kind for kind, _query in queries))
    per_kind = [
        (
            "ms by kind",
            "n",
            *(f"{r.backend} engine med / p95" for r in results),
            *(f"{r.backend} API p50 / p95 / p99" for r in results),
        )
    ]
    for kind in kinds:
        engine_cells, api_cells = [], []
        for r in results:
            values = [ms_ for ms_, k in zip(r.engine_ms, r.kinds, strict=True) if k == kind]
            engine_cells.append(
                f"{statistics.median(values):.1f} / {p95(values):.1f}" if values else "-"
            )
            # API times are in query order, as the kinds are.
            values = [ms_ for ms_, (k, _q) in zip(r.api_ms, queries, strict=False) if k == kind]
            api_cells.append(
                f"{statistics.median(values):.1f} / {p95(values):.1f} / {p99(values):.1f}"
                if len(values) > 1
                else "-"
            )
        per_kind.append((kind, str(sum(k == kind for k, _q in queries)), *engine_cells, *api_cells))
    print()
    print_rows(per_kind)
    for r in results:
        if r.counts:
            counts = sorted(r.counts)
            print(
                f"\n{r.backend}: matches per query: median {statistics.median(counts):,.0f}, "
                f"max {counts[-1]:,}, none for {sum(c == 0 for c in counts)} queries, "
                f"fewer than 3 for {sum(c < 3 for c in counts)} of {len(counts)}"
            )
            slowest = sorted(
                zip(r.engine_ms, (q for _k, q in queries), r.counts, strict=True), reverse=True
            )[:5]
            for value, query, count in slowest:
                print(f"  slowest: {value:7.1f} ms  {count:>7,} matches  {query}")
        if r.api_ms:
            slowest = sorted(zip(r.api_ms, (q for _k, q in queries), strict=False), reverse=True)
            for value, query in slowest[:5]:
                print(f"  slowest (API): {value:7.1f} ms  {query}")
        for miss in r.misses:
            print(f"  judged, not first: {miss}")


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
    sys.exit(130)
