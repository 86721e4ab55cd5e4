"""Run the load generator (wrk with load.lua) in the background and read what it saw."""

from __future__ import annotations

import os
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

SCRIPT = Path(__file__).with_name("load.lua")


@dataclass
class Credentials:
    cookie: str
    csrf: str
    place: str
    organisation: int
    session: int
    agenda_item: int


@dataclass
class LoadResult:
    # (unix second, class) -> responses; classes as load.lua names them.
    seconds: Counter[tuple[int, str]] = field(default_factory=Counter)
    believed: list[tuple[str, str]] = field(default_factory=list)  # (kind, token)
    socket_errors: int = 0

    def count(self, *classes: str, outside: tuple[float, float] | None = None) -> int:
        """Responses of these classes (all if none), optionally outside a time window."""
        total = 0
        for (second, kind), number in self.seconds.items():
            if classes and kind not in classes:
                continue
            if outside is not None and outside[0] <= second <= outside[1]:
                continue
            total += number
        return total

    def last_second(self, *classes: str) -> int | None:
        found = [second for (second, kind) in self.seconds if kind in classes]
        return max(found) if found else None


class Load:
    def __init__(self, base_url: str, credentials: Credentials, out: Path, label: str) -> None:
        self.base_url = base_url
        self.credentials = credentials
        self.out = out
        self.label = label
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, seconds: int, connections: int = 2) -> None:
        c = self.credentials
        self.out.unlink(missing_ok=True)
        self.process = subprocess.Popen(
            [
                "wrk", f"-t{connections}", f"-c{connections}", f"-d{seconds}s", "--timeout=15s",
                "-s", str(SCRIPT), self.base_url, "--",
                c.cookie, c.csrf, c.place, str(c.organisation), str(c.session),
                str(c.agenda_item), self.label,
            ],
            env={**os.environ, "DRILL_LOAD_OUT": str(self.out)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip

    def finish(self) -> LoadResult:
        assert self.process is not None
        self.process.wait()
        result = LoadResult()
        for line in self.out.read_text().splitlines():
            parts = line.split()
            if parts[0] == "B":
                result.believed.append((parts[1], parts[2]))
            elif parts[0] == "S":
                result.seconds[(int(parts[1]), parts[2])] += int(parts[3])
            elif parts[0] == "E":
                result.socket_errors = sum(int(p) for p in parts[1:])
        return result
