"""The search benchmark's report: the table of every backend's measures against
the targets, latency by kind of query, matches per query, the slowest queries
and the judged queries not answered first."""

import statistics

from bench.search_measure import TOP, Measured
from bench.tables import print_rows

# Targets on the reference machine (2 cores).
REBUILD_TARGET_S = 300.0
ENGINE_P95_TARGET_MS = 50.0
API_P95_TARGET_MS = 100.0


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
