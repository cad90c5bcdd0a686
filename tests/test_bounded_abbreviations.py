"""The chunked abbreviation detector finds the same definitions as scispaCy's on short text."""
from extractors import bounded_abbreviations  # noqa: F401  (registers the factory)
from extractors.tokenization import blank_english


def detector_nlp(max_chars):
    nlp = blank_english()
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


def test_short_form_uses_equal_the_matcher_scispacy_uses():
    """Same matches in the same order as scispaCy's global Matcher: one- and many-token short
    forms, a shorter one ending where a longer one ends, a form longer than the document,
    and forms removed again as scispaCy does after each document."""
    from spacy.matcher import Matcher

    from extractors.bounded_abbreviations import ShortFormUses

    nlp = detector_nlp(100_000)
    short_forms = {"multiple sclerosis": ["MS"], "relapsing remitting MS": ["RR", "MS"],
                   "spinal muscular atrophy type 1": ["SMA", "-", "1"], "a very long name": ["A", "B", "C", "D", "E", "F"]}
    texts = [TEXT, "RR MS or MS; SMA-1 and SMA - 1 (SMA-1). MS", "MS", "", "A B C"]
    matcher, ours = Matcher(nlp.vocab), ShortFormUses(nlp)
    for long_form, words in short_forms.items():
        for each in (matcher, ours):
            each.add(long_form, [[{"ORTH": word} for word in words]])
    for text in texts:
        doc = nlp.make_doc(text)
        assert ours(doc) == matcher(doc), text
    assert any(end - start == 2 for _, start, end in ours(nlp.make_doc(texts[1]))), "a two-token use should be found"
    for long_form in short_forms:
        for each in (matcher, ours):
            each.remove(long_form)
    assert ours(nlp.make_doc(TEXT)) == [] and not ours.short_forms


def test_detector_results_are_unchanged_by_the_replaced_matchers():
    """scispaCy's own detector (both Matchers) and ours find the same abbreviations (their order
    within one long form follows a set of Spans, whose hashes differ from Doc to Doc)."""
    from scispacy.abbreviation import AbbreviationDetector

    nlp = detector_nlp(100_000)
    theirs = AbbreviationDetector(nlp)
    text = TEXT + "Relapsing remitting MS (RR MS) differs; RR MS is common. Spinal muscular atrophy (SMA) and SMA."
    expected, found = theirs(nlp.get_pipe("sentencizer")(nlp.make_doc(text))), nlp(text)
    listed = lambda doc: sorted((a.start, a.end, a._.long_form.start, a._.long_form.end) for a in doc._.abbreviations)  # noqa: E731
    assert listed(found) == listed(expected) and len(listed(found)) >= 8
