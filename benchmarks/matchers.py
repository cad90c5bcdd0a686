"""The lexicon matcher against spaCy's phrase matchers on a sample of MedQuAD.

Issue 7 asks for a lexicon matcher much faster than a plain SpanRuler and for the
alternatives to be measured. Every matcher here gets the same documents (scispaCy's
tokenizer, warm vocabulary) and the same terms, the lexicon's full terms (its keys are
normalized token forms, "muscle spasm"), and its matches become ``doc.ents`` longest first
without overlaps, as ours do:

* ``terminology_matcher``: ours, the pipeline's component (a dict of n-gram prefixes over
  normalized forms, what a word contributes remembered per distinct word);
* ``PhraseMatcher LOWER``: each key tokenized as a pattern, matched on lower-cased tokens,
  then ``filter_spans``. spaCy's fastest path, but the text is not normalized: "spasms"
  does not meet the key "spasm";
* ``PhraseMatcher NORM``: the same on NORM, every lexeme's norm set to our
  ``normalize_token`` first (once per distinct word, as our memo does): the text normalized
  as ours is, except that hyphenated words are not split and Roman numerals not converted;
* ``SpanRuler NORM``: the same patterns and norms through spaCy's SpanRuler
  (``annotate_ents``), the plain SpanRuler of the issue.

Printed: build seconds; matching seconds (the component, or matcher + ``filter_spans`` +
``doc.ents``; the faster of two passes over fresh documents); microseconds per token; the
ratio tokenizer / (tokenizer + matcher) that (b)/(a) of benchmarks/throughput.py would be
for a pipeline of the two; and how many matches each shares with ours (same tokens).

Usage: python benchmarks/matchers.py [--every N] [--limit N]   (default: every 8th answer)
"""
from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import _medquad  # beside this script


def _timed(make_docs: Callable[[], list], match: Callable, passes: int = 2) -> tuple[float, list[set[tuple[int, int]]]]:
    """Fewest seconds ``match`` took over fresh docs in ``passes`` passes (the first one fills
    our matcher's per-word memo), and each doc's entity spans after it."""
    best = float("inf")
    for _ in range(passes):
        docs = make_docs()
        started = time.perf_counter()
        for doc in docs:
            match(doc)
        best = min(best, time.perf_counter() - started)
    return best, [{(span.start, span.end) for span in doc.ents} for doc in docs]


def main(argv: list[str] | None = None) -> None:
    sample = _medquad.prepared(__doc__.split("\n")[0], argv)
    if sample is None:
        return
    texts, words, nlp = sample.texts, sample.words, sample.nlp
    import spacy
    from spacy.matcher import PhraseMatcher
    from spacy.util import filter_spans

    from extractors.tokenization import normalize_token

    ours = nlp.get_pipe("terminology_matcher")
    lexicon = ours.lexicon
    by_label: dict[str, list[str]] = {}
    for key, concept_id in lexicon.terms.items():
        if concept_id:
            by_label.setdefault(lexicon.concepts[concept_id].label, []).append(key)
    terms = sum(map(len, by_label.values()))

    started = time.perf_counter()
    for text in texts:
        nlp.make_doc(text)
    tokenizer = time.perf_counter() - started

    def make_docs() -> list:
        return [nlp.make_doc(text) for text in texts]

    tokens = sum(map(len, make_docs()))
    rows = []  # (matcher, build s, match s, entity spans per doc)

    seconds, found = _timed(make_docs, ours)
    reference = found
    rows.append(("terminology_matcher (ours)", 0.0, seconds, found))

    def phrase_matcher(attr: str) -> tuple[float, Callable]:
        started = time.perf_counter()
        matcher = PhraseMatcher(nlp.vocab, attr=attr)
        for label, keys in by_label.items():
            matcher.add(label, list(nlp.tokenizer.pipe(keys)))
        built = time.perf_counter() - started

        def match(doc) -> None:
            doc.ents = filter_spans(matcher(doc, as_spans=True))

        return built, match

    built, match = phrase_matcher("LOWER")
    rows.append(("PhraseMatcher LOWER", built, *_timed(make_docs, match)))

    started = time.perf_counter()
    for _ in nlp.tokenizer.pipe(key for keys in by_label.values() for key in keys):
        pass  # the patterns' words into the vocabulary, so they get their norms below
    for lexeme in nlp.vocab:
        lexeme.norm_ = normalize_token(lexeme.orth_)
    normed = time.perf_counter() - started
    built, match = phrase_matcher("NORM")
    rows.append(("PhraseMatcher NORM", normed + built, *_timed(make_docs, match)))

    started = time.perf_counter()
    tokenizer_only = spacy.blank("en", vocab=nlp.vocab)
    tokenizer_only.tokenizer = nlp.tokenizer
    ruler = tokenizer_only.add_pipe("span_ruler", config={"spans_key": None, "annotate_ents": True, "phrase_matcher_attr": "NORM"})
    ruler.add_patterns([{"label": label, "pattern": key} for label, keys in by_label.items() for key in keys])
    built = time.perf_counter() - started
    rows.append(("SpanRuler NORM", normed + built, *_timed(make_docs, ruler)))

    shared_total = sum(map(len, reference))
    print(f"\n{len(texts)} MedQuAD answers (every {sample.every}th), {words:,} words, {tokens:,} tokens; "
          f"{terms:,} lexicon terms; tokenizer {tokenizer:.2f} s ({words / tokenizer:,.0f} words/s)\n")
    print("| matcher | build s | match s | µs/token | words/s with the tokenizer | tokenizer / (tokenizer + matcher) | matches | shared with ours |")
    print("|---|---|---|---|---|---|---|---|")
    for name, built, seconds, found in rows:
        matches = sum(map(len, found))
        shared = sum(len(mine & theirs) for mine, theirs in zip(reference, found))
        print(f"| {name} | {built:.1f} | {seconds:.2f} | {seconds / tokens * 1e6:.2f} | {words / (tokenizer + seconds):,.0f} "
              f"| {tokenizer / (tokenizer + seconds):.3f} | {matches:,} | {shared:,} ({shared / max(shared_total, 1):.0%} of ours) |")


if __name__ == "__main__":
    main()
