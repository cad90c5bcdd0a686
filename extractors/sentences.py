"""spaCy component that splits sentences: spaCy's rule-based Sentencizer, on token arrays."""
from __future__ import annotations

import numpy
from spacy.attrs import IS_PUNCT, ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

SENTENCE_FINAL = (".", "!", "?", "\n")


@Language.factory("sentence_splitter", default_config={"punct_chars": list(SENTENCE_FINAL)})
class SentenceSplitter:
    """Marks sentence starts by the rule of spaCy's ``Sentencizer`` (spacy/pipeline/sentencizer.pyx):
    after a token whose text is one of ``punct_chars``, the next token that is neither
    punctuation nor one of ``punct_chars`` starts a sentence; the first token always does.
    Tokens the rule does not mark are marked as not starting one, and starts set before
    (a model, a rule) are kept, as the Sentencizer does without ``overwrite``.

    The Sentencizer builds a Token object per token (~1 us each, as much as a fifth of the
    tokenizer's own time); here the rule runs on ``Doc.to_array`` columns: a token starts a
    sentence when it is the first "content" token (neither punctuation nor final) after a
    final character. tests/test_sentences.py checks the starts against the Sentencizer's.
    """

    def __init__(self, nlp: Language, name: str, punct_chars: list[str]):
        self.final_orths = [nlp.vocab.strings.add(char) for char in punct_chars]

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        columns = doc.to_array([ORTH, IS_PUNCT, SENT_START])
        final = numpy.zeros(len(doc), dtype=bool)
        for orth in self.final_orths:
            final |= columns[:, 0] == orth
        content = numpy.flatnonzero(~final & (columns[:, 1] == 0))
        finals_before = numpy.concatenate(([0], numpy.cumsum(final)))  # [i]: finals in tokens [0, i)
        previous = numpy.concatenate(([0], content[:-1] + 1))  # just after the previous content token
        starts = numpy.zeros(len(doc), dtype=bool)
        starts[0] = True
        starts[content[finals_before[content] > finals_before[previous]]] = True
        current = columns[:, 2].astype(numpy.int64)  # -1 comes back as 2**64 - 1
        marked = numpy.where(current == 0, numpy.where(starts, 1, -1), current)
        doc.from_array([SENT_START], marked.astype(numpy.uint64))
        return doc
