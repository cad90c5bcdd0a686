"""Seconds per pipeline component on a sample of MedQuAD, against the tokenizer alone.

Each component runs over all documents of the sample before the next one starts (the
documents stay in memory), so every figure is that component's own cost; the last row is
``doc_to_extraction``, the flattening into table rows. The ratio is the tokenizer's time
over the total, the (b)/(a) of benchmarks/throughput.py measured in one process.

Usage: python benchmarks/components.py [--every N] [--limit N]   (default: every 8th answer)
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT / "../shared/corpora/medquad/medquad.jsonl.gz"
# Other answers run through the pipeline first, so lazily compiled patterns, the common
# words of the vocabulary and the matcher's memos are warm, as in any long run: otherwise
# one-time costs land on whichever component meets them first.
WARM_UP_TEXTS = 1_000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--every", type=int, default=8, help="take every Nth answer (default 8)")
    parser.add_argument("--limit", type=int, help="at most N answers")
    args = parser.parse_args(argv)
    if not CORPUS.exists():
        print(f"skipped: MedQuAD corpus not found at {CORPUS.resolve()}")
        return
    from extractors.pipeline import get_nlp
    from extractors.records import doc_to_extraction

    texts, warm_up = [], []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if number % args.every == 0 and line.strip():
                texts.append(json.loads(line).get("answer") or "")
            elif number % args.every == 1 and len(warm_up) < WARM_UP_TEXTS and line.strip():
                warm_up.append(json.loads(line).get("answer") or "")
            if args.limit is not None and len(texts) >= args.limit:
                break
    words = sum(len(text.split()) for text in texts)
    nlp = get_nlp()
    for doc in nlp.pipe(warm_up):  # compiled patterns, vocabulary and memos as in a long run
        pass
    started = time.perf_counter()
    docs = [nlp.make_doc(text) for text in texts]
    rows = [("tokenizer", time.perf_counter() - started)]
    for name, component in nlp.pipeline:
        started = time.perf_counter()
        docs = [component(doc) for doc in docs]
        rows.append((name, time.perf_counter() - started))
    started = time.perf_counter()
    for number, doc in enumerate(docs):
        doc_to_extraction(doc, str(number))
    rows.append(("doc_to_extraction", time.perf_counter() - started))

    tokenizer, total = rows[0][1], sum(seconds for _, seconds in rows)
    print(f"\n{len(texts)} MedQuAD answers (every {args.every}th), {words:,} words\n")
    print("| step | seconds | x tokenizer |")
    print("|---|---|---|")
    for name, seconds in rows:
        print(f"| {name} | {seconds:.2f} | {seconds / tokenizer:.2f} |")
    print(f"| total | {total:.2f} | {total / tokenizer:.2f} |")
    print(f"\n{words / total:,.0f} words/s; tokenizer / total = {tokenizer / total:.3f} (target >= 0.35)")


if __name__ == "__main__":
    main()
