"""scispaCy's abbreviation detector, kept linear on very long documents.

Finds "long form (SF)" definitions and every later use of SF with scispaCy's
``AbbreviationDetector`` (Schwartz & Hearst 2003). On a document with thousands of
parenthesised candidates its global matching grows quadratically (98 s for 1 MB of such
text here), so documents longer than ``max_chars`` are processed in sentence-aligned
chunks of about ``max_chars``: a definition then covers the uses in its own chunk only.
Results land in ``doc._.abbreviations`` exactly as scispaCy's component leaves them.
"""
from __future__ import annotations

from scispacy.abbreviation import AbbreviationDetector
from spacy.language import Language
from spacy.tokens import Doc, Span

DEFAULT_MAX_CHARS = 100_000


class BoundedAbbreviationDetector:
    def __init__(self, nlp: Language, max_chars: int):
        self.detector = AbbreviationDetector(nlp)
        self.max_chars = max_chars

    def __call__(self, doc: Doc) -> Doc:
        if len(doc.text) <= self.max_chars:
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
        for sent in doc.sents:
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
