"""terminology_matcher on the seed passages and on the normalization rules."""
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Span

from extractors.terminology_matcher import _Memo
from extractors.tokenization import blank_english
from tests.test_lexicon import SHARED, lexicon_cache  # noqa: F401  (session fixture)


def terminology_nlp(cache_dir: Path, use_shared: bool = True, use_curated: bool = True, before=()) -> Language:
    """The terminology part of the project pipeline; ``before`` names components run before the matcher."""
    from scispacy.abbreviation import AbbreviationDetector  # noqa: F401  (registers the factory)

    import extractors.abbreviations  # noqa: F401
    import extractors.terminology_matcher  # noqa: F401

    nlp = blank_english()
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("abbreviation_detector")
    for name in before:
        nlp.add_pipe(name)
    nlp.add_pipe("terminology_matcher", config={"use_shared": use_shared, "cache_dir": str(cache_dir)})
    nlp.add_pipe("abbreviation_resolver", config={"use_curated": use_curated})
    return nlp


@pytest.fixture(scope="session")
def term_nlp(lexicon_cache):  # noqa: F811
    if SHARED is None:
        pytest.skip("../shared/terminology is absent; the seed tests expect DO/SYMP terms")
    return terminology_nlp(lexicon_cache)


@pytest.fixture(scope="session")
def seed_mentions(term_nlp, seed_passages):
    mentions = {}
    for doc in term_nlp.pipe(seed_passages):
        for ent in doc.ents:
            mentions.setdefault(ent.text.lower(), set()).add((ent.label_, ent._.concept_id))
    return mentions


def ents(nlp, text):
    return [(e.text, e.label_, e._.concept_id) for e in nlp(text).ents]


@pytest.mark.parametrize(
    "text",
    ["spasms", "muscle spasms", "stiffness", "spasticity", "twitching", "fasciculations", "numbness",
     "tingling", "fatigue", "dizziness", "tremor", "tremors", "drop foot", "stiff muscles"],
)
def test_seed_symptoms(seed_mentions, text):
    found = seed_mentions.get(text)
    assert found, f"{text!r} not found"
    assert all(label == "SYMPTOM" and concept_id for label, concept_id in found)


@pytest.mark.parametrize(
    "text", ["multiple sclerosis", "ms", "als", "amyotrophic lateral sclerosis", "neuropathy", "lupus"]
)
def test_seed_conditions(seed_mentions, text):
    found = seed_mentions.get(text)
    assert found, f"{text!r} not found"
    assert all(label == "CONDITION" and concept_id for label, concept_id in found)


def test_inflections_share_one_concept(seed_mentions):
    assert seed_mentions["spasms"] == seed_mentions["muscle spasms"] == seed_mentions["muscle spasm"]
    assert seed_mentions["tremor"] == seed_mentions["tremors"]
    assert seed_mentions["stiff muscles"] == seed_mentions["muscle stiffness"]



@pytest.mark.parametrize("singular, plural", [
    ("schwannoma", "schwannomas"), ("hernia", "hernias"), ("lipoma", "lipomas"), ("dystonia", "dystonias"),
    ("muscle ache", "muscle aches"),  # -ches: "aches" loses "es" as "twitches" does, so "ache" loses its "e"
])
def test_plurals_in_as_name_the_singular_concept(term_nlp, singular, plural):
    (one,) = ents(term_nlp, f"A {singular} was found.")
    (many,) = ents(term_nlp, f"Several {plural} were found.")
    assert one[2] and many[2] == one[2]


def test_singulars_in_as_still_match(term_nlp):
    found = ents(term_nlp, "Hypospadias is seen with an annular pancreas.")
    assert [text for text, _, concept_id in found if concept_id] == ["Hypospadias", "annular pancreas"]


def test_restored_lay_synonyms_and_curated_abbreviations(term_nlp):
    found = {text: concept_id for text, _, concept_id in ents(
        term_nlp, "She had high cholesterol, gum disease and hiccups; an aneurysm was found. CML is rare.")}
    assert found == {"high cholesterol": "HP:0003124", "gum disease": "DOID:1483", "hiccups": "HP:0100247",
                     "aneurysm": "CURATED:aneurysm", "CML": "DOID:8552"}
    assert ents(term_nlp, "Use eye drops twice a day.") == []  # a dropped synonym naming another sense stays dropped

