"""The optional trained-NER path: a tiny model trained here, merged with the lexicon's typing and ids."""
import os
import random

import pytest
import spacy
from spacy.training import Example

from extractors.pipeline import PipelineOptions, build_nlp

TRAINING = [
    ("Patients with Fooitis often report fatigue.", [(14, 21, "DISEASE")]),
    ("Fooitis is a rare disorder of the joints.", [(0, 7, "DISEASE")]),
    ("Many people with Fooitis have headache.", [(17, 24, "DISEASE")]),
    ("People with multiple sclerosis have spasms.", [(12, 30, "DISEASE")]),
    ("Fooitis affects about 5 percent of adults.", [(0, 7, "DISEASE")]),
]


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    random.seed(0)
    nlp = spacy.blank("en")
    ner = nlp.add_pipe("ner")
    ner.add_label("DISEASE")
    examples = [Example.from_dict(nlp.make_doc(text), {"entities": spans}) for text, spans in TRAINING]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(40):
        random.shuffle(examples)
        nlp.update(examples, sgd=optimizer, drop=0.1)
    path = tmp_path_factory.mktemp("model") / "tiny_ner"
    nlp.to_disk(path)
    return path


def test_model_spans_are_merged_with_lexicon_typing(tiny_model):
    nlp = build_nlp(PipelineOptions(ner_model=str(tiny_model)))
    assert "model_ner" in nlp.pipe_names and nlp.pipe_names.index("model_ner") < nlp.pipe_names.index("terminology_matcher")
    doc = nlp("Fooitis affects about 5 percent of adults, and people with multiple sclerosis have spasms.")
    by_text = {e.text: e for e in doc.ents}
    assert by_text["Fooitis"].label_ == "CONDITION" and by_text["Fooitis"]._.match_source == "model"
    assert by_text["multiple sclerosis"]._.concept_id in ("DOID:2377", "ICD10CM:G35")  # the lexicon's id wins on overlap
    assert by_text["spasms"].label_ == "SYMPTOM"


def test_without_a_model_the_lexicon_path_runs():
    nlp = build_nlp(PipelineOptions())
    assert not any(name.startswith("model_") for name in nlp.pipe_names)
    assert {e.text for e in nlp("Fooitis affects about 5 percent of adults.").ents} == set()


def test_a_missing_model_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="not installed"):
        build_nlp(PipelineOptions(ner_model=str(tmp_path / "nothing")))


def test_a_model_saved_again_in_place_invalidates_cached_extractions(tmp_path):
    """The cache key must follow the model, not only its path: a retrained model saved over
    the old one gave stale extractions, even with --force. It follows the bytes, not the files'
    times, or copies of the model on several hosts were refused as another pipeline."""
    from extractors.options import pipeline_fingerprint

    def save(pattern: str) -> None:
        nlp = spacy.blank("en")
        nlp.add_pipe("entity_ruler").add_patterns([{"label": "DISEASE", "pattern": pattern}])
        nlp.to_disk(tmp_path / "ruler")

    save("Quuxitis")
    options = PipelineOptions(ner_model=str(tmp_path / "ruler"))
    before = pipeline_fingerprint(options)
    assert pipeline_fingerprint(options) == before
    for file in (tmp_path / "ruler").rglob("*"):  # a copy on another Dask host: same bytes, other times
        os.utime(file, (1_000_000_000, 1_000_000_000))
    assert pipeline_fingerprint(options) == before
    save("Zorblax fever")
    assert pipeline_fingerprint(options) != before
