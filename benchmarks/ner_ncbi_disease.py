"""Score the terminology pipeline's CONDITION mentions against the NCBI-disease test set.

Usage (project installed, e.g. by ``make install``):
``python benchmarks/ner_ncbi_disease.py [path/to/NCBItestset_corpus.txt]``

Prints strict (exact offsets) and overlap P/R/F1, throughput and peak RSS. The pipeline is
the terminology part of extractors/pipeline.py: scispaCy tokenizer, sentencizer,
abbreviation_detector, terminology_matcher, abbreviation_resolver.
"""
from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

import spacy
from scispacy.abbreviation import AbbreviationDetector  # noqa: F401  (registers the factory)

import extractors.abbreviations  # noqa: F401  (registers the factory)
import extractors.terminology_matcher  # noqa: F401  (registers the factory)
from extractors.lexicon import PROJECT_ROOT
from extractors.tokenization import blank_english

DEFAULT_CORPUS = PROJECT_ROOT.parent / "shared" / "gold" / "ncbi-disease" / "original" / "NCBItestset_corpus.txt"

Mention = tuple[int, int]


def read_pubtator(path: Path) -> list[tuple[str, set[Mention]]]:
    """(title + " " + abstract, gold mention offsets) per document."""
    documents = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        lines = block.strip().splitlines()
        title = lines[0].split("|t|", 1)[1]
        abstract = lines[1].split("|a|", 1)[1]
        gold = {(int(cells[1]), int(cells[2])) for cells in (line.split("\t") for line in lines[2:])}
        documents.append((f"{title} {abstract}", gold))
    return documents


def build_nlp() -> spacy.Language:
    nlp = blank_english()
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("abbreviation_detector")
    nlp.add_pipe("terminology_matcher")
    nlp.add_pipe("abbreviation_resolver")
    return nlp


def prf(true_positives: int, predicted: int, gold: int) -> tuple[float, float, float]:
    precision = true_positives / predicted if predicted else 0.0
    recall = true_positives / gold if gold else 0.0
    return precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def overlap_matches(predicted: list[Mention], gold: set[Mention]) -> int:
    """Predicted mentions overlapping a gold mention, each gold mention used at most once."""
    unused = sorted(gold)
    matched = 0
    for start, end in sorted(predicted):
        hit = next((g for g in unused if g[0] < end and start < g[1]), None)
        if hit:
            unused.remove(hit)
            matched += 1
    return matched


def timed(pipe, texts: list[str]) -> float:
    """Seconds to run ``pipe`` over ``texts``; pass fresh components, the tokenizer caches what it saw."""
    started = time.perf_counter()
    for _ in pipe(texts):
        pass
    return time.perf_counter() - started


def main(corpus: Path = DEFAULT_CORPUS) -> None:
    if not corpus.exists():
        print(f"skipped: NCBI-disease test set not found at {corpus}")
        return
    documents = read_pubtator(corpus)
    nlp = build_nlp()
    texts = [text for text, _ in documents]

    # fastest of three runs: on a shared machine single timings are mostly noise
    tokenizer_seconds = min(timed(blank_english().tokenizer.pipe, texts) for _ in range(3))
    pipeline_seconds = min(timed(build_nlp().pipe, texts) for _ in range(3))
    docs = list(nlp.pipe(texts))

    gold_total = predicted_total = strict = overlap = symptom_overlap = 0
    for doc, (_, gold) in zip(docs, documents):
        predicted = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "CONDITION"]
        symptoms = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "SYMPTOM"]
        gold_total += len(gold)
        predicted_total += len(predicted)
        strict += len(set(predicted) & gold)
        matched = overlap_matches(predicted, gold)
        overlap += matched
        symptom_overlap += overlap_matches(predicted + symptoms, gold) - matched

    tokens = sum(len(doc) for doc in docs)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"NCBI-disease test: {len(documents)} abstracts, {gold_total} gold mentions, {predicted_total} predicted")
    for name, hits in (("strict", strict), ("overlap", overlap)):
        precision, recall, f1 = prf(hits, predicted_total, gold_total)
        print(f"{name:8s} P={precision:.3f} R={recall:.3f} F1={f1:.3f}")
    print(f"gold mentions found only as SYMPTOM (HPO phenotypes such as 'deafness'): {symptom_overlap}")
    print(
        f"speed    {predicted_total / pipeline_seconds:,.0f} mentions/s, {tokens / pipeline_seconds:,.0f} tokens/s; "
        f"bare tokenizer {tokens / tokenizer_seconds:,.0f} tokens/s "
        f"(pipeline at {100 * tokenizer_seconds / pipeline_seconds:.0f}% of it)"
    )
    print(f"peak RSS {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_CORPUS)