def test_lowercase_ms_is_not_a_mention(term_nlp):
    assert ents(term_nlp, "These spasms usually last 10 ms or less.") == [("spasms", "SYMPTOM", "HP:0003394")]


def test_longest_match_wins(term_nlp):
    (mention,) = ents(term_nlp, "She has relapsing-remitting multiple sclerosis.")
    assert mention[2] == "DOID:2378"


def test_eponyms_diacritics_and_numerals(term_nlp):
    sjogren = {e[2] for e in ents(term_nlp, "Sjögren syndrome, Sjogren's syndrome and Sjogren's alone.")}
    assert len(sjogren) == 1 and None not in sjogren
    assert ents(term_nlp, "type II diabetes mellitus")[0][2] == ents(term_nlp, "type 2 diabetes mellitus")[0][2]
    assert ents(term_nlp, "X-linked ichthyosis")[0][1] == "CONDITION"


@Language.component("fake_disease_model")
def fake_disease_model(doc):
    """Stands in for a trained NER model: tags 'lupus' (overlapped by the lexicon) and 'foo bar disease'."""
    doc.ents = [Span(doc, t.i, t.i + 1, "DISEASE") for t in doc if t.lower_ == "lupus"] + [
        Span(doc, t.i, t.i + 3, "DISEASE") for t in doc if t.lower_ == "foo"
    ]
    return doc


def test_model_spans_are_merged(lexicon_cache):  # noqa: F811
    if SHARED is None:
        pytest.skip("../shared/terminology is absent")
    nlp = terminology_nlp(lexicon_cache, before=["fake_disease_model"])
    doc = nlp("Systemic lupus erythematosus and foo bar disease cause fatigue.")
    got = [(e.text, e.label_, e._.match_source) for e in doc.ents]
    assert got == [
        ("Systemic lupus erythematosus", "CONDITION", "lexicon"),
        ("foo bar disease", "CONDITION", "model"),
        ("fatigue", "SYMPTOM", "lexicon"),
    ]
    assert doc.ents[1]._.concept_id is None


# Regressions from the claims benchmark (concept mapping).


def test_source_preference_beats_name_over_synonym(term_nlp):
    # HPO Fasciculations has the EXACT synonym "Muscle twitch"; SYMP has it as a name only.
    (twitches, als) = term_nlp("Muscle twitches are a common symptom in ALS.").ents
    assert (twitches.text, twitches.label_, twitches._.concept_id) == ("Muscle twitches", "SYMPTOM", "HP:0002380")
    assert "SYMP:0000394" in twitches._.xrefs  # the SYMP concept was merged into the HPO one
    assert (als.text, als.label_) == ("ALS", "CONDITION")
    (cramps,) = term_nlp("She gets muscle cramps at night.").ents
    assert (cramps.label_, cramps._.concept_id) == ("SYMPTOM", "HP:0003394")


@pytest.mark.parametrize("text", ["Twitching is common.", "The twitches stopped.", "He noticed twitching."])
def test_twitching_is_fasciculations_not_fibrillation(term_nlp, text):
    # HP:0010546 Muscle fibrillation has "Twitching" only as a RELATED synonym (not used);
    # ICD-10-CM R25.3 Fasciculation lists "Twitching NOS".
    assert [(e.label_, e._.concept_id) for e in term_nlp(text).ents] == [("SYMPTOM", "HP:0002380")]


def test_migraine_aura(term_nlp):
    got = ents(term_nlp, "20% of people with migraine have aura.")
    assert got == [("migraine", "CONDITION", "DOID:6364"), ("aura", "SYMPTOM", "CURATED:aura")]


def test_diabetes_alone_is_diabetes_mellitus(term_nlp):
    assert ents(term_nlp, "People with diabetes should check their feet.") == [("diabetes", "CONDITION", "DOID:9351")]


