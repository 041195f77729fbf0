"""Load benchmark: gunicorn (2 workers, production settings) serving the
20,000-article synthetic archive, driven by wrk from a second process on
loopback, page kind by page kind: the home page, 200 articles, 50 genre pages
and 100 searches. Each run reports requests/s, p50/p95/p99 latency and errors,
without the page cache ("uncached") and with it ("cached").

    .venv/bin/python bench/load.py            # 8 runs of 60 s, plus building and warming up
    .venv/bin/python bench/load.py --quick    # 10 s per run, to try it out

Needs wrk (Debian: ``apt-get install -y wrk``) and, for the cached runs, a Redis
server on 127.0.0.1:6379 with redis-cli (its database 15 is flushed before each
cached run). Builds everything in a throw-away DATA_DIR (SQLite), or in
DATABASE_URL when it is set, which must then hold no archive yet. Exits
non-zero when any request failed (a status other than 2xx/3xx, a socket error
or a timeout).
"""

import argparse
import ipaddress
import os
import shutil
import signal
import sys
import tempfile
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load_archive import ARTICLE_URLS, build  # noqa: E402
from bench.load_runs import Run, preflight, print_table, run_wrk  # noqa: E402
from bench.load_server import (  # noqa: E402
    Server,
    base_env,
    cache_available,
    flush_redis,
    free_port,
    mode_env,
)

MAX_DURATION = 600  # seconds per wrk run: the benchmark always ends
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"
LOOPBACK_NAMES = {"localhost"}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--duration", type=int, default=60, help="seconds per run (default 60)")
    parser.add_argument("--quick", action="store_true", help="10 s per run")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (16)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--timeout", type=int, default=10, help="wrk request timeout, s (10)")
    parser.add_argument(
        "--pages",
        default="home,article,tag,search",
        help="page kinds to load, comma-separated (default: all four)",
    )
    parser.add_argument(
        "--modes", default="uncached,cached", help="uncached, cached or both (default)"
    )
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL, help="cache for cached runs")
    parser.add_argument(
        "--page-cache-seconds",
        type=int,
        default=300,
        help="PAGE_CACHE_SECONDS of the cached runs (300); pages requested once before a run "
        "expire during it when warming up and running take longer than this",
    )
    parser.add_argument("--analyze", action="store_true", help="run ANALYZE after building")
    parser.add_argument("--keep", action="store_true", help="keep the throw-away DATA_DIR")
    args = parser.parse_args()
    if args.quick:
        args.duration = 10
    if not 1 <= args.duration <= MAX_DURATION:
        parser.error(f"--duration must be between 1 and {MAX_DURATION} seconds")
    if args.articles < ARTICLE_URLS:
        parser.error(f"--articles must be at least {ARTICLE_URLS}")
    args.pages = [p for p in args.pages.split(",") if p]
    args.modes = [m for m in args.modes.split(",") if m]
    unknown = set(args.pages) - {"home", "article", "tag", "search"}
    unknown |= set(args.modes) - {"uncached", "cached"}
    if unknown:
        parser.error(f"unknown page kind or mode: {', '.join(sorted(unknown))}")
    if not is_loopback(urllib.parse.urlsplit(args.redis_url).hostname or ""):
        parser.error("--redis-url must point to a loopback address")
    return args


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def interrupted(signum, frame):
    raise KeyboardInterrupt


def main() -> int:
    args = parse_args()
    if not shutil.which("wrk"):
        print(
            "wrk is missing. Install it (Debian/Ubuntu): sudo apt-get install -y wrk",
            file=sys.stderr,
        )
        return 2
    # SIGTERM (e.g. from a CI timeout) stops gunicorn as Ctrl-C does.
    signal.signal(signal.SIGTERM, interrupted)
    data_dir = Path(tempfile.mkdtemp(prefix="pressarchive-bench-load-"))
    port = free_port()
    env = base_env(data_dir, port)
    os.environ.update(env)
    server: Server | None = None
    runs: list[Run] = []
    problems: list[str] = []
    try:
        paths = build(args)
        paths = {page: paths[page] for page in args.pages}
        modes = list(args.modes)
        if "cached" in modes:
            why = cache_available(mode_env(env, "cached", args))
            if why:
                print(f"\nCached runs skipped: {why}", file=sys.stderr)
                modes.remove("cached")
        print(
            f"Load: gunicorn, {args.workers} sync workers on 127.0.0.1:{port}; wrk "
            f"{args.threads} threads, {args.connections} connections, {args.duration} s per run."
        )
        for mode in modes:
            server = Server(
                mode_env(env, mode, args), port, data_dir / "gunicorn.log", args.workers
            )
            server.start()
            for page, page_paths in paths.items():
                if mode == "cached":
                    flush_redis(args.redis_url)
                print(
                    f"  {page} ({mode}): requesting its {len(page_paths)} URL(s) once…",
                    end="",
                    flush=True,
                )
                bad = preflight(server.base, page_paths, mode)
                if bad:
                    problems += [f"{page} ({mode}): {b}" for b in bad[:5]]
                    runs.append(Run(page, mode, failed=f"{len(bad)} path(s) failed before the run"))
                    print(" failed.")
                    continue
                print(f" then wrk for {args.duration} s.", flush=True)
                runs.append(run_wrk(args, server.base, page, mode, page_paths, data_dir))
            server.stop()
            server = None
    except KeyboardInterrupt:
        print("\nInterrupted: the runs done so far.", file=sys.stderr)
        print_table(runs)
        return 130
    finally:
        if server is not None:
            server.stop()
        if args.keep:
            print(f"\nData kept in {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)
    print_table(runs)
    for problem in problems:
        print(f"FAILED: {problem}", file=sys.stderr)
    if "cached" in args.modes and all(run.mode != "cached" for run in runs):
        print("\n(cached runs skipped: see above)")
    failed = not runs or any(run.error_count for run in runs) or problems
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
