"""sentence_splitter marks the same sentence starts as spaCy's Sentencizer, whose rule it follows."""
import gzip
import json
from itertools import islice

import pytest
import spacy
from spacy.language import Language

import extractors.sentences  # noqa: F401  (registers the factory)
from extractors.sentences import SENTENCE_FINAL
from extractors.tokenization import make_tokenizer
from tests.conftest import SHARED, require_shared

EDGE_CASES = [
    "",
    ".",
    "...",
    "\n\n",
    ". Starts with a period.",
    "Spasticity affects about 20 percent of people with MS. Fatigue is common!",
    "Is it MS? (Yes.) \"Muscle spasms\" - 40% to 80%.\nNumbness\n\ntingling",
    "No final punctuation at all",
    "Ends on a period.",
    "Mr. Smith, aged 40, had e.g. tremor (i.e. shaking)... Then: dizziness?! Yes.",
]


def blank(component: str) -> Language:
    nlp = spacy.blank("en")
    nlp.tokenizer = make_tokenizer(nlp)
    if component == "sentencizer":
        nlp.add_pipe("sentencizer", config={"punct_chars": list(SENTENCE_FINAL)})
    else:
        nlp.add_pipe(component)
    return nlp


@pytest.fixture(scope="module")
def both():
    return blank("sentencizer"), blank("sentence_splitter")


def starts(doc) -> list[int]:
    return [token.i for token in doc if token.is_sent_start]


def test_same_starts_as_the_sentencizer_on_edge_cases(both):
    spacy_nlp, ours = both
    for text in EDGE_CASES:
        expected, found = spacy_nlp(text), ours(text)
        assert [t.is_sent_start for t in found] == [t.is_sent_start for t in expected], text
        assert [s.text for s in found.sents] == [s.text for s in expected.sents], text


def test_same_starts_as_the_sentencizer_on_the_seed_passages(both, seed_passages):
    spacy_nlp, ours = both
    for text in seed_passages:
        assert starts(ours(text)) == starts(spacy_nlp(text))


def test_same_starts_as_the_sentencizer_on_medquad(both):
    corpus = require_shared(SHARED / "corpora" / "medquad" / "medquad.jsonl.gz")
    spacy_nlp, ours = both
    with gzip.open(corpus, "rt", encoding="utf-8") as handle:
        texts = [json.loads(line)["answer"] or "" for line in islice(handle, 0, 3000, 10)]
    for text in texts:
        assert starts(ours(text)) == starts(spacy_nlp(text))


def test_starts_set_before_are_kept(both):
    """Like the Sentencizer without ``overwrite``: a start or a non-start set earlier stays."""
    for nlp in both:
        doc = nlp.make_doc("Fatigue is common. Tremor is rare. Spasms occur")
        doc[1].is_sent_start = True
        doc[4].is_sent_start = False  # "Tremor"
        nlp.get_pipe(nlp.pipe_names[0])(doc)
        assert starts(doc) == [0, 1, 8], nlp.pipe_names
