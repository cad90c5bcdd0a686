"""spaCy component that turns abbreviations into SYMPTOM / CONDITION mentions."""
from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span

from extractors.batching import BatchedPipe
from extractors.lexicon import Concept
from extractors.terminology_matcher import matcher_before, set_concept

CURATED_FILE = Path(__file__).with_name("resources") / "curated_abbreviations.tsv"


class _Meaning(NamedTuple):
    label: str
    concept: Concept | None  # None: a curated abbreviation whose long form is not in the lexicon


@Language.factory("abbreviation_resolver", default_config={"use_curated": True})
class AbbreviationResolver(BatchedPipe):
    """Finds abbreviations of SYMPTOMs and CONDITIONs; needs scispaCy's ``abbreviation_detector``
    and ``terminology_matcher`` earlier in the pipeline.

    Rule: a document's own definition comes first: for "multiple sclerosis (MS)" every "MS"
    in the document takes the concept of the long form, provided the long form as a whole
    names a lexicon concept; an abbreviation the document defines otherwise ("MS (mass
    spectrometry)") is not a mention at all. Abbreviations the document never defines are
    looked up, in exact case, in the curated list ``resources/curated_abbreviations.tsv``
    (``use_curated=False`` turns that off). Abbreviation spans replace entities of the same
    or smaller extent and give way to longer ones ("relapsing-remitting MS").
    """

    def __init__(self, nlp: Language, name: str, use_curated: bool):
        self.matcher = matcher_before(nlp, "abbreviation_resolver")
        self.curated = self._load_curated(nlp) if use_curated else {}
        # ORTH ids of the curated short forms: most documents have none, which one set test
        # tells (a numpy.isin per document cost ~0.1 ms, more than the test and the scan)
        self.curated_orths = frozenset(nlp.vocab.strings.add(short) for short in self.curated)

    def _load_curated(self, nlp: Language) -> dict[str, _Meaning]:
        """Curated short form -> meaning; the lexicon concept's label wins over the file's."""
        curated = {}
        for line in CURATED_FILE.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                short, long_form, label = line.split("\t")
                concept = self.matcher.lookup_text(nlp.make_doc(long_form)[:])
                curated[short] = _Meaning(concept.label if concept else label, concept)
        return curated

    def _document_meanings(self, doc: Doc) -> dict[str, _Meaning | None]:
        """Short form -> meaning defined in this document (None: defined as something else)."""
        meanings: dict[str, _Meaning | None] = {}
        for short in doc._.abbreviations:
            if short.text not in meanings:
                concept = self.matcher.lookup_text(short._.long_form)
                meanings[short.text] = _Meaning(concept.label, concept) if concept else None
        return meanings

    def __call__(self, doc: Doc) -> Doc:
        defined = self._document_meanings(doc)
        wanted = [(short.start, short.end, defined[short.text]) for short in doc._.abbreviations]
        if self.curated:
            orths = doc.to_array(ORTH).tolist()
            if not self.curated_orths.isdisjoint(orths):
                for i, orth in enumerate(orths):
                    if orth in self.curated_orths and doc[i].text not in defined:
                        wanted.append((i, i + 1, self.curated[doc[i].text]))
        if not wanted:
            return doc
        entities = list(doc.ents)
        for start, end, meaning in sorted(set(wanted), key=lambda item: item[0]):
            overlapping = [e for e in entities if e.start < end and start < e.end]
            if any(len(e) > end - start for e in overlapping):
                continue
            entities = [e for e in entities if e not in overlapping]
            if meaning is not None:
                span = Span(doc, start, end, label=meaning.label)
                entities.append(set_concept(span, meaning.concept, "abbreviation"))
        doc.set_ents(sorted(entities, key=lambda span: span.start))  # the setter would build each Span again
        return doc
