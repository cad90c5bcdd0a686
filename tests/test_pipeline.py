"""The pipeline as a whole: built once per options value, and the same extractions whether
documents go through it one by one or in batches, or are extracted under another id."""
import copy

from extractors.pipeline import PipelineOptions, get_nlp
from extractors.records import doc_to_extraction, relabel_extraction


def test_one_pipeline_per_options_value(nlp):
    """The default options, named or not, give the pipeline already built: a second build
    costs a second or two and another vocabulary, and its caches start cold."""
    assert get_nlp() is nlp
    assert get_nlp(PipelineOptions()) is nlp
    assert get_nlp(PipelineOptions(curated_abbreviations=True)) is nlp


def test_batches_give_the_same_extractions_as_single_documents(nlp, seed_passages):
    """Components take a batch at a time (extractors.batching); what a document yields must
    not depend on the batch it came in nor on its neighbours."""
    texts = [text for text in seed_passages if text.strip()]
    one_by_one = [doc_to_extraction(nlp(text), str(number)).to_dict() for number, text in enumerate(texts)]
    for batch_size in (1, 3, 64):
        batched = [doc_to_extraction(doc, str(number)).to_dict() for number, doc in enumerate(nlp.pipe(texts, batch_size=batch_size))]
        assert batched == one_by_one
    assert sum(len(extraction["mentions"]) for extraction in one_by_one) > 20


def test_an_extraction_relabeled_to_another_document_id_equals_extracting_it_under_that_id(nlp):
    """What the cache relies on to serve a renamed file: every id of every row moves, and
    nothing else changes (an alias, a figure, a claim without a figure, ids holding ``@``)."""
    text = ("Muscle spasms (also called cramps or fasciculations) affect about 40% of people with multiple sclerosis (MS). "
            "Patients with migraine may have nausea.")
    doc = nlp(text)
    extracted = doc_to_extraction(doc, "a.txt").to_dict()
    stored = copy.deepcopy(extracted)
    assert extracted["aliases"] and {m["label"] for m in extracted["mentions"]} == {"SYMPTOM", "CONDITION", "STATISTIC"}
    assert {r["statistic_mention_id"] is None for r in extracted["evidence"]} == {True, False}
    for doc_id in ("b/c.txt", "x@y.jsonl#2"):
        assert relabel_extraction(extracted, doc_id) == doc_to_extraction(doc, doc_id).to_dict()
        assert relabel_extraction(relabel_extraction(extracted, doc_id), "a.txt") == extracted
    assert extracted == stored  # a pure function: the cached extraction is not changed
    assert relabel_extraction(extracted, "a.txt") is extracted


def test_only_a_phenotype_table_cell_takes_the_hpo_reading_of_a_disease_term(nlp):
    """"Blepharospasm" is a disease in running text (DOID:529); the HPO reading of the same
    words is for a GARD phenotype table's first column, which holds phenotypes by construction."""
    from extractors.lexicon import SYMPTOM

    lookup = nlp.get_pipe("claim_builder").concept_lookup
    assert lookup("eyelid spasm", SYMPTOM) is None
    assert lookup("eyelid spasm", SYMPTOM, phenotype=True).id == "HP:0000643"


def test_a_condition_read_as_a_phenotype_is_named_by_its_symptom_id_in_every_claim(nlp):
    """The renal tumor is a SYMPTOM of the page's syndrome (its figure) and the condition of the
    symptoms it may cause: both evidence rows name the one mention row there is."""
    from extractors.records import doc_to_extraction

    text = ("Birt-Hogg-Dube syndrome is a rare disorder that affects the skin and lungs. A renal tumor occurs in about 10% to 16% of "
            "affected individuals (at an average age of 44 years) and may cause blood in the urine, lower back pain, and a palpable mass.")
    extraction = doc_to_extraction(nlp(text), "d")
    mention_ids = {m["mention_id"] for m in extraction.mentions}
    named = {e[column] for e in extraction.evidence for column in ("symptom_mention_id", "condition_mention_id") if e[column]}
    assert "d@78-89:S" in named and named <= mention_ids
