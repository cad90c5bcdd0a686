"""The spaCy pipeline, assembled in one place, and the streaming extraction entry point.

Order: scispaCy tokenizer -> sentence splitter -> scispaCy abbreviation detector (bounded) ->
[trained NER model, when asked for and installed] -> terminology matcher -> abbreviation
resolver -> symptom site resolver -> statistic recognizer -> ConText annotator -> alias miner ->
claim builder.

Build the ``Language`` once per process (:func:`get_nlp` caches it) and stream documents
through :func:`extract_texts`, which uses ``nlp.pipe``.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Iterator

import spacy
from spacy.language import Language

# Importing the component modules registers their factories.
from extractors import (  # noqa: F401
    abbreviations,
    aliases,
    bounded_abbreviations,
    claim_builder,
    context,
    page_condition,
    statistic_recognizer,
    symptom_sites,
    terminology_matcher,
)
from extractors.lexicon import CONDITION, SYMPTOM
from extractors.options import PipelineOptions
from extractors.records import DocumentExtraction, doc_to_extraction
from extractors.tokenization import blank_english, normalize_tokens


def _add_ner_model(nlp: Language, name: str) -> None:
    """Source the NER component of an installed spaCy/scispaCy model (e.g. en_ner_bc5cdr_md)."""
    try:
        trained = spacy.load(name, exclude=["parser", "tagger", "lemmatizer", "attribute_ruler", "tok2vec_parser"])
    except OSError as error:
        raise ValueError(f"NER model {name!r} is not installed or not a spaCy pipeline: {error}") from error
    if "ner" not in trained.pipe_names:
        raise ValueError(f"NER model {name!r} has no 'ner' component")
    for pipe_name in trained.pipe_names:
        if pipe_name in ("tok2vec", "ner"):
            nlp.add_pipe(pipe_name, source=trained, name=f"model_{pipe_name}")


def build_nlp(options: PipelineOptions = PipelineOptions()) -> Language:
    """A fresh pipeline; prefer :func:`get_nlp`, which builds it once per process."""
    nlp = blank_english()
    nlp.max_length = options.max_doc_chars  # the run's max_record_chars, so nothing ingest accepts fails here (E088)
    nlp.add_pipe("sentencizer", config={"punct_chars": [".", "!", "?", "\n"]})
    nlp.add_pipe("bounded_abbreviation_detector")
    if options.ner_model:
        _add_ner_model(nlp, options.ner_model)
    nlp.add_pipe("terminology_matcher", config={"use_shared": options.use_shared_terminology, "cache_dir": options.lexicon_cache_dir})
    nlp.add_pipe("abbreviation_resolver", config={"use_curated": options.curated_abbreviations})
    nlp.add_pipe("symptom_site_resolver")
    nlp.add_pipe("page_condition_namer")
    nlp.add_pipe("statistic_recognizer")
    nlp.add_pipe("context_annotator")
    nlp.add_pipe("alias_miner")
    nlp.add_pipe("claim_builder")
    lexicon = nlp.get_pipe("terminology_matcher").lexicon
    tokenizer = nlp.tokenizer

    @lru_cache(maxsize=8192)  # the claim builder asks of the same few terms ("seizures", "microcephaly") all corpus long
    def concept_lookup(text: str, label: str, phenotype: bool = False):
        forms = [form for form, _ in normalize_tokens([t.text for t in tokenizer(text)])]
        concept = lexicon.lookup(forms)
        if phenotype and concept is not None and concept.label == CONDITION and label == SYMPTOM:
            concept = lexicon.phenotype(forms)
        return concept if concept is not None and concept.label == label else None

    nlp.get_pipe("claim_builder").concept_lookup = concept_lookup
    return nlp


def get_nlp(options: PipelineOptions = PipelineOptions()) -> Language:
    """The pipeline for ``options``, built once per process (and per distinct options)."""
    return _built(options)


# Keyed by the options value alone: an lru_cache on get_nlp itself keyed ``get_nlp()`` and
# ``get_nlp(PipelineOptions())`` apart, and built a second pipeline for the second call.
@lru_cache(maxsize=2)
def _built(options: PipelineOptions) -> Language:
    return build_nlp(options)


def extract_texts(items: Iterable[tuple[str, str]], options: PipelineOptions = PipelineOptions(), batch_size: int = 32) -> Iterator[DocumentExtraction]:
    """Stream (doc_id, text) pairs through the pipeline, yielding one extraction per document."""
    nlp = get_nlp(options)
    for doc, doc_id in nlp.pipe(((text, doc_id) for doc_id, text in items), as_tuples=True, batch_size=batch_size):
        yield doc_to_extraction(doc, doc_id)
