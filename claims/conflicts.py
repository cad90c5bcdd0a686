"""Conflict detection between deduplicated claims: every disagreement found and explained.

Kinds (docs/claims.md has the full rules):

* ``numeric``: same symptom, condition, measure scale and population (an incidence, how many a
  year, only against another); the intervals do not
  overlap once widened by their qualifiers ("about" +- APPROXIMATE_TOLERANCE).
* ``related_numeric``: the same across symptoms the documents themselves relate (aliases.csv
  chains of same_as statements passing at most one one-to-many statement, a described_as or
  a same_as naming several terms: :class:`AliasGraph`), or across ontology ancestor and
  descendant, where only a descendant figure above its ancestor's is a contradiction (a
  specific symptom cannot be more frequent than the general one).
* ``qualitative``: a frequency word whose plain range cannot hold the other figure.
* ``polarity``: the same symptom and condition affirmed by one claim and denied by another
  about the same measure (:meth:`ConflictFinder._denies`), unless every document denying it
  also states it (:meth:`ConflictFinder._qualifies_itself`).
* ``alias``: one document makes two terms the same (directly or through a chain of
  same_as statements) and another says they are not.
* ``curated``: a text's figure against the frequency HPO curators annotated for the same
  phenotype in the same disease (:mod:`claims.curated`), matched through the concepts'
  OMIM / ORPHA / HP cross-references.

Claims without a symptom or a condition, claims hypothetical in every occurrence
(:func:`_comparable`) and claims about different populations are never compared; an unstated
population counts as the general one. A figure conflict needs a pattern-linked figure on one
side (:meth:`ConflictFinder._both_guessed`). Nothing is auto-resolved: each row carries a reason a
reviewer can check.
"""
from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations, product
from typing import TYPE_CHECKING, Callable, Iterator, Mapping

import pandas as pd

from claims.figures import format_figure, format_interval
from claims.normalize import population_key, stable_hash
from claims.rows import iter_records, records

if TYPE_CHECKING:
    from claims.curated import Annotation

# evidence.rule of a sentence that denies the symptom in the condition itself ("dementia does not
# cause hallucinations", "Fever is not a symptom of migraine"); a denied association stated any
# other way (a negation falling on a list item, a subtype's or a stage's denial) contradicts no source
DIRECT_DENIAL_RULES = ("C_does_not_cause_S", "S_is_not_a_symptom_of_C")
CONFLICT_KINDS = ("numeric", "related_numeric", "qualitative", "polarity", "alias", "curated")
APPROXIMATE_QUALIFIERS = {"about", "approximately", "around", "roughly", "nearly", "almost", "estimated"}
# "about 20%" may honestly mean 15-25%; the same relative slack for durations and ages.
APPROXIMATE_TOLERANCE = {"proportion": 0.05, "relative": 0.25}
SCALE_OF_UNIT = {"proportion": "proportion", "per_person": "proportion", "": "proportion", "seconds": "seconds", "years": "years"}
COMPARED_MEASURES = {"prevalence", "frequency", "incidence", "duration", "onset_age"}
# Confidence of the linking rules that tie a figure, its symptom and its condition by the
# sentence's own syntax or a GARD table row (extractors.claim_builder.RULE_CONFIDENCE); below it
# the link is a guess from proximity, a pronoun or the previous sentence.
PATTERN_CONFIDENCE = 0.85
AncestorsOf = Callable[[str], "set[str]"]
# frequency words that count people: "many people", "some patients", "in most cases"
PEOPLE_COUNT = re.compile(r"\b(?:people|patients|individuals|cases)$", re.IGNORECASE)
# ... of which these say only that some have it: "some people", "in some cases"
SOME = re.compile(r"^(?:in\s+)?some\b", re.IGNORECASE)


@dataclass(frozen=True)
class Link:
    """Why two different symptom concepts are compared."""

    kind: str  # "alias" or "ontology"
    text: str
    ancestor: str | None = None  # for ontology links, the more general concept


