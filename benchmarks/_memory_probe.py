"""Runs a command and prints two peaks of its process tree: "<largest RSS> <sum of PSS> <exit code>", MB.

The largest RSS is ``getrusage(RUSAGE_CHILDREN).ru_maxrss``: the peak of the largest single
process (the flow's, an extraction worker, Prefect's server). The sum of PSS is what the
whole run holds at once, which a container's memory limit counts: every process of the tree
is read from ``/proc/<pid>/smaps_rollup`` each SAMPLE_S seconds (PSS shares the pages of the
libraries they all map among them, where RSS would count them once per process), and the
largest sum is kept, so a spike shorter than a sample can be missed. Linux only.

Usage: python benchmarks/_memory_probe.py COMMAND [ARG ...]   (the command's output is discarded)
"""
from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
from pathlib import Path

SAMPLE_S = 0.2


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(child) for child in task.read_text().split()]
        except OSError:  # the task ended meanwhile
            pass
    return found


def _tree(root: int) -> list[int]:
    pids = [root]
    for pid in pids:  # grows as it goes: breadth first
        pids += _children(pid)
    return pids


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            return next((int(line.split()[1]) for line in rollup if line.startswith("Pss:")), 0)
    except OSError:  # the process ended meanwhile
        return 0


def main(command: list[str]) -> None:
    with tempfile.TemporaryFile() as errors:  # a pipe nobody reads meanwhile would fill and stop the command
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        peak_kb = 0
        while True:
            try:
                process.wait(SAMPLE_S)
                break
            except subprocess.TimeoutExpired:
                peak_kb = max(peak_kb, sum(_pss_kb(pid) for pid in _tree(process.pid)))
        if process.returncode:
            errors.seek(0)
            sys.stderr.write(errors.read().decode(errors="replace")[-2000:])
    print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, peak_kb / 1024, process.returncode)


if __name__ == "__main__":
    main(sys.argv[1:])
