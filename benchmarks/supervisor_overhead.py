"""Cost of the per-document time limit: extraction in-process vs through the supervised child.

(a) in-process, as the flow extracted before the time limit: ``extract_texts`` over each
batch (``nlp.pipe``) plus the document signature; (b) ``flows.extraction_worker
.extract_documents`` with the default 300 s limit: the same code in a child process, one
document at a time, each result pickled back over a pipe. Same batches (64, the flow's
default) and the same MedQuAD answers; the child is started and warmed before timing (its
start-up is printed on its own). Runs alternate (a), (b) ``--repeat`` times; the table gives
the fastest of each and the overhead (b)/(a) - 1. Both must give identical results.

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

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "../shared/corpora/medquad/medquad.jsonl.gz"
BATCH = 64


def answers(limit: int) -> list[tuple[str, str]]:
    items = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        for line in handle:
            if len(items) >= limit:
                break
            if line.strip():
                items.append((str(len(items)), json.loads(line).get("answer") or ""))
    return items


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=1000, help="first N answers (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="alternating runs of each (default 3)")
    args = parser.parse_args(argv)
    if not CORPUS.exists():
        print(f"skipped: MedQuAD corpus not found at {CORPUS.resolve()}")
        return
    sys.path.insert(0, str(ROOT))
    from extractors.pipeline import PipelineOptions, extract_texts, get_nlp
    from flows.extraction_worker import DEFAULT_TIMEOUT_S, extract_documents, extracted_result

    items = answers(args.limit)
    batches = [items[i:i + BATCH] for i in range(0, len(items), BATCH)]
    options = PipelineOptions()

    def in_process() -> list[dict]:
        return [extracted_result(e, text) for batch in batches for e, (_, text) in zip(extract_texts(batch, options), batch)]

    def supervised() -> list[dict]:
        return [r for batch in batches for r in extract_documents(batch, options, DEFAULT_TIMEOUT_S)]

    get_nlp(options)
    started = time.perf_counter()
    extract_documents(items[:1], options, DEFAULT_TIMEOUT_S)
    startup = time.perf_counter() - started
    times: dict[str, list[float]] = {"in_process": [], "supervised": []}
    outputs = {}
    for _ in range(args.repeat):
        for name, run in (("in_process", in_process), ("supervised", supervised)):
            started = time.perf_counter()
            outputs[name] = run()
            times[name].append(time.perf_counter() - started)
    if outputs["in_process"] != outputs["supervised"]:
        raise SystemExit("results differ between in-process and supervised extraction")
    best = {name: min(values) for name, values in times.items()}
    chars = sum(len(text) for _, text in items)
    print(f"\n{len(items)} MedQuAD answers ({chars:,} chars), batches of {BATCH}, {os.cpu_count()} cores, "
          f"{args.repeat} alternating runs each; results identical\n")
    print("| measure | fastest | all runs |")
    print("|---|---|---|")
    for name, label in (("in_process", "(a) in-process extract_texts + signature"), ("supervised", "(b) through the supervised child")):
        print(f"| {label} | {best[name]:.2f} s | {', '.join(f'{t:.2f}' for t in times[name])} |")
    print(f"| overhead (b)/(a) - 1 | {100 * (best['supervised'] / best['in_process'] - 1):+.1f} % | |")
    print(f"| child start-up (imports, pipeline build, first document) | {startup:.1f} s | |")


if __name__ == "__main__":
    main()
