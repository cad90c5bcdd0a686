"""Conflicts over the GARD and GHR answers of MedQuAD, and agreement with curated HPO frequencies.

Runs extraction (no Prefect) and the claims stage over the MedQuAD answers whose source is
GARD or GHR, then prints: conflicts per kind; how many claims could be compared with a
curated HPO annotation frequency and how many of those agree; 20 random conflicts with
their reasons (fixed seed) for eyeballing; and the timings.

    .venv/bin/python benchmarks/conflicts_gard_hpo.py [--limit N]
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from claims.conflicts import ConflictFinder  # noqa: E402
from claims.consolidate import CLAIM_FIELDS, build_tables, extraction_frames  # noqa: E402
from claims.curated import load_annotations  # noqa: E402
from claims.signatures import document_signature  # noqa: E402
from claims.normalize import claim_id  # noqa: E402
from claims.rows import records  # noqa: E402
from extractors.options import lexicon_for  # noqa: E402
from extractors.pipeline import extract_texts, get_nlp  # noqa: E402

MEDQUAD = ROOT.parent / "shared" / "corpora" / "medquad" / "medquad.jsonl.gz"


def gard_ghr_answers(limit: int | None):
    with gzip.open(MEDQUAD, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if "GARD" in record["source"] or "GHR" in record["source"]:
                yield record["id"], record["answer"]
                limit = None if limit is None else limit - 1
                if limit == 0:
                    return


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="first N GARD/GHR answers only")
    args = parser.parse_args()
    if not MEDQUAD.exists():
        print(f"skipped: {MEDQUAD} is absent (../shared is not beside this checkout)")
        return 0
    started = time.perf_counter()
    get_nlp()  # built here so that its load time is reported apart from extraction
    load_seconds = time.perf_counter() - started
    answers = list(gard_ghr_answers(args.limit))
    started = time.perf_counter()
    extractions = [e.to_dict() for e in extract_texts(answers)]
    extract_seconds = time.perf_counter() - started
    texts = dict(answers)
    documents = [{"doc_id": d, "source": d, "sha256": str(hash(t)), "status": "ok", "reason": "", "n_chars": len(t)} for d, t in answers]
    started = time.perf_counter()
    curated = load_annotations()
    tables = build_tables(documents, extractions, {d: document_signature(t) for d, t in texts.items()}, None, lexicon_for().ancestry, curated)
    consolidate_seconds = time.perf_counter() - started

    conflicts, claims = tables["conflicts"], tables["claims"]
    print(f"GARD/GHR answers: {len(answers)}; claims: {len(claims)} (evidence rows {len(tables['evidence'])}); conflicts: {len(conflicts)}")
    print("\nconflicts per kind:")
    for kind, count in conflicts["kind"].value_counts().sort_index().items():
        print(f"  {kind:16s} {count}")
    mentions = tables["mentions"]
    xrefs = {c: set(x.split("|")) if isinstance(x, str) else set() for c, x in zip(mentions["concept_id"], mentions["xrefs"]) if isinstance(c, str)}
    # The finder reads each occurrence's figure ("some people" is not a frequency), which the
    # evidence table does not publish: give it the extracted rows, keyed as consolidation keys them.
    evidence = extraction_frames(extractions).evidence
    evidence["claim_id"] = [claim_id(r) for r in records(evidence[CLAIM_FIELDS])]
    finder = ConflictFinder(claims, evidence, tables["aliases"], None, xrefs, curated)
    finder.curated_conflicts()
    checked, agreeing = finder.curated_checked, finder.curated_agreeing
    share = agreeing / checked if checked else 0.0
    print(f"\ncurated comparison: {checked} claims map to an HPO annotation frequency; {agreeing} agree ({share:.1%}), {checked - agreeing} conflict")
    print("\n20 random conflicts (seed 7):")
    rows = conflicts.to_dict("records")
    for row in random.Random(7).sample(rows, min(20, len(rows))):
        print(f"- [{row['kind']}] {row['reason']}")
    words = sum(len(t.split()) for t in texts.values())
    print(f"\ntimings: pipeline load {load_seconds:.1f} s; extraction {extract_seconds:.1f} s ({words / extract_seconds:,.0f} words/s); "
          f"curated load + consolidation {consolidate_seconds:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
