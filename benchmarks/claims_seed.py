"""Score the extracted claims against the hand-made gold claims, and the sample corpus's conflicts.

Usage (project installed, e.g. by ``make install``): ``.venv/bin/python benchmarks/claims_seed.py``

Two corpora:

1. ``../shared/examples/seed-passages.txt`` (beside the checkout), one passage per line; gold
   ``benchmarks/gold/claims_seed.csv``, whose ``doc`` is ``seed-passages.txt#<line number>``
   (1-based). Scored twice: the file as one document, as the flow reads a .txt file (a claim
   belongs to the line its sentence starts on; a heading line gives the list under it its
   condition), and each line a separate document, as in the rounds before the twenty-sixth.
   Skipped with a message when ``../shared`` is absent.
2. ``data/raw/`` through ``ingest.iter_documents``; gold ``benchmarks/gold/claims_raw.csv``,
   whose ``doc`` is ``<relative path>`` or ``<file>#<record id>``. Our doc_id is the path for
   files and the record id for records (``SourceDocument.source`` is ``<file>#<record
   number>``), so the gold doc of a record is ``<file part of source>#<doc_id>``.

Matching rule (see benchmarks/_gold.py and docs/benchmarks.md): a predicted claim matches a
gold row when doc, measure and polarity are equal; the symptom matches (case-insensitive
equality of the gold symptom with the predicted concept name or the mention's surface text,
after stripping a plural "s", or whole-word containment either way, or the lexicon naming the
predicted concept by the gold name); the condition matches
the same way (empty matches empty only); and, for measures other than association and
frequency, value_low/value_high agree within 1e-6 (or are both empty). Predicted claims are
the distinct claims per document (not evidence rows); each gold row and each prediction is
counted at most once.

Conflicts (sample corpus): the tables are built with ``claims.consolidate.build_tables`` as
the flow does (ontology ancestors from the lexicon, no reviewer decisions). A
``conflicts_raw.csv`` row of ``expected == conflict`` is found when some conflicts.csv row
pairs a claim stated by doc_a with a claim stated by doc_b (either way round) and one of the
two claims matches the gold symptom and condition (same name rule); the conflict's kind is
printed next to the expected kind. A ``no_conflict`` row passes when no such conflict exists;
passes where one of the documents yields no claim on that symptom/condition at all are
counted separately as vacuous.

Prints P/R/F1 overall and per measure, the missed gold rows and the false positives, the
conflict checks, and timings (docs/second). Output order is deterministic; exit status 0.
"""
from __future__ import annotations

import sys
import time
from bisect import bisect_right
from pathlib import Path

import pandas as pd

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _gold  # noqa: E402
from claims.consolidate import build_tables  # noqa: E402
from claims.signatures import document_signature  # noqa: E402
from extractors.options import lexicon_for  # noqa: E402
from extractors.pipeline import extract_texts, get_nlp  # noqa: E402
from extractors.tokenization import normalize_tokens  # noqa: E402
from ingest import iter_documents  # noqa: E402

GOLD = PROJECT_ROOT / "benchmarks" / "gold"
SEED_PASSAGES = PROJECT_ROOT.parent / "shared" / "examples" / "seed-passages.txt"
RAW = PROJECT_ROOT / "data" / "raw"


def _timed_extract(items: list[tuple[str, str]]):
    started = time.perf_counter()
    extractions = list(extract_texts(items))
    return extractions, time.perf_counter() - started


def _print_timing(name: str, items: list[tuple[str, str]], seconds: float) -> None:
    chars = sum(len(text) for _, text in items)
    print(f"\ntiming {name}: {len(items)} docs, {chars} chars in {seconds:.2f} s: "
          f"{len(items) / seconds:.1f} docs/s, {chars / seconds:,.0f} chars/s")


def seed_corpus() -> None:
    if not SEED_PASSAGES.parent.parent.exists():
        print(f"\n== seed passages: skipped: ../shared not found at {SEED_PASSAGES.parent.parent}")
        return
    if not SEED_PASSAGES.exists():
        print(f"\n== seed passages: skipped: {SEED_PASSAGES} not found")
        return
    text = SEED_PASSAGES.read_text(encoding="utf-8")
    gold = _gold.read_gold_claims(GOLD / "claims_seed.csv")
    line_starts = [0, *(index + 1 for index, character in enumerate(text) if character == "\n")]
    extractions, _ = _timed_extract([(SEED_PASSAGES.name, text)])
    predicted = _gold.predicted_claims(extractions, lambda row: f"{SEED_PASSAGES.name}#{bisect_right(line_starts, row['sentence_start'])}")
    _gold.print_score(f"seed passages ({SEED_PASSAGES.name} as one document, as the flow reads it)", _gold.score(gold, predicted, _concept_of))

    items = [(f"{SEED_PASSAGES.name}#{number}", line) for number, line in enumerate(text.split("\n"), 1) if line.strip()]
    extractions, seconds = _timed_extract(items)
    result = _gold.score(gold, _gold.predicted_claims(extractions), _concept_of)
    _gold.print_score(f"seed passages ({SEED_PASSAGES.name}, each of its {len(items)} passages a document)", result)
    _print_timing("seed passages", items, seconds)


def _concept_of(name: str) -> str | None:
    """The id of the concept the lexicon names by ``name`` (a gold symptom or condition)."""
    concept = lexicon_for().lookup([form for form, _ in normalize_tokens(name.split())])
    return concept.id if concept else None


def _gold_doc(doc) -> str:
    """Gold ``doc`` of a SourceDocument: its path, or ``<file>#<record id>`` for records."""
    if "#" in doc.source:
        return f"{doc.source.split('#', 1)[0]}#{doc.doc_id}"
    return doc.source


