"""abbreviation_resolver: document definitions first, then the curated list."""
import pytest

from test_lexicon import SHARED, lexicon_cache  # noqa: F401  (session fixture)
from test_terminology_matcher import nlp, terminology_nlp  # noqa: F401  (session fixture)

MS = "DOID:2377"


def abbreviations(nlp, text):
    return [(e.text, e._.concept_id, e._.match_source) for e in nlp(text).ents if e._.match_source == "abbreviation"]


def test_curated_ms_resolves_to_multiple_sclerosis(nlp):  # noqa: F811
    text = "MS symptoms can come and go and change over time. The symptoms of MS are caused by your immune system."
    assert abbreviations(nlp, text) == [("MS", MS, "abbreviation"), ("MS", MS, "abbreviation")]


def test_document_definition(nlp):  # noqa: F811
    text = "Muscle twitches are common in amyotrophic lateral sclerosis (ALS). Many people with ALS also have cramps."
    assert [c for _, c, _ in abbreviations(nlp, text)] == ["DOID:332", "DOID:332"]


def test_document_definition_beats_curated_list(nlp):  # noqa: F811
    text = "Samples were analysed by mass spectrometry (MS). MS showed no peaks."
    assert abbreviations(nlp, text) == []
    assert all(e.text != "MS" for e in nlp(text).ents)


def test_lowercase_is_not_an_abbreviation(nlp):  # noqa: F811
    assert abbreviations(nlp, "The twitch lasted 10 ms.") == []


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
