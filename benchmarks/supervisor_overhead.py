"""Cost of the per-document time limit: extraction in-process vs through the supervised child.

(a) in-process, as the flow extracted before the time limit: ``extract_texts`` over a batch
(``nlp.pipe``) plus the document signatures; (b) ``flows.extraction_worker.extract_documents``
with the default 300 s limit: the same code in a child process, one document at a time, each
result pickled back over a pipe. Same batches (64, the flow's default) of the same MedQuAD
answers; the child is started and warmed before timing (its start-up is printed on its own).

The machine is shared, so (a) and (b) alternate batch by batch (which goes first alternates
too), and both wall time and CPU time (parent plus child, from /proc) are summed over
``--repeat`` passes: load that comes and goes hits both alike. Results must be identical.

Usage: python benchmarks/supervisor_overhead.py [--limit 1000] [--repeat 3]
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from pathlib import Path

import _medquad  # beside this script

ROOT = Path(__file__).resolve().parents[1]
BATCH = 64


def answers(limit: int) -> list[tuple[str, str]]:
    items = []
    with gzip.open(_medquad.CORPUS, "rt", encoding="utf-8") as handle:
        for line in handle:
            if len(items) >= limit:
                break
            if line.strip():
                items.append((str(len(items)), json.loads(line).get("answer") or ""))
    return items


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a live process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=1000, help="first N answers (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="passes over the answers (default 3)")
    args = parser.parse_args(argv)
    if _medquad.missing():
        print(_medquad.missing())
        return
    sys.path.insert(0, str(ROOT))
    from extractors.pipeline import PipelineOptions, extract_texts, get_nlp
    from flows import extraction_worker
    from flows.extraction_worker import DEFAULT_TIMEOUT_S, extract_documents, extracted_result

    items = answers(args.limit)
    batches = [items[i:i + BATCH] for i in range(0, len(items), BATCH)]
    options = PipelineOptions()

    def in_process(batch) -> list[dict]:
        return [extracted_result(e, text) for e, (_, text) in zip(extract_texts(batch, options), batch)]

    def supervised(batch) -> list[dict]:
        return extract_documents(batch, options, DEFAULT_TIMEOUT_S)

    get_nlp(options)
    started = time.perf_counter()
    extract_documents(items[:1], options, DEFAULT_TIMEOUT_S)
    startup = time.perf_counter() - started
    child = extraction_worker._idle[-1].pid
    wall = {"in_process": 0.0, "supervised": 0.0}
    cpu = {"in_process": 0.0, "supervised": 0.0}
    runs = {"in_process": in_process, "supervised": supervised}
    for repeat in range(args.repeat):
        for number, batch in enumerate(batches):
            order = ("in_process", "supervised") if (number + repeat) % 2 == 0 else ("supervised", "in_process")
            outputs = {}
            for name in order:
                wall_started, cpu_started, child_started = time.perf_counter(), time.process_time(), _cpu_seconds(child)
                outputs[name] = runs[name](batch)
                wall[name] += time.perf_counter() - wall_started
                cpu[name] += time.process_time() - cpu_started + _cpu_seconds(child) - child_started
            if outputs["in_process"] != outputs["supervised"]:
                raise SystemExit("results differ between in-process and supervised extraction")
    chars = sum(len(text) for _, text in items)
    print(f"\n{len(items)} MedQuAD answers ({chars:,} chars), batches of {BATCH}, {os.cpu_count()} cores, "
          f"{args.repeat} passes, alternating batch by batch; results identical\n")
    print("| measure | wall | CPU (parent + child) |")
    print("|---|---|---|")
    for name, label in (("in_process", "(a) in-process extract_texts + signature"), ("supervised", "(b) through the supervised child")):
        print(f"| {label} | {wall[name] / args.repeat:.2f} s | {cpu[name] / args.repeat:.2f} s |")
    print(f"| overhead (b)/(a) - 1 | {100 * (wall['supervised'] / wall['in_process'] - 1):+.1f} % "
          f"| {100 * (cpu['supervised'] / cpu['in_process'] - 1):+.1f} % |")
    print(f"| child start-up (imports, pipeline build, first document) | {startup:.1f} s | |")


if __name__ == "__main__":
    main()
