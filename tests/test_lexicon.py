"""Lexicon compilation: sources, merging, labels, filtering, caching."""
import time

import pytest

from extractors import lexicon as lexicon_module
from extractors.lexicon import CONDITION, SYMPTOM, compute_fingerprint, default_shared_dir, load_lexicon

SHARED = default_shared_dir()
needs_shared = pytest.mark.skipif(SHARED is None, reason="../shared/terminology (Disease/Symptom Ontology) is absent")


@pytest.fixture(scope="session")
def lexicon_cache(tmp_path_factory):
    """One cache dir per test session, so each lexicon variant is compiled once."""
    return tmp_path_factory.getbasetemp() / "lexicon-cache"


@pytest.fixture(scope="session")
def fallback_lexicon(lexicon_cache):
    return load_lexicon(None, lexicon_cache)


@pytest.fixture(scope="session")
def shared_lexicon(lexicon_cache):
    if SHARED is None:
        pytest.skip("../shared/terminology is absent")
    return load_lexicon(SHARED, lexicon_cache)


def concept(lexicon, text):
    found = lexicon.lookup(text.split())
    assert found is not None, f"{text!r} not in the lexicon"
    return found


@needs_shared
def test_multiple_sclerosis_is_one_condition_with_xrefs(shared_lexicon):
    ms = concept(shared_lexicon, "multiple sclerosis")
    assert (ms.id, ms.label) == ("DOID:2377", CONDITION)
    assert "ICD10CM:G35" in ms.xrefs
    assert shared_lexicon.resolve("ICD10CM:G35") == ms


@needs_shared
@pytest.mark.parametrize("text", ["fatigue", "tremor", "spasticity", "pain", "numbness", "dizziness"])
def test_phenotype_words_are_symptoms(shared_lexicon, text):
    assert concept(shared_lexicon, text).label == SYMPTOM


@needs_shared
@pytest.mark.parametrize("text", ["neuropathy", "lupus", "amyotrophic lateral sclerosis", "asthma"])
def test_disease_names_are_conditions(shared_lexicon, text):
    assert concept(shared_lexicon, text).label == CONDITION


def test_fallback_builds_from_pip_packages(fallback_lexicon):
    ms = concept(fallback_lexicon, "multiple sclerosis")
    assert ms.label == CONDITION and ms.id.startswith(("ICD10CM:", "OMIM:"))
    assert concept(fallback_lexicon, "fatigue").id == "HP:0012378"
    assert concept(fallback_lexicon, "lupus").label == CONDITION
    assert not any(c.source in ("DOID", "SYMP") for c in fallback_lexicon.concepts.values())


@pytest.mark.parametrize("text", ["disease", "syndrome", "abnormality", "finding", "fall", "may", "all", "1", "x"])
def test_generic_and_ordinary_words_are_filtered(fallback_lexicon, text):
    assert fallback_lexicon.lookup([text]) is None


def test_related_uses_hpo_ancestry(fallback_lexicon):
    # Spasticity is_a Hypertonia
    assert fallback_lexicon.related("HP:0001257", "HP:0001276") == "HP:0001257 is a descendant of HP:0001276"
    assert fallback_lexicon.related("HP:0001276", "HP:0001257") == "HP:0001257 is a descendant of HP:0001276"
    assert fallback_lexicon.related("HP:0001257", "HP:0012378") is None


def test_cache_is_reused(fallback_lexicon, lexicon_cache, monkeypatch):
    lexicon_module._LOADED.clear()
    monkeypatch.setattr(lexicon_module, "build_lexicon", pytest.fail)
    started = time.perf_counter()
    reloaded = load_lexicon(None, lexicon_cache)
    assert time.perf_counter() - started < 2.0
    assert reloaded.fingerprint == fallback_lexicon.fingerprint
    assert len(reloaded.terms) == len(fallback_lexicon.terms)


def test_cache_is_rebuilt_when_fingerprint_changes(fallback_lexicon, lexicon_cache, monkeypatch):
    monkeypatch.setattr(lexicon_module, "LEXICON_VERSION", "test-" + lexicon_module.LEXICON_VERSION)
    assert compute_fingerprint(None) != fallback_lexicon.fingerprint
    built = []
    monkeypatch.setattr(lexicon_module, "build_lexicon", lambda shared: built.append(shared) or fallback_lexicon)
    load_lexicon(None, lexicon_cache)
    assert built == [None]
