"""The chunked abbreviation detector finds the same definitions as scispaCy's on short text."""
import spacy

from extractors import bounded_abbreviations  # noqa: F401  (registers the factory)
from extractors.tokenization import make_tokenizer


def detector_nlp(max_chars):
    nlp = spacy.blank("en")
    nlp.tokenizer = make_tokenizer(nlp)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("bounded_abbreviation_detector", config={"max_chars": max_chars})
    return nlp


TEXT = ("Many people with multiple sclerosis (MS) have spasms. MS affects the legs. "
        "Amyotrophic lateral sclerosis (ALS) causes twitching. In ALS the muscles weaken. ") * 3


def pairs(doc):
    return sorted((a.start_char, a.text, a._.long_form.text) for a in doc._.abbreviations)


def test_chunks_map_abbreviations_back_to_document_offsets():
    whole, chunked = detector_nlp(100_000)(TEXT), detector_nlp(120)(TEXT)
    assert pairs(chunked) and all(TEXT[start:start + len(short)] == short for start, short, _ in pairs(chunked))
    assert {(s, l) for _, s, l in pairs(chunked)} == {("MS", "multiple sclerosis"), ("ALS", "Amyotrophic lateral sclerosis")}
    # a definition covers the uses in its own chunk only: nothing new, few lost
    assert set(pairs(chunked)) <= set(pairs(whole)) and len(pairs(chunked)) >= 0.8 * len(pairs(whole))


def test_parenthesis_pairs_equal_the_matcher_scispacy_uses():
    """Same (start, end) pairs in the same order as scispaCy's Matcher pattern, for every
    pair its filter keeps (at most 8 tokens inside), on nested, unbalanced and empty brackets."""
    from spacy.matcher import Matcher

    from extractors.bounded_abbreviations import ParenthesisPairs

    nlp = detector_nlp(100_000)
    matcher = Matcher(nlp.vocab)
    matcher.add("parenthesis", [[{"ORTH": "("}, {"OP": "+"}, {"ORTH": ")"}]])
    texts = [TEXT, "((a)) (b) ) ( ( c ) d )", "()", "( )", "(a)(b)(c)", "x ( 1 2 3 4 5 6 7 8 ) ( 1 2 3 4 5 6 7 8 9 )",
             "Fever (high temperature (pyrexia)) and rash (exanthem) (see below)."]
    for text in texts:
        doc = nlp.make_doc(text)
        expected = [(s, e) for _, s, e in matcher(doc) if e - s - 2 <= ParenthesisPairs.MAX_INSIDE]
        assert [(s, e) for _, s, e in ParenthesisPairs(nlp)(doc)] == expected, text
