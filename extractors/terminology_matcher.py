"""spaCy component that tags SYMPTOM and CONDITION mentions from the compiled lexicon."""
from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple, Optional

from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span

from extractors.batching import BatchedPipe
from extractors.extensions import set_span_values, span_value
from extractors.lexicon import SYMPTOM, CONDITION, Concept, Lexicon, load_lexicon
from extractors.tokenization import forms_after, may_be_numbered, normalize_token, normalize_tokens, numbered_forms, word_forms

# Nouns that head a phrase of their own ("memory problems", "skeletal abnormalities"): a match
# ending on one ends on its head, and no term after it takes it over (_head_term)
_HEAD_NOUNS = frozenset(normalize_token(word) for word in (
    "problems", "difficulties", "trouble", "issues", "abnormalities", "anomalies", "defects", "diseases", "disorders",
    "syndromes", "symptoms", "signs", "deficiency", "lesions", "malformations", "complications", "changes"))
# A chromosome's short arm, which HPO's "Short arms" (Upper limb undergrowth) would read as limbs:
# "the short arm (p) of chromosome 19", "the short arms of chromosomes 13 and 14"
_ARM_WORDS = frozenset({"short arm", "short arms"})
_CHROMOSOME_AFTER = re.compile(r"\s{0,3}(?:\(\s{0,2}p\s{0,2}\)|of\s{1,3}(?:the\s{1,3}|a\s{1,3}|one\s{1,3})?(?:chromosomes?|[XY]\b))", re.IGNORECASE)
CHROMOSOME_CONTEXT_CHARS = 40
# Labels a trained NER model may use, mapped onto ours.
MODEL_LABELS = {"DISEASE": CONDITION, "DISORDER": CONDITION, CONDITION: CONDITION, SYMPTOM: SYMPTOM, "SIGN": SYMPTOM}


def set_concept(span: Span, concept: Concept | None, source: str) -> Span:
    """Attach a concept's id, name and xrefs to a span (shared with the abbreviation resolver)."""
    set_span_values(
        span,
        concept_id=concept.id if concept else None,
        concept_name=concept.name if concept else None,
        xrefs=concept.xrefs if concept else (),
        match_source=source,
    )
    return span


def matcher_before(nlp: Language, component: str) -> "TerminologyMatcher":
    """The pipeline's terminology matcher, which ``component`` needs earlier in the pipeline
    (the abbreviation, symptom-site and page-condition components read its lexicon)."""
    matcher = nlp.get_pipe("terminology_matcher") if "terminology_matcher" in nlp.pipe_names else None
    if not isinstance(matcher, TerminologyMatcher):
        raise ValueError(f"{component} needs terminology_matcher earlier in the pipeline")
    return matcher


class _Word(NamedTuple):
    """What the matcher needs to know of one distinct word."""

    forms: tuple[str, ...]  # extractors.tokenization.word_forms
    cased: str | None  # concept id of an all-caps term spelled exactly so ("ALS")
    # the word's forms joined, as they may stand in the stream ("ii" also as "2" after
    # "type"), where they are a lexicon key: a term or a term's beginning
    keys: tuple[str, ...]
    # a term or cased term is this word alone; otherwise a term can start here only if the
    # next word continues one of ``keys``
    is_term: bool


class _Memo:
    """A memo that forgets the keys not used lately, in two generations of at most ``size``
    keys each: when the young one is full the old one is dropped and the young one becomes
    old, and a key found in the old generation comes back into the young. A key used again
    before ``size`` new keys came is never forgotten, so the frequent words stay however many
    rare ones a corpus brings (Zipf), at the cost of a dict lookup (``young.get``) on a hit.
    Not ``functools.lru_cache``, as tokenization's memos are: its call per token costs 61 ns
    against ``dict.get``'s 36 (a microbenchmark), on every token of every document."""

    def __init__(self, size: int):
        self.size = size
        self.young: dict = {}
        self.old: dict = {}

    def __len__(self) -> int:
        return len(self.young) + len(self.old)

    def get(self, key):
        """The value of ``key``, or None (a hot loop may try ``young.get`` first itself)."""
        value = self.young.get(key)
        return value if value is not None else self.recall(key)

    def recall(self, key):
        """The value of ``key`` if the old generation has it (moved into the young), or None."""
        value = self.old.pop(key, None)
        return value if value is None else self.keep(key, value)

    def keep(self, key, value):
        """Remember ``value`` for ``key`` and return it."""
        if len(self.young) >= self.size:
            self.old, self.young = self.young, {}
        self.young[key] = value
        return value


def _next_word(words: list[_Word], index: int) -> int:
    """Index of the first word after ``index`` that has forms ("-" and "'s" are not in the
    stream), or len(words)."""
    index += 1
    while index < len(words) and not words[index].forms:
        index += 1
    return index