def raw_corpus() -> None:
    docs = list(iter_documents([str(RAW)]))
    gold_doc_of = {doc.doc_id: _gold_doc(doc) for doc in docs}
    ok = [doc for doc in docs if doc.status == "ok"]
    items = [(doc.doc_id, doc.text) for doc in ok]
    extractions, seconds = _timed_extract(items)
    gold = _gold.read_gold_claims(GOLD / "claims_raw.csv")
    unknown = sorted({g.doc for g in gold} - set(gold_doc_of.values()))
    if unknown:
        print(f"\nwarning: gold docs not produced by ingest: {', '.join(unknown)}")
    result = _gold.score(gold, _gold.predicted_claims(extractions, lambda row: gold_doc_of.get(row["doc_id"], row["doc_id"])), _concept_of)
    _gold.print_score(f"sample corpus (data/raw, {len(ok)} ok documents of {len(docs)} inputs)", result)
    _print_timing("sample corpus", items, seconds)

    started = time.perf_counter()
    signatures = {doc.doc_id: document_signature(doc.text) for doc in ok}
    tables = build_tables([doc.row() for doc in docs], [e.to_dict() for e in extractions], signatures,
                          None, lexicon_for().ancestry)
    consolidate_seconds = time.perf_counter() - started
    score_conflicts(tables, gold_doc_of, extractions)
    print(f"\ntiming consolidate (sample corpus): {consolidate_seconds:.2f} s")


def _claim_facts(tables: dict, extractions, gold_doc_of: dict[str, str]) -> dict[str, tuple[set[str], tuple[str, ...], tuple[str, ...]]]:
    """claim_id -> (gold docs stating it, symptom names and texts, condition names and texts)."""
    text_of = {m["mention_id"]: m["text"] for e in extractions for m in e.mentions}
    facts: dict[str, tuple[set[str], set[str], set[str]]] = {}
    claims = tables["claims"].set_index("claim_id")
    for row in tables["evidence"].itertuples(index=False):
        claim = claims.loc[row.claim_id]
        docs, symptoms, conditions = facts.setdefault(row.claim_id, (set(), set(), set()))
        docs.add(gold_doc_of.get(row.doc_id, row.doc_id))
        symptoms.update(filter(None, [str(claim["symptom"]) if pd.notna(claim["symptom"]) else "",
                                      text_of.get(row.symptom_mention_id, "")]))
        conditions.update(filter(None, [str(claim["condition"]) if pd.notna(claim["condition"]) else "",
                                        text_of.get(row.condition_mention_id, "") if pd.notna(row.condition_mention_id) else ""]))
    return {cid: (docs, tuple(sorted(s)), tuple(sorted(c))) for cid, (docs, s, c) in facts.items()}


def score_conflicts(tables: dict, gold_doc_of: dict[str, str], extractions) -> None:
    facts = _claim_facts(tables, extractions, gold_doc_of)
    conflicts = tables["conflicts"]
    print(f"\n== conflicts of the sample corpus ({len(conflicts)} in conflicts.csv)")
    counts = {"conflict": [0, 0], "no_conflict": [0, 0]}
    vacuous = 0
    for row in _gold.read_csv(GOLD / "conflicts_raw.csv"):
        hits = []
        for conflict in conflicts.itertuples(index=False):
            claim_ids = [c for c in str(conflict.claim_ids).split("|") if c in facts]
            if len(claim_ids) != 2:
                continue
            (docs_a, sym_a, cond_a), (docs_b, sym_b, cond_b) = facts[claim_ids[0]], facts[claim_ids[1]]
            pairs_docs = (row["doc_a"] in docs_a and row["doc_b"] in docs_b) or (row["doc_b"] in docs_a and row["doc_a"] in docs_b)
            on_topic = any(_gold.names_match(row["symptom"], *sym) and _gold.names_match(row["condition"], *cond)
                           for sym, cond in ((sym_a, cond_a), (sym_b, cond_b)))
            if pairs_docs and on_topic:
                hits.append(conflict)
        expected = row["expected"]
        counts[expected][1] += 1
        passed = bool(hits) if expected == "conflict" else not hits
        counts[expected][0] += passed
        kinds = ",".join(sorted({str(h.kind) for h in hits})) or "-"
        # A non-conflict is only meaningful when both documents yield a claim on the topic.
        lacking = [doc for doc in (row["doc_a"], row["doc_b"]) if not any(
            doc in docs and _gold.names_match(row["symptom"], *sym) and _gold.names_match(row["condition"], *cond)
            for docs, sym, cond in facts.values())]
        if passed and expected == "no_conflict" and lacking:
            vacuous += 1
        remark = f"; no claim on it from {', '.join(lacking)}" if lacking else ""
        print(f"  {'ok  ' if passed else 'FAIL'} {expected:<11} {row['symptom']} / {row['condition']}: "
              f"{row['doc_a']} vs {row['doc_b']} (expected kind {row['kind']}, found {kinds}{remark}) - {row['note']}")
        for hit in hits:
            print(f"         {hit.conflict_id} {hit.kind}: {hit.reason}")
    print(f"conflicts found/expected: {counts['conflict'][0]}/{counts['conflict'][1]}; "
          f"non-conflicts respected/expected: {counts['no_conflict'][0]}/{counts['no_conflict'][1]} "
          f"({vacuous} of them only because a document has no claim on the topic)")


def main() -> int:
    started = time.perf_counter()
    get_nlp()
    print(f"pipeline load: {time.perf_counter() - started:.2f} s")
    seed_corpus()
    raw_corpus()
    return 0


if __name__ == "__main__":
    sys.exit(main())
