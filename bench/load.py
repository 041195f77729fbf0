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
import contextlib
import ipaddress
import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ARTICLE_URLS, TAG_URLS, SEARCH_URLS = 200, 50, 100
MAX_DURATION = 600  # seconds per wrk run: the benchmark always ends
SERVER_START_TIMEOUT = 60
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"
LOOPBACK_NAMES = {"localhost"}

# One wrk run: cycles through PATHS (each thread from its own offset) and, at the
# end, prints one line of JSON with the counts and the latency percentiles (wrk's
# own --latency table has 50/75/90/99, not 95). Latencies are in microseconds.
WRK_SCRIPT = """
local paths = {%(paths)s}
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("offset", threads * 7919)
end

function init(args)
  position = (offset or 0) %% #paths
end

function request()
  position = position %% #paths + 1
  return wrk.format("GET", paths[position])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'LOAD-RESULT {"requests": %%d, "duration_us": %%d, "bytes": %%d, ' ..
    '"connect": %%d, "read": %%d, "write": %%d, "status": %%d, "timeout": %%d, ' ..
    '"p50": %%d, "p95": %%d, "p99": %%d, "max": %%d}\\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


@dataclass
class Run:
    page: str
    mode: str
    requests: int = 0
    seconds: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    errors: dict[str, int] = field(default_factory=dict)
    failed: str = ""  # why the run produced no numbers

    @property
    def error_count(self) -> int:
        return sum(self.errors.values()) + (1 if self.failed else 0)


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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def base_env(data_dir: Path, port: int) -> dict[str, str]:
    """What gunicorn and the build both run with: production settings on loopback."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PAGE_CACHE_SECONDS", "REDIS_URL", "SEARCH_INDEX_DIR")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        WEB_CONCURRENCY="2",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_ACCESS_LOG=str(data_dir / "access.log"),
        DATA_DIR=str(data_dir),
        SITE_URL=f"http://127.0.0.1:{port}",
        DEBUG="false",
        LOG_LEVEL="WARNING",
    )
    return env


def mode_env(env: dict[str, str], mode: str, args: argparse.Namespace) -> dict[str, str]:
    if mode == "uncached":
        return env
    return {**env, "PAGE_CACHE_SECONDS": str(args.page_cache_seconds), "REDIS_URL": args.redis_url}


# -- building the archive (in this process, under the server's settings) ------------------


