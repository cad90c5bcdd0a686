"""From per-document extractions to the six output tables.

Input: document rows (one per input file or record, ok or rejected) and the
``DocumentExtraction`` dicts of the ok ones, or the same rows as :class:`ExtractionFrames`
(read back from :mod:`claims.spool` by the flow). Output: DataFrames conformed to
:mod:`claims.schema`. Steps: near-duplicate documents, claim identity and dedup,
conflicts, reviewer decisions, per-document counts.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, NamedTuple

import pandas as pd

from claims import schema
from claims.conflicts import AncestorsOf, find_conflicts
from claims.decisions import apply_decisions
from claims.dedup import find_duplicates
from claims.normalize import claim_id
from claims.rows import iter_records
from claims.signatures import Signature

if TYPE_CHECKING:
    from claims.curated import Annotation
    from claims.spool import SpooledMentions

CLAIM_FIELDS = ["symptom", "symptom_id", "condition", "condition_id", "measure", "value_low", "value_high",
                "unit", "qualifier", "frequency_class", "polarity", "population"]


def _most_common(evidence: pd.DataFrame, column: str) -> pd.Series:
    """Per claim_id, the most frequent non-empty value of ``column`` (ties: the smallest), else ""."""
    values = evidence.loc[evidence[column].map(lambda v: isinstance(v, str) and v != ""), ["claim_id", column]]
    counts = values.groupby(["claim_id", column]).size().rename("n").reset_index()
    winners = counts.sort_values(["claim_id", "n", column], ascending=[True, False, True]).drop_duplicates("claim_id")
    return winners.set_index("claim_id")[column]


def _build_claims(evidence: pd.DataFrame) -> pd.DataFrame:
    """One row per claim_id, aggregated over its evidence (vectorized: thousands of claims),
    without ``n_sources``, which waits for the near duplicates (:func:`_count_sources`)."""
    if evidence.empty:
        return schema.CLAIMS.empty()
    groups = evidence.groupby("claim_id", sort=True)
    claims = groups[[f for f in CLAIM_FIELDS if f not in ("qualifier", "frequency_class")]].first()
    for column in ("qualifier", "frequency_class"):
        claims[column] = _most_common(evidence, column).reindex(claims.index, fill_value="")
    claims = claims.join(groups.agg(
        n_evidence=("evidence_id", "size"),
        n_documents=("doc_id", "nunique"),
        confidence=("confidence", "max"),
        hedged=("hedged", "all"),
        hypothetical=("hypothetical", "all"),
    ))
    return claims.reset_index()


def _count_sources(claims: pd.DataFrame, evidence: pd.DataFrame, duplicate_of: Mapping[str, str]) -> None:
    """``n_sources`` of each claim: its distinct documents, near duplicates counted once."""
    if evidence.empty:
        return
    sources = evidence["doc_id"].map(lambda d: duplicate_of.get(d, d))
    claims["n_sources"] = claims["claim_id"].map(sources.groupby(evidence["claim_id"]).nunique())


Pending = Callable[[], Any]


def _run_here(function: Callable[..., Any], *args: Any) -> Pending:
    result = function(*args)
    return lambda: result


def _xrefs_of(mentions: pd.DataFrame | SpooledMentions) -> dict[str, set[str]]:
    """Concept id -> its cross-references, as the mentions carry them."""
    if not isinstance(mentions, pd.DataFrame):
        xrefs: dict[str, set[str]] = {}
        for shard in mentions.columns_by_shard(["concept_id", "xrefs"]):
            for concept, refs in _xrefs_of(shard).items():
                xrefs.setdefault(concept, refs)
        return xrefs
    if mentions.empty:
        return {}
    pairs = mentions.dropna(subset=["concept_id"]).drop_duplicates("concept_id")
    return {cid: set(filter(None, x.split("|"))) if isinstance(x, str) else set() for cid, x in zip(pairs["concept_id"].tolist(), pairs["xrefs"].tolist())}


def _counts_of(mentions: pd.DataFrame | SpooledMentions) -> pd.Series:
    """Mentions per doc_id."""
    if not isinstance(mentions, pd.DataFrame):
        return mentions.counts()
    return mentions.groupby("doc_id").size() if not mentions.empty else pd.Series(dtype=int)


class ExtractionFrames(NamedTuple):
    """The rows of many documents' extractions, one frame per kind; the mentions of a
    spooled run stay on disk (they are the largest table, and only written)."""

    mentions: pd.DataFrame | SpooledMentions
    evidence: pd.DataFrame
    aliases: pd.DataFrame
    sentences: dict[str, int]  # doc_id -> number of sentences


def extraction_frames(extractions: Iterable[dict]) -> ExtractionFrames:
    extractions = list(extractions)
    return ExtractionFrames(
        pd.DataFrame([m for e in extractions for m in e["mentions"]]),
        pd.DataFrame([r for e in extractions for r in e["evidence"]]),
        pd.DataFrame([a for e in extractions for a in e["aliases"]]),
        {e["doc_id"]: e["n_sentences"] for e in extractions},
    )


def build_tables(
    documents: list[dict],
    extractions: Iterable[dict] | ExtractionFrames,
    signatures: Mapping[str, Signature] | None = None,
    decisions: pd.DataFrame | None = None,
    ancestors_of: AncestorsOf | None = None,
    curated: Mapping[tuple[str, str], Annotation] | None = None,
    submit: Callable[..., Pending] | None = None,
) -> dict[str, pd.DataFrame]:
    """All output tables, conformed to the schema, keyed by table name (the mentions of
    spooled ``extractions`` stay :class:`claims.spool.SpooledMentions`, which the writers read
    a chunk at a time).

    ``curated``: (disease id, HPO id) -> :class:`claims.curated.Annotation`, for ``curated`` conflicts.
    ``submit(function, *args)`` starts the near-duplicate search and returns what waits for
    its result; only the claims' ``n_sources`` and the documents' ``duplicate_of`` need it,
    so a ``submit`` that runs it in another process (the flow's side process) lets it run
    beside the claims and conflicts (on MedQuAD ~2 s each). Without one it runs here.
    """
    frames = extractions if isinstance(extractions, ExtractionFrames) else extraction_frames(extractions)
    mentions, evidence = frames.mentions, frames.evidence
    aliases = schema.ALIASES.conform(frames.aliases)
    docs = pd.DataFrame(documents)
    ok_hashes = {d["doc_id"]: d["sha256"] for d in documents if d["status"] == "ok"}
    duplicates = (submit or _run_here)(find_duplicates, signatures if signatures is not None else {}, ok_hashes)  # (`or {}` would read spooled signatures here)

    if not evidence.empty:
        # in the evidence table's order (a no-op on the spool's frames, which are read so): a
        # claim's values are its first evidence row's, whatever order the documents came in
        # from the extraction and the cache
        evidence = schema.EVIDENCE.sorted(evidence).reset_index(drop=True)
        evidence["claim_id"] = [claim_id(r) for r in iter_records(evidence[CLAIM_FIELDS])]
    claims = _build_claims(evidence)
    evidence_table = schema.EVIDENCE.conform(evidence)
    conflicts = find_conflicts(
        schema.CLAIMS.conform(claims),
        evidence if not evidence.empty else pd.DataFrame(columns=["claim_id", "doc_id", "evidence_id", "sentence", "figure"]),
        aliases, ancestors_of, _xrefs_of(mentions), curated,
    )
    conflicts = schema.CONFLICTS.conform(conflicts)
    if decisions is not None:
        conflicts = schema.CONFLICTS.conform(apply_decisions(conflicts, decisions))

    duplicate_of = duplicates()
    _count_sources(claims, evidence, duplicate_of)
    if not claims.empty:
        conflict_ids: dict[str, list[str]] = {}
        for row in conflicts[["conflict_id", "claim_ids"]].itertuples(index=False):
            for cid in (row.claim_ids.split("|") if isinstance(row.claim_ids, str) else ()):  # NA: an alias conflict, no claim
                conflict_ids.setdefault(cid, []).append(row.conflict_id)
        claims["conflict_ids"] = claims["claim_id"].map(lambda c: "|".join(sorted(conflict_ids.get(c, []))))
        claims["conflict"] = claims["conflict_ids"] != ""

    mention_counts = _counts_of(mentions)
    claim_counts = evidence.groupby("doc_id").size() if not evidence.empty else pd.Series(dtype=int)
    sentence_counts = frames.sentences
    if not docs.empty:
        ok = docs["status"] == "ok"
        docs["n_sentences"] = docs["doc_id"].map(sentence_counts).where(ok)
        docs["n_mentions"] = docs["doc_id"].map(mention_counts).fillna(0).where(ok)
        docs["n_claims"] = docs["doc_id"].map(claim_counts).fillna(0).where(ok)
        docs["duplicate_of"] = docs["doc_id"].map(duplicate_of)
    return {
        "documents": schema.DOCUMENTS.conform(docs),
        "mentions": schema.MENTIONS.conform(mentions) if isinstance(mentions, pd.DataFrame) else mentions,
        "evidence": evidence_table,
        "claims": schema.CLAIMS.conform(claims),
        "conflicts": conflicts,
        "aliases": aliases,
    }
