"""Flatten a processed Doc into plain rows for the claim tables.

Rows are dicts keyed by the column names of :mod:`claims.schema`, so that workers can
send them across processes and the claims stage never sees spaCy objects.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy only where a Doc is flattened: the flow's process relabels cached rows without it (~1.4 s to import)
    from spacy.tokens import Doc, Span


@dataclass
class DocumentExtraction:
    doc_id: str
    n_sentences: int = 0
    mentions: list[dict] = field(default_factory=list)
    evidence: list[dict] = field(default_factory=list)  # carries the claim's normalized fields too
    aliases: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        """The fields as a dict, rows shared, not copied: ``dataclasses.asdict`` deep-copies
        every row, which was a tenth of an extraction worker's time."""
        return {item.name: getattr(self, item.name) for item in fields(self)}


LABEL_CODES = {"SYMPTOM": "S", "CONDITION": "C", "STATISTIC": "N"}


def _scoped_id(doc_id: str, within: str) -> str:
    """An id that is ``doc_id``, ``@``, then a part unique within the document: every id of a
    row is one, so that :func:`relabel_extraction` can move it to another document id."""
    return f"{doc_id}@{within}"


def mention_id(doc_id: str, start: int, end: int, label: str) -> str:
    """Readable and stable: the document and the offsets say where to look."""
    return _scoped_id(doc_id, f"{start}-{end}:{LABEL_CODES[label]}")


# The columns of each row list that hold a :func:`_scoped_id` (every row holds ``doc_id`` too).
_SCOPED_ID_COLUMNS = {
    "mentions": ("mention_id",),
    "evidence": ("evidence_id", "symptom_mention_id", "condition_mention_id", "statistic_mention_id"),
    "aliases": (),
}


def relabel_extraction(extraction: dict, doc_id: str) -> dict:
    """``extraction`` (:meth:`DocumentExtraction.to_dict`) as extracting its text under ``doc_id``
    gives it: the cache keeps one extraction per text, and a renamed file has the same text.
    The rows are new dicts; the given extraction is left as it is."""
    if extraction["doc_id"] == doc_id:
        return extraction
    old_length = len(extraction["doc_id"])

    def relabeled(row: dict, id_columns: tuple[str, ...]) -> dict:
        row = {**row, "doc_id": doc_id}
        for column in id_columns:
            if row[column] is not None:
                row[column] = doc_id + row[column][old_length:]
        return row

    tables = {name: [relabeled(row, columns) for row in extraction[name]] for name, columns in _SCOPED_ID_COLUMNS.items()}
    return {**extraction, "doc_id": doc_id, **tables}


def _context_flags(values: dict) -> dict:
    """The ConText flags of a span, given its :func:`span_values`."""
    return {
        "negated": values["negated"],
        "hedged": values["hedged"],
        "hypothetical": values["hypothetical"],
        "other_person": values["other_person"],
    }


def _entity_row(doc_id: str, span: Span, values: dict, text: str) -> dict:
    start, end, label = span.start_char, span.end_char, span.label_
    return {
        "doc_id": doc_id,
        "mention_id": mention_id(doc_id, start, end, label),
        "start": start,
        "end": end,
        "text": text[start:end],  # Span.text would rebuild it from the tokens
        "label": label,
        "concept_id": values["concept_id"],
        "concept_name": values["concept_name"],
        "xrefs": "|".join(values["xrefs"] or ()),
        "match_source": values["match_source"],
        **_context_flags(values),
    }


def _statistic_row(doc_id: str, values: dict) -> dict:
    stat = values["statistic"]
    return {
        "doc_id": doc_id,
        "mention_id": mention_id(doc_id, stat.start, stat.end, "STATISTIC"),
        "start": stat.start,
        "end": stat.end,
        "text": stat.text,
        "label": "STATISTIC",
        "match_source": "pattern",
        "kind": stat.kind,
        "value_low": stat.value_low,
        "value_high": stat.value_high,
        "unit": stat.unit,
        "qualifier": stat.qualifier,
        "frequency_class": stat.frequency_class,
        **_context_flags(values),
    }


def doc_to_extraction(doc: Doc, doc_id: str) -> DocumentExtraction:
    """All mentions, claim occurrences and aliases of one document as rows."""
    from extractors.extensions import STATISTICS_KEY, document_text, sentences, span_values

    statistic_spans = list(doc.spans.get(STATISTICS_KEY, []))
    statistics = {(stat.start, stat.end): stat for stat in (s._.statistic for s in statistic_spans)}
    text = document_text(doc)
    mentions = [_entity_row(doc_id, e, span_values(e), text) for e in doc.ents]
    mentions += [_statistic_row(doc_id, span_values(s)) for s in statistic_spans]
    # an evidence row names each mention by the label it ends with: a phenotype table's cell no
    # HPO term names stays a CONDITION, and a condition read as a phenotype in one claim is a
    # SYMPTOM for every claim ("A renal tumor occurs in 10% ... and may cause blood in the urine")
    label_at = {(e.start_char, e.end_char): e.label_ for e in doc.ents}
    evidence = []
    for number, claim in enumerate(doc._.claims or []):
        stat = statistics.get(claim.statistic) if claim.statistic else None
        evidence.append({
            "evidence_id": _scoped_id(doc_id, f"{claim.sentence_start}:{number}"),
            "doc_id": doc_id,
            "sentence": text[claim.sentence_start:claim.sentence_end],
            "sentence_start": claim.sentence_start,
            "symptom_mention_id": mention_id(doc_id, *claim.symptom, label_at.get(claim.symptom, "SYMPTOM")) if claim.symptom else None,
            "condition_mention_id": mention_id(doc_id, *claim.condition, label_at.get(claim.condition, "CONDITION")) if claim.condition else None,
            "statistic_mention_id": mention_id(doc_id, *claim.statistic, "STATISTIC") if claim.statistic else None,
            "negated": claim.negated,
            "hedged": claim.hedged,
            "hypothetical": claim.hypothetical,
            "rule": claim.rule,
            "confidence": claim.confidence,
            # the claim's own fields, consumed by claims.consolidate
            "symptom": claim.symptom_name,
            "symptom_id": claim.symptom_id,
            "condition": claim.condition_name,
            "condition_id": claim.condition_id,
            "measure": claim.measure,
            "value_low": claim.interval[0] if claim.interval else stat.value_low if stat else None,
            "value_high": claim.interval[1] if claim.interval else stat.value_high if stat else None,
            "unit": stat.unit if stat else "",
            "qualifier": stat.qualifier if stat else "",
            "frequency_class": stat.frequency_class if stat else "",
            "figure": stat.text if stat else "",
            "population": claim.population,
            "polarity": "negated" if claim.negated else "affirmed",
        })
    aliases = [
        {"doc_id": doc_id, "term": a.term, "term_id": a.term_id, "alias": a.alias, "alias_id": a.alias_id,
         "relation": a.relation, "start": a.start, "end": a.end, "cue": a.cue}
        for a in (doc._.aliases or [])
    ]
    return DocumentExtraction(doc_id, len(sentences(doc)), mentions, evidence, aliases)