def test_ordinary_words_are_not_eponyms(term_nlp):
    assert ents(term_nlp, "It is worth checking your blood sugar.") == []
    assert ents(term_nlp, "Pick a job you like and a tag for it.") == []
    assert ents(term_nlp, "Worth syndrome is rare.")[0][1:] == ("CONDITION", "DOID:0080037")


@pytest.mark.parametrize("text", [
    "The Human Phenotype Ontology (HPO) has collected information on how often a sign or symptom occurs in a condition.",
    "The doctor may order blood tests in order to confirm it.",
    "Some medicines are taken by mouth.",
    "Sound waves are bounced off internal tissues, each kidney about the size of a fist.",
    "Physical inactivity and corn syrup raise the risk; drink only boiled water.",
    "A fecal occult blood test checks blood pressure and low-density lipoprotein.",
    "Cutting calories helps; the room is spinning; cells are arranged in layers.",
])
def test_everyday_senses_of_ontology_synonyms_are_not_mentions(term_nlp, text):
    assert ents(term_nlp, text) == []


def test_a_parenthesis_inside_a_name_is_no_abbreviation_of_it(term_nlp):
    # HPO "Topoisomerase (DNA) I antibody positivity", "Angiotensin-converting enzyme (ACE) high in CSF"
    assert ents(term_nlp, "Mutations damage DNA; ACE inhibitors lower ATP; a FISH test finds deletions.") == []
    assert [e[2] for e in ents(term_nlp, "Her SLE and TAR syndrome were treated.")] == ["DOID:9074", "DOID:14699"]


def test_denied_synonyms_leave_longer_terms(term_nlp):
    assert [e[2] for e in ents(term_nlp, "Compulsive hoarding, dry mouth and high blood pressure.")] == [
        "HP:0030212", "HP:0000217", "SYMP:0020064"]


@pytest.mark.parametrize(
    "text, label",
    [("multiple sclerosis", "CONDITION"), ("migraine", "CONDITION"), ("asthma", "CONDITION"),
     ("lupus", "CONDITION"), ("ALS", "CONDITION"),
     ("fatigue", "SYMPTOM"), ("tremor", "SYMPTOM"), ("spasticity", "SYMPTOM"), ("headache", "SYMPTOM"),
     ("nausea", "SYMPTOM"), ("dizziness", "SYMPTOM"), ("cough", "SYMPTOM"), ("wheezing", "SYMPTOM"),
     ("rash", "SYMPTOM"), ("numbness", "SYMPTOM"), ("tingling", "SYMPTOM")],
)
def test_labels(term_nlp, text, label):
    (mention,) = term_nlp(f"Some patients report {text} daily.").ents
    assert (mention.text, mention.label_) == (text, label) and mention._.concept_id


def test_rash_is_the_hpo_skin_rash(term_nlp):
    (rash,) = term_nlp("A rash appeared on her arms.").ents
    assert (rash.label_, rash._.concept_id) == ("SYMPTOM", "HP:0000988")
    assert "DOID:0050486" in rash._.xrefs  # DO's "exanthem" is the same concept


def test_long_whitespace_free_runs_stay_one_token_and_keep_offsets():
    from extractors.tokenization import MAX_RUN_CHARS

    tokenizer = blank_english().tokenizer
    text = "Fatigue is common. " + "(" * (3 * MAX_RUN_CHARS) + " and tremor-like jerks."
    doc = tokenizer(text)
    assert doc.text == text
    assert any(len(t) == 3 * MAX_RUN_CHARS for t in doc)
    assert [t.text for t in doc][:3] == ["Fatigue", "is", "common"]


def test_a_footnote_number_after_a_words_full_stop_is_split_off(term_nlp):
    doc = term_nlp("It affects about 5 to 10 percent of people with celiac disease.3 Men may have oral lesions. A dose of 2.5 mg.")
    assert [t.text for t in doc][11:15] == ["disease", ".", "3", "Men"]
    assert ("celiac disease", "CONDITION") in {(e.text, e.label_) for e in doc.ents}
    assert "2.5" in [t.text for t in doc]  # a decimal stays whole


