"""Runs a command and prints two peaks of its process tree: "<largest RSS> <sum of PSS> <exit code>", MB.

The largest RSS is ``getrusage(RUSAGE_CHILDREN).ru_maxrss``: the peak of the largest single
process (the flow's, an extraction worker, Prefect's server). The sum of PSS is the nearest
figure to what the whole run holds at once: each SAMPLE_S seconds every process of the tree
is read from ``/proc/<pid>/smaps_rollup`` (PSS shares the pages of the libraries they all map
among them, where RSS would count them once per process), and the largest sum is kept, so a
spike shorter than a sample can be missed. A container's cgroup counts otherwise: the
anonymous memory, and the page cache of the files the run writes. Linux only.

Reading a process's ``smaps_rollup`` costs 7-18 ms of CPU for a process of ~1 GB, a few per
cent of a core at this rate: a run timed for speed is run with ``--no-sampling`` (largest
process only, the sum printed as nan).

Usage: python benchmarks/_memory_probe.py [--no-sampling] COMMAND [ARG ...]   (its output is discarded)
"""
from __future__ import annotations

import os
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


def _tree(root: int) -> set[int]:
    pids, queue = {root}, [root]
    while queue:
        for child in _children(queue.pop()):
            if child not in pids:
                pids.add(child)
                queue.append(child)
    return pids


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            return next((int(line.split()[1]) for line in rollup if line.startswith("Pss:")), 0)
    except OSError:  # the process ended meanwhile
        return 0


def main(argv: list[str]) -> None:
    sampling = argv[:1] != ["--no-sampling"]
    command = argv if sampling else argv[1:]
    if sampling and not Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").exists():
        raise SystemExit("this kernel has no /proc/PID/task/TID/children: the process tree cannot be sampled")
    with tempfile.TemporaryFile() as errors:  # a pipe nobody reads meanwhile would fill and stop the command
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        peak_kb = 0
        while True:
            try:
                process.wait(SAMPLE_S if sampling else None)
                break
            except subprocess.TimeoutExpired:
                peak_kb = max(peak_kb, sum(_pss_kb(pid) for pid in _tree(process.pid)))
        if process.returncode:
            errors.seek(0)
            sys.stderr.write(errors.read().decode(errors="replace")[-2000:])
    run_mb = peak_kb / 1024 if sampling else float("nan")
    print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, run_mb, process.returncode)


if __name__ == "__main__":
    main(sys.argv[1:])
