"""Alias mining: the naming statements a document makes about its own terms.

Finds, around the SYMPTOM / CONDITION entities of each sentence, the lexico-syntactic
cues that Hearst (1992) used for hyponymy and that definition-mining work reuses for
synonymy:

* ``same_as``: "X (also called Y or Z)", "X, also known as Y", "X (or Y)";
* ``described_as``: "X and Y, a condition called Z", "Z describes X and Y";
* ``not_same_as``: "X and Y ... are not (quite) the same", "X is different from Y".

Results go to ``doc._.aliases`` as :class:`Alias` records; the claims stage relates
concepts through them (a document saying spasms are spasticity makes their figures
comparable).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from extractors.batching import BatchedPipe
from extractors.extensions import document_text, sentences

_TERM_SPLIT = re.compile(r"\s*(?:,\s*(?:and|or)?|\band/or\b|\band\b|\bor\b)\s*", re.IGNORECASE)
_ARTICLE = re.compile(r"^(?:a|an|the|sometimes|simply)\s+", re.IGNORECASE)
_NAMING = r"(?:also\s+)?(?:sometimes\s+|commonly\s+|often\s+)?(?:called|known\s+as|termed|referred\s+to\s+as)"
# right after X: "(also called Y or Z)" / "(or Y)" / ", also known as Y"
_SAME_AS_AFTER = re.compile(
    rf"^\s*(?:\((?P<cue_p>{_NAMING}|or|i\.e\.,?|aka)\s+(?P<paren>[^()]{{1,120}})\)"
    rf"|(?:,\s*)?(?P<cue_c>also\s+(?:sometimes\s+)?(?:called|known\s+as|termed|referred\s+to\s+as))\s+(?P<clause>[^.;:()]{{1,120}}))",
    re.IGNORECASE,
)
# right after "X and Y": ", a condition called Z"
_DESCRIBED_AFTER = re.compile(
    rf"^\s*(?:,\s*)?(?P<cue>(?:a|an)\s+(?:condition|symptom|disorder|problem|phenomenon|state)\s+{_NAMING})\s+(?P<clause>[^.;:(),]{{1,80}})",
    re.IGNORECASE,
)
# right after Z: "describes X and Y"
_DESCRIBES = re.compile(r"^\s*(?P<cue>describes|refers\s+to|is\s+defined\s+as)\s+(?P<clause>[^.;:]{1,160})", re.IGNORECASE)
_NOT_SAME = re.compile(
    r"\b(?:not\s+(?:quite\s+|exactly\s+|really\s+)?the\s+same|(?:is|are)\s+different\s+from|differs?\s+from)\b",
    re.IGNORECASE,
)
_COORDINATION = re.compile(r"^\s*(?:,\s*)?(?:and|or|and/or|as\s+well\s+as|,)\s*(?:a\s+|an\s+|the\s+)?$", re.IGNORECASE)
_ABBREVIATION_PAREN = re.compile(r"^\s*\([A-Z][A-Za-z0-9-]{1,9}\)")
LOOKAHEAD_CHARS = 300
# A name is a short noun phrase: a clause with a verb ("is characterized by ...") is not one.
MAX_ALIAS_WORDS = 6
_VERB = re.compile(r"\b(?:is|are|was|were|has|have|had|can|may|might|will|causes?|caused|characterized|affects?|leads?|results?)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Alias:
    term: str
    term_id: str | None
    alias: str
    alias_id: str | None
    relation: str
    start: int
    end: int
    cue: str


class AliasMiner(BatchedPipe):
    """Finds naming statements sentence by sentence."""

    def __call__(self, doc: Doc) -> Doc:
        # ``doc.text`` and ``doc.ents`` rebuild their result from every token on each access:
        # read them once per document (per-sentence access made long documents quadratic).
        found: list[Alias] = []
        all_ents = list(doc.ents)
        if all_ents:
            text = document_text(doc)
            starts = [e.start for e in all_ents]  # doc.ents are sorted and non-overlapping
            for sent in sentences(doc):
                first = bisect_left(starts, sent.start)
                ents = [e for e in all_ents[first:bisect_left(starts, sent.end, first)] if e.end <= sent.end]
                if ents:
                    found.extend(self._sentence_aliases(doc, text, sent, ents))
        doc._.aliases = found
        return doc

    def _sentence_aliases(self, doc: Doc, text: str, sent: Span, ents: list[Span]) -> list[Alias]:
        aliases = []
        ent_starts = [e.start for e in ents]

        def concept_within(span: Span | None) -> str | None:
            """Concept of the first entity inside ``span`` (bisect: sentences can hold thousands)."""
            if span is None:
                return None
            for position in range(bisect_left(ent_starts, span.start), len(ents)):
                ent = ents[position]
                if ent.start >= span.end:
                    return None
                if ent.end <= span.end:
                    return ent._.concept_id
            return None

        sent_end = sent.end_char
        for index, ent in enumerate(ents):
            after_char = ent.end_char
            skipped = _ABBREVIATION_PAREN.match(text[after_char:min(sent_end, after_char + LOOKAHEAD_CHARS)])
            if skipped:
                after_char += skipped.end()
            # every cue pattern reads at most ~200 characters past the mention; slicing the
            # whole rest of a 100 kB sentence per mention would be quadratic
            rest = text[after_char:min(sent_end, after_char + LOOKAHEAD_CHARS)]
            same = _SAME_AS_AFTER.match(rest)
            if same:
                clause = same.group("paren") or same.group("clause")
                clause_start = after_char + same.start("paren" if same.group("paren") else "clause")
                cue = same.group("cue_p") or same.group("cue_c")
                aliases += self._pairs(doc, concept_within, [ent], clause, clause_start, "same_as", cue, ent.start_char, after_char + same.end())
            described = _DESCRIBED_AFTER.match(rest)
            if described:
                group = self._coordination_before(text, ents, index)
                clause_start = after_char + described.start("clause")
                aliases += self._pairs(
                    doc, concept_within, group, described.group("clause"), clause_start, "described_as",
                    described.group("cue"), group[0].start_char, after_char + described.end(), named_first=False,
                )
            describes = _DESCRIBES.match(rest)
            if describes:
                clause_start = after_char + describes.start("clause")
                clause_end = clause_start + len(describes.group("clause"))
                described_ents = [e for e in ents if clause_start <= e.start_char and e.end_char <= clause_end]
                for other in described_ents:
                    aliases.append(self._alias(ent, other.text, other._.concept_id, "described_as", ent.start_char, other.end_char, describes.group("cue")))
        aliases += self._denials(text, sent, ents)
        return aliases

    def _denials(self, text: str, sent: Span, ents: list[Span]) -> list[Alias]:
        """ "X and Y are ... not quite the same": the two entities nearest before the cue."""
        denial = _NOT_SAME.search(text[sent.start_char:sent.end_char])
        if not denial:
            return []
        cue_start = sent.start_char + denial.start()
        before = [e for e in ents if e.end_char <= cue_start]
        if len(before) < 2:
            return []
        first, second = before[0], before[1]
        if first._.concept_id and first._.concept_id == second._.concept_id:
            return []
        return [self._alias(first, second.text, second._.concept_id, "not_same_as", first.start_char, sent.start_char + denial.end(), denial.group(0))]

    @staticmethod
    def _coordination_before(text: str, ents: list[Span], index: int) -> list[Span]:
        """The entity at ``index`` and those coordinated with it before ("stiff muscles and spasms")."""
        group = [ents[index]]
        for previous in reversed(ents[:index]):
            if not _COORDINATION.match(text[previous.end_char:group[0].start_char]):
                break
            group.insert(0, previous)
        return group

    def _pairs(self, doc, concept_within, named, clause, clause_start, relation, cue, start, end, named_first=True) -> list[Alias]:
        """One Alias per (named entity, term in the clause) pair."""
        pairs = []
        position = 0
        for raw in _TERM_SPLIT.split(clause):
            term = _ARTICLE.sub("", raw.strip())
            if not term or len(term.split()) > MAX_ALIAS_WORDS or _VERB.search(term):
                continue
            term_start = clause_start + clause.find(term, position)
            position = term_start - clause_start + len(term)
            span = doc.char_span(term_start, term_start + len(term), alignment_mode="expand")
            concept = concept_within(span)
            for ent in named:
                if named_first:
                    pairs.append(self._alias(ent, term, concept, relation, start, end, cue))
                else:
                    pairs.append(Alias(term, concept, ent.text, ent._.concept_id, relation, start, end, cue))
        return pairs

    @staticmethod
    def _alias(ent: Span, other: str, other_id, relation, start, end, cue) -> Alias:
        return Alias(ent.text, ent._.concept_id, other, other_id, relation, start, end, re.sub(r"\s+", " ", cue.lower()))


@Language.factory("alias_miner")
def make_alias_miner(nlp: Language, name: str) -> AliasMiner:
    return AliasMiner()
