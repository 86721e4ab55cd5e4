"""The floors every page of bench/web.py must reach, and the table a run prints."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.web import Result

# The floors every page must reach: a share of the app's bare view's requests per second and
# a p95 latency, quiet and while the place is busy; and a web worker's memory.
QUIET_FLOORS = (0.10, 50.0)
BUSY_FLOORS = (0.05, 100.0)
WORKER_MB = 150.0


def floors_missed(result: Result, bare: float, busy: bool) -> list[str]:
    """What ``result`` falls short of: its share of the bare view, its p95, the worker's
    memory, or an answer that was not the expected one."""
    least_share, most_p95 = BUSY_FLOORS if busy else QUIET_FLOORS
    least_share = max(least_share, result.page.least_share or 0)
    missed = []
    if result.errors or result.status >= 400:
        missed.append("errors")
    if bare and result.rps / bare < least_share:
        missed.append(f"< {least_share:.0%}")
    if result.p95_ms > most_p95:
        missed.append(f"p95 > {most_p95:.0f} ms")
    if result.worker_mb >= WORKER_MB:
        missed.append(f"≥ {WORKER_MB:.0f} MB")
    return missed


def print_table(results: list[Result], busy: bool) -> None:
    bare = next((r.rps for r in results if r.page.name == "bare view"), 0.0)
    minimal = next((r.rps for r in results if r.page.name == "minimal Django"), 0.0)
    least_share, most_p95 = BUSY_FLOORS if busy else QUIET_FLOORS
    print(
        f"Floors{' (busy)' if busy else ''}: every page at least {least_share:.0%} of the bare "
        f"view (the live poll 35 %) with p95 at most {most_p95:.0f} ms; a web worker under "
        f"{WORKER_MB:.0f} MB.\n"
    )
    print(
        "| page | persona | status | req/s | % of bare view | % of minimal Django "
        "| p50 ms | p95 ms | queries | worker MB | floors |"
    )
    print("|---" * 11 + "|")
    for r in results:
        if r.page.yardstick:
            verdict = "—"
        else:
            missed = floors_missed(r, bare, busy)
            verdict = "met" if not missed else "missed: " + ", ".join(missed)
        share_of_bare = f"{r.rps / bare:.1%}" if bare else "?"
        share_of_minimal = f"{r.rps / minimal:.1%}" if minimal else "?"
        queries = "—" if r.queries < 0 else str(r.queries)
        print(
            f"| {r.page.name} | {r.page.persona} | {r.status} | {r.rps:,.0f} | "
            f"{share_of_bare} | {share_of_minimal} | {r.p50_ms:.1f} | {r.p95_ms:.1f} | "
            f"{queries} | {r.worker_mb:.0f} | {verdict} |"
        )
