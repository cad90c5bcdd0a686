"""abbreviation_resolver: document definitions first, then the curated list."""
import pytest

from tests.test_lexicon import SHARED, lexicon_cache  # noqa: F401  (session fixture)
from tests.test_terminology_matcher import term_nlp, terminology_nlp  # noqa: F401  (session fixture)

MS = "DOID:2377"


def abbreviations(nlp, text):
    return [(e.text, e._.concept_id, e._.match_source) for e in nlp(text).ents if e._.match_source == "abbreviation"]


def test_curated_ms_resolves_to_multiple_sclerosis(term_nlp):  # noqa: F811
    text = "MS symptoms can come and go and change over time. The symptoms of MS are caused by your immune system."
    assert abbreviations(term_nlp, text) == [("MS", MS, "abbreviation"), ("MS", MS, "abbreviation")]


def test_document_definition(term_nlp):  # noqa: F811
    text = "Muscle twitches are common in amyotrophic lateral sclerosis (ALS). Many people with ALS also have cramps."
    assert [c for _, c, _ in abbreviations(term_nlp, text)] == ["DOID:332", "DOID:332"]


def test_document_definition_beats_curated_list(term_nlp):  # noqa: F811
    text = "Samples were analysed by mass spectrometry (MS). MS showed no peaks."
    assert abbreviations(term_nlp, text) == []
    assert all(e.text != "MS" for e in term_nlp(text).ents)


def test_lowercase_is_not_an_abbreviation(term_nlp):  # noqa: F811
    assert abbreviations(term_nlp, "The twitch lasted 10 ms.") == []


@pytest.fixture(scope="module")
def uncurated(lexicon_cache):  # noqa: F811
    if SHARED is None:
        pytest.skip("../shared/terminology is absent")
    return terminology_nlp(lexicon_cache, use_curated=False)


def test_use_curated_false(uncurated):
    assert abbreviations(uncurated, "MS affects everyone differently.") == []
    defined = "Multiple sclerosis (MS) is common. MS often causes fatigue."
    assert [c for _, c, _ in abbreviations(uncurated, defined)] == [MS, MS]


def test_fallback_lexicon_resolves_ms(lexicon_cache):  # noqa: F811
    fallback = terminology_nlp(lexicon_cache, use_shared=False)
    assert abbreviations(fallback, "MS affects everyone differently.") == [("MS", "ICD10CM:G35", "abbreviation")]