def build(args: argparse.Namespace) -> dict[str, list[str]]:
    """Migrate, fill, index and collect static files; return the paths to load."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, connections

    from bench import synthetic
    from search import backends

    if os.environ.get("DATABASE_URL"):
        db = settings.DATABASES["default"]
        print(
            f"WARNING: DATABASE_URL is set: the benchmark writes a synthetic archive into "
            f"{db['ENGINE'].rsplit('.', 1)[-1]} database {db['NAME']!r}.",
            file=sys.stderr,
        )
    call_command("migrate", verbosity=0, interactive=False)
    if not synthetic.archive_is_empty():
        raise SystemExit("The database already holds an archive: the benchmark needs an empty one.")
    started = time.perf_counter()
    synthetic.build_archive(args.articles, seed=args.seed)
    if args.analyze:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    call_command("rebuild_index", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    print(
        f"Archive: {args.articles:,} articles, indexed, static files collected in "
        f"{time.perf_counter() - started:.0f} s ({connection.vendor})."
    )
    paths = {
        "home": ["/"],
        "article": article_paths(args.seed),
        "tag": tag_paths(),
        "search": search_paths(args.seed),
    }
    backends.reset()
    connections.close_all()
    return paths


def article_paths(seed: int) -> list[str]:
    """200 articles spread over the whole archive (old and recent ones)."""
    from articles.models import Article

    ids = list(Article.objects.published().order_by("pk").values_list("pk", flat=True))
    chosen = random.Random(seed).sample(ids, ARTICLE_URLS)
    return [a.get_absolute_url() for a in Article.objects.filter(pk__in=chosen).order_by("pk")]


def tag_paths() -> list[str]:
    """50 genres from the most to the least used (the popular ones have thousands)."""
    from django.db.models import Count

    from articles.models import GenreTag

    tags = list(GenreTag.objects.annotate(n=Count("tagged_articles")).order_by("-n", "pk"))
    step = max(1, len(tags) // TAG_URLS)
    return [tag.get_absolute_url() for tag in tags[::step][:TAG_URLS]]


def search_paths(seed: int) -> list[str]:
    """100 different queries of one to three words, as readers type them."""
    from django.urls import reverse

    from bench import synthetic

    rng = random.Random(seed)
    genres = [genre.lower() for genre, _gender in synthetic.GENRES]
    adjectives = [masculine for masculine, _feminine in synthetic.ADJECTIVES]
    words = [w for w in synthetic.WORDS if len(w) > 4]
    makers = [
        lambda: rng.choice(genres),
        lambda: f"{rng.choice(genres)} {rng.choice(adjectives)}",
        lambda: rng.choice(words),
        lambda: f"{rng.choice(words)} {rng.choice(words)}",
        lambda: rng.choice(synthetic.WORK_HEADS).lower(),
        lambda: f"{rng.choice(synthetic.WORK_HEADS)} {rng.choice(synthetic.WORK_TAILS)}".lower(),
        lambda: rng.choice(synthetic.LAST_NAMES),
        lambda: f"{rng.choice(synthetic.EVENTS)}",
    ]
    queries: dict[str, None] = {}
    while len(queries) < SEARCH_URLS:
        queries.setdefault(rng.choice(makers)())
    page = reverse("search:page")
    return [f"{page}?{urllib.parse.urlencode({'q': q})}" for q in queries]


# -- the server ------------------------------------------------------------------------------


class Server:
    """gunicorn in its own session, stopped (SIGTERM, then SIGKILL) whatever happens."""

    def __init__(self, env: dict[str, str], port: int, log: Path, workers: int):
        self.env = {**env, "WEB_CONCURRENCY": str(workers)}
        self.base = f"http://127.0.0.1:{port}"
        self.log_path = log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi", "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.process.returncode}):\n{self.tail()}")
            with contextlib.suppress(OSError):
                status, _headers = fetch(self.base + "/healthz")
                if status == 200:
                    return
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer /healthz within 60 s:\n{self.tail()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def fetch(url: str) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(url, headers={"User-Agent": "bench"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            response.read()
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def cache_available(env: dict[str, str]) -> str:
    """Why the cached runs cannot happen, or "" when the settings support them."""
    probe = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'seconds': getattr(s, 'PAGE_CACHE_SECONDS', None), "
        "'middleware': [m for m in s.MIDDLEWARE if 'cache' in m.lower()], "
        "'cache': s.CACHES['default']['BACKEND']}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    if result.returncode != 0:
        return f"the settings do not load with PAGE_CACHE_SECONDS and REDIS_URL:\n{result.stderr}"
    found = json.loads(result.stdout.strip().splitlines()[-1])
    if not found["seconds"]:
        return "the settings have no PAGE_CACHE_SECONDS (no anonymous page cache yet)"
    if not found["middleware"]:
        return "no page cache middleware in MIDDLEWARE"
    if "redis" not in found["cache"].lower():
        return f"REDIS_URL is not used: the cache is {found['cache']}"
    if not shutil.which("redis-cli"):
        return "redis-cli is missing (Debian: apt-get install -y redis-tools)"
    url = env["REDIS_URL"]
    ping = subprocess.run(
        ["redis-cli", "-u", url, "PING"], capture_output=True, text=True, timeout=30
    )
    if ping.stdout.strip() != "PONG":
        return f"Redis does not answer at {url}: {(ping.stdout + ping.stderr).strip()}"
    return ""


def flush_redis(redis_url: str) -> None:
    subprocess.run(
        ["redis-cli", "-u", redis_url, "FLUSHDB"], check=True, capture_output=True, timeout=30
    )


# -- one wrk run -----------------------------------------------------------------------------


def preflight(base: str, paths: list[str], mode: str) -> list[str]:
    """Request every path once (which fills the cache in cached mode) and return
    the paths that did not answer 200. In cached mode, check that the second
    request of the last path is served from the cache."""
    bad = []
    for path in paths:
        status, _headers = fetch(base + path)
        if status != 200:
            bad.append(f"{path} answered {status}")
    if mode == "cached" and not bad:
        _status, headers = fetch(base + paths[-1])
        if headers.get("X-Page-Cache") != "hit":
            bad.append(f"{paths[-1]} was not served from the page cache (no X-Page-Cache: hit)")
    return bad


def run_wrk(args, base: str, page: str, mode: str, paths: list[str], work: Path) -> Run:
    run = Run(page, mode)
    script = work / f"wrk-{page}.lua"
    quoted = ", ".join(json.dumps(path) for path in paths)  # JSON strings are Lua strings here
    script.write_text(WRK_SCRIPT % {"paths": quoted})
    command = [
        "wrk",
        f"--threads={args.threads}",
        f"--connections={args.connections}",
        f"--duration={args.duration}s",
        f"--timeout={args.timeout}s",
        "--latency",
        f"--script={script}",
        base + "/",
    ]
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=args.duration + 60, check=False
        )
    except subprocess.TimeoutExpired:
        run.failed = "wrk did not finish in time"
        return run
    (work / f"wrk-{page}-{mode}.txt").write_text(result.stdout + result.stderr)
    line = next((x for x in result.stdout.splitlines() if x.startswith("LOAD-RESULT ")), None)
    if result.returncode != 0 or line is None:
        run.failed = f"wrk failed ({result.returncode}): {result.stderr.strip()[:300]}"
        return run
    data = json.loads(line.removeprefix("LOAD-RESULT "))
    run.requests = data["requests"]
    run.seconds = data["duration_us"] / 1e6
    run.p50_ms, run.p95_ms, run.p99_ms = (data[p] / 1000 for p in ("p50", "p95", "p99"))
    run.errors = {
        kind: data[kind] for kind in ("status", "connect", "read", "write", "timeout") if data[kind]
    }
    return run


# -- report ----------------------------------------------------------------------------------


def print_table(runs: list[Run]) -> None:
    header = ("page", "mode", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors")
    rows = [header]
    for run in runs:
        if run.failed:
            rows.append((run.page, run.mode, "-", "-", "-", "-", "run failed"))
            continue
        rate = run.requests / run.seconds if run.seconds else 0.0
        rows.append(
            (
                run.page,
                run.mode,
                f"{rate:.1f}",
                f"{run.p50_ms:.1f}",
                f"{run.p95_ms:.1f}",
                f"{run.p99_ms:.1f}",
                str(run.error_count),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    print()
    for index, row in enumerate(rows):
        cells = [
            cell.rjust(w) if 2 <= i < 7 else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        print(" | ".join(cells))
        if index == 0:
            print("-+-".join("-" * width for width in widths))
    for run in runs:
        if run.failed:
            print(f"\n{run.page} ({run.mode}): {run.failed}")
        elif run.errors:
            detail = ", ".join(f"{n} {kind}" for kind, n in run.errors.items())
            print(f"\n{run.page} ({run.mode}) errors: {detail}")


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