def widened(low: float, high: float, qualifier: str, unit: str) -> tuple[float, float]:
    if qualifier not in APPROXIMATE_QUALIFIERS or math.isinf(high):
        return low, high
    if SCALE_OF_UNIT.get(unit) == "proportion":
        slack = max(APPROXIMATE_TOLERANCE["proportion"], APPROXIMATE_TOLERANCE["relative"] * high)
        return max(0.0, low - slack), min(1.0, high + slack)
    return low * (1 - APPROXIMATE_TOLERANCE["relative"]), high * (1 + APPROXIMATE_TOLERANCE["relative"])


class AliasGraph:
    """Concepts the documents relate to each other, with the statement that relates them.

    ``same_as`` ("X, also called Y") names one thing twice, so chains of it are followed, for
    figures and for denials (``same_as`` holds the same_as statements alone).
    A statement relating one term to several is one-to-many: ``described_as`` ("X refers to a
    group of disorders characterized by A, B and C", "A and B, a condition called X") makes A
    and B parts of X, not names of each other, and so does a ``same_as`` statement naming
    several terms ("behavioral problems (i.e. autistic behaviors, hyperactivity)", or a clause
    that ran past the name: "C syndrome, also known as Opitz syndrome, hypotonia"). A chain
    therefore passes at most one one-to-many statement: X ~ A, never A ~ B through X."""

    def __init__(self, aliases: pd.DataFrame):
        self.edges: dict[str, dict[str, tuple[bool, str]]] = defaultdict(dict)  # node -> neighbour -> (one-to-many, quote)
        self.same_as: dict[str, dict[str, tuple[bool, str]]] = defaultdict(dict)
        self.denials: list[tuple[str, str, str]] = []
        rows = [(row, _alias_key(row["term"], row["term_id"]), _alias_key(row["alias"], row["alias_id"])) for row in records(aliases)]
        terms_named = defaultdict(set)  # statement -> the keys of the terms it names
        rows = [(row, a, b) for row, a, b in rows if a != b]  # "X (also called X')": one name, no link
        for row, _, b in rows:
            terms_named[_statement(row)].add(b)
        for row, a, b in rows:
            quote = f'{row["doc_id"]} says "{row["term"]}" {row["relation"].replace("_", " ")} "{row["alias"]}" ({row["cue"]})'
            if row["relation"] == "not_same_as":
                self.denials.append((a, b, quote))
                continue
            one_to_many = row["relation"] == "described_as" or len(terms_named[_statement(row)]) > 1
            for graph in (self.edges, self.same_as) if row["relation"] == "same_as" else (self.edges,):
                if b not in graph[a] or graph[a][b][0]:  # a one-to-one statement of the pair wins
                    graph[a][b] = graph[b][a] = (one_to_many, quote)

    @staticmethod
    def path(graph: dict[str, dict[str, tuple[bool, str]]], start: str, goal: str) -> list[str] | None:
        """The statements along the shortest chain from start to goal with at most one
        one-to-many statement (breadth-first over (concept, one-to-many passed) states)."""
        Step = tuple[str, bool]
        previous: dict[Step, tuple[Step, str] | None] = {(start, False): None}
        frontier = [(start, False)]
        goals = [(goal, False), (goal, True)]
        while frontier and not any(g in previous for g in goals):
            next_frontier = []
            for node, passed in frontier:
                for neighbour, (one_to_many, quote) in sorted(graph.get(node, {}).items()):
                    if passed and one_to_many:
                        continue
                    step = (neighbour, passed or one_to_many)
                    if step not in previous:
                        previous[step] = ((node, passed), quote)
                        next_frontier.append(step)
            frontier = next_frontier
        reached = next((g for g in goals if g in previous), None)
        if reached is None:
            return None
        quotes, step = [], reached
        while previous[step] is not None:
            step, quote = previous[step]
            quotes.append(quote)
        return quotes[::-1]


def _statement(row: dict) -> tuple:
    """One alias statement of a document: its rows share the named term, the relation and the span."""
    return row["doc_id"], row["term"], row["relation"], row["start"], row["end"]


_PLURAL = re.compile(r"(?<=[cs]h|.[xz])es$|(?<=[a-z]{2}[a-rt-z])s$")


