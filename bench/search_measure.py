"""The search benchmark's measures for one backend: the index rebuilt in a
process of its own (time, peak memory), its size, query latency at the engine
and through /api/search/, and MRR@10 of the judged set."""

import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WARMUP = 20  # untimed queries first: open the searcher, fill caches
TOP = 10  # MRR@10


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
