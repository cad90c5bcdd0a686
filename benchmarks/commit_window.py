"""How long a run's outputs are a mixed set: the renames of ``StagedWrite.commit``, from the
first to the last, with the old files linked aside first (what commit does) and without.

Files of the sizes a whole-MedQuAD run writes (~105 MB of CSV, the report, run.json) are
staged over the previous ones and committed, alternating the two ways, five times each.
Run as ``.venv/bin/python benchmarks/commit_window.py [FOLDER]`` (default: a temporary
folder; pick one on the file system the outputs go to).
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

from claims import writers

SIZES_MB = {"documents.csv": 3, "mentions.csv": 45, "evidence.csv": 35, "claims.csv": 12, "conflicts.csv": 5,
            "aliases.csv": 1, "report.html": 8, "run.json": 1}
ROUNDS = 5


def renames_window(folder: Path, data: bytes, link_aside: bool) -> float:
    """Seconds from the start of the first rename to the end of the last one."""
    staged = writers.StagedWrite()
    for name, size in SIZES_MB.items():
        staged.write(folder / name, lambda tmp, n=size: tmp.write_bytes(data[: n * 1_000_000]))
    stamps: list[float] = []
    replace = os.replace

    def timed(source, target):
        stamps.append(time.perf_counter())
        replace(source, target)
        stamps.append(time.perf_counter())

    with mock.patch.object(os, "replace", timed), \
         mock.patch.object(writers, "_link_aside", writers._link_aside if link_aside else lambda path: None):
        staged.commit()
    return stamps[-1] - stamps[0]


def main(folder: Path) -> None:
    data = os.urandom(max(SIZES_MB.values()) * 1_000_000)
    renames_window(folder, data, True)  # the first commit replaces nothing
    windows: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(ROUNDS):
        for link_aside in (False, True):
            windows[link_aside].append(renames_window(folder, data, link_aside))
    for link_aside, label in ((False, "renames over the old files"), (True, "old files linked aside first")):
        times = sorted(w * 1000 for w in windows[link_aside])
        print(f"{label}: median {statistics.median(times):.2f} ms (min {times[0]:.2f}, max {times[-1]:.2f})")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        main(Path(sys.argv[1]))
    else:
        with tempfile.TemporaryDirectory() as temporary:
            main(Path(temporary))
