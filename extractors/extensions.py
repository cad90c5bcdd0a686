"""Doc and Span extension attributes shared by the extractor components.

Declared in one place so that every component and every consumer agrees on the names.
Entity mentions (SYMPTOM / CONDITION) live in ``doc.ents``; statistics live in
``doc.spans["statistics"]`` because a figure may overlap an entity ("20 percent of
people with MS" never does, but "one in five MS patients" could).
"""
from spacy.tokens import Doc, Span

STATISTICS_KEY = "statistics"

_SPAN_EXTENSIONS = {
    # terminology
    "concept_id": None,  # preferred ID with prefix, e.g. "HP:0001257", "DOID:2377"
    "concept_name": None,  # preferred name of that concept
    "xrefs": (),  # other IDs of the same concept, e.g. ("ICD10CM:G35", "UMLS:C0026769")
    "match_source": None,  # how it was found: "lexicon", "abbreviation", "model", "page"
    "page_name": None,  # a page's name for a condition no concept names, the same for each occurrence (page_condition_namer)
    # statistics: an extractors.statistics.Statistic for STATISTIC spans
    "statistic": None,
    # ConText attributes (extractors.context)
    "negated": False,
    "hedged": False,
    "hypothetical": False,
    "other_person": False,
}

_DOC_EXTENSIONS = {
    "aliases": None,  # list[extractors.aliases.Alias]
    "claims": None,  # list[extractors.claim_builder.ClaimOccurrence]
}


_TEXT_KEY = "symptom_claims.text"


def document_text(doc: Doc) -> str:
    """``doc.text``, built once per document.

    spaCy rebuilds ``Doc.text`` from every token on each access (one Token object per
    token), which was a fifth of the extraction time when each component read it. The
    tokenizer (:mod:`extractors.tokenization`) stores its input text, which is the Doc's text
    by spaCy's guarantee; any other Doc gets it built on the first call.
    """
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


_SENTENCES_KEY = "symptom_claims.sentences"


def sentences(doc: Doc) -> list[Span]:
    """``list(doc.sents)``, built once per document.

    spaCy builds every sentence Span (and two Token objects for it) on each pass over
    ``doc.sents``, and five components pass over them; no component after the sentence
    splitter changes sentence boundaries or tokens.
    """
    found = doc.user_data.get(_SENTENCES_KEY)
    if found is None:
        found = doc.user_data[_SENTENCES_KEY] = list(doc.sents)
    return found


# Where spaCy's ``Underscore`` keeps a span's extension values: doc.user_data under
# ("._.", name, start_char, end_char) (spacy/tokens/underscore.py, ``_get_key``).
_SPAN_VALUE = "._."


def set_span_values(span: Span, **values: object) -> None:
    """``span._.name = value`` for each pair, stored where ``span._`` reads it.

    Every ``span._`` builds an Underscore object and every attribute access goes through
    its ``__getattr__``/``__setattr__``, ~1 us each: ~40 % of ``doc_to_extraction``'s time
    when every mention was read that way. Only for the default-valued extensions
    declared here (no getters or setters); tests/test_extensions.py checks that both ways
    agree.
    """
    data, start, end = span.doc.user_data, span.start_char, span.end_char
    for name, value in values.items():
        if name not in _SPAN_EXTENSIONS:
            raise AttributeError(f"no span extension {name!r}")
        data[(_SPAN_VALUE, name, start, end)] = value


def span_value(span: Span, name: str) -> object:
    """``span._.name`` for one extension declared here; see :func:`set_span_values`."""
    return span.doc.user_data.get((_SPAN_VALUE, name, span.start_char, span.end_char), _SPAN_EXTENSIONS[name])


def span_values(span: Span) -> dict[str, object]:
    """All of a span's extension values declared here (defaults where unset), as ``span._``
    would read them; see :func:`set_span_values`."""
    data, start, end = span.doc.user_data, span.start_char, span.end_char
    return {name: data.get((_SPAN_VALUE, name, start, end), default) for name, default in _SPAN_EXTENSIONS.items()}


def remember_text(doc: Doc, text: str) -> Doc:
    doc.user_data[_TEXT_KEY] = text
    return doc


def register_extensions() -> None:
    """Register all extensions; safe to call more than once."""
    for name, default in _SPAN_EXTENSIONS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)
    for name, default in _DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    if not Doc.has_extension("text"):
        Doc.set_extension("text", getter=document_text)  # ``doc._.text``: the text, built once


register_extensions()
