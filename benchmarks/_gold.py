"""Shared helpers for the claim benchmarks: read gold CSVs, match predicted claims, score.

Matching rule (also in docs/benchmarks.md, "Claims against gold"). A predicted claim
matches a gold row when

* ``doc``, ``measure`` and ``polarity`` are equal;
* the symptom matches: the gold symptom equals (case-insensitively, after stripping a
  plural "s" from each word) either the predicted concept name or the mention's surface
  text, or one of them contains the other as whole words ("muscle spasm" vs "Muscle
  spasm", "spasms"), or the lexicon names the predicted concept by the gold name (gold
  "foot drop", text "drop foot", concept Foot dorsiflexor weakness); an empty gold symptom
  matches only an empty prediction;
* the condition matches the same way (empty matches empty only);
* for measures other than ``association`` and ``frequency``, value_low and value_high are
  equal within 1e-6 (or both empty), the gold's bound read as the interval it means
  (:func:`gold_interval`: "up to 25%" is [0, 0.25]).

Predicted claims are the distinct (doc, claim fields, surface texts) tuples of the evidence
rows. Each gold row and each predicted claim is used at most once (maximum bipartite
matching, so the figures do not depend on row order).
"""
from __future__ import annotations

import csv
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

VALUE_TOLERANCE = 1e-6
UNVALUED_MEASURES = {"association", "frequency"}
UPPER_BOUNDS = {"up to", "less than", "at most"}  # the gold's qualifiers that make its figure a bound
LOWER_BOUNDS = {"more than", "at least"}
SHARE_MEASURES = {"prevalence", "incidence"}
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


@dataclass(frozen=True)
class GoldClaim:
    doc: str
    symptom: str
    condition: str
    measure: str
    value_low: float | None
    value_high: float | None
    qualifier: str
    polarity: str
    population: str
    note: str


@dataclass(frozen=True)
class PredictedClaim:
    doc: str
    symptom: str  # concept name
    symptom_text: str  # surface text of the mention
    symptom_id: str
    condition: str
    condition_text: str
    condition_id: str
    measure: str
    value_low: float | None
    value_high: float | None
    qualifier: str
    polarity: str
    population: str
    rule: str


@dataclass
class Score:
    gold: list[GoldClaim]
    predicted: list[PredictedClaim]
    pairs: dict[int, int] = field(default_factory=dict)  # gold index -> predicted index

    @property
    def true_positives(self) -> int:
        return len(self.pairs)

    def missed(self) -> list[GoldClaim]:
        return [g for i, g in enumerate(self.gold) if i not in self.pairs]

    def false_positives(self) -> list[PredictedClaim]:
        used = set(self.pairs.values())
        return [p for j, p in enumerate(self.predicted) if j not in used]

    def prf(self, measure: str | None = None) -> tuple[int, int, int, float, float, float]:
        """(tp, n_predicted, n_gold, precision, recall, F1), optionally for one measure."""
        gold = [i for i, g in enumerate(self.gold) if measure is None or g.measure == measure]
        predicted = [j for j, p in enumerate(self.predicted) if measure is None or p.measure == measure]
        tp = sum(1 for i in gold if i in self.pairs)
        precision = tp / len(predicted) if predicted else 0.0
        recall = tp / len(gold) if gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return tp, len(predicted), len(gold), precision, recall, f1


def _float(cell: str) -> float | None:
    cell = (cell or "").strip()
    return float(cell) if cell else None


def read_gold_claims(path: Path) -> list[GoldClaim]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            GoldClaim(row["doc"], row["symptom"].strip(), row["condition"].strip(), row["measure"].strip(),
                      _float(row["value_low"]), _float(row["value_high"]), row["qualifier"].strip(),
                      row["polarity"].strip(), row["population"].strip(), row.get("note", "") or "")
            for row in csv.DictReader(handle)
        ]


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _none_if_nan(value) -> float | None:
    if value is None or value == "":
        return None
    value = float(value)
    return None if math.isnan(value) else value


def predicted_claims(extractions, doc_of: Callable[[dict], str] = lambda row: row["doc_id"]) -> list[PredictedClaim]:
    """Distinct claims of ``DocumentExtraction`` objects (or their dicts), each in the gold
    doc ``doc_of`` gives its evidence row."""
    claims: set[PredictedClaim] = set()
    for extraction in extractions:
        data = extraction if isinstance(extraction, dict) else extraction.to_dict()
        text_of = {m["mention_id"]: m["text"] for m in data["mentions"]}
        for row in data["evidence"]:
            claims.add(PredictedClaim(
                doc=doc_of(row),
                symptom=row.get("symptom") or "",
                symptom_text=text_of.get(row.get("symptom_mention_id") or "", ""),
                symptom_id=row.get("symptom_id") or "",
                condition=row.get("condition") or "",
                condition_text=text_of.get(row.get("condition_mention_id") or "", ""),
                condition_id=row.get("condition_id") or "",
                measure=row.get("measure") or "",
                value_low=_none_if_nan(row.get("value_low")),
                value_high=_none_if_nan(row.get("value_high")),
                qualifier=row.get("qualifier") or "",
                polarity=row.get("polarity") or "",
                population=row.get("population") or "",
                rule=row.get("rule") or "",
            ))
    return sorted(claims, key=lambda c: tuple("" if v is None else str(v) for v in vars(c).values()))


def _words(name: str) -> tuple[str, ...]:
    words = _WORD.findall(name.lower().replace("\u2019", "'"))
    return tuple(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words)


def _contains(outer: tuple[str, ...], inner: tuple[str, ...]) -> bool:
    return any(outer[i:i + len(inner)] == inner for i in range(len(outer) - len(inner) + 1))


