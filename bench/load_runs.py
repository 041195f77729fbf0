"""One wrk run of the load benchmark (its Lua script, the paths checked first,
the numbers read back) and the table of all runs."""

import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from bench.load_server import fetch

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
