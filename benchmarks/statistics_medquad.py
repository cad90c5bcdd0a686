"""Run find_statistics over MedQuAD answers: counts per kind, sampled examples, throughput.

The samples are for eyeballing false positives; the figures go into docs/statistics.md.
Usage: python benchmarks/statistics_medquad.py [examples_per_kind]
"""
import collections
import gzip
import json
import random
import sys
import time
from pathlib import Path

import _medquad  # beside this script

from extractors.statistics import find_statistics

CONTEXT_CHARS = 50
SEED = 20261128


def _answers(path: Path):
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)["answer"]


def main(examples_per_kind: int = 30) -> None:
    if _medquad.missing():
        print(_medquad.missing())
        return
    answers = list(_answers(_medquad.CORPUS))
    by_kind = collections.defaultdict(list)
    started = time.perf_counter()
    for answer in answers:
        for statistic in find_statistics(answer):
            by_kind[statistic.kind].append((answer, statistic))
    elapsed = time.perf_counter() - started

    total_statistics = sum(len(found) for found in by_kind.values())
    total_chars = sum(len(answer) for answer in answers)
    rng = random.Random(SEED)
    for kind, found in sorted(by_kind.items()):
        # MedQuAD repeats boilerplate paragraphs thousands of times; sample distinct contexts only.
        contexts = {}
        for answer, statistic in found:
            before = answer[max(0, statistic.start - CONTEXT_CHARS):statistic.start]
            after = answer[statistic.end:statistic.end + CONTEXT_CHARS]
            contexts.setdefault(f"{before}[[{statistic.text}]]{after}".replace("\n", " "), statistic)
        print(f"\n== {kind}: {len(found)} ({len(contexts)} distinct contexts)")
        for context in rng.sample(sorted(contexts), min(examples_per_kind, len(contexts))):
            statistic = contexts[context]
            print(f"  {statistic.value_low!s:>10} {statistic.value_high!s:>10} {statistic.qualifier or '-':9} "
                  f"{statistic.frequency_class or '-':13} {context}")
    print(f"\n{len(answers)} answers, {total_chars} chars, {total_statistics} statistics in {elapsed:.1f} s: "
          f"{total_statistics / elapsed:,.0f} statistics/s, {total_chars / elapsed:,.0f} chars/s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