def names_match(gold: str, *predicted: str) -> bool:
    """Gold name vs any of the predicted names (concept name, surface text); see module doc."""
    gold_words = _words(gold)
    if not gold_words:
        return not any(_words(p) for p in predicted)
    for name in predicted:
        words = _words(name)
        if words and (words == gold_words or _contains(words, gold_words) or _contains(gold_words, words)):
            return True
    return False


def gold_interval(gold: GoldClaim) -> tuple[float | None, float | None]:
    """The interval the gold row means, as the schema writes it (docs/statistics.md): the gold
    writes a bound as its one figure and a qualifier saying how to read it ("up to 25%": 0.25,
    0.25, ``up to``), the schema as the interval, [0, 0.25]; a lower bound of a share reaches
    1, of anything else (a count of people is a prevalence too: "more than 400,000") is open."""
    if gold.qualifier in UPPER_BOUNDS:
        return 0.0, gold.value_high
    if gold.qualifier in LOWER_BOUNDS:
        share = gold.measure in SHARE_MEASURES and gold.value_low is not None and gold.value_low <= 1
        return gold.value_low, 1.0 if share else None
    return gold.value_low, gold.value_high


def _values_match(gold: GoldClaim, predicted: PredictedClaim) -> bool:
    if gold.measure in UNVALUED_MEASURES:
        return True
    for g, p in zip(gold_interval(gold), (predicted.value_low, predicted.value_high)):
        if g is None and p is None:
            continue
        if g is None or p is None or abs(g - p) > VALUE_TOLERANCE:
            return False
    return True


ConceptOf = Callable[[str], "str | None"]  # a name -> the id of the concept the lexicon names by it


def _concept_matches(gold: str, predicted_id: str, concept_of: ConceptOf | None) -> bool:
    return bool(gold and predicted_id and concept_of is not None and concept_of(gold) == predicted_id)


def claim_matches(gold: GoldClaim, predicted: PredictedClaim, concept_of: ConceptOf | None = None) -> bool:
    return (gold.doc == predicted.doc and gold.measure == predicted.measure and gold.polarity == predicted.polarity
            and (names_match(gold.symptom, predicted.symptom, predicted.symptom_text)
                 or _concept_matches(gold.symptom, predicted.symptom_id, concept_of))
            and (names_match(gold.condition, predicted.condition, predicted.condition_text)
                 or _concept_matches(gold.condition, predicted.condition_id, concept_of))
            and _values_match(gold, predicted))


def score(gold: list[GoldClaim], predicted: list[PredictedClaim], concept_of: ConceptOf | None = None) -> Score:
    """Maximum one-to-one matching (Kuhn's augmenting paths, in row order: deterministic);
    ``concept_of`` also matches a gold name to the concept the lexicon names by it."""
    candidates: dict[int, list[int]] = defaultdict(list)
    by_doc: dict[str, list[int]] = defaultdict(list)
    for j, p in enumerate(predicted):
        by_doc[p.doc].append(j)
    for i, g in enumerate(gold):
        candidates[i] = [j for j in by_doc.get(g.doc, []) if claim_matches(g, predicted[j], concept_of)]
    owner: dict[int, int] = {}  # predicted index -> gold index

    def augment(i: int, seen: set[int]) -> bool:
        for j in candidates[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(gold)):
        augment(i, set())
    return Score(gold, predicted, {i: j for j, i in owner.items()})


def _value(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def format_gold(g: GoldClaim) -> str:
    values = f"{_value(g.value_low)}-{_value(g.value_high)}" if g.value_low is not None else "-"
    return (f"{g.doc} | {g.symptom or '-'} | {g.condition or '-'} | {g.measure} {values} {g.qualifier or ''} | "
            f"{g.polarity} | {g.population or '-'} | {g.note}")


def format_predicted(p: PredictedClaim) -> str:
    values = f"{_value(p.value_low)}-{_value(p.value_high)}" if p.value_low is not None else "-"
    symptom = f"{p.symptom} [{p.symptom_text}]" if p.symptom_text and p.symptom_text != p.symptom else p.symptom
    condition = f"{p.condition} [{p.condition_text}]" if p.condition_text and p.condition_text != p.condition else p.condition
    return (f"{p.doc} | {symptom or '-'} | {condition or '-'} | {p.measure} {values} {p.qualifier or ''} | "
            f"{p.polarity} | {p.population or '-'} | rule={p.rule}")


def print_score(title: str, result: Score) -> None:
    tp, n_pred, n_gold, precision, recall, f1 = result.prf()
    print(f"\n== {title}")
    print(f"overall: P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}  (tp {tp}, predicted {n_pred}, gold {n_gold})")
    measures = sorted({g.measure for g in result.gold} | {p.measure for p in result.predicted})
    print(f"  {'measure':<12} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'pred':>5} {'gold':>5}")
    for measure in measures:
        tp, n_pred, n_gold, precision, recall, f1 = result.prf(measure)
        print(f"  {measure:<12} {precision:6.3f} {recall:6.3f} {f1:6.3f} {tp:4d} {n_pred:5d} {n_gold:5d}")
    missed = result.missed()
    print(f"\n-- missed gold rows ({len(missed)}): doc | symptom | condition | measure values qualifier | polarity | population | note")
    for g in missed:
        print(f"  {format_gold(g)}")
    false_positives = result.false_positives()
    print(f"\n-- false positives ({len(false_positives)}): doc | symptom [text] | condition [text] | measure values qualifier | polarity | population | rule")
    for p in false_positives:
        print(f"  {format_predicted(p)}")