def reference_scan(matcher, doc) -> list[tuple[int, int, str]]:
    """The matcher's rule written plainly over the normalized stream: at each word start the
    longest term ending on a word end, else a cased term; a SYMPTOM term of several words whose
    last word is no term alone, no head noun and not followed by a capitalized word gives way to
    a term starting at one of its later words and running on past it with no punctuation, the
    words before that keeping their own longest term; continue after the match."""
    from extractors.lexicon import SYMPTOM
    from extractors.terminology_matcher import _HEAD_NOUNS
    from extractors.tokenization import normalize_tokens

    terms, cased, concepts = matcher.lexicon.terms, matcher.lexicon.cased_terms, matcher.lexicon.concepts
    words = [token.text for token in doc]
    stream = normalize_tokens(words)
    owners = [owner for _, owner in stream]

    def word_start(position):
        return position == 0 or owners[position - 1] != owners[position]

    def longest(position, limit=len(stream)):
        match, key = None, None
        for end in range(position, limit):
            key = stream[end][0] if key is None else f"{key} {stream[end][0]}"
            value = terms.get(key)
            if value is None:
                break
            if value and (end + 1 == len(stream) or owners[end + 1] != owners[end]):
                match = (end, value)
        return match

    def alone_a_term(owner):
        return bool(terms.get(" ".join(form for form, o in stream if o == owner)) or cased.get(words[owner]))

    def head(position, match):
        last = owners[match[0]]
        if last == owners[position] or alone_a_term(last) or concepts[match[1]].label != SYMPTOM or stream[match[0]][0] in _HEAD_NOUNS:
            return None
        if match[0] + 1 < len(stream) and doc[owners[match[0] + 1]].is_title and not doc[last].is_title:
            return None
        for start in range(position + 1, match[0] + 1):
            right = longest(start) if word_start(start) else None
            if right and owners[right[0]] > last and not any(
                    doc[index].is_punct or index not in owners for index in range(last + 1, owners[right[0]] + 1)):
                return start, right
        return None

    found, position = [], 0
    while position < len(stream):
        owner = owners[position]
        if not word_start(position):
            position += 1
            continue
        match = longest(position)
        if match is None and cased.get(words[owner]):
            match = (position, cased[words[owner]])
        if match is None:
            position += 1
            continue
        better = head(position, match)
        if better is not None:
            modifier = longest(position, better[0])
            if modifier is not None:
                found.append((owner, owners[modifier[0]] + 1, modifier[1]))
            position, match = better
            owner = owners[position]
        found.append((owner, owners[match[0]] + 1, match[1]))
        position = match[0] + 1
    return found


TRICKY = [
    "Type II diabetes, type-II diabetes and type - II diabetes; stage IV cancer; class III obesity.",
    "X-linked hypophosphatemia and Sjogren's syndrome; Sjögren’s syndrome; muscle spasms and twitching.",
    "ALS and MS differ from als and ms; Parkinson's disease type I; factor V Leiden; grade II glioma.",
    "Muscle spasms or stiffness can affect between 40% and 80% of people with MS.",
    "Spasticity ... affects about 20 percent of people with multiple sclerosis (MS).",
    "type\n\nII diabetes — type — 2 diabetes; diabetes mellitus type 2 and diabetes type II",
    "migraine with aura, migraine without aura, chronic fatigue syndrome, fatigue",
    # terms that start at the numeral: "II" after "group" is "2" ("2 vessel umbilical cord")
    "A group II vessel umbilical cord, a group - II vessel umbilical cord, a type III M syndrome 1.",
    # a match ending on a modifier gives way to the head's term, not across a list's separator
    "Painful muscle spasms, itchy skin lesions, pneumonia, recurrent ear infections; Hypoplasia of midface - Hypoplasia of the iris.",
    "slurred speech confusion memory problems concentration problems coma; Blurry vision Double vision Difficulty maintaining a gaze",
]


