"""Seconds per pipeline component on a sample of MedQuAD, against the tokenizer alone.

Each component runs over all documents of the sample before the next one starts (the
documents stay in memory), so every figure is that component's own cost; the last row is
``doc_to_extraction``, the flattening into table rows. The ratio is the tokenizer's time
over the total, the (b)/(a) of benchmarks/throughput.py measured in one process; the last
column is that ratio for the pipeline cut after each step (after the terminology matcher:
the named-entity stage alone).

Usage: python benchmarks/components.py [--every N] [--limit N]   (default: every 8th answer)
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import _medquad  # beside this script


def main(argv: list[str] | None = None) -> None:
    sample = _medquad.prepared(__doc__.split("\n")[0], argv)
    if sample is None:
        return
    texts, words, nlp = sample.texts, sample.words, sample.nlp
    from extractors.records import doc_to_extraction

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
    print(f"\n{len(texts)} MedQuAD answers (every {sample.every}th), {words:,} words\n")
    print("| step | seconds | x tokenizer | tokenizer / time so far |")
    print("|---|---|---|---|")
    so_far = 0.0
    for name, seconds in rows:
        so_far += seconds
        print(f"| {name} | {seconds:.2f} | {seconds / tokenizer:.2f} | {tokenizer / so_far:.3f} |")
    print(f"| total | {total:.2f} | {total / tokenizer:.2f} | {tokenizer / total:.3f} |")
    print(f"\n{words / total:,.0f} words/s; tokenizer / total = {tokenizer / total:.3f} (target >= 0.35)")


if __name__ == "__main__":
    main()
