"""spaCy component that tags SYMPTOM and CONDITION mentions from the compiled lexicon."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from spacy.language import Language
from spacy.tokens import Doc, Span

from extractors.extensions import token_texts
from extractors.lexicon import SYMPTOM, CONDITION, Concept, Lexicon, load_lexicon
from extractors.tokenization import normalize_tokens

# Labels a trained NER model may use, mapped onto ours.
MODEL_LABELS = {"DISEASE": CONDITION, "DISORDER": CONDITION, CONDITION: CONDITION, SYMPTOM: SYMPTOM, "SIGN": SYMPTOM}


def set_concept(span: Span, concept: Concept | None, source: str) -> Span:
    """Attach a concept's id, name and xrefs to a span (shared with the abbreviation resolver)."""
    extensions = span._  # each ``span._`` builds a new object: once
    extensions.concept_id = concept.id if concept else None
    extensions.concept_name = concept.name if concept else None
    extensions.xrefs = concept.xrefs if concept else ()
    extensions.match_source = source
    return span


@Language.factory(
    "terminology_matcher",
    default_config={"use_shared": True, "cache_dir": None},
)
class TerminologyMatcher:
    """Finds SYMPTOM and CONDITION mentions by looking up normalized token n-grams in the lexicon.

    Rule: scanning left to right, the longest lexicon term starting at a token wins and
    matches never overlap (a CONDITION inside a longer SYMPTOM gives way to it; a key naming
    both labels was resolved to SYMPTOM when the lexicon was compiled). A match must start
    and end on token boundaries. All-caps abbreviations of <= 4 letters only match upper-case
    text. Spans of a trained NER model already in ``doc.ents`` are replaced where a lexicon
    span overlaps them and otherwise kept, relabelled via ``MODEL_LABELS``.

    A dict lookup per n-gram prefix is used rather than a PhraseMatcher/SpanRuler, which at
    ~90k patterns are too slow for the pipeline's speed target and cannot apply the shared
    normalization (stemming, hyphens, numerals) to the text.
    """

    def __init__(self, nlp: Language, name: str, use_shared: bool, cache_dir: Optional[str]):
        cache = Path(cache_dir) if cache_dir else None
        self.lexicon: Lexicon = load_lexicon(cache_dir=cache) if use_shared else load_lexicon(None, cache)

    def find(self, doc: Doc) -> list[Span]:
        """Lexicon matches in ``doc``, longest first from the left, without overlaps."""
        terms, cased, concepts = self.lexicon.terms, self.lexicon.cased_terms, self.lexicon.concepts
        words = token_texts(doc)
        stream = normalize_tokens(words)
        forms = [form for form, _ in stream]
        owners = [index for _, index in stream]
        count = len(forms)
        spans: list[Span] = []
        i = 0
        while i < count:
            match_end, match_id = -1, None
            key, j = forms[i], i
            starts_token = i == 0 or owners[i - 1] != owners[i]
            while starts_token:
                value = terms.get(key)
                if value is None:
                    break
                if value and (j + 1 == count or owners[j + 1] != owners[j]):
                    match_end, match_id = j, value
                j += 1
                if j == count:
                    break
                key = f"{key} {forms[j]}"
            if match_id is None and starts_token:
                match_id = cased.get(words[owners[i]])
                match_end = i
            if match_id is None:
                i += 1
                continue
            concept = concepts[match_id]
            span = Span(doc, owners[i], owners[match_end] + 1, label=concept.label)
            spans.append(set_concept(span, concept, "lexicon"))
            i = match_end + 1
        return spans

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
        doc.ents = sorted(spans, key=lambda span: span.start)
        return doc
