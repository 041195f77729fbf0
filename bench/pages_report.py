"""The reader pages benchmark's report (``bench/pages.py``): each page kind's
result, its table, and whether its queries grow with the archive."""

import re
import statistics
import sys
from collections import Counter
from dataclasses import dataclass, field

from bench.tables import print_rows

# Literals and lists of ids in logged SQL, to compare statements whatever their values.
LITERAL = re.compile(r"'[^']*'|\b\d+(?:\.\d+)?\b")
ID_LIST = re.compile(r"\bIN \(\d+(?:, \d+)*\)")


@dataclass
class Result:
    label: str
    urls: list[str]
    status: int
    queries: list[dict]
    timings_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def print_table(results: list[Result], small: dict[str, list[str]], small_articles: int) -> None:
    header = ("page", "CPU ms", "p50 ms", "p95 ms", "queries (small)", "queries (full)", "verdict")
    print_rows([header] + [report_row(result, small.get(result.label)) for result in results])
    print_growth(results, small)
    print("\nCPU ms: median server CPU time per request (this process: the whole Django stack).")
    print(f"Small archive: {small_articles} articles. Pages measured on the full archive:")
    for result in results:
        more = f" (and {len(result.urls) - 1} more)" if len(result.urls) > 1 else ""
        print(f"  {result.label}: {result.urls[0]}{more}")


def report_row(result: Result, small: list[str] | None) -> tuple[str, ...]:
    def median(values: list[float]) -> str:
        return f"{statistics.median(values):.1f}" if values else "-"

    slowest = f"{p95(result.timings_ms):.1f}" if len(result.timings_ms) > 1 else "-"
    small_count = "-" if small is None else str(len(small))
    return (
        result.label,
        median(result.cpu_ms),
        median(result.timings_ms),
        slowest,
        small_count,
        str(len(result.queries)),
        verdict(result, small),
    )


def verdict(result: Result, small: list[str] | None) -> str:
    if result.status != 200:
        return f"HTTP {result.status}"
    if small is None:
        return "-"
    if len(result.queries) == len(small):
        return "constant"
    if not extra_statements(result, small):
        return "constant*"
    return "GROWS"


def extra_statements(result: Result, small: list[str]) -> Counter:
    """Statements the full archive ran more often than the small one, batched
    lookups aside: prefetch_related's ``… IN (1, 2, 3)`` is skipped when no row
    has anything to fetch (no card with a lead photo), so its count follows the
    data, and being batched it cannot be an N+1."""
    return statement_shapes([q["sql"] for q in result.queries]) - statement_shapes(small)


def statement_shapes(statements: list[str]) -> Counter:
    return Counter(LITERAL.sub("?", sql) for sql in statements if not ID_LIST.search(sql))


def print_growth(results: list[Result], small: dict[str, list[str]]) -> None:
    verdicts = {result.label: verdict(result, small.get(result.label)) for result in results}
    if "constant*" in verdicts.values():
        print("\n* counts differ only by prefetch queries (… IN (ids)), which depend on the data.")
    for result in results:
        if verdicts[result.label] == "GROWS":
            for shape, times in extra_statements(result, small[result.label]).items():
                print(f"\nGROWS on {result.label}: {times} more run(s) of\n  {shape}")


def print_sql(results: list[Result]) -> None:
    for result in results:
        print(f"\n== {result.label} ({result.urls[0]}): {len(result.queries)} queries")
        for query in result.queries:
            print(f"[{query['time']} s] {query['sql']}")


def check_statuses(results: list[Result]) -> int:
    failed = [result for result in results if result.status != 200]
    for result in failed:
        print(f"FAILED: {result.urls[0]} answered {result.status}", file=sys.stderr)
    return 1 if failed else 0