def _alias_key(text, concept_id) -> str:
    """The concept id, else the words without plural endings ("Muscle twitches" ~ "muscle twitch")."""
    if isinstance(concept_id, str) and concept_id:
        return concept_id
    words = re.findall(r"\w+", str(text).lower())
    return "text:" + " ".join(_PLURAL.sub("", w) for w in words)


def _symptom_link(a: dict, b: dict, graph: AliasGraph, ancestors_of: AncestorsOf | None) -> Link | None:
    key_a, key_b = _alias_key(a["symptom"], a["symptom_id"]), _alias_key(b["symptom"], b["symptom_id"])
    if key_a == key_b:
        return Link("same", "")
    quotes = graph.path(graph.edges, key_a, key_b)
    if quotes:
        return Link("alias", "; ".join(quotes))
    if ancestors_of is not None and isinstance(a["symptom_id"], str) and isinstance(b["symptom_id"], str):
        if a["symptom_id"] in ancestors_of(b["symptom_id"]):
            return Link("ontology", f'"{a["symptom"]}" is a broader term than "{b["symptom"]}" in the ontology', a["symptom_id"])
        if b["symptom_id"] in ancestors_of(a["symptom_id"]):
            return Link("ontology", f'"{b["symptom"]}" is a broader term than "{a["symptom"]}" in the ontology', b["symptom_id"])
    return None


def _interval(claim: dict) -> tuple[float, float]:
    """Widened interval; an open end ("more than 2 weeks") is unbounded."""
    low = claim["value_low"] if claim["value_low"] is not None else 0.0
    high = claim["value_high"] if claim["value_high"] is not None else math.inf
    return widened(low, high, claim["qualifier"] or "", claim["unit"] or "")


def _between(first: tuple[float, float], second: tuple[float, float]) -> float:
    """How far apart two intervals lie: above 0 when they do not overlap."""
    (a_low, a_high), (b_low, b_high) = first, second
    return max(a_low - b_high, b_low - a_high)


def _gap(a: dict, b: dict) -> float:
    return _between(_interval(a), _interval(b))


def _is_incidence(claim: dict) -> bool:
    """How many become affected each year is compared only with another such figure: "less than
    0.5 percent ... develop cancer each year" says nothing against "cancer in 30%-79%"."""
    return claim["measure"] == "incidence"


def _contradicts(a: dict, b: dict, link: Link) -> bool:
    if link.kind != "ontology":
        return _gap(a, b) > 0
    general, specific = (a, b) if a["symptom_id"] == link.ancestor else (b, a)
    return _interval(specific)[0] > _interval(general)[1]


def _severity(a: dict, b: dict, scale: str) -> float:
    gap = max(0.0, _gap(a, b))
    if scale == "proportion":
        return round(min(1.0, gap), 4)
    scale = max(v for v in (a["value_high"], b["value_high"], a["value_low"], b["value_low"], 1e-9) if v is not None)
    return round(min(1.0, gap / scale), 4)


def _conflict(kind: str, identity: list[str], evidence: list[str], **fields) -> dict:
    """A conflicts-table row: id from the kind and what conflicts, hash of the evidence, open."""
    return {
        "conflict_id": stable_hash(kind, *identity, prefix="CF"),
        "kind": kind,
        **fields,
        "evidence_hash": stable_hash(*evidence, length=16),
        "status": "open",
    }


def _comparable(claim: dict) -> bool:
    """Whether a claim takes part in conflicts at all.

    A claim hypothetical in every occurrence ("see your provider if it lasts for more than two
    weeks") states no fact to contradict; a hedged one ("can affect 40% to 80%") does.
    A figure with no condition ("Fever usually lasts 2-3 days") is about an unknown
    population: comparing it with another condition-less figure compares two diseases.
    A figure with no symptom (``condition_onset_age``) is rarely an onset age of the whole
    condition: on MedQuAD it was a subtype's ("the Icelandic type begins in the 20s-30s"), a
    screening schedule ("audiogram at age one year"), a risk factor ("periods before age 12"),
    or the onset of a feature of the syndrome a page is about (seizures, read as epilepsy),
    and none of 53 pairs with an explicit onset verb in both sentences was a real disagreement."""
    return bool(claim["symptom_id"] or claim["symptom"]) and bool(claim["condition_id"] or claim["condition"]) and not claim["hypothetical"]


