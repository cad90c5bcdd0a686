"""scispaCy's abbreviation detector, kept linear on very long documents.

Finds "long form (SF)" definitions and every later use of SF with scispaCy's
``AbbreviationDetector`` (Schwartz & Hearst 2003). On a document with thousands of
parenthesised candidates its global matching grows quadratically (98 s for 1 MB of such
text here), so documents longer than ``max_chars`` are processed in sentence-aligned
chunks of about ``max_chars``: a definition then covers the uses in its own chunk only.
Results land in ``doc._.abbreviations`` exactly as scispaCy's component leaves them.

scispaCy finds its "( ... )" candidates with a spaCy Matcher pattern whose ``{"OP": "+"}``
wildcard keeps a matcher state alive for every open parenthesis at every token: that was
most of this component's time. :class:`ParenthesisPairs` gives the same candidates in the
same order from the token array. Its later uses of each short form came from a second
Matcher that builds a Token object per token of the document (half of what was left);
:class:`ShortFormUses` finds the same matches in the same order from the token array.
"""
from __future__ import annotations

import numpy as np
from scispacy.abbreviation import AbbreviationDetector
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span

from extractors.batching import BatchedPipe
from extractors.extensions import document_text, sentences

DEFAULT_MAX_CHARS = 100_000


class ParenthesisPairs:
    """Drop-in for the detector's ``matcher``: ``(match_id, start, end)`` of every "(" ... ")"
    token pair with 1 to ``MAX_INSIDE`` tokens between them, ordered as spaCy's Matcher
    orders the matches of ``[{"ORTH": "("}, {"OP": "+"}, {"ORTH": ")"}]`` (by end, then
    latest start first). scispaCy's ``filter_matches`` skips every longer pair, so leaving
    them out changes nothing."""

    MAX_INSIDE = 8

    def __init__(self, nlp: Language):
        self.open = nlp.vocab.strings.add("(")
        self.close = nlp.vocab.strings.add(")")
        self.match_id = nlp.vocab.strings.add("parenthesis")

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        orth = doc.to_array(ORTH)
        closes = np.flatnonzero(orth == self.close)
        pairs = []
        for start in np.flatnonzero(orth == self.open).tolist():
            first, stop = np.searchsorted(closes, [start + 2, start + 2 + self.MAX_INSIDE])
            pairs += [(self.match_id, start, end + 1) for end in closes[first:stop].tolist()]
        pairs.sort(key=lambda match: (match[2], -match[1]))
        return pairs


class ShortFormUses:
    """Drop-in for the detector's ``global_matcher``: the short forms scispaCy adds as
    ``add(long_text, [[{"ORTH": word}, ...]])``, found as exact ORTH sequences in the token
    array; ``(match_id, start, end)`` ordered as spaCy's Matcher orders them (by end, then
    by start)."""

    def __init__(self, nlp: Language):
        self.vocab = nlp.vocab
        self.short_forms: dict[str, tuple[int, ...]] = {}

    def add(self, key: str, patterns: list[list[dict]]) -> None:
        (pattern,) = patterns
        self.short_forms[key] = tuple(self.vocab.strings.add(token["ORTH"]) for token in pattern)

    def remove(self, key: str) -> None:
        del self.short_forms[key]

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        if not self.short_forms:
            return []
        orth = doc.to_array(ORTH)
        matches = []
        for key, words in self.short_forms.items():
            if len(words) > len(orth):
                continue
            match_id = self.vocab.strings.add(key)
            for start in np.flatnonzero(orth[:len(orth) - len(words) + 1] == words[0]).tolist():
                if tuple(orth[start:start + len(words)].tolist()) == words:
                    matches.append((match_id, start, start + len(words)))
        matches.sort(key=lambda match: (match[2], match[1]))
        return matches


class BoundedAbbreviationDetector(BatchedPipe):
    def __init__(self, nlp: Language, max_chars: int):
        self.detector = AbbreviationDetector(nlp)
        self.detector.matcher = ParenthesisPairs(nlp)
        self.detector.global_matcher = ShortFormUses(nlp)
        self.max_chars = max_chars

    def __call__(self, doc: Doc) -> Doc:
        if len(document_text(doc)) <= self.max_chars:
            return self.detector(doc)
        found: list[Span] = []
        for chunk in self._chunks(doc):
            sub = self.detector(chunk.as_doc())
            for short in sub._.abbreviations:
                mapped = doc[chunk.start + short.start:chunk.start + short.end]
                long_form = short._.long_form
                mapped._.long_form = doc[chunk.start + long_form.start:chunk.start + long_form.end]
                found.append(mapped)
        doc._.abbreviations = found
        return doc

    def _chunks(self, doc: Doc):
        """Runs of whole sentences of about ``max_chars`` characters."""
        start = None
        for sent in sentences(doc):
            if start is None:
                start = sent
            if sent.end_char - start.start_char >= self.max_chars:
                yield doc[start.start:sent.end]
                start = None
        if start is not None:
            yield doc[start.start:len(doc)]


@Language.factory("bounded_abbreviation_detector", default_config={"max_chars": DEFAULT_MAX_CHARS})
def make_bounded_abbreviation_detector(nlp: Language, name: str, max_chars: int) -> BoundedAbbreviationDetector:
    return BoundedAbbreviationDetector(nlp, max_chars)