@pytest.mark.parametrize("text, expected", [
    ("They have painful muscle spasms.", ["muscle spasms"]),
    ("Itchy skin lesions and a scaly skin rash appear.", ["skin lesions", "skin rash"]),
    ("Cellular immunodeficiency 90% and Severe Myopia 5% are listed.", ["Cellular immunodeficiency", "Severe Myopia"]),
    ("Hypoplasia of midface - Hypoplasia of the iris", ["Hypoplasia of midface", "Hypoplasia of the iris"]),
    ("confusion memory problems concentration problems coma", ["confusion", "memory problems", "concentration problems", "coma"]),
    ("Vision changes: Blurry vision Double vision Difficulty climbing stairs", ["Double vision", "Difficulty climbing stairs"]),
])
def test_a_match_ending_on_a_modifier_gives_way_to_the_heads_term(term_nlp, text, expected):
    assert [e.text for e in term_nlp(text).ents if e.label_ == "SYMPTOM"] == expected


@pytest.mark.parametrize("text", TRICKY)
def test_matcher_equals_the_plain_scan(term_nlp, text):
    matcher = term_nlp.get_pipe("terminology_matcher")
    doc = term_nlp.make_doc(text)
    expected = reference_scan(matcher, doc)
    assert expected, "the sentence should hold terms"
    assert [(s.start, s.end, s._.concept_id) for s in matcher.find(doc)] == expected


def test_matcher_equals_the_plain_scan_on_the_seed_passages(term_nlp, seed_passages):
    matcher = term_nlp.get_pipe("terminology_matcher")
    for doc in term_nlp.tokenizer.pipe(seed_passages):
        assert [(s.start, s.end, s._.concept_id) for s in matcher.find(doc)] == reference_scan(matcher, doc)


def test_forgetting_remembered_words_changes_nothing(term_nlp, seed_passages, monkeypatch):
    matcher = term_nlp.get_pipe("terminology_matcher")
    docs = list(term_nlp.tokenizer.pipe(seed_passages))
    before = [[(s.start, s.end, s._.concept_id) for s in matcher.find(doc)] for doc in docs]
    # memos of three words: nearly every word is forgotten before it comes again
    monkeypatch.setattr(matcher, "_words", _Memo(3))
    monkeypatch.setattr(matcher, "_pairs", _Memo(3))
    after = [[(s.start, s.end, s._.concept_id) for s in matcher.find(doc)] for doc in docs]
    assert after == before
    assert len(matcher._words) <= 6 and len(matcher._pairs) <= 6


def test_the_memos_stay_bounded_however_many_distinct_words_come(term_nlp):
    matcher = term_nlp.get_pipe("terminology_matcher")
    words_per_doc, docs = 1_000, 45
    assert words_per_doc * docs > 2 * matcher._words.size  # more new words than the memos hold
    shortness = matcher._word("shortness")
    assert shortness.keys and not shortness.is_term  # so each pair is looked up, and remembered
    # "shortness" (a term's first word, not a term) before each new word is a pair to remember
    texts = [" ".join(f"shortness zq{doc}x{word}" for word in range(words_per_doc)) for doc in range(docs)]
    for doc in term_nlp.tokenizer.pipe(texts):
        matcher.find(doc)
        assert len(matcher._words) <= 2 * matcher._words.size
        assert len(matcher._pairs) <= 2 * matcher._pairs.size
    assert matcher._pairs.old  # the pairs' memo turned over
    assert matcher._words.get(term_nlp.vocab.strings["shortness"]) is not None  # used throughout, kept


def test_a_memo_keeps_the_keys_used_lately_and_forgets_the_others():
    memo = _Memo(10)
    memo.keep("frequent", 1)
    for key in range(100):
        memo.keep(key, key)
        if key % 5 == 0:  # used again every five new keys
            assert memo.get("frequent") == 1
    assert memo.get(0) is None and memo.get(99) == 99
    assert len(memo) <= 20


def test_a_memo_gives_a_false_value_back_as_such():
    memo = _Memo(10)
    memo.keep("continues", False)
    for key in range(10):
        memo.keep(key, True)
    assert "continues" in memo.old and memo.get("continues") is False  # recalled, not taken for missing
    assert "continues" in memo.young and memo.get("continues") is False


