"""spaCy component that reads "<symptom> in the <body part>" as the site's own symptom term."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from extractors.batching import BatchedPipe
from extractors.lexicon import SYMPTOM
from extractors.terminology_matcher import matcher_before, set_concept
from extractors.tokenization import normalize_tokens

# What may stand between "in"/"of" and the body part: "pain in their bones", "swelling of both ankles"
_DETERMINERS = frozenset({"the", "their", "his", "her", "your", "its", "one's", "both", "a", "an", "my", "our"})
SITE_WORDS = 2  # "pain in the lower back": at most two words name the site
# Nouns that a site word before them modifies ("the eye muscles", "the gastrointestinal tract"):
# a site ending right before one of them is not the whole site
_SITE_HEADS = frozenset({
    "muscle", "muscles", "bone", "bones", "joint", "joints", "tract", "nerve", "nerves", "vessel", "vessels",
    "gland", "glands", "tissue", "tissues", "wall", "walls", "lid", "lids", "cord", "cords", "node", "nodes",
})


# Site words that name a part of what an "of" after them names ("the back of the throat")
_PART_NOUNS = frozenset({"back", "front", "top", "bottom", "side", "sides", "base", "roof", "tip", "middle", "center", "centre", "edge", "rest"})


@Language.factory("symptom_site_resolver")
class SymptomSiteResolver(BatchedPipe):
    """Finds a SYMPTOM mention postmodified by its body site, "pain in their bones", "weakness
    in the muscles", "swelling of the ankles", "pain in the lower back", whose premodified
    compound the lexicon names as a SYMPTOM ("bone pain", "muscle weakness", "ankle swelling",
    "low back pain"): the mention is widened over the phrase and takes that concept.

    Rule: a noun postmodified by a prepositional phrase of place and the compound premodified
    by the same noun name the same thing ("pain in the back" = "back pain"; Quirk et al. 1985,
    *A Comprehensive Grammar of the English Language*, ch. 17, the complex noun phrase); the
    lexicon decides which compounds exist, so "bleeding in the brain" stays "bleeding" while no
    "brain bleeding" term does. Needs ``terminology_matcher`` earlier in the pipeline.
    """

    def __init__(self, nlp: Language, name: str):
        self.lexicon = matcher_before(nlp, "symptom_site_resolver").lexicon

    def __call__(self, doc: Doc) -> Doc:
        entities = list(doc.ents)
        widened = False
        for index, entity in enumerate(entities):
            if entity.label_ != SYMPTOM or entity.end + 2 >= len(doc) or doc[entity.end].lower_ not in ("in", "of"):
                continue
            limit = entities[index + 1].start if index + 1 < len(entities) else len(doc)
            site = self._site(doc, entity, limit)
            if site is not None:
                entities[index] = site
                widened = True
        if widened:
            doc.set_ents(entities)
        return doc

    def _site(self, doc: Doc, entity: Span, limit: int) -> Span | None:
        """The widened mention, or None: the longest site (two words, then one) whose compound
        with the mention is a SYMPTOM term, ending before the next mention at ``limit`` and not
        before a noun the site word would modify or an "of" after a part ("the back of")."""
        start = entity.end + 1
        while start < limit and doc[start].lower_ in _DETERMINERS:
            start += 1
        head = [token.text for token in entity]
        for end in range(min(start + SITE_WORDS, limit), start, -1):
            words = doc[start:end]
            if not all(token.is_alpha for token in words) or (end < len(doc) and (doc[end].lower_ in _SITE_HEADS or self._part_of(doc, end))):
                continue  # not the whole site: "weakness of the eye muscles" is no "eye weakness", "pain in the back of the throat" no back pain
            concept = self.lexicon.lookup([form for form, _ in normalize_tokens([t.text for t in words] + head)])
            if concept is not None and concept.label == SYMPTOM:
                return set_concept(Span(doc, entity.start, end, label=SYMPTOM), concept, "lexicon")
        return None

    @staticmethod
    def _part_of(doc: Doc, end: int) -> bool:
        """ "the back of the throat", "the top of the head": the site word names a part of what follows."""
        return doc[end].lower_ == "of" and doc[end - 1].lower_ in _PART_NOUNS
