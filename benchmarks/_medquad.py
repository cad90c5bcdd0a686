"""The MedQuAD sample the in-process benchmarks share: every Nth answer, plus warm-up answers.

The warm-up answers are others (the line after each sampled one) run through the pipeline
first, so lazily compiled patterns, the common words of the vocabulary and the matchers'
memos are warm, as in any long run; otherwise one-time costs land on whichever component
meets them first.
"""
from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path
from typing import Any, NamedTuple

CORPUS = Path(__file__).resolve().parents[1] / "../shared/corpora/medquad/medquad.jsonl.gz"
WARM_UP_TEXTS = 1_000


def missing() -> str | None:
    """Why the benchmark cannot run (the corpus is not beside the project), or None."""
    return None if CORPUS.exists() else f"skipped: MedQuAD corpus not found at {CORPUS.resolve()}"


def sample(every: int, limit: int | None = None) -> tuple[list[str], list[str]]:
    """(every ``every``th answer, at most ``limit``; WARM_UP_TEXTS other answers)."""
    texts: list[str] = []
    warm_up: list[str] = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if number % every == 0 and line.strip():
                texts.append(json.loads(line).get("answer") or "")
            elif number % every == 1 and len(warm_up) < WARM_UP_TEXTS and line.strip():
                warm_up.append(json.loads(line).get("answer") or "")
            if limit is not None and len(texts) >= limit:
                break
    return texts, warm_up


class Sample(NamedTuple):
    every: int
    texts: list[str]
    words: int  # whitespace-separated, as benchmarks/throughput.py counts them
    nlp: Any  # the extraction pipeline, warmed up


def prepared(description: str, argv: list[str] | None) -> Sample | None:
    """Parse ``--every``/``--limit``, read the sample and run the warm-up answers through the
    extraction pipeline; None, after saying why, without the corpus."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--every", type=int, default=8, help="take every Nth answer (default 8)")
    parser.add_argument("--limit", type=int, help="at most N answers")
    args = parser.parse_args(argv)
    if missing():
        print(missing())
        return None
    from extractors.pipeline import get_nlp

    texts, warm_up = sample(args.every, args.limit)
    nlp = get_nlp()
    for _ in nlp.pipe(warm_up):
        pass
    return Sample(args.every, texts, sum(len(text.split()) for text in texts), nlp)