@pytest.mark.parametrize("text, expected", [
    ("The main symptoms of HD are constipation and a swollen belly.", []),  # a Hirschsprung disease page
    ("Huntington disease is inherited. In HD, it starts in midlife.", [("Huntington disease", "huntington's disease"), ("HD", "huntington's disease")]),
    ("Hirschsprung disease (HD) affects the large intestine. Babies with HD vomit.", [("Hirschsprung disease", "hirschsprung's disease")] + [("HD", "hirschsprung's disease")] * 2),
])
def test_an_ambiguous_code_is_a_mention_only_where_the_document_names_its_concept(term_nlp, text, expected):
    found = [(e.text, e._.concept_name.lower()) for e in term_nlp(text).ents if e.label_ == "CONDITION"]
    assert found == expected


def test_an_unambiguous_code_needs_no_name_beside_it(term_nlp):
    assert [(e.text, e._.concept_name.lower()) for e in term_nlp("Doctors diagnose ARDS with a chest x ray.").ents] == [("ARDS", "adult respiratory distress syndrome")]


@pytest.mark.parametrize("lost, kept", [
    ("Sjgren syndrome", "Sjögren syndrome"),
    ("Mntrier disease", "Ménétrier disease"),
    ("Waldenstrm macroglobulinemia", "Waldenström macroglobulinemia"),
    ("Mnire disease", "Ménière disease"),
])
def test_a_name_that_lost_its_accented_letters_is_the_accented_names_concept(term_nlp, lost, kept):
    assert [e._.concept_id for e in term_nlp(lost).ents] == [e._.concept_id for e in term_nlp(kept).ents] != []


@pytest.mark.parametrize("lost, kept", [
    ("Guillain-Barr syndrome", "Guillain-Barré syndrome"),
    ("Henoch-Schnlein purpura", "Henoch-Schönlein purpura"),
])
def test_a_name_the_sources_spell_unaccented_matches_with_its_letters_lost(term_nlp, lost, kept):
    assert [e._.concept_id for e in term_nlp(lost).ents] == [e._.concept_id for e in term_nlp(kept).ents] != []


@pytest.mark.parametrize("text, mention, concept_id, label", [
    # Q87.19 *Other congenital malformation syndromes predominantly associated with short stature*
    # lists "Aarskog syndrome" first: every Russell-Silver syndrome page's features were Aarskog's
    ("Russell-Silver syndrome is a growth disorder.", "Russell-Silver syndrome", "ICD10CM:Q87.19#russell-silver-syndrome", "CONDITION"),
    ("CJD is a rare brain disorder.", "CJD", "DOID:11949", "CONDITION"),  # not A81.09 *Other Creutzfeldt-Jakob disease*
    ("A toothache may be the first sign.", "toothache", "SYMP:0000438", "SYMPTOM"),  # K08.89 lists it: still SYMP's symptom
    ("Rotor syndrome is rare.", "Rotor syndrome", "ORPHA:3111", "CONDITION"),  # E80.6 lists it: Orphanet's id, not ours
])
def test_a_term_a_residual_icd_category_lists_is_not_its_first_terms_concept(term_nlp, text, mention, concept_id, label):
    assert [(e.text, e._.concept_id, e.label_) for e in term_nlp(text).ents] == [(mention, concept_id, label)]


@pytest.mark.parametrize("text", [
    "It occurs when there is a missing copy of the genetic material located on the short arm (p) of chromosome 19.",
    "Robertsonian translocations join the short arms of chromosomes 13 and 14.",
    "The deletion is on the short arm of the X chromosome.",
])
def test_a_chromosomes_arm_is_no_limb(term_nlp, text):
    assert [e.text for e in term_nlp(text).ents if "arm" in e.text] == []


def test_short_arms_of_a_person_stay_a_symptom(term_nlp):
    assert [e.label_ for e in term_nlp("Affected infants have short arms and legs.").ents if e.text == "short arms"] == ["SYMPTOM"]