def _describe(claim: dict, figures: dict[str, str]) -> str:
    """ "Fatigue in multiple sclerosis: about 80%", without the colon for an association."""
    where = f' in {claim["condition"]}' if claim["condition"] else ""
    figure = figures[claim["claim_id"]]
    return f'{claim["symptom"]}{where}: {figure}' if figure else f'{claim["symptom"]}{where}'


def _sorted_by_claim(pairs) -> dict[str, list]:
    """claim_id -> its values, sorted (one sort of all pairs beats a Python call per group)."""
    grouped: dict[str, list] = defaultdict(list)
    for claim_id, value in sorted(pairs):
        grouped[claim_id].append(value)
    return dict(grouped)


class ConflictFinder:
    def __init__(self, claims: pd.DataFrame, evidence: pd.DataFrame, aliases: pd.DataFrame, ancestors_of: AncestorsOf | None = None,
                 xrefs_of: dict[str, set[str]] | None = None, curated: Mapping[tuple[str, str], Annotation] | None = None):
        # conformed (schema.CLAIMS): a missing value is None; only the compared ones are kept
        self.compared = [c for c in iter_records(claims) if _comparable(c)]
        self.xrefs_of = xrefs_of or {}
        self.curated = curated or {}
        self.curated_checked = self.curated_agreeing = 0
        self.graph = AliasGraph(aliases)
        self.ancestors_of = lru_cache(maxsize=None)(ancestors_of) if ancestors_of is not None else None
        # columns as lists: iterating an arrow-backed column boxes its values one at a time
        claim_ids, doc_ids = evidence["claim_id"].tolist(), evidence["doc_id"].tolist()
        self.docs_of = _sorted_by_claim(set(zip(claim_ids, doc_ids)))
        # Sentences as codes into their distinct values: a Python string per evidence row, twice
        # over, was the largest thing consolidation held (~100 MB per MedQuAD), and only the
        # claims that end in a conflict need their text (:meth:`_evidence_of`)
        sentence_codes, self._sentences = pd.factorize(evidence["sentence"], use_na_sentinel=False)
        doc_codes, self._docs = pd.factorize(evidence["doc_id"], use_na_sentinel=False)
        sentence_codes, doc_codes = sentence_codes.tolist(), doc_codes.tolist()
        self.sentence_codes_of = _sorted_by_claim(set(zip(claim_ids, sentence_codes)))
        self._doc_sentences_of = _sorted_by_claim(set(zip(claim_ids, zip(doc_codes, sentence_codes))))
        first = evidence[["evidence_id", "claim_id", "figure"]].sort_values("evidence_id").groupby("claim_id")["figure"].first() if len(evidence) else None
        first_figure = dict(zip(first.index.tolist(), first.tolist())) if first is not None else {}
        frequency_claims = {c["claim_id"] for c in self.compared if c["measure"] == "frequency"}
        words_of = _sorted_by_claim((c, str(w).strip()) for c, w in set(zip(claim_ids, evidence["figure"].fillna("").tolist())) if c in frequency_claims)
        self.counts_people = {c for c, words in words_of.items() if all(PEOPLE_COUNT.search(w) for w in words)}
        self.some_only = {c for c in self.counts_people if all(SOME.match(w) for w in words_of[c])}
        self.directly_denied = set(evidence.loc[evidence["rule"].isin(DIRECT_DENIAL_RULES), "claim_id"]) if len(evidence) else set()
        self.intervals = {c["claim_id"]: _interval(c) for c in self.compared}
        if any(math.isnan(end) for interval in self.intervals.values() for end in interval):
            raise ValueError("claims must be conformed (schema.CLAIMS): a missing figure is None, never NaN")
        self._links: dict[tuple, Link | None] = {}
        self.figures = {
            c["claim_id"]: format_figure(c["value_low"], c["value_high"], c["unit"], c["qualifier"] or "", first_figure.get(c["claim_id"]) or "", c["frequency_class"] or "",
                                         c["measure"])
            for c in self.compared
        }

    def _evidence_of(self, claim_id: str) -> list[str]:
        """What a decision on the claim was made on: its documents and their sentences, not the
        offsets, which move whenever anything earlier in the document changes ("doc_id\x1fsentence", sorted).
        Nor the whitespace around a sentence, which follows the text after it (a paragraph added
        after the last sentence takes the newline that ended it)."""
        return sorted({f"{self._docs[d]}\x1f{self._sentences[s].strip()}" for d, s in self._doc_sentences_of.get(claim_id, ())})

    def _scale(self, claim: dict) -> str | None:
        """What a claim states: "association", or the scale its figure is on; None for a count
        ("20 persons"), which no other figure can contradict.

        "Some people with polycythemia vera experience headaches" says headaches occur in it,
        not how often: "some" is true of 90% too. Such a claim is compared as an association
        when affirmed; denied ("some people do not develop the rash until late") it denies
        nothing about the others."""
        if claim["measure"] == "association":
            return "association"
        if claim["claim_id"] in self.some_only:
            return "association" if claim["polarity"] == "affirmed" else None
        has_value = claim["value_low"] is not None or claim["value_high"] is not None
        return SCALE_OF_UNIT.get(claim["unit"] or "") if has_value else None

    def _is_share_of_people(self, claim: dict) -> bool:
        """A figure counting people ("10% of patients", "many people"), whose negation is the
        complementary share."""
        return (claim["measure"] == "prevalence" and claim["unit"] == "proportion") or claim["claim_id"] in self.counts_people

    @staticmethod
    def _both_guessed(a: dict, b: dict) -> bool:
        """Neither figure linked to its symptom and condition by a pattern, only by proximity,
        a pronoun or the previous sentence. Two such guesses that disagree are two linking
        errors far more often than two sources disagreeing: on MedQuAD none of 48 such
        numeric, related_numeric and qualitative conflicts was real, while 5 of the 15 with a
        pattern on one side were ("short stature in 50 to 75 percent of people with multiple
        lentigines syndrome" against GARD's table). No pattern links a duration or an onset
        age, so those give no figure conflicts (none of their 20 on MedQuAD was real); their
        claims stay in the claims table."""
        return max(a["confidence"] or 0.0, b["confidence"] or 0.0) < PATTERN_CONFIDENCE

    def _one_sentence(self, a: dict, b: dict) -> bool:
        """Both claims stated only by one and the same sentence (wherever it recurs): its two
        figures are a range, subgroups or rows of one table ("Arthralgia 90% Uveitis 50%"),
        not two sources disagreeing."""
        sentences = self.sentence_codes_of.get(a["claim_id"], [])
        return len(sentences) == 1 and sentences == self.sentence_codes_of.get(b["claim_id"])

    def find(self) -> list[dict]:
        return self._figure_conflicts() + self._polarity_conflicts() + self._alias_conflicts() + self.curated_conflicts()

    def _ids(self, concept_id: str | None, prefixes: tuple[str, ...]) -> list[str]:
        """The concept's own id and its unambiguous cross-references with one of ``prefixes``.

        A concept with several OMIM entries (multiple sclerosis: five susceptibility loci,
        hereditary spastic paraplegia: dozens of subtypes) maps to none of them: a subtype's
        curated frequency says nothing about the whole disease."""
        if not concept_id:
            return []
        ids = {concept_id} | self.xrefs_of.get(concept_id, set())
        chosen = []
        for prefix in prefixes:
            matching = sorted(i for i in ids if i.startswith(prefix))
            if len(matching) == 1:
                chosen += matching
        return chosen

    def curated_conflicts(self) -> list[dict]:
        """Text figures against curated annotations; counts ``curated_checked`` / ``curated_agreeing``."""
        rows = []
        for claim in self.compared:
            if (claim["measure"] not in ("prevalence", "frequency") or claim["polarity"] != "affirmed"
                    or claim["value_low"] is None or self._scale(claim) != "proportion"):
                continue
            pairs = [(d, h) for d in self._ids(claim["condition_id"], ("OMIM:", "ORPHA:")) for h in self._ids(claim["symptom_id"], ("HP:",))]
            annotations = [self.curated[p] for p in pairs if p in self.curated]
            if not annotations:
                continue
            self.curated_checked += 1
            low, high = _interval(claim)
            disagreeing = [a for a in annotations if max(a.low - high, low - a.high) > 0]
            if len(disagreeing) < len(annotations):
                self.curated_agreeing += 1
                continue
            annotation = disagreeing[0]
            curated_figure = f"HPO: {annotation.label} ({format_interval(annotation.low, annotation.high, 'proportion')}) in {annotation.disease_id} {annotation.disease_name}"
            gap = max(annotation.low - high, low - annotation.high)
            rows.append(_conflict(
                "curated", [claim["claim_id"], annotation.disease_id, annotation.hpo_id],
                [*self._evidence_of(claim["claim_id"]), annotation.label],
                symptom_id=claim["symptom_id"],
                condition_id=claim["condition_id"],
                measure=claim["measure"],
                claim_ids=claim["claim_id"],
                figure_a=self.figures[claim["claim_id"]],
                figure_b=curated_figure,
                doc_ids="|".join(self.docs_of.get(claim["claim_id"], [])),
                reason=(f"{_describe(claim, self.figures)} in {', '.join(self.docs_of.get(claim['claim_id'], []))}, but HPO curators annotate "
                        f"{annotation.hpo_id} in {annotation.disease_id} ({annotation.disease_name}) as {annotation.label} "
                        f"({format_interval(annotation.low, annotation.high, 'proportion')}, source {annotation.reference})."),
                severity=round(min(1.0, gap), 4),
            ))
        return rows

    def _row(self, kind: str, a: dict, b: dict, reason: str, severity: float) -> dict:
        a, b = sorted((a, b), key=lambda c: c["claim_id"])
        claim_ids = [a["claim_id"], b["claim_id"]]
        return _conflict(
            kind, claim_ids, [*self._evidence_of(a["claim_id"]), *self._evidence_of(b["claim_id"])],
            symptom_id=a["symptom_id"],
            condition_id=a["condition_id"],
            measure=a["measure"] if a["measure"] == b["measure"] else f'{a["measure"]}/{b["measure"]}',
            claim_ids="|".join(claim_ids),
            figure_a=self.figures[a["claim_id"]],
            figure_b=self.figures[b["claim_id"]],
            doc_ids="|".join(sorted(set(self.docs_of.get(a["claim_id"], []) + self.docs_of.get(b["claim_id"], [])))),
            reason=reason,
            severity=severity,
        )

    def _figure_conflicts(self) -> list[dict]:
        groups: dict[tuple, list[dict]] = defaultdict(list)
        for claim in self.compared:
            scale = self._scale(claim)
            if claim["measure"] in COMPARED_MEASURES and claim["polarity"] == "affirmed" and scale not in (None, "association"):
                groups[(claim["condition_id"] or claim["condition"], population_key(claim["population"]), scale, _is_incidence(claim))].append(claim)
        rows = []
        for (_, population, scale, _), members in groups.items():
            for a, b, link in self._pairs_to_compare(members):
                if not _contradicts(a, b, link):
                    continue
                qualitative = "frequency" in (a["measure"], b["measure"])
                kind = "qualitative" if qualitative else ("numeric" if link.kind == "same" else "related_numeric")
                intervals = " and ".join(f"[{format_interval(*_interval(c), c['unit'] or 'proportion')}]" for c in (a, b))
                reason = (
                    f"{_describe(a, self.figures)} vs {_describe(b, self.figures)}"
                    f"{f' (population: {population})' if population != 'people' else ''}: "
                    f"the ranges {intervals} do not overlap"
                    + (" even allowing for the approximate wording" if {a["qualifier"], b["qualifier"]} & APPROXIMATE_QUALIFIERS else "")
                    + (f"; compared because {link.text}" if link.text else "")
                    + "."
                )
                rows.append(self._row(kind, a, b, reason, _severity(a, b, scale)))
        return rows

    def _link(self, a: dict, b: dict) -> Link | None:
        """:func:`_symptom_link`, once per ordered pair of symptoms (each may search the alias graph)."""
        key = (a["symptom"], a["symptom_id"], b["symptom"], b["symptom_id"])
        if key not in self._links:
            self._links[key] = _symptom_link(a, b, self.graph, self.ancestors_of)
        return self._links[key]

    def _pairs_to_compare(self, members: list[dict]) -> Iterator[tuple[dict, dict, Link]]:
        """(a, b, link), a's claim_id first, for each pair of ``members`` whose ranges do not
        overlap (ranges that overlap contradict under no link: under an ontology link the
        specific figure must lie above the general one), that is not :meth:`_one_sentence` nor
        :meth:`_both_guessed`, and whose symptoms are linked (the same, named as each other,
        or ancestor and descendant).

        A group holds every figure of a condition: on four times MedQuAD 1.1 million pairs
        passed those tests and still needed a link, mostly between unrelated symptoms
        (find_conflicts 7.4 s; 4.2 s taken as below). So claims are taken symptom by symptom:
        two symptoms are skipped when no range of one lies apart from a range of the other
        (one's highest low end is not above the other's lowest high end), and once they are
        found unlinked, at their first pair that needs the link. Whether two symptoms are
        linked does not depend on their order: the alias graph's edges go both ways, and
        the ontology is tried both ways."""
        for these, those in self._symptoms_apart(members):
            pairs = combinations(these, 2) if those is these else product(these, those)
            for a, b in pairs:
                if self._one_sentence(a, b):
                    continue
                if _between(self.intervals[a["claim_id"]], self.intervals[b["claim_id"]]) <= 0 or self._both_guessed(a, b):
                    continue
                a, b = (a, b) if a["claim_id"] < b["claim_id"] else (b, a)
                link = self._link(a, b)
                if link is None:
                    break  # the two symptoms are unlinked, and so is every pair of their claims
                yield a, b, link

    def _symptoms_apart(self, members: list[dict]) -> Iterator[tuple[list[dict], list[dict]]]:
        """Each pair of the symptoms of ``members`` (their claims, in claim_id order) where a
        range of one lies apart from a range of the other, once; a symptom is paired with
        itself when two of its own ranges may lie apart. Found through each symptom's highest
        low end and lowest high end, the symptoms sorted by the latter: those a symptom lies
        above are a prefix of that order."""
        by_symptom: dict[tuple, list[dict]] = defaultdict(list)
        for claim in sorted(members, key=lambda c: c["claim_id"]):
            by_symptom[(claim["symptom"], claim["symptom_id"])].append(claim)
        symptoms = sorted(((max(self.intervals[c["claim_id"]][0] for c in claims),
                            min(self.intervals[c["claim_id"]][1] for c in claims), number, claims)
                           for number, claims in enumerate(by_symptom.values())), key=lambda s: s[1])
        highs = [high for _, high, _, _ in symptoms]
        for low, high, number, claims in symptoms:
            if low > high:
                yield claims, claims
            for other_low, other_high, other_number, other_claims in symptoms[:bisect_left(highs, low)]:
                # apart both ways (two symptoms each with ranges apart): paired from one side only
                if other_number != number and (other_low <= high or other_number < number):
                    yield claims, other_claims

    def _denies(self, negated: dict, affirmed: dict) -> bool:
        """Whether a negated claim contradicts an affirmed one about the same measure.

        A directly denied association (:data:`DIRECT_DENIAL_RULES`) contradicts a stated one. A figure is not an association: "X does
        not cause fever" against "fever in 7.5%" was on MedQuAD a negation misread in a list 10
        times of 10. A denied share of people is the complementary share ("about 10% never
        develop a rash": about 90% do), compared like two figures. Any other denied figure says
        the value lies outside it, which contradicts only a figure wholly inside it: "usually
        do not get schizophrenia after age 45" leaves "begins between 16 and 30" alone, "not
        a common feature" leaves "fewer than 30%" alone, "does not last more than 3 days"
        denies "lasts one to two weeks"."""
        scale = self._scale(negated)
        if (scale is None or scale != self._scale(affirmed) or _is_incidence(negated) != _is_incidence(affirmed)
                or self._one_sentence(negated, affirmed)):
            return False
        if scale == "association":
            return negated["claim_id"] in self.directly_denied
        (negated_low, negated_high), (low, high) = _interval(negated), _interval(affirmed)
        if self._is_share_of_people(negated):
            return max(1 - negated_high - high, low - (1 - negated_low)) > 0
        return negated_low <= low and high <= negated_high

    def _qualifies_itself(self, negated: dict, affirmed: dict) -> bool:
        """Every document that denies the claim also states it: the denial qualifies its own
        statement (a subtype, a stage, carriers: "Amyopathic dermatomyositis ... without muscle
        weakness"), it does not contradict a source."""
        return set(self.docs_of.get(negated["claim_id"], [])) <= set(self.docs_of.get(affirmed["claim_id"], []))

    def _polarity_conflicts(self) -> list[dict]:
        by_pair: dict[tuple, list[dict]] = defaultdict(list)
        for claim in self.compared:
            by_pair[(claim["symptom_id"] or claim["symptom"], claim["condition_id"] or claim["condition"], population_key(claim["population"]))].append(claim)
        rows = []
        for members in by_pair.values():
            affirmed = [c for c in members if c["polarity"] == "affirmed"]
            for negated in (c for c in members if c["polarity"] == "negated"):
                # every claim the denial contradicts is a pair of its own: one conflict for the
                # best-supported only changed its id when another claim gained a document
                for other in (c for c in affirmed if self._denies(negated, c) and not self._qualifies_itself(negated, c)):
                    stated, denied = (", ".join(self.docs_of.get(c["claim_id"], [])) for c in (other, negated))
                    if self.figures[other["claim_id"]] == self.figures[negated["claim_id"]]:
                        reason = f"{_describe(other, self.figures)} is stated by {stated} and negated by {denied}"
                    else:
                        reason = f"{_describe(other, self.figures)} is stated by {stated}; {_describe(negated, self.figures)} is negated by {denied}"
                    if self._is_share_of_people(negated):
                        low, high = _interval(negated)
                        reason += f", which leaves {format_interval(1 - high, 1 - low, 'proportion')} with it"
                    reason += "."
                    rows.append(self._row("polarity", other, negated, reason, 1.0))
        return rows

    def _alias_conflicts(self) -> list[dict]:
        rows = []
        for a, b, denial in self.graph.denials:
            chain = self.graph.path(self.graph.same_as, a, b)
            if not chain:
                continue
            pair = sorted((a, b))
            rows.append(_conflict(
                "alias", pair, [*chain, denial],
                symptom_id=pair[0],
                condition_id=None,
                measure="alias",
                claim_ids="",
                figure_a="; ".join(chain),
                figure_b=denial,
                doc_ids="|".join(sorted({q.split(" says ")[0] for q in chain + [denial]})),
                reason=f"Named as the same thing ({'; '.join(chain)}) but denied elsewhere: {denial}.",
                severity=1.0,
            ))
        return list({row["conflict_id"]: row for row in rows}.values())


def find_conflicts(claims: pd.DataFrame, evidence: pd.DataFrame, aliases: pd.DataFrame, ancestors_of: AncestorsOf | None = None,
                   xrefs_of: dict[str, set[str]] | None = None, curated: Mapping[tuple[str, str], Annotation] | None = None) -> pd.DataFrame:
    """All conflicts among ``claims`` (and against ``curated`` annotations) as conflicts-table
    rows, in no particular order (:data:`claims.schema.CONFLICTS` sorts them)."""
    return pd.DataFrame(ConflictFinder(claims, evidence, aliases, ancestors_of, xrefs_of, curated).find())
