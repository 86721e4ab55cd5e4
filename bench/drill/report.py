"""The drill's table: one row per fault, as docs/faults.md shows it."""

from __future__ import annotations

from dataclasses import dataclass

RECOVERY_TARGET = 30.0  # seconds from a fault's end until everything works again


@dataclass
class Row:
    fault: str
    requests: int = 0
    server_errors: str = "0"
    clear_503: int = 0
    asked_to_sign_in: int = 0
    lost_writes: int = 0
    duplicate_emails: int = 0
    emails: str = "–"
    recovery: float | None = 0.0
    notes: str = ""

    def recovered(self) -> str:
        if self.recovery is None:
            return "not within the wait"
        mark = "" if self.recovery <= RECOVERY_TARGET else " (over 30 s)"
        return f"{self.recovery:.0f}{mark}"


def table(rows: list[Row]) -> str:
    head = (
        "| Fault | Requests | 5xx | Clear 503 page | Sent to sign in | Lost writes "
        "| Duplicate emails | Emails ended | Recovered after (s) | Notes |\n"
        "|---|---:|---:|---:|---:|---:|---:|---|---:|---|"
    )
    lines = [
        f"| {r.fault} | {r.requests:,} | {r.server_errors} | {r.clear_503} | "
        f"{r.asked_to_sign_in} | {r.lost_writes} | {r.duplicate_emails} | {r.emails} | "
        f"{r.recovered()} | {r.notes.strip()} |"
        for r in rows
    ]
    return "\n".join([head, *lines])