def _previous_form(words: list[_Word], index: int) -> str:
    """The stream's form before word ``index`` (the last form of the nearest word that has any)."""
    for before in range(index - 1, -1, -1):
        if words[before].forms:
            return words[before].forms[-1]
    return ""


def _chromosome_arm(span: Span) -> bool:
    """Whether ``span`` is a chromosome's arm ("the short arm (p) of chromosome 19"), no limb."""
    text = span.doc.text
    return " ".join(token.lower_ for token in span) in _ARM_WORDS and bool(_CHROMOSOME_AFTER.match(text, span.end_char, span.end_char + CHROMOSOME_CONTEXT_CHARS))


@Language.factory(
    "terminology_matcher",
    default_config={"use_shared": True, "cache_dir": None},
)
class TerminologyMatcher(BatchedPipe):
    """Finds SYMPTOM and CONDITION mentions by looking up normalized token n-grams in the lexicon.

    Rule: scanning left to right, the longest lexicon term starting at a token wins and
    matches never overlap (a CONDITION inside a longer SYMPTOM gives way to it; a key naming
    both labels was resolved to SYMPTOM when the lexicon was compiled), except that a SYMPTOM
    match ending on a modifier gives way to the term of the phrase's head after it ("painful
    muscle spasms": :meth:`_head_term`). A match must start and end on token boundaries. All-caps abbreviations of <= 4 letters only match upper-case
    text; one with other common senses (``ambiguous_code`` in the lexicon rules: "HD" is
    Hirschsprung disease too) only in a document that names its concept in words as well (one
    sense per discourse, Gale, Church & Yarowsky 1992). Spans of a trained NER model already in ``doc.ents`` are replaced where a lexicon
    span overlaps them and otherwise kept, relabelled via ``MODEL_LABELS``.

    A dict lookup per n-gram prefix is used rather than a PhraseMatcher/SpanRuler: those
    match faster per token but cannot apply the shared normalization (hyphen splitting,
    possessives, numerals after "type", cased abbreviations: 7 % of the matches on MedQuAD)
    and take 4-7 s to build in every worker (docs/terminology.md, benchmarks/matchers.py).
    What the scan needs to know of a word (its forms, whether a term can start with it) is
    computed once per distinct word and kept by its spaCy orth id while the word is in use
    (:class:`_Memo`), so a token costs one dict lookup unless a term may start there.
    """

    # Distinct words, and word pairs, a memo's generation holds (_Memo): an extraction
    # process stays the same size however many distinct words its corpus brings
    # (docs/performance.md, sixteenth round).
    MAX_REMEMBERED = 20_000

    def __init__(self, nlp: Language, name: str, use_shared: bool, cache_dir: Optional[str]):
        cache = Path(cache_dir) if cache_dir else None
        self.lexicon: Lexicon = load_lexicon(cache_dir=cache) if use_shared else load_lexicon(None, cache)
        self._words = _Memo(self.MAX_REMEMBERED)  # orth id -> _Word
        self._pairs = _Memo(self.MAX_REMEMBERED)  # orth ids of two words -> a key goes on
        self._arm_orths = {nlp.vocab.strings.add(word) for word in ("arm", "arms", "Arm", "Arms", "ARM", "ARMS")}  # (_chromosome_arm)

    def _word(self, text: str) -> _Word:
        forms = word_forms(text)
        if not forms:
            return _Word(forms, None, (), False)
        terms = self.lexicon.terms
        variants = {" ".join(forms), " ".join(numbered_forms(forms))}
        values = {key: terms.get(key) for key in variants}
        cased = self.lexicon.cased_terms.get(text)
        keys = tuple(sorted(key for key, value in values.items() if value is not None))
        return _Word(forms, cased, keys, cased is not None or any(values.values()))

    def _doc_words(self, doc: Doc, orths: list[int]) -> list[_Word]:
        memo = self._words
        young = memo.young
        words = [young.get(orth) for orth in orths]
        if None in words:
            for index, orth in enumerate(orths):
                if words[index] is None:
                    known = memo.get(orth)  # (the young generation too: the word may be earlier in this document)
                    words[index] = known if known is not None else memo.keep(orth, self._word(doc.vocab.strings[orth]))
        return words

    def _continues(self, words: list[_Word], orths: list[int], first: int) -> bool:
        """Whether the next word extends one of ``words[first].keys`` to a lexicon key."""
        following = _next_word(words, first)
        if following == len(words):
            return False
        pair = (orths[first], orths[following])
        pairs = self._pairs
        known = pairs.young.get(pair)  # not pairs.get: no method call on the hot path
        if known is None:
            known = pairs.recall(pair)
        if known is None:
            word, terms = words[first], self.lexicon.terms
            after = forms_after(word.forms[-1], words[following].forms)[0]
            known = pairs.keep(pair, any(terms.get(f"{key} {after}") is not None for key in word.keys))
        return known

    def _longest_term(self, words: list[_Word], first: int) -> tuple[int, str] | None:
        """(last word, concept id) of the longest term starting at word ``first``; the term
        must end on a word's last form."""
        terms = self.lexicon.terms
        forms = words[first].forms
        if may_be_numbered(forms[0]):
            forms = forms_after(_previous_form(words, first), forms)
        key, found, index = None, None, first
        while True:
            last = len(forms) - 1
            for position, form in enumerate(forms):
                key = form if key is None else f"{key} {form}"
                value = terms.get(key)
                if value is None:
                    return found
                if value and position == last:
                    found = (index, value)
            previous = forms[-1]
            index = _next_word(words, index)
            if index == len(words):
                return found
            forms = forms_after(previous, words[index].forms)

    def _head_term(self, doc: Doc, words: list[_Word], first: int, last: int) -> tuple[int, int, str] | None:
        """(first word, last word, concept id) of a term that starts inside the SYMPTOM match
        ``first``..``last`` and runs on past it with no punctuation, when the match's last word
        is no term alone: that word modifies the noun after it, the head of the phrase, and the
        phrase is the head's term ("painful muscle spasms" are muscle spasms, not a painful
        muscle that spasms; "itchy skin lesions", "scaly skin rash"). English noun phrases are
        head-final (Quirk et al. 1985, ch. 17). Kept: "Cellular immunodeficiency 90%"
        ("immunodeficiency" is a term alone), "memory problems concentration problems" (a
        match ending on a noun that heads a phrase, ``_HEAD_NOUNS``), "Hypoplasia of midface -
        Hypoplasia of …" (a list's separator between) and "Double vision Difficulty maintaining
        a steady gaze" (a capital after a lower-case word: a list whose items run together)."""
        after = _next_word(words, last)
        if words[last].forms[-1] in _HEAD_NOUNS or (after < len(doc) and doc[after].is_title and not doc[last].is_title):
            return None
        for start in range(first + 1, last + 1):
            if not (words[start].keys or words[start].is_term):
                continue
            found = self._longest_term(words, start)
            if found is not None and found[0] > last and not any(
                    doc[index].is_punct or not words[index].forms for index in range(last + 1, found[0] + 1)):
                return start, *found
        return None

    def find(self, doc: Doc) -> list[Span]:
        """Lexicon matches in ``doc``, longest first from the left, without overlaps."""
        concepts = self.lexicon.concepts
        orths = doc.to_array(ORTH).tolist()
        words = self._doc_words(doc, orths)
        spans: list[Span] = []
        ambiguous: list[Span] = []
        free = 0  # first word not inside a match
        for first in [index for index, word in enumerate(words) if word.keys or word.is_term]:
            if first < free or not (words[first].is_term or self._continues(words, orths, first)):
                continue
            found = self._longest_term(words, first)
            if found is None and words[first].cased is not None:
                found = (first, words[first].cased)
            if found is None:
                continue
            last, concept_id = found
            if last > first and not words[last].is_term and concepts[concept_id].label == SYMPTOM:
                head = self._head_term(doc, words, first, last)
                if head is not None:
                    start, last, concept_id = head
                    modifier = self._longest_term(words[:start], first)  # what the words before the head name
                    if modifier is not None:
                        spans.append(set_concept(Span(doc, first, modifier[0] + 1, label=concepts[modifier[1]].label), concepts[modifier[1]], "lexicon"))
                    first = start
            concept = concepts[concept_id]
            span = set_concept(Span(doc, first, last + 1, label=concept.label), concept, "lexicon")
            (ambiguous if last == first and words[first].cased is not None and doc[first].text in self.lexicon.ambiguous_codes else spans).append(span)
            free = last + 1
        if ambiguous:
            named = {span_value(span, "concept_id") for span in spans}
            spans = sorted(spans + [span for span in ambiguous if span_value(span, "concept_id") in named], key=lambda span: span.start)
        arms = self._arm_orths
        return [span for span in spans if orths[span.end - 1] not in arms or not _chromosome_arm(span)]

    def lookup_text(self, span: Span) -> Concept | None:
        """Concept named exactly by a span's text, if any."""
        return self.lexicon.lookup([form for form, _ in normalize_tokens([t.text for t in span])])

    def __call__(self, doc: Doc) -> Doc:
        spans = self.find(doc)
        taken = bytearray(len(doc))
        for span in spans:
            taken[span.start : span.end] = b"\x01" * len(span)
        for entity in doc.ents:
            if any(taken[entity.start : entity.end]):
                continue
            label = MODEL_LABELS.get(entity.label_, entity.label_)
            kept = Span(doc, entity.start, entity.end, label=label)
            spans.append(set_concept(kept, self.lookup_text(entity), entity._.match_source or "model"))
        doc.set_ents(sorted(spans, key=lambda span: span.start))  # the setter would build each Span again
        return doc
