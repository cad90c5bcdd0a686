"""Extraction speed of this checkout against another one, measured interleaved.

On this shared 2-core machine the speed of one process drifts by up to 2x within minutes,
so two runs one after the other cannot show a 10 % change. Here two long-lived processes,
one per checkout, extract the same MedQuAD answers chunk by chunk, taking turns (the order
alternates every chunk); each sums its own CPU seconds, so a slow minute slows both. Each
chunk's extractions are also compared (a digest of every row), so a speed-up that changes
the output shows as such.

Make the other checkout with e.g. ``git worktree add /tmp/base <commit>``; both use this
checkout's virtualenv.

Usage: python benchmarks/ab_extraction.py --base /tmp/base [--every 8] [--chunk 100]
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

import _medquad  # beside this script

ROOT = Path(__file__).resolve().parents[1]


def _answers(every: int) -> list[tuple[str, str]]:
    with gzip.open(_medquad.CORPUS, "rt", encoding="utf-8") as handle:
        return [(str(n), json.loads(line).get("answer") or "") for n, line in enumerate(handle) if n % every == 0]


def _serve(checkout: str, every: int) -> None:
    """Worker: extract the chunks [start, end) read from stdin; print CPU seconds for each."""
    sys.path.insert(0, checkout)
    from extractors.pipeline import extract_texts, get_nlp

    answers = _answers(every)
    get_nlp()
    print("ready", flush=True)
    for line in sys.stdin:
        start, end = map(int, line.split())
        started = time.process_time()
        extractions = list(extract_texts(answers[start:end]))
        seconds = time.process_time() - started
        rows = json.dumps([extraction.to_dict() for extraction in extractions], sort_keys=True, default=repr)
        print(seconds, hashlib.sha256(rows.encode()).hexdigest(), flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", help="the other checkout (a folder); required")
    parser.add_argument("--every", type=int, default=8, help="take every Nth answer (default 8)")
    parser.add_argument("--chunk", type=int, default=100, help="answers per turn (default 100)")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        return _serve(args.serve, args.every)
    if not args.base:
        parser.error("--base is required")
    if _medquad.missing():
        print(_medquad.missing())
        return
    checkouts = {"this checkout": str(ROOT), "base": str(Path(args.base).resolve())}
    workers = {
        name: subprocess.Popen([sys.executable, __file__, "--serve", path, "--every", str(args.every)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for name, path in checkouts.items()
    }
    for name, worker in workers.items():
        if worker.stdout.readline().strip() != "ready":
            raise SystemExit(f"the {name} worker did not start")
    count = len(_answers(args.every))
    seconds = dict.fromkeys(workers, 0.0)
    differing = []
    for turn, start in enumerate(range(0, count, args.chunk)):
        order = list(workers) if turn % 2 == 0 else list(workers)[::-1]
        digests = set()
        for name in order:
            workers[name].stdin.write(f"{start} {start + args.chunk}\n")
            workers[name].stdin.flush()
            cpu, digest = workers[name].stdout.readline().split()
            seconds[name] += float(cpu)
            digests.add(digest)
        if len(digests) > 1:
            differing.append(f"{start}-{min(start + args.chunk, count) - 1}")
    for worker in workers.values():
        worker.stdin.close()
        worker.wait()
    base = seconds["base"]
    print(f"\n{count} MedQuAD answers (every {args.every}th), turns of {args.chunk}\n")
    print("| checkout | CPU seconds | vs base |")
    print("|---|---|---|")
    for name, value in seconds.items():
        print(f"| {name} ({checkouts[name]}) | {value:.2f} | {value / base - 1:+.1%} |")
    if differing:
        print(f"\nextractions differ in {len(differing)} chunks (answer positions {', '.join(differing)})")
    else:
        print("\nextractions identical in every chunk")


if __name__ == "__main__":
    main()
